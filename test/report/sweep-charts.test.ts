import { describe, expect, it } from "vitest";
import type { ChartOutcome } from "../../src/report/chart.js";
import { sweepHeatmapChart } from "../../src/report/charts/sweep-heatmap.js";
import { isValidPoint, MIN_COMPLETED_PER_RUN, plotAxes, type SweepChartInput } from "../../src/report/charts/sweep-input.js";
import { sweepMetricVsAxisChart } from "../../src/report/charts/sweep-metric-vs-axis.js";
import { renderSvg } from "../../src/report/render.js";
import { CHART_WIDTHS, type ChartWidth } from "../../src/report/style.js";

/*
 * Sweep charts, checked on their Vega-Lite specs: which axis is drawn, scale types and domains,
 * and which points are marked as not valid. The inputs are written by hand, so each expectation
 * follows from the input and the rules in docs/reports.md, not from the program's output.
 */

type Cell = SweepChartInput["cells"][number];

const stats = (mean: number, half: number | null = null) => ({ n: 2, mean, ciLow: half === null ? null : mean - half, ciHigh: half === null ? null : mean + half });

/** A saturation sweep like rpi5-k3s-saturation: load 0.5..8, one router, TTFT p95 from 800 ms to 2,500,000 ms. */
function saturation(): SweepChartInput {
  const loads = [0.5, 1, 2, 4, 8];
  const ttft = [800, 1_500, 12_000, 400_000, 2_500_000];
  const violations = [0.02, 0.05, 0.4, 0.95, 0.99];
  // At load 8 the two runs completed 12 queries between them and left 143,840 unfinished (the case).
  const jobs = [
    { completed: 4_000, unfinished: 10 },
    { completed: 8_000, unfinished: 30 },
    { completed: 15_000, unfinished: 900 },
    { completed: 9_000, unfinished: 60_000 },
    { completed: 12, unfinished: 143_840 },
  ];
  const cells: Cell[] = loads.map((loadScale, i) => ({
    values: { loadScale },
    label: "local-only",
    metrics: { "queries.latency.ttft.p95": stats(ttft[i], ttft[i] * 0.9), "jobs.violationRate": stats(violations[i], 0.2) },
    jobs: { runs: 2, frames: null, queries: jobs[i] },
  }));
  return {
    sweep: { sampling: { method: "grid" }, axes: [{ name: "loadScale", path: "/loadScale", values: loads }], metrics: ["queries.latency.ttft.p95", "jobs.violationRate"] },
    cells,
  };
}

function drawn(outcome: ChartOutcome) {
  if (outcome.kind !== "chart") throw new Error(`skipped: ${outcome.reason}`);
  return outcome;
}

/** The layers of a layered spec, with their mark type, filter and encodings. */
type Layer = { mark: { type: string; filled?: boolean }; transform?: Array<{ filter: string }>; encoding: Record<string, { scale?: Record<string, unknown>; field?: string }> };
const layers = (spec: unknown): Layer[] => (spec as { layer: Layer[] }).layer;
const rows = (spec: unknown): Array<Record<string, unknown>> => (spec as { data: { values: Array<Record<string, unknown>> } }).data.values;

describe("sweep metric-vs-axis chart", () => {
  it("a metric spanning decades (TTFT to 2,500,000 ms) gets a log y axis that holds every point", () => {
    const spec = drawn(sweepMetricVsAxisChart(saturation(), "queries.latency.ttft.p95", "loadScale")).spec;
    const scale = layers(spec).find((l) => l.mark.type === "line")?.encoding.y.scale;
    expect(scale?.type).toBe("log");
    const [lo, hi] = (scale?.domain ?? []) as number[];
    expect(lo).toBeLessThanOrEqual(800);
    expect(hi).toBeGreaterThanOrEqual(2_500_000);
  });

  it("a rate is drawn on 0-100 %, its confidence band clipped to [0, 1]", () => {
    const spec = drawn(sweepMetricVsAxisChart(saturation(), "jobs.violationRate", "loadScale")).spec;
    for (const layer of layers(spec)) expect(layer.encoding.y.scale?.domain, layer.mark.type).toEqual([0, 1]);
    for (const row of rows(spec)) {
      expect(row.lo as number).toBeGreaterThanOrEqual(0);
      expect(row.hi as number).toBeLessThanOrEqual(1);
    }
    expect(JSON.stringify(spec)).toContain('"format":".0%"');
  });

  it("a p95 from a handful of completions while most queries are unfinished is flagged, drawn hollow off the line, and the caption says why", () => {
    const outcome = drawn(sweepMetricVsAxisChart(saturation(), "queries.latency.ttft.p95", "loadScale"));
    const flags = rows(outcome.spec).map((r) => r.valid);
    // Load 4: more unfinished (60,000) than completed (9,000); load 8: 6 completions per run.
    expect(flags).toEqual([true, true, true, false, false]);
    const hollow = layers(outcome.spec).find((l) => l.mark.type === "point");
    expect(hollow?.mark.filled).toBe(false);
    expect(hollow?.transform?.[0].filter).toBe("!datum.valid");
    expect(layers(outcome.spec).find((l) => l.mark.type === "line")?.transform?.[0].filter).toBe("datum.valid");
    expect(outcome.caption).toContain("2 points that are not a valid estimate");
    expect(outcome.caption).toContain(`fewer than ${MIN_COMPLETED_PER_RUN} completed jobs per run`);
    // The violation rate counts unfinished queries as violations: every point is valid there.
    expect(rows(drawn(sweepMetricVsAxisChart(saturation(), "jobs.violationRate", "loadScale")).spec).every((r) => r.valid)).toBe(true);
  });

  it("the rule's threshold: 20 completions per run is the least a p95 needs (nearest rank ceil(0.95 n) < n)", () => {
    const cell = (completed: number): Cell => ({ values: {}, label: "x", metrics: {}, jobs: { runs: 2, frames: { completed, unfinished: 0 }, queries: null } });
    // ceil(0.95 * 20) = 19 < 20: the p95 is not the largest value; ceil(0.95 * 19) = 19: it is.
    expect(Math.ceil(0.95 * MIN_COMPLETED_PER_RUN)).toBeLessThan(MIN_COMPLETED_PER_RUN);
    expect(Math.ceil(0.95 * (MIN_COMPLETED_PER_RUN - 1))).toBe(MIN_COMPLETED_PER_RUN - 1);
    expect(isValidPoint(cell(2 * MIN_COMPLETED_PER_RUN), "frames.latency.total.p95")).toBe(true);
    expect(isValidPoint(cell(2 * MIN_COMPLETED_PER_RUN - 1), "frames.latency.total.p95")).toBe(false);
    expect(isValidPoint(cell(0), "frames.throughput")).toBe(true);
  });

  it("the policy axis (/policies) is the colour, never an x axis or a heatmap axis", () => {
    const input = saturation();
    input.sweep.axes.push({ name: "scheduler", path: "/policies", values: [["local-only"]] });
    for (const cell of input.cells) cell.values.scheduler = ["local-only"];
    expect(plotAxes(input).map((a) => a.name)).toEqual(["loadScale"]);
    expect(sweepMetricVsAxisChart(input, "jobs.violationRate", "scheduler").kind).toBe("skipped");
    expect(sweepHeatmapChart(input, "jobs.violationRate").kind).toBe("skipped");
    const spec = drawn(sweepMetricVsAxisChart(input, "jobs.violationRate", "loadScale")).spec;
    expect(rows(spec).map((r) => r.series)).toEqual(Array(5).fill("local-only"));
  });

  it("lays out for one column and two, and renders without warnings", async () => {
    const widths: Record<string, number> = {};
    for (const width of Object.keys(CHART_WIDTHS) as ChartWidth[]) {
      const spec = drawn(sweepMetricVsAxisChart(saturation(), "queries.latency.ttft.p95", "loadScale", width)).spec as { width: number };
      expect(spec.width).toBeLessThan(CHART_WIDTHS[width]);
      expect((await renderSvg(spec as never)).warnings).toEqual([]);
      widths[width] = spec.width;
    }
    // The plot takes the width it is given: 7 in is not the 3.3 in chart with white space around it.
    expect(widths.double - widths.column).toBe(CHART_WIDTHS.double - CHART_WIDTHS.column);
  });
});

describe("sweep chart over three axes (shared-jetson)", () => {
  function threeAxes(): SweepChartInput {
    const loads = [0.5, 1, 2, 4];
    const cells: Cell[] = [];
    for (const loadScale of loads)
      for (const fps of [5, 30])
        for (const sharing of ["time-slicing", "isolated"])
          for (const label of ["edge-first", "queries-to-cloud"]) cells.push({ values: { loadScale, fps, sharing }, label, metrics: { "nodes.0.utilisation": stats(loadScale / 5 + fps / 100) } });
    return {
      sweep: {
        sampling: { method: "grid" },
        axes: [
          { name: "loadScale", path: "/loadScale", values: loads },
          { name: "fps", path: "/devices/0/workloads/0/fps", values: [5, 30] },
          { name: "sharing", path: "/nodes/0/sharing", values: ["time-slicing", "isolated"] },
        ],
        metrics: ["nodes.0.utilisation"],
      },
      cells,
    };
  }

  it("eight combinations of the other axes: a panel per value of the first, a dash per value of the rest; four combinations: dashes only", () => {
    const split = drawn(sweepMetricVsAxisChart(threeAxes(), "nodes.0.utilisation", "sharing")).spec as unknown as { facet: { field: string; sort: string[] }; spec: { layer: Layer[] } };
    expect(split.facet.field).toBe("panel");
    expect(split.facet.sort).toEqual(["loadScale=0.5", "loadScale=1", "loadScale=2", "loadScale=4"]);
    const dashes = (layer: Layer[]) => (layer.find((l) => l.mark.type === "line")?.encoding.strokeDash?.scale?.domain ?? []) as string[];
    expect(dashes(split.spec.layer)).toEqual(["fps=30", "fps=5"]);
    const plain = drawn(sweepMetricVsAxisChart(threeAxes(), "nodes.0.utilisation", "loadScale")).spec as unknown as { facet?: unknown; layer: Layer[] };
    expect(plain.facet).toBeUndefined();
    expect(dashes(plain.layer)).toHaveLength(4);
  });
});

describe("sweep chart over a long axis and a short one (shared-uplink: 13 camera counts x 2 capacities)", () => {
  function longAndShort(): SweepChartInput {
    const cameras = [1, 5, 10, 15, 20, 25, 30, 33, 36, 38, 40, 42, 44];
    const capacities = ["42.25 Mbit/s", "84.5 Mbit/s"];
    const cells: Cell[] = cameras.flatMap((n) =>
      capacities.map((capacity, c) => ({ values: { cameras: n, capacity }, label: "nearest-healthy", metrics: { "frames.latency.networkUp.mean": stats(2 + 5 / (c + 1) + n) } })),
    );
    return {
      sweep: {
        sampling: { method: "grid" },
        axes: [
          { name: "cameras", path: "/devices/0/count", values: cameras },
          { name: "capacity", path: "/network/links/1/capacity", values: capacities },
        ],
        metrics: ["frames.latency.networkUp.mean"],
      },
      cells,
    };
  }

  it("against the long axis: a dash per capacity; against the short one: skipped (13 panels would not fit), naming the charts that draw those cells", () => {
    const input = longAndShort();
    const long = drawn(sweepMetricVsAxisChart(input, "frames.latency.networkUp.mean", "cameras")).spec as unknown as { facet?: unknown; layer: Layer[] };
    expect(long.facet).toBeUndefined();
    expect(long.layer.find((l) => l.mark.type === "line")?.encoding.strokeDash?.scale?.domain).toEqual(["capacity=42.25 Mbit/s", "capacity=84.5 Mbit/s"]);
    const short = sweepMetricVsAxisChart(input, "frames.latency.networkUp.mean", "capacity");
    expect(short.kind).toBe("skipped");
    expect(short.kind === "skipped" && short.reason).toContain("13 values, at most 6");
    expect(short.kind === "skipped" && short.reason).toContain("heatmap");
  });
});

describe("sweep heatmap", () => {
  /** Two axes, two policies; one cell with almost nothing completed. */
  function grid(): SweepChartInput {
    const cells: Cell[] = [];
    for (const devices of [4, 64])
      for (const fps of [2, 5])
        for (const label of ["least-loaded", "nearest-healthy"])
          cells.push({
            values: { devices, fps, scheduler: [label] },
            label,
            metrics: { "frames.latency.total.p95": stats(devices * fps * 10), "jobs.violationRate": stats(devices / 64) },
            jobs: { runs: 2, frames: devices === 64 && fps === 5 ? { completed: 8, unfinished: 5000 } : { completed: 2000, unfinished: 1 }, queries: null },
          });
    return {
      sweep: {
        sampling: { method: "grid" },
        axes: [
          { name: "devices", path: "/devices/0/count", values: [4, 64] },
          { name: "fps", path: "/devices/0/workloads/0/fps", values: [2, 5] },
          { name: "scheduler", path: "/policies", values: [["least-loaded"], ["nearest-healthy"]] },
        ],
        metrics: ["frames.latency.total.p95", "jobs.violationRate"],
      },
      cells,
    };
  }

  it("grey cells for invalid points, a 0-100 % scale for a rate, a log scale over decades; renders without warnings", async () => {
    const latency = drawn(sweepHeatmapChart(grid(), "frames.latency.total.p95"));
    const values = rows(latency.spec);
    expect(values.filter((v) => !v.valid).map((v) => `${v.x}/${v.y}/${v.label}`)).toEqual(["64/5/least-loaded", "64/5/nearest-healthy"]);
    expect(latency.caption).toContain("Grey: 2 cells not a valid estimate");
    // Valid means 80 .. 1280 ms: 16x, under LOG_SPAN; a rate has a fixed 0-1 domain.
    const text = JSON.stringify(latency.spec);
    expect(text).not.toContain('"type":"log"');
    const rate = JSON.stringify(drawn(sweepHeatmapChart(grid(), "jobs.violationRate")).spec);
    expect(rate).toContain('"domain":[0,1]');
    const wide = grid();
    for (const cell of wide.cells) cell.metrics["frames.latency.total.p95"] = stats((cell.values.devices as number) ** 3);
    expect(JSON.stringify(drawn(sweepHeatmapChart(wide, "frames.latency.total.p95")).spec)).toContain('"type":"log"');
    expect((await renderSvg(latency.spec)).warnings).toEqual([]);
  });
});

describe("derived parameters in sweep charts", () => {
  it("a derived parameter is not a plot axis (it is a function of the axes), the policy axis neither", () => {
    const input = {
      sweep: {
        sampling: { method: "grid" },
        metrics: ["jobs.violationRate"],
        axes: [
          { name: "devices", path: "/devices/0/count", values: [4, 8] },
          { name: "policies", path: "/policies", values: [["nearest-healthy"]] },
          { name: "slots", path: "/nodes/0/services/0/slots", values: [1], expression: "ceil(devices / 8)" },
          { name: "fps", path: "/devices/0/workloads/0/fps", values: [2, 5] },
        ],
      },
    } as unknown as SweepChartInput;
    expect(plotAxes(input).map((axis) => axis.name)).toEqual(["devices", "fps"]);
  });
});
