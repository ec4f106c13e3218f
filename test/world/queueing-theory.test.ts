import { describe, expect, it } from "vitest";
import type { FrameNodeResults, FrameResults } from "../../src/metrics/results-schema.js";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";

import { resolveScenario as resolveDocument } from "../../src/scenario/resolve.js";
import { simulate } from "../../src/run/simulate.js";
import { batchMeans } from "../batch-means.js";

const resolveScenario = (doc: unknown) => resolveDocument(doc, {});

/**
 * The engine against queueing theory. A scenario with one Poisson source, zero network latency
 * and exponential service is an M/M/c queue; its mean waiting time is known in closed form.
 * Tolerances come from batch means: the completed requests are cut into consecutive batches
 * whose means are nearly independent, so their spread gives the standard error of the overall
 * mean despite the strong autocorrelation of waiting times at high load. Each check allows
 * 4 standard errors (the issue asks for at least 3); at load 0.8 a million tasks pin the mean
 * only to about 2%.
 */
function queueScenario(arrivalRatePerMs: number, slots: number, requests: number) {
  const durationMs = requests / arrivalRatePerMs;
  return resolveScenario({
    name: `mm${slots}`,
    seed: 2024,
    duration: durationMs,
    warmup: 2000,
    drain: 0,
    qosDeadline: "1 s",
    devices: [{ id: "source", workload: { type: "arrivals", model: "job", interarrival: { dist: "exponential", rate: arrivalRatePerMs } } }],
    nodes: [{ id: "server", slots, inferenceTime: { dist: "exponential", mean: 1 } }],
    schedulers: ["nearest-healthy"],
  });
}

interface BatchMeans {
  mean: number;
  standardError: number;
  batches: number;
}

function runWithBatches(arrivalRatePerMs: number, slots: number, requests: number, batches = 25) {
  const scenario = queueScenario(arrivalRatePerMs, slots, requests);
  const waits: number[] = [];
  const results = simulate(scenario, { taskSink: () => (record: TaskRecord) => waits.push(record.queueing) });
  const { mean, se } = batchMeans(waits, batches);
  const stats: BatchMeans = { mean, standardError: se, batches };
  return { results, stats, completed: waits.length };
}

/** Erlang C: probability that an arrival waits in an M/M/c queue with offered load a = lambda/mu. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = (term * a) / c / (1 - a / c);
  return top / (sum + top);
}

describe("queueing theory", () => {
  it("M/M/1 at load 0.8: mean wait 4.0 service times, utilisation 0.8, Little's law", () => {
    const { results, stats, completed } = runWithBatches(0.8, 1, 1_250_000);
    expect(completed).toBeGreaterThanOrEqual(1_000_000);
    const theory = 0.8 / (1 - 0.8);
    expect(Math.abs(stats.mean - theory)).toBeLessThan(4 * stats.standardError);
    // The standard error must be small enough for the check to mean something.
    expect(stats.standardError).toBeLessThan(0.15);
    const run = results.runs[0].frames as FrameResults;
    const node = results.runs[0].nodes[0].frames as FrameNodeResults;
    expect(run.latency.queueing.mean as number).toBeCloseTo(stats.mean, 1);
    expect(Math.abs(node.utilisation - 0.8)).toBeLessThan(0.01);
    // Little's law on the same sample path: time-average queue length = throughput x mean wait.
    const throughputPerMs = run.throughput / 1000;
    const littleL = throughputPerMs * (run.latency.queueing.mean as number);
    expect(Math.abs(node.meanQueueLength - littleL) / littleL).toBeLessThan(0.01);
    // Mean service time is the exponential mean.
    expect(Math.abs((run.latency.inference.mean as number) - 1)).toBeLessThan(0.01);
  });

  it("M/M/4 at arrival rate 2.8: mean wait matches Erlang C, Little's law holds", () => {
    const { results, stats } = runWithBatches(2.8, 4, 1_400_000);
    const theory = erlangC(4, 2.8) / (4 * 1 - 2.8);
    // Hand check: C(4, 2.8) = 0.42865, so Wq = 0.42865 / 1.2 = 0.35721.
    expect(theory).toBeCloseTo(0.35721, 4);
    expect(Math.abs(stats.mean - theory)).toBeLessThan(4 * stats.standardError);
    expect(stats.standardError).toBeLessThan(0.02);
    const run = results.runs[0].frames as FrameResults;
    const node = results.runs[0].nodes[0].frames as FrameNodeResults;
    expect(Math.abs(node.utilisation - 0.7)).toBeLessThan(0.01);
    const littleL = (run.throughput / 1000) * (run.latency.queueing.mean as number);
    expect(Math.abs(node.meanQueueLength - littleL) / littleL).toBeLessThan(0.01);
    // Little's law for the servers: mean busy slots = throughput x mean service time.
    const busyL = (run.throughput / 1000) * (run.latency.inference.mean as number);
    expect(Math.abs(node.meanBusySlots - busyL) / busyL).toBeLessThan(0.01);
  });
});

describe("the measurement window with a drain", () => {
  it("M/D/1 at load 0.5 with a 100 s drain: throughput lambda and utilisation 0.5, not diluted by the drain", () => {
    // Poisson arrivals at 0.5 per ms, 1 ms of service: rho = 0.5. Arrivals stop at 200 s; the
    // 100 s drain only lets the last requests finish. Over the window [2 s, 200 s) the number of
    // arrivals is Poisson(lambda T), so the throughput's standard error is sqrt(lambda T) / T and
    // the utilisation's (1 ms each) the same in units of the window.
    const lambdaPerMs = 0.5;
    const scenario = resolveScenario({
      name: "md1-drain",
      seed: 7,
      duration: "200 s",
      warmup: "2 s",
      drain: "100 s",
      qosDeadline: "1 s",
      devices: [{ id: "source", workload: { type: "arrivals", model: "job", interarrival: { dist: "exponential", rate: lambdaPerMs } } }],
      nodes: [{ id: "server", slots: 1, inferenceTime: 1 }],
      schedulers: ["nearest-healthy"],
    });
    const results = simulate(scenario);
    const windowMs = 198_000;
    expect(results.window.measuredMs).toBe(windowMs);
    const run = results.runs[0];
    const frames = run.frames as FrameResults;
    const node = run.nodes[0].frames as FrameNodeResults;
    const standardError = Math.sqrt(lambdaPerMs * windowMs) / windowMs;
    expect(standardError * 1000).toBeLessThan(2);
    expect(Math.abs(frames.throughput / 1000 - lambdaPerMs)).toBeLessThan(4 * standardError);
    expect(Math.abs(node.utilisation - 0.5)).toBeLessThan(4 * standardError);
    expect(Math.abs(node.meanBusySlots - 0.5)).toBeLessThan(4 * standardError);
    expect(Math.abs(run.nodes[0].utilisation - 0.5)).toBeLessThan(4 * standardError);
    // Every request created in the window completed (the drain is long enough) and counts once.
    expect(frames.jobs.completed).toBe(frames.jobs.generated);
    expect(frames.jobs.unfinished).toBe(0);
    // Little's law on the window: mean queue length = throughput x mean wait (M/D/1: Wq = 0.5 ms).
    const littleL = (frames.throughput / 1000) * (frames.latency.queueing.mean as number);
    expect(Math.abs(node.meanQueueLength - littleL) / littleL).toBeLessThan(0.02);
    // The time series covers [warmup, duration) only: no bin in the drain.
    const bins = frames.timeSeries.bins;
    expect(bins[0].startMs).toBe(2000);
    expect(bins[bins.length - 1].startMs + frames.timeSeries.binMs).toBe(200_000);
  });
});
