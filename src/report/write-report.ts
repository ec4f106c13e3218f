import { rmSync } from "node:fs";
import { writeFileAtomic } from "../io/atomic-file.js";
import { join } from "node:path";
import { CHARTS } from "./charts/index.js";
import type { ChartDefinition } from "./chart.js";
import type { ReportEntry } from "./html-page.js";
import { buildHtmlReport } from "./html-report.js";
import { renderPng, renderSvg } from "./render.js";
import { familiesOf, type ReportResults } from "./results-input.js";

export const REPORT_FORMATS = ["svg", "png", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportSummary {
  /** Files written, in order: charts/<id>.vl.json, .svg, .png per chart, then index.html. */
  files: string[];
  drawn: string[];
  skipped: Array<{ id: string; title: string; reason: string }>;
  /** Anything vega-lite or vega warned about while drawing (expected empty). */
  warnings: Array<{ id: string; message: string }>;
}

/**
 * Draws the charts of the results into `<outDir>/charts/` (`.vl.json` always; `.svg` and `.png`
 * when asked) and, with "html", `<outDir>/index.html`: the charts of every workload family the
 * runs have (a family no run has is not listed at all). A chart whose data is absent is listed as
 * skipped, never drawn empty. Charts are rendered one after the other (see renderSvg).
 */
export async function writeReport(results: ReportResults, outDir: string, formats: readonly ReportFormat[] = REPORT_FORMATS, charts: readonly ChartDefinition[] = CHARTS): Promise<ReportSummary> {
  const families = familiesOf(results);
  return writeCharts(
    results,
    outDir,
    formats,
    charts.filter((chart) => chart.family === undefined || families[chart.family]),
  );
}

async function writeCharts(results: ReportResults, outDir: string, formats: readonly ReportFormat[], charts: readonly ChartDefinition[]): Promise<ReportSummary> {
  const summary: ReportSummary = { files: [], drawn: [], skipped: [], warnings: [] };
  const entries: ReportEntry[] = [];
  const chartDir = join(outDir, "charts");
  for (const chart of charts) {
    const outcome = chart.build(results);
    if (outcome.kind === "skipped") {
      // Files from an earlier rendering would otherwise sit beside the note that the chart is not drawn.
      for (const ext of [".vl.json", ".svg", ".png"]) rmSync(join(chartDir, `${chart.id}${ext}`), { force: true });
      summary.skipped.push({ id: chart.id, title: chart.title, reason: outcome.reason });
      entries.push({ id: chart.id, title: chart.title, kind: "skipped", reason: outcome.reason });
      continue;
    }
    const rendered = await renderSvg(outcome.spec);
    for (const message of rendered.warnings) summary.warnings.push({ id: chart.id, message });
    const base = join(chartDir, chart.id);
    write(`${base}.vl.json`, formatSpec(outcome.spec), summary);
    if (formats.includes("svg")) write(`${base}.svg`, rendered.svg, summary);
    if (formats.includes("png")) write(`${base}.png`, renderPng(rendered.svg), summary);
    summary.drawn.push(chart.id);
    entries.push({ id: chart.id, title: chart.title, kind: "chart", caption: outcome.caption, svg: rendered.svg });
  }
  if (formats.includes("html")) write(join(outDir, "index.html"), buildHtmlReport(results, entries), summary);
  return summary;
}

/**
 * Indented JSON with each innermost object on one line: a data row per line instead of seven, so a
 * time-series spec stays a few hundred kB and still diffs line by line.
 */
export function formatSpec(spec: unknown): string {
  const text = JSON.stringify(spec, null, 2).replace(/\{\n[^{}[\]]*?\n\s*\}/g, (object) => object.replace(/\n\s*/g, " ").replace("{ ", "{").replace(/ \}$/, "}"));
  return `${text}\n`;
}

/** Temp name, then rename: a reader (or a crash) never sees half a file under the final name. */
function write(file: string, content: string | Buffer, summary: ReportSummary): void {
  writeFileAtomic(file, content);
  summary.files.push(file);
}
