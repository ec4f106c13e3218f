import { describe, expect, it } from "vitest";
import type { FrameNodeResults, FrameResults } from "../../src/metrics/results-schema.js";
import { defaultBinWidthMs } from "../../src/scenario/time-bins.js";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";

import { resolveScenario as __R } from "../../src/scenario/resolve.js";
import { simulate } from "../../src/run/simulate.js";

const resolveFrames = (doc: unknown) => __R(doc, {});

function run(binWidth?: string) {
  const scenario = resolveFrames({
    name: "series",
    seed: 3,
    duration: "60 s",
    warmup: "5 s",
    drain: "1 s",
    qosDeadline: "30 ms",
    devices: [{ id: "cam", count: 4, workload: { type: "arrivals", model: "m", interarrival: { dist: "exponential", mean: "10 ms" } } }],
    nodes: [
      { id: "a", slots: 2, queueCapacity: 5, inferenceTime: { dist: "exponential", mean: 4 } },
      { id: "b", inferenceTime: { dist: "exponential", mean: 3 } },
    ],
    network: { default: { latency: { dist: "uniform", low: 1, high: 3 } } },
    schedulers: ["random"],
    ...(binWidth === undefined ? {} : { metrics: { binWidth } }),
  });
  const records: TaskRecord[] = [];
  const results = simulate(scenario, { taskSink: () => (record) => records.push({ ...record }) });
  return { results, records };
}

describe("time series", () => {
  it("default bin width gives about 60 bins of 1, 2 or 5 x 10^k ms", () => {
    expect(defaultBinWidthMs(56_000)).toBe(500);
    expect(defaultBinWidthMs(3_600_000)).toBe(50_000);
    expect(defaultBinWidthMs(600_000)).toBe(10_000);
    const { results } = run();
    const series = (results.runs[0].frames as FrameResults).timeSeries;
    expect(series.binMs).toBe(500);
    // The series covers [warmup, duration) = [5 s, 60 s): the drain is not in it.
    expect(series.bins).toHaveLength(110);
    expect(series.bins[0].startMs).toBe(5000);
  });

  it("bins partition the measured requests by creation time and agree with the totals", () => {
    const { results, records } = run("1 s");
    const r = results.runs[0];
    const bins = (r.frames as FrameResults).timeSeries.bins;
    expect(bins).toHaveLength(55);
    expect(bins.reduce((s, b) => s + b.completed, 0)).toBe(r.jobs.completed);
    // A full queue refuses (results@2); no frame policy drops.
    expect(bins.reduce((s, b) => s + b.refused, 0)).toBe(r.jobs.refused);
    expect(r.jobs.refused).toBeGreaterThan(0);
    expect(bins.reduce((s, b) => s + b.dropped, 0)).toBe(0);
    expect(bins.reduce((s, b) => s + b.late, 0)).toBe(r.jobs.late);
    // Each bin's mean equals the mean of the records created in it.
    for (const [i, bin] of bins.entries()) {
      const inBin = records.filter((rec) => rec.createdAt >= bin.startMs && rec.createdAt < bin.startMs + 1000);
      expect(inBin.length).toBe(bin.completed);
      if (inBin.length > 0) {
        const mean = inBin.reduce((s, rec) => s + rec.total, 0) / inBin.length;
        expect(bin.latencyMean as number, `bin ${i}`).toBeCloseTo(mean, 9);
        const sorted = inBin.map((rec) => rec.total).sort((a, b) => a - b);
        const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1];
        expect(Math.abs((bin.latencyP95 as number) - p95) / p95).toBeLessThanOrEqual(results.quantiles.timeSeriesRelativeError);
      }
    }
    // Requests are created only before `duration`, where the last bin ends.
    expect(bins[bins.length - 1].startMs + 1000).toBe(60_000);
    expect(bins[bins.length - 1].completed).toBeGreaterThan(0);
  });

  it("node state per bin averages to the whole-window figures", () => {
    const { results } = run("2 s");
    const r = results.runs[0];
    const bins = (r.frames as FrameResults).timeSeries.bins;
    const windowMs = results.window.measuredMs;
    expect(windowMs).toBe(55_000);
    r.nodes.forEach((entry, n) => {
      const node = entry.frames as FrameNodeResults;
      // The last 2 s bin is cut at the window's end (60 s).
      const weighted = (key: "utilisation" | "meanQueueLength") => bins.reduce((s, b) => s + b.nodes[n][key] * (Math.min(b.startMs + 2000, 60_000) - b.startMs), 0) / windowMs;
      expect(weighted("utilisation")).toBeCloseTo(node.utilisation, 9);
      expect(weighted("meanQueueLength")).toBeCloseTo(node.meanQueueLength, 9);
      expect(node.utilisation).toBeGreaterThan(0.2);
    });
  });

  it("a bin width that would make too many bins is an input error", () => {
    expect(() => run("1 ms")).toThrow(/metrics.binWidth/);
  });
});
