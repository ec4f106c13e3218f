import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { violationBars, violationRateChart } from "../../src/report/charts/violation-rate.js";
import { llmPrivacyCostChart, privacyBars } from "../../src/report/llm/llm-privacy-cost.js";
import { buildHtmlReport } from "../../src/report/html-report.js";
import { renderSvg } from "../../src/report/render.js";
import { parseReportResults, type ReportResults } from "../../src/report/results-input.js";
import type { ChartWidth } from "../../src/report/style.js";
import { planReplications, runReplications } from "../../src/run/replications.js";
import { resolveAndCheck } from "../../src/run/run-scenario.js";
import { simulate } from "../../src/run/simulate.js";
import { readScenarioJson } from "../../src/scenario/resolve.js";
import { REPO } from "../cli/helpers.js";
import { layoutProblemsOfSpec } from "./chart-geometry.js";

/* The charts of results with replications that draw intervals: violation-rate and llm-privacy-cost's shares (the mean as the bar, its 95% interval as an error bar). */

const FILE = join(REPO, "scenarios", "edge-ai-testbed.json");
const WIDTHS: readonly ChartWidth[] = ["column", "double"];
/** t(0.975, 3) from a Student t table: 4 replications. */
const T_975_3 = 3.182;

async function replicated(count: number, file = FILE, duration = "20 s"): Promise<ReportResults> {
  const document = { ...(readScenarioJson(file) as Record<string, unknown>), duration };
  const plan = planReplications(file, document, resolveAndCheck(file, document, undefined), { count, jobs: 1, maxEvents: undefined });
  const results = await runReplications(plan, () => simulate(resolveAndCheck(file, plan.firstDocument, undefined)));
  return parseReportResults(JSON.parse(JSON.stringify(results)), file);
}

function chartSpec(results: ReportResults, width: ChartWidth): TopLevelSpec {
  const outcome = violationRateChart(results, width);
  if (outcome.kind !== "chart") throw new Error(`skipped: ${outcome.reason}`);
  return outcome.spec;
}

/** The rows the spec draws from. */
const rows = (spec: TopLevelSpec): Array<Record<string, unknown>> => (spec as { data: { values: Array<Record<string, unknown>> } }).data.values;

describe("violation-rate chart with replications", async () => {
  const results = await replicated(4);
  const section = results.replications;
  if (section === undefined) throw new Error("no replications section");

  it("draws each scheduler's mean over the replications, with the t interval from the replications' own rates", () => {
    const bars = violationBars(results);
    expect(bars.map((b) => b.scheduler)).toEqual(results.runs.map((r) => r.label));
    bars.forEach((bar, i) => {
      const rates = section.runs.map((runs) => runs[i].frames?.jobs.violationRate as number);
      const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
      const sd = Math.sqrt(rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1));
      const half = (T_975_3 * sd) / 2;
      expect(bar.rate).toBeCloseTo(mean, 12);
      // The table's 3 decimals: 0.0005 / 3.182 relative, well under 1e-5 absolute on a rate.
      expect(bar.interval?.low).toBeCloseTo(Math.max(0, mean - half), 5);
      expect(bar.interval?.high).toBeCloseTo(Math.min(1, mean + half), 5);
    });
  });

  it("has an error bar layer and says so in the caption; a single run has neither", () => {
    const outcome = violationRateChart(results);
    expect(JSON.stringify(outcome)).toContain('"errorbar"');
    expect(outcome.kind === "chart" && outcome.caption).toContain("mean over 4 replications");
    const { replications: _section, ...single } = results;
    const plain = violationRateChart(single);
    expect(JSON.stringify(plain)).not.toContain('"errorbar"');
    expect(violationBars(single).map((b) => b.rate)).toEqual(results.runs.map((r) => r.frames?.jobs.violationRate));
  });

  it.each(WIDTHS)("passes the layout check at %s width", async (width) => {
    expect(await layoutProblemsOfSpec(chartSpec(results, width), width)).toEqual([]);
  });

  it("index.html says the tables are replication 0's", () => {
    expect(buildHtmlReport(results, [])).toContain(`4 of master seed 1; the tables are replication 0`);
    const { replications: _section, ...single } = results;
    expect(buildHtmlReport(single, [])).not.toContain("replication 0");
  });

  it("keeps the axis title of a single run (vega-lite would append the error bar's field to it)", async () => {
    const { svg } = await renderSvg(chartSpec(results, "column"));
    expect(svg).toContain(">QoS violation rate (%)<");
    expect(svg).not.toMatch(/QoS violation rate \(%\), /);
  });

  it.each(WIDTHS)("passes the layout check at %s width with wide intervals and rates near 100 % (labels inside the bars)", async (width) => {
    // Hand-set figures: one scheduler at 93 % +- 5, one at 40 % +- 30, one at 0.5 % +- 0.5.
    const wide: ReportResults = structuredClone(results);
    const set = [
      [0.93, 0.88, 0.98],
      [0.4, 0.1, 0.7],
      [0.005, 0, 0.01],
    ];
    wide.replications?.summary.forEach((entry, i) => {
      const [mean, low, high] = set[i % set.length];
      Object.assign(entry.figures["frames.jobs.violationRate"], { mean, ciLow: low, ciHigh: high });
    });
    const spec = chartSpec(wide, width);
    expect(rows(spec).some((row) => row.inside === true)).toBe(true);
    expect(await layoutProblemsOfSpec(spec, width)).toEqual([]);
  });
});

describe("llm-privacy-cost chart with replications", async () => {
  const file = join(REPO, "scenarios", "llm-routing.json");
  const results = await replicated(3, file, "20 min");
  const section = results.replications;
  if (section === undefined) throw new Error("no replications section");

  it("draws each router's mean share with the t interval from the replications' own shares (t(0.975, 2) = 4.303)", () => {
    const bars = privacyBars(results).filter((b) => b.measure === "reached the cloud");
    expect(bars.length).toBe(results.runs.length);
    bars.forEach((bar, i) => {
      const shares = section.runs.map((runs) => runs[i].queries?.privacy.shareOfQueriesToCloud as number);
      const mean = shares.reduce((a, b) => a + b, 0) / 3;
      const half = (4.303 * Math.sqrt(shares.reduce((a, v) => a + (v - mean) ** 2, 0) / 2)) / Math.sqrt(3);
      expect(bar.share).toBeCloseTo(mean, 12);
      expect(bar.interval?.low).toBeCloseTo(Math.max(0, mean - half), 4);
      expect(bar.interval?.high).toBeCloseTo(Math.min(1, mean + half), 4);
    });
    expect(JSON.stringify(llmPrivacyCostChart(results))).toContain('"errorbar"');
  });

  it.each(WIDTHS)("passes the layout check at %s width", async (width) => {
    const outcome = llmPrivacyCostChart(results, width);
    if (outcome.kind !== "chart") throw new Error(`skipped: ${outcome.reason}`);
    expect(await layoutProblemsOfSpec(outcome.spec, width)).toEqual([]);
  });
});
