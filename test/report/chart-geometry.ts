import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { renderSvg } from "../../src/report/render.js";
import { parseReportResults, type ReportResults } from "../../src/report/results-input.js";
import { DEFAULT_DPI } from "../../src/report/print.js";
import { CHART_WIDTHS, type ChartWidth } from "../../src/report/style.js";
import { readSvgGeometry } from "../../src/report/svg-geometry.js";
import { checkChartLayout, layoutLimits } from "../../src/report/svg-layout-check.js";
import { chartFileBase, reportCharts } from "../../src/report/write-report.js";
import { simulate } from "../../src/run/simulate.js";
import { loadScenarioFile } from "../../src/scenario/resolve.js";
import { loadSweepFile } from "../../src/sweep/load-sweep.js";
import { folderRunSource } from "../../src/sweep/output-folder.js";
import { executeRun } from "../../src/sweep/run-one.js";
import { buildSummary } from "../../src/sweep/summary.js";
import { writeSweepCharts } from "../../src/sweep/write-sweep-charts.js";
import { REPO } from "../cli/helpers.js";

/*
 * The every-chart layout check of issue 14: each shipped scenario is simulated as shipped (all of
 * them together take a few seconds), every chart of its report is rendered at both print widths,
 * and the rendered SVG is checked (src/report/svg-layout-check.ts). A small sweep's charts are
 * checked the same way.
 */

export const SCENARIO_DIR = join(REPO, "scenarios");

export function shippedScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((file) => file.endsWith(".json"))
    .sort();
}

/** A shipped scenario simulated as the CLI would, read back as the report reads a results file. */
export function scenarioReport(file: string): ReportResults {
  const results = simulate(loadScenarioFile(join(SCENARIO_DIR, file)));
  return parseReportResults(JSON.parse(JSON.stringify(results)), file);
}

export interface ChartProblem {
  chart: string;
  source: string;
  width: ChartWidth;
  problem: string;
}

/** "chart <id> (<scenario>, <width>): <problem>", the form F2 and F3 act on. */
export function describeProblem(p: ChartProblem): string {
  return `chart ${p.chart} (${p.source}, ${p.width}): ${p.problem}`;
}

/** The layout problems of one rendered chart, each a sentence (none: it passes). */
export async function layoutProblemsOfSpec(spec: TopLevelSpec, width: ChartWidth): Promise<string[]> {
  return layoutProblemsOfSvg((await renderSvg(spec)).svg, width);
}

export function layoutProblemsOfSvg(svg: string, width: ChartWidth): string[] {
  return checkChartLayout(readSvgGeometry(svg), layoutLimits(width), width);
}

/** Every chart of the results' report at every width: the problems found and the chart ids drawn. */
export async function reportLayoutProblems(results: ReportResults, source: string): Promise<{ problems: ChartProblem[]; drawn: string[] }> {
  const problems: ChartProblem[] = [];
  const drawn = new Set<string>();
  for (const chart of reportCharts(results)) {
    for (const width of ["column", "double"] as const) {
      const outcome = chart.build(results, width);
      if (outcome.kind === "skipped") continue;
      drawn.add(chart.id);
      for (const problem of await layoutProblemsOfSpec(outcome.spec, width)) problems.push({ chart: chart.id, source, width, problem });
    }
  }
  return { problems, drawn: [...drawn] };
}

/**
 * A sweep run in this process (its runs one after the other, no worker threads), its charts drawn
 * by the sweep's own chart writer and checked from the SVG files it wrote. The sweep chart builders
 * take no print width yet, so they are checked at one column, the width they are drawn for.
 */
export async function sweepLayoutProblems(sweepFile: string): Promise<{ problems: ChartProblem[]; drawn: string[] }> {
  const plan = loadSweepFile(sweepFile);
  const outDir = mkdtempSync(join(tmpdir(), "continuum-geometry-sweep-"));
  const context = {
    outDir,
    sweepHash: plan.hash,
    base: plan.base,
    profileDirs: plan.profileDirs,
    baseDir: plan.baseDir,
    axes: plan.axes.map((axis) => ({ name: axis.name, tokens: axis.tokens })),
  };
  for (const run of plan.runs) {
    const outcome = executeRun(context, run);
    if (!outcome.ok) throw new Error(`sweep run ${run.id} failed: ${outcome.error}`);
  }
  const summary = buildSummary(plan, folderRunSource([outDir], plan.hash));
  const widths = Object.keys(CHART_WIDTHS) as ChartWidth[];
  const written = await writeSweepCharts(summary, outDir, { widths, dpi: DEFAULT_DPI });
  const problems: ChartProblem[] = [];
  for (const id of written.drawn) {
    for (const width of widths) {
      const svg = readFileSync(`${chartFileBase(join(outDir, "charts"), id, width)}.svg`, "utf8");
      for (const problem of layoutProblemsOfSvg(svg, width)) problems.push({ chart: id, source: `sweep ${plan.name}`, width, problem });
    }
  }
  return { problems, drawn: written.drawn };
}
