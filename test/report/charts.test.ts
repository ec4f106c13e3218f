import type { TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import type { ChartOutcome, DrawnChart } from "../../src/report/chart.js";
import { CHARTS } from "../../src/report/charts/index.js";
import { cdfPoints, latencyCdfChart } from "../../src/report/charts/latency-cdf.js";
import { latencyOverTimeChart, latencyPoints } from "../../src/report/charts/latency-over-time.js";
import { learningCurveChart, learningPoints } from "../../src/report/charts/learning-curve.js";
import { heatCells, networkHeatmapChart } from "../../src/report/charts/network-heatmap.js";
import { loadPoints, nodeLoadOverTimeChart } from "../../src/report/charts/node-load-over-time.js";
import { ALL_NODES, STAGE_ORDER, stageBars, stageBreakdownChart } from "../../src/report/charts/stage-breakdown.js";
import { violationBars, violationRateChart } from "../../src/report/charts/violation-rate.js";
import { compileChart, renderSvg } from "../../src/report/render.js";
import { OKABE_ITO } from "../../src/report/style.js";
import { fixture, frames, withFutureFields, withoutTimeSeriesAndNetwork } from "./fixtures.js";
import type { FrameRun } from "../../src/report/chart.js";

/** The frame charts of the one chart list (and the network matrix, which belongs to no family); the shared-link and mobility charts have their own tests (network-charts.test.ts). */
const FRAME_CHARTS = CHARTS.filter((chart) => chart.family !== "queries" && chart.section === undefined);

function drawn(outcome: ChartOutcome): DrawnChart {
  if (outcome.kind !== "chart") throw new Error(`expected a chart, got skipped: ${outcome.reason}`);
  return outcome;
}

/** Every `scale` with a `domain` and `range` on a `color` channel anywhere in a spec. */
function colourScales(spec: unknown): Array<{ domain: unknown; range: unknown }> {
  const found: Array<{ domain: unknown; range: unknown }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const record = node as Record<string, unknown>;
      const colour = record.color as { field?: string; scale?: { domain?: unknown; range?: unknown } } | undefined;
      if (colour?.field === "scheduler" && colour.scale?.range !== undefined) found.push({ domain: colour.scale.domain, range: colour.scale.range });
      Object.values(record).forEach(visit);
    }
  };
  visit(spec);
  return found;
}

describe("chart specs", () => {
  const results = fixture();
  const future = withFutureFields();

  it.each(FRAME_CHARTS.map((chart) => [chart.id, chart] as const))("%s compiles and renders without a vega-lite or vega warning (also with the later fields)", async (_id, chart) => {
    let drawnCount = 0;
    for (const input of [results, future]) {
      const outcome = chart.build(input);
      if (outcome.kind === "skipped") continue;
      drawnCount++;
      expect(compileChart(outcome.spec).warnings).toEqual([]);
      const rendered = await renderSvg(outcome.spec);
      expect(rendered.warnings).toEqual([]);
      expect(rendered.svg.length).toBeGreaterThan(2000);
    }
    // Every chart draws from at least one of the two inputs (the learning curve only from the later fields).
    expect(drawnCount).toBeGreaterThan(0);
  });

  it("latency CDF: one curve per scheduler, non-decreasing, from (min, 0) to (max, 1)", () => {
    const spec = drawn(latencyCdfChart(results)).spec;
    for (const run of results.runs) {
      const points = cdfPoints(run as FrameRun);
      expect(points[0]).toMatchObject({ p: 0, ms: frames(run).latency.total.min });
      expect(points[points.length - 1]).toMatchObject({ p: 1, ms: frames(run).latency.total.max });
      expect(points.map((p) => p.ms)).toEqual([...points.map((p) => p.ms)].sort((a, b) => a - b));
      expect(points.find((p) => p.p === 0.95)?.ms).toBe(frames(run).latency.total.p95);
    }
    // The deadline is drawn as a rule at the results' deadline.
    expect(JSON.stringify(spec)).toContain(`"ms":${results.qos.frameDeadlineMs}`);
  });

  it("latency CDF: log axis on request or chosen for a long tail; a finer recorded CDF is used and still ends at 1", () => {
    const linear = drawn(latencyCdfChart(results, { logX: false })).spec;
    const log = drawn(latencyCdfChart(results, { logX: true })).spec;
    expect(JSON.stringify(linear)).not.toContain('"type":"log"');
    expect(JSON.stringify(log)).toContain('"type":"log"');
    const fine = cdfPoints(future.runs[1] as FrameRun);
    expect(fine.map((p) => p.p)).toEqual([0.1, 0.5, 0.9, 1]);
    expect(fine[fine.length - 1].ms).toBe(frames(future.runs[1]).latency.total.max);
  });

  it("stage breakdown: the stacked stage means of every bar add up to its total mean", () => {
    const bars = stageBars(results);
    let checked = 0;
    for (const run of results.runs) {
      for (const [target, latency] of [[ALL_NODES, frames(run).latency] as const, ...run.nodes.flatMap((n) => (n.frames === null ? [] : [[n.id, n.frames.latency] as const]))]) {
        const mine = bars.filter((b) => b.scheduler === run.label && b.target === target);
        if (latency.total.count === 0) {
          expect(mine).toEqual([]);
          continue;
        }
        expect(mine.map((b) => b.stage)).toEqual(STAGE_ORDER.map((s) => s.label));
        const sum = mine.reduce((acc, b) => acc + b.ms, 0);
        expect(sum).toBeCloseTo(latency.total.mean ?? NaN, 6);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(results.runs.length * 2);
    expect(drawn(stageBreakdownChart(results)).spec).toMatchObject({ data: { values: bars } });
  });

  it("violation rate: one bar per scheduler with the rate of its frames", () => {
    expect(violationBars(results).map((b) => b.rate)).toEqual(results.runs.map((r) => frames(r).jobs.violationRate));
    drawn(violationRateChart(results));
  });

  it("network heatmap: one cell per device and node with the matrix value", () => {
    const network = results.network;
    const cells = heatCells(results);
    expect(cells).toHaveLength(network.devices.length * network.nodes.length);
    expect(cells.find((c) => c.device === network.devices[2] && c.node === network.nodes[1])?.ms).toBe(network.nominalLatencyMs[2][1]);
    drawn(networkHeatmapChart(results));
  });

  it("a large network (300 device groups x 12 nodes) draws without cell labels or warnings, sized to stay on a page", async () => {
    const big = fixture();
    const devices = Array.from({ length: 300 }, (_, i) => `group-${i}`);
    const nodes = Array.from({ length: 12 }, (_, j) => `node-${j}`);
    big.network = { devices, nodes, nominalLatencyMs: devices.map((_, i) => nodes.map((_, j) => 2 + ((i * 7 + j * 3) % 20))) };
    const chart = drawn(networkHeatmapChart(big));
    expect(JSON.stringify(chart.spec)).not.toContain('"type":"text"');
    const rendered = await renderSvg(chart.spec);
    expect(rendered.warnings).toEqual([]);
    const height = Number(/height="([\d.]+)"/.exec(rendered.svg)?.[1]);
    expect(height).toBeLessThan(700);
  });

  it("latency over time: p50 and p95 of every bin of the measurement window, none from the drain", () => {
    const points = latencyPoints(results);
    const run = results.runs[0];
    const series = frames(run).timeSeries;
    const inWindow = series.bins.filter((b) => b.startMs < results.window.durationMs);
    expect(inWindow.length).toBeLessThan(series.bins.length); // the fixture has drain bins to leave out
    const mine = points.filter((p) => p.scheduler === run.label);
    expect(mine).toHaveLength(2 * inWindow.length);
    expect(mine.filter((p) => p.quantile === "p95").map((p) => p.ms)).toEqual(inWindow.map((b) => b.latencyP95));
    const caption = drawn(latencyOverTimeChart(results)).caption;
    expect(caption).toContain("no migrations recorded");
    expect(caption).toContain("nothing is shaded");
  });

  it("latency over time marks migrations and shades faults when the results have them", () => {
    const chart = drawn(latencyOverTimeChart(future));
    const text = JSON.stringify(chart.spec);
    expect(text).toContain('"type":"rect"');
    expect(text).toContain('"type":"tick"');
    expect(text).toContain('"start":40');
    expect(chart.caption).toContain("migrations");
  });

  it("node load: utilisation and queue length of every node and bin, in the scenario's node order", () => {
    const points = loadPoints(results);
    const run = results.runs[1];
    const bins = frames(run).timeSeries.bins.filter((b) => b.startMs < results.window.durationMs) ?? [];
    const jetson = points.filter((p) => p.scheduler === run.label && p.node === results.scenario.nodes[1].id);
    expect(jetson.map((p) => p.utilisation)).toEqual(bins.map((b) => b.nodes[1].utilisation));
    expect(jetson.map((p) => p.queue)).toEqual(bins.map((b) => b.nodes[1].meanQueueLength));
    drawn(nodeLoadOverTimeChart(results));
  });

  it("learning curve: skipped without a learned scheduler; with one, its violation rate per bin", () => {
    const outcome = learningCurveChart(results);
    expect(outcome.kind).toBe("skipped");
    const points = learningPoints(future);
    expect(new Set(points.map((p) => p.scheduler))).toEqual(new Set([future.runs[0].label]));
    const bins = frames(future.runs[0]).timeSeries.bins.filter((b) => b.startMs < future.window.durationMs);
    expect(bins.length).toBeGreaterThan(10);
    expect(points.map((p) => p.rate)).toEqual(bins.map((b) => b.violationRate));
    drawn(learningCurveChart(future));
  });

  it("charts whose data is absent are skipped with a reason, never drawn empty", () => {
    const old = withoutTimeSeriesAndNetwork();
    const outcomes = Object.fromEntries(FRAME_CHARTS.map((c) => [c.id, c.build(old)]));
    for (const id of ["latency-over-time", "network-latency", "node-load", "learning-curve"]) {
      expect(outcomes[id].kind, id).toBe("skipped");
      if (outcomes[id].kind === "skipped") expect(outcomes[id].reason.length).toBeGreaterThan(10);
    }
    for (const id of ["latency-cdf", "stage-breakdown", "violation-rate"]) expect(outcomes[id].kind, id).toBe("chart");
    const idle = fixture();
    for (const run of idle.runs) {
      frames(run).jobs.violationRate = null;
      frames(run).latency.total = { ...frames(run).latency.total, count: 0, mean: null, min: null, p50: null, p95: null, p99: null, max: null };
    }
    expect(violationRateChart(idle).kind).toBe("skipped");
    expect(latencyCdfChart(idle).kind).toBe("skipped");
  });

  it("every chart colours a scheduler the same way: Okabe–Ito by the order of the runs", () => {
    const expected = new Map(future.runs.map((r, i) => [r.label, OKABE_ITO[i]]));
    let scales = 0;
    for (const chart of FRAME_CHARTS) {
      const outcome = chart.build(future);
      if (outcome.kind !== "chart") continue;
      for (const scale of colourScales(outcome.spec as TopLevelSpec)) {
        const domain = scale.domain as string[];
        const range = scale.range as string[];
        expect(domain.length, chart.id).toBeGreaterThan(0);
        domain.forEach((label, i) => {
          expect(range[i], `${chart.id}: ${label}`).toBe(expected.get(label));
        });
        scales++;
      }
    }
    expect(scales).toBeGreaterThanOrEqual(5);
  });
});
