import { describe, expect, it } from "vitest";
import { formatSummary } from "../../src/cli/summary.js";
import { applicationSegments, applicationStagesChart } from "../../src/report/charts/application-stages.js";
import { buildHtmlReport } from "../../src/report/html-report.js";
import { parseReportResults } from "../../src/report/results-input.js";
import { reportCharts } from "../../src/report/write-report.js";
import { simulate } from "../../src/run/simulate.js";
import { loadScenarioFile } from "../../src/scenario/resolve.js";
import { fixture } from "./fixtures.js";

/** runs[].applications (issue 17) in the results file, the application-stages chart and the report's tables. */

const results = simulate(loadScenarioFile(new URL("../../scenarios/dag-video-analytics.json", import.meta.url), {}, (d) => (d.duration = "30 s")));

describe("runs[].applications in results@2", () => {
  it("a results@2 file written before them (no applications key) reads with applications null, and lists no application chart", () => {
    const json = JSON.parse(JSON.stringify(fixture())) as { runs: Array<Record<string, unknown>> };
    for (const run of json.runs) delete run.applications;
    const read = parseReportResults(json, "before.json");
    for (const run of read.runs) expect(run.applications).toBeNull();
    expect(reportCharts(read).map((c) => c.id)).not.toContain("application-stages");
  });

  it("a run's section survives a round trip through the reader", () => {
    const read = parseReportResults(JSON.parse(JSON.stringify(results)), "dag.json");
    expect(read.runs.map((run) => run.applications)).toEqual(results.runs.map((run) => run.applications));
    expect(reportCharts(read).map((c) => c.id)).toContain("application-stages");
  });
});

describe("application-stages", () => {
  it("for a chain the segments of a policy add up to its mean end-to-end latency (the mean of a sum)", () => {
    const segments = applicationSegments(results);
    for (const run of results.runs) {
      const app = (run.applications ?? [])[0];
      const sum = segments.filter((s) => s.bar === run.label).reduce((total, s) => total + s.ms, 0);
      // Each segment is rounded to 4 decimals for the chart: 10 of them.
      expect(Math.abs(sum - (app.latency.mean as number))).toBeLessThan(10 * 5e-5 + 1e-9);
    }
  });

  it("segments in the order a job lives them: each stage after its input edge, the sink edge last", () => {
    const labels = applicationSegments(results)
      .filter((s) => s.bar === "whole-graph")
      .map((s) => s.segment);
    expect(labels).toEqual([
      "device -> decode",
      "decode: wait",
      "decode: service",
      "decode -> detect",
      "detect: wait",
      "detect: service",
      "detect -> track",
      "track: wait",
      "track: service",
      "track -> device",
    ]);
  });

  it("skipped when no application job completed", () => {
    const none = { ...results, runs: results.runs.map((run) => ({ ...run, applications: (run.applications ?? []).map((a) => ({ ...a, latency: { ...a.latency, count: 0 } })) })) };
    expect(applicationStagesChart(none).kind).toBe("skipped");
  });

  it("the HTML report has the applications and stages tables", () => {
    const html = buildHtmlReport(results, []);
    expect(html).toContain('id="applications-table"');
    expect(html).toContain('id="application-stages-table"');
  });
});

it("the text summary has a line per run and application", () => {
  const lines = formatSummary(results)
    .split("\n")
    .filter((line) => line.includes(": application video-analytics: "));
  expect(lines.map((line) => line.split(":")[0])).toEqual(["per-stage", "whole-graph"]);
  for (const [i, run] of results.runs.entries()) expect(lines[i]).toContain(`${(run.applications ?? [])[0].jobs.completed}/${(run.applications ?? [])[0].jobs.generated} jobs`);
});
