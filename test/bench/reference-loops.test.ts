import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { BatchMeans, erlangC, mmcMeanWait, Streams, streamSeed } from "../../bench/reference/common.mjs";
import { checkEdgeOffload, EDGE_OFFLOAD, runEdgeOffload } from "../../bench/reference/edge-offload.mjs";
import { checkMm1, MM1, runMm1 } from "../../bench/reference/mm1.mjs";
import { BENCH_MODELS } from "../../src/bench/models.js";
import { RandomStreams } from "../../src/engine/rng.js";
import { simulate } from "../../src/run/simulate.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

/**
 * The hand-written reference loops of `npm run bench -- --vs-reference` (bench/reference/): their
 * theory checks pass at the benchmark's parameters and fail when the loop runs a wrong one, and
 * they do the simulator's work (same streams, same draws, same answers).
 */

/** A benchmark model's scenario document, run for another duration. */
function benchScenario(name: string, duration: number | string) {
  const model = BENCH_MODELS.find((m) => m.name === name);
  if (model === undefined || "file" in model.scenario) throw new Error(`no inline bench model ${name}`);
  const doc: ScenarioInput = { ...model.scenario, duration };
  return resolveScenario(doc, {}, name);
}

describe("the reference loops' generator", () => {
  it("draws what continuum-sim's stream of the same name draws", () => {
    const reference = new Streams(7, 2, (i) => (i === 0 ? "device/cam-3/arrivals" : "node/edge-0/service"));
    const simulator = new RandomStreams(7);
    for (const [index, name] of [
      [0, "device/cam-3/arrivals"],
      [1, "node/edge-0/service"],
    ] as const) {
      const expected = simulator.stream(name);
      for (let k = 0; k < 5; k++) expect(reference.uniform(index)).toBe(expected());
    }
  });

  it("seeds and steps as seedrandom's Alea does (the package is the oracle), for names of any length", () => {
    const names = ["x", "device/device-999/arrivals", "link/device-123/edge-9/down", "é/ünïcode/名前"];
    const reference = new Streams("master", names.length, (i) => names[i]);
    names.forEach((name, index) => {
      const alea = seedrandom.alea(streamSeed("master", name));
      for (let k = 0; k < 20; k++) expect(reference.uniform(index)).toBe(alea());
    });
  });

  it("Erlang C: rho for one server, 2 rho^2 / (1 + rho) for two, and the textbook sum for twenty", () => {
    expect(erlangC(1, 0.9)).toBeCloseTo(0.9, 12);
    expect(erlangC(2, 1.6)).toBeCloseTo((2 * 0.8 ** 2) / 1.8, 12);
    // Kleinrock eq. 3.40 written out: (a^c / c!) / (1 - rho) over sum_{k<c} a^k / k! + that term.
    const a = 16;
    const c = 20;
    let term = 1;
    let below = 0;
    for (let k = 0; k < c; k++) {
      below += term;
      term *= a / (k + 1);
    }
    const top = term / (1 - a / c);
    expect(erlangC(c, a)).toBeCloseTo(top / (below + top), 12);
    expect(mmcMeanWait(0.9, 1, 1)).toBeCloseTo(9, 12);
    expect(mmcMeanWait(2, 1, 2)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("batch means", () => {
  it("gives the standard error of the batch means, worked by hand", () => {
    // 32 batches of 2 values whose batch b has mean b: the batch means 0..31 have variance
    // 32 x 33 / 12 = 88 (n - 1 divisor), so SE = sqrt(88 / 32).
    const batches = new BatchMeans(64, 32);
    for (let b = 0; b < 32; b++) {
      batches.add(b - 1);
      batches.add(b + 1);
    }
    const summary = batches.summary();
    expect(summary.count).toBe(64);
    expect(summary.mean).toBeCloseTo(15.5, 12);
    expect(summary.se).toBeCloseTo(Math.sqrt(88 / 32), 12);
  });

  it("puts values beyond the expected count in the last batch", () => {
    const batches = new BatchMeans(4, 2);
    for (const value of [1, 1, 3, 3, 3, 3]) batches.add(value);
    // Batch means 1 and 3 about the mean of all six values, 7/3: deviations -4/3 and 2/3, so
    // SE = sqrt((16/9 + 4/9) / 1 / 2) = sqrt(10) / 3.
    const summary = batches.summary();
    expect(summary.mean).toBeCloseTo(7 / 3, 12);
    expect(summary.se).toBeCloseTo(Math.sqrt(10) / 3, 12);
  });
});

describe("mm1 reference", () => {
  it("meets rho / (mu - lambda) = 9 ms within 3 batch-means SE at the benchmark's parameters", () => {
    const result = runMm1(MM1);
    expect(result.requests).toBeGreaterThan(990_000);
    const checks = checkMm1(result, MM1);
    expect(checks.every((c) => c.ok)).toBe(true);
    // The SE is honest, not inflated until anything passes: about 2% of the mean at this length.
    expect(result.waitSeMs).toBeGreaterThan(0.05);
    expect(result.waitSeMs).toBeLessThan(0.5);
  });

  it("fails its check when the loop runs a service 5% slower or arrivals 5% sparser", () => {
    expect(checkMm1(runMm1({ ...MM1, mu: 1 / 1.05 }), MM1).every((c) => c.ok)).toBe(false);
    expect(checkMm1(runMm1({ ...MM1, lambda: 0.855 }), MM1).every((c) => c.ok)).toBe(false);
  });

  it("gives continuum-sim's mean wait and mean sojourn for the same scenario (100,000 requests)", () => {
    const n = 100_000;
    const results = simulate(benchScenario("mm1", n / MM1.lambda));
    const latency = results.runs[0].frames?.latency;
    const reference = runMm1({ ...MM1, n });
    expect(results.runs[0].jobs.generated).toBe(reference.requests);
    expect(reference.meanWaitMs).toBeCloseTo(latency?.queueing.mean as number, 9);
    expect(reference.meanSojournMs).toBeCloseTo(latency?.total.mean as number, 9);
  });
});

describe("edge-offload reference", () => {
  const short = { ...EDGE_OFFLOAD, durationMs: 20_000 };

  it("passes every check at the benchmark's parameters (60 s, 600,000 requests)", () => {
    const result = runEdgeOffload(EDGE_OFFLOAD);
    const failed = checkEdgeOffload(result, EDGE_OFFLOAD).filter((c) => !c.ok);
    expect(failed).toEqual([]);
    // Least-loaded lies strictly inside the bounds, well away from both.
    expect(result.meanWaitMs).toBeGreaterThan(mmcMeanWait(10, 1 / 1.6, 20) * 2);
    expect(result.meanWaitMs).toBeLessThan(mmcMeanWait(1, 1 / 1.6, 2) * 0.9);
  });

  it("detects a node with one slot too many (utilisation) or one too few (unstable: the wait bound)", () => {
    const more = checkEdgeOffload(runEdgeOffload({ ...short, slots: 3 }), short);
    expect(more.find((c) => c.name === "utilisation = offered load")?.ok).toBe(false);
    const fewer = checkEdgeOffload(runEdgeOffload({ ...short, slots: 1 }), short);
    expect(fewer.find((c) => c.name.startsWith("M/M/20 pooled"))?.ok).toBe(false);
    expect(fewer.find((c) => c.name === "utilisation = offered load")?.ok).toBe(false);
  });

  it("detects a network twice as slow, and a tenth of the devices", () => {
    const slow = checkEdgeOffload(runEdgeOffload({ ...short, linkMeanMs: 20 }), short);
    expect(slow.filter((c) => !c.ok).map((c) => c.name)).toEqual(["mean uplink = 10 ms", "mean downlink = 10 ms"]);
    const few = checkEdgeOffload(runEdgeOffload({ ...short, devices: 100 }), short);
    expect(few.find((c) => c.name.startsWith("requests"))?.ok).toBe(false);
  });

  it("gives continuum-sim's stage means for the same scenario (10 s)", () => {
    const durationMs = 10_000;
    const run = simulate(benchScenario("edge-offload", durationMs)).runs[0];
    const latency = run.frames?.latency;
    if (latency === undefined) throw new Error("no frame latency");
    const reference = runEdgeOffload({ ...EDGE_OFFLOAD, durationMs });
    expect(run.jobs.generated).toBe(reference.requests);
    expect(run.jobs.completed).toBe(reference.delivered);
    expect(reference.uplink.mean).toBeCloseTo(latency.networkUp.mean as number, 9);
    expect(reference.meanWaitMs).toBeCloseTo(latency.queueing.mean as number, 9);
    expect(reference.service.mean).toBeCloseTo(latency.inference.mean as number, 9);
    expect(reference.downlink.mean).toBeCloseTo(latency.networkDown.mean as number, 9);
    expect(reference.meanTotalMs).toBeCloseTo(latency.total.mean as number, 9);
  });
});
