import { describe, expect, it } from "vitest";
import { formatSummary } from "../../src/cli/summary.js";
import { isMetricPath } from "../../src/sweep/metric-paths.js";
import { type ChartOutcome, controlRuns, type DrawnChart, timeAxisUnit } from "../../src/report/chart.js";
import { CHARTS } from "../../src/report/charts/index.js";
import { MAX_REPLICA_ROWS, phaseSegments, provisioningTimelineChart, replicaRows, requestTime } from "../../src/report/charts/provisioning-timeline.js";
import { replicaPoints, replicasOverTimeChart } from "../../src/report/charts/replicas-over-time.js";
import { readyOverWindow } from "../../src/report/control-tables.js";
import { buildHtmlReport } from "../../src/report/html-report.js";
import { renderSvg } from "../../src/report/render.js";
import { parseReportResults } from "../../src/report/results-input.js";
import type { ChartWidth } from "../../src/report/style.js";
import { reportCharts } from "../../src/report/write-report.js";
import { layoutProblemsOfSvg } from "./chart-geometry.js";
import { handControl, withControl, withManyReplicas } from "./control-fixtures.js";
import { fixture } from "./fixtures.js";

/*
 * runs[].control (issue 17) in the results file, the two control-plane charts and the report's
 * tables, on a hand-built section (test/report/control-fixtures.ts): every expected figure below
 * is worked by hand from the fixture's stated timeline, not read from the program.
 */

const WIDTHS: readonly ChartWidth[] = ["column", "double"];

function drawn(outcome: ChartOutcome): DrawnChart {
  if (outcome.kind !== "chart") throw new Error(`expected a chart, got skipped: ${outcome.reason}`);
  return outcome;
}

describe("runs[].control in results@2", () => {
  it("a results@2 file written before issue 17 (no control key) reads with control null", () => {
    const json = JSON.parse(JSON.stringify(fixture())) as { runs: Array<Record<string, unknown>> };
    for (const run of json.runs) delete run.control;
    const results = parseReportResults(json, "before-17.json");
    for (const run of results.runs) expect(run.control).toBeNull();
  });

  it("a hand-built section survives a round trip through the reader unchanged", () => {
    const results = withControl();
    const read = parseReportResults(JSON.parse(JSON.stringify(results)), "hand");
    expect(read.runs[0].control).toEqual(handControl());
  });

  it("a wrong field is an input error at its JSON path", () => {
    // The fixture file is results@1 (converted on read): written back as results@2 first.
    const json = JSON.parse(JSON.stringify(fixture())) as { runs: Array<Record<string, unknown>> };
    const control = handControl();
    json.runs[0].control = { ...control, deployments: [{ ...control.deployments[0], family: "video" }] };
    expect(() => parseReportResults(json, "bad.json")).toThrow(/runs\[0\]\.control\.deployments\[0\]\.family/);
  });

  it("its figures are sweep metrics (read from the results schema)", () => {
    for (const path of ["control.catalog.staleRejected", "control.deployments.0.coldStarts.meanWaitMs", "control.deployments.0.provisioning", "control.membership"])
      expect(isMetricPath(path)).toBe(true);
    expect(isMetricPath("control.catalog.stale")).toBe(false);
  });
});

describe("the control charts are listed only when some run has a control plane", () => {
  it("without control neither is listed; with it both are, after the network charts", () => {
    const ids = (results: ReturnType<typeof fixture>) => reportCharts(results).map((chart) => chart.id);
    expect(ids(fixture())).not.toContain("replicas-over-time");
    expect(ids(fixture())).not.toContain("provisioning-timeline");
    expect(ids(withControl())).toEqual(expect.arrayContaining(["replicas-over-time", "provisioning-timeline"]));
    expect(CHARTS.filter((chart) => chart.section === "control").map((chart) => chart.id)).toEqual(["replicas-over-time", "provisioning-timeline"]);
  });

  it("called on results without control, each chart is skipped with the field named", () => {
    const replicas = replicasOverTimeChart(fixture());
    const timeline = provisioningTimelineChart(fixture());
    expect(replicas.kind === "skipped" && replicas.reason).toContain("runs[].control");
    expect(timeline.kind === "skipped" && timeline.reason).toContain("runs[].control");
  });
});

describe("replicas over time", () => {
  it("steps at each change, carried to the end of the window (60 s); pending drawn only for the deployment that had one", () => {
    const results = withControl();
    const [detector, assistant] = handControl().deployments;
    const series = (points: ReturnType<typeof replicaPoints>, measure: string) => points.filter((p) => p.measure === measure).map((p) => [p.t, p.value]);
    const d = replicaPoints(results, "detector", detector);
    expect(series(d, "ready")).toEqual([
      [0, 3],
      [20, 2],
      [30, 2],
      [42, 3],
      [60, 3],
    ]);
    expect(series(d, "desired").map(([, v]) => v)).toEqual([3, 3, 3, 3, 3]);
    expect(series(d, "pending")).toEqual([
      [0, 0],
      [20, 1],
      [30, 0],
      [42, 0],
      [60, 0],
    ]);
    const a = replicaPoints(results, "assistant", assistant);
    expect(new Set(a.map((p) => p.measure))).toEqual(new Set(["ready", "desired"]));
    expect(series(a, "ready")).toEqual([
      [0, 0],
      [5, 0],
      [9, 1],
      [40, 0],
      [55, 0],
      [60, 0],
    ]);
  });

  it("a panel per deployment; with two runs having control, a panel per deployment and run", () => {
    const one = drawn(replicasOverTimeChart(withControl()));
    expect(one.caption).toContain("detector 2–3 ready");
    expect(one.caption).toContain("assistant 0–1 ready, 3 scaling decisions");
    const two = withControl();
    two.runs[1].control = handControl();
    const values = (drawn(replicasOverTimeChart(two)).spec as { data: { values: Array<{ panel: string }> } }).data.values;
    expect([...new Set(values.map((v) => v.panel))]).toEqual(["detector (nearest-healthy)", "assistant (nearest-healthy)", "detector (least-loaded)", "assistant (least-loaded)"]);
  });

  it("a day-long run's time axis is in hours (beyond 12 h), as every time chart's", () => {
    const day = withControl();
    day.window = { ...day.window, durationMs: 24 * 3_600_000 };
    expect(timeAxisUnit(day)).toEqual({ divisor: 3_600_000, unit: "h" });
    const halfDay = withControl();
    halfDay.window = { ...halfDay.window, durationMs: 12 * 3_600_000 };
    expect(timeAxisUnit(halfDay).unit).toBe("min");
    // The detector's step at 42 s is at 42 / 3,600 h; the last value is carried to 24 h.
    const points = replicaPoints(day, "detector", handControl().deployments[0]).filter((p) => p.measure === "ready");
    expect(points.map((p) => p.t)).toEqual([0, 0.005556, 0.008333, 0.011667, 24]);
  });

  it.each(WIDTHS)("passes the layout check at %s width", async (width) => {
    const { svg, warnings } = await renderSvg(drawn(replicasOverTimeChart(withControl(), width)).spec);
    expect(warnings).toEqual([]);
    expect(layoutProblemsOfSvg(svg, width)).toEqual([]);
  });
});

describe("provisioning timeline", () => {
  it("rows by request time; replicas ready at the start are not rows", () => {
    const results = withControl();
    const rows = replicaRows(results, controlRuns(results)[0]);
    expect(rows.map((r) => r.row)).toEqual(["5 s up-squared assistant", "20 s jetson-nano detector", "55 s coral assistant"]);
  });

  it("request times in the labels: seconds or minutes with one decimal; in hours, a clock time", () => {
    expect(requestTime(42_000, 1000, "s")).toBe("42 s");
    expect(requestTime(450_000, 60_000, "min")).toBe("7.5 min");
    // 7 h 28 min 59 s: minutes are not rounded up past the clock.
    expect(requestTime(7 * 3_600_000 + 28 * 60_000 + 59_000, 3_600_000, "h")).toBe("7:28 h");
    expect(requestTime(13 * 3_600_000 + 5 * 60_000, 3_600_000, "h")).toBe("13:05 h");
  });

  it("phases since the request, by hand: the rejoin 10 s pending, 4 s pull, 1 s start, 7 s load; the cold start 1 s start, 3 s load; the last cut at the run's end (65 s)", () => {
    const results = withControl();
    const rows = replicaRows(results, controlRuns(results)[0]);
    const phases = (i: number) => phaseSegments(rows[i], 65_000, 1000).map((s) => [s.phase, s.from, s.to]);
    expect(phases(1)).toEqual([
      ["pending", 0, 10],
      ["pull", 10, 14],
      ["start", 14, 15],
      ["load", 15, 22],
    ]);
    expect(phases(0)).toEqual([
      ["start", 0, 1],
      ["load", 1, 4],
    ]);
    expect(phases(2)).toEqual([
      ["pull", 0, 3],
      ["start", 3, 4],
      ["load", 4, 10],
    ]);
  });

  it("marks the cold start, counts the unfinished and the replicas ready at the start", () => {
    const chart = drawn(provisioningTimelineChart(withControl()));
    const layers = (chart.spec as { layer: Array<{ data: { values: Array<Record<string, unknown>> } }> }).layer;
    expect(layers[1].data.values).toEqual([{ row: "5 s up-squared assistant", order: 0, at: 4 }]);
    expect(chart.caption).toContain("a cold start (jobs waited for that replica), 1");
    expect(chart.caption).toContain("1 not ready by the end of the run");
    expect(chart.caption).toContain("3 replica(s) ready at the start not drawn");
  });

  it("one run's replicas: the first with a control plane; the caption says whether the others provisioned the same", () => {
    const results = withControl();
    results.runs[1].control = handControl();
    const other = handControl();
    results.runs[2].control = { ...other, deployments: [other.deployments[0], { ...other.deployments[1], provisioning: other.deployments[1].provisioning.slice(0, 1) }] };
    const chart = drawn(provisioningTimelineChart(results));
    const rows = new Set((chart.spec as { layer: Array<{ data: { values: Array<{ row: string }> } }> }).layer[0].data.values.map((v) => v.row));
    expect([...rows]).toEqual(["5 s up-squared assistant", "20 s jetson-nano detector", "55 s coral assistant"]);
    expect(chart.caption).toMatch(/^Run nearest-healthy: each replica/);
    expect(chart.caption).toContain("the same replicas in least-loaded");
    expect(chart.caption).toContain("round-robin provisioned differently");
  });

  it("at most 30 rows at one column and 40 at two, the later ones named by request time", () => {
    // 3 + 45 records requested at 5 s, 10..54 s (one a second; the rejoin at 20 s comes before the extra one there: detector is listed first), 55 s.
    // Row 12 is the rejoin, so row k > 12 was requested at k + 7 s: the 31st at 38 s, the 41st at 48 s.
    const rowsOf = (chart: DrawnChart) => new Set((chart.spec as { layer: Array<{ data: { values: Array<{ row: string }> } }> }).layer[0].data.values.map((v) => v.row));
    const column = drawn(provisioningTimelineChart(withManyReplicas(45), "column"));
    expect(rowsOf(column).size).toBe(MAX_REPLICA_ROWS.column);
    expect(column.caption).toContain("the first 30 of 48 by request time are drawn; the 18 requested from 38 s on are not");
    const double = drawn(provisioningTimelineChart(withManyReplicas(45), "double"));
    expect(rowsOf(double).size).toBe(MAX_REPLICA_ROWS.double);
    expect(double.caption).toContain("the first 40 of 48 by request time are drawn; the 8 requested from 48 s on are not");
  });

  it.each(WIDTHS)("passes the layout check at %s width, with the most rows drawn too", async (width) => {
    for (const results of [withControl(), withManyReplicas(45)]) {
      const { svg, warnings } = await renderSvg(drawn(provisioningTimelineChart(results, width)).spec);
      expect(warnings).toEqual([]);
      expect(layoutProblemsOfSvg(svg, width)).toEqual([]);
    }
  });
});

describe("the report's control-plane tables", () => {
  it("ready replicas over the measurement window [10 s, 60 s), by hand", () => {
    const [detector, assistant] = handControl().deployments;
    // 3 for 10 s, 2 for 22 s, 3 for 18 s: 128 / 50.
    expect(readyOverWindow(detector.replicas, 10_000, 60_000)).toEqual({ min: 2, mean: 2.56, max: 3 });
    // 1 from 10 s to 40 s, then 0: 30 / 50.
    expect(readyOverWindow(assistant.replicas, 10_000, 60_000)).toEqual({ min: 0, mean: 0.6, max: 1 });
  });

  it("deployments, catalog and membership tables only with control", () => {
    expect(buildHtmlReport(fixture(), [])).not.toContain("control-deployments-table");
    const html = buildHtmlReport(withControl(), []);
    const row = (id: string, first: string): string => {
      const table = html.slice(html.indexOf(`id="${id}"`));
      const start = table.indexOf(`<tr><td>${first}`);
      return table.slice(start, table.indexOf("</tr>", start));
    };
    expect(row("control-deployments-table", "nearest-healthy</td><td>detector")).toContain("<td>2</td><td>2.56</td><td>3</td><td>0</td><td>1</td><td>0</td><td>–</td><td>1</td>");
    expect(row("control-deployments-table", "nearest-healthy</td><td>assistant")).toContain("<td>0</td><td>0.60</td><td>1</td><td>3</td><td>2</td><td>2</td><td>3.5 s</td><td>0</td><td>–</td>");
    // 200 ms of discovery over 40 queries: 5 ms each.
    expect(row("control-catalog-table", "nearest-healthy")).toContain("<td>5</td><td>2</td><td>3</td><td>40</td><td>5.0 ms</td>");
    expect(row("control-membership-table", "nearest-healthy")).toContain("<td>jetson-nano</td><td>20.0 s</td><td>30.0 s</td><td>12.0 s</td>");
  });
});

describe("the command's text summary", () => {
  it("a control-plane block only for results with control: the catalog, a row per deployment, the timeline's nodes", () => {
    expect(formatSummary(fixture())).not.toContain("control plane");
    const text = formatSummary(withControl());
    expect(text).toContain("nearest-healthy: control plane; catalog 5 registrations, 2 deregistrations, 3 jobs rejected by a stale view, 40 discovery queries");
    expect(text).toMatch(/detector\s+frames\s+2-3\s+2\.56\s+0\s+1\s+0\s+1/);
    expect(text).toMatch(/assistant\s+llm\s+0-1\s+0\.60\s+3\s+2\s+2\s+0/);
    expect(text).toContain("jetson-nano: left at 20.0 s, joined at 30.0 s");
  });
});
