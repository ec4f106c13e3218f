import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { perStagePlacement, wholeGraphPlacement } from "../../src/dag/placement.js";
import type { ApplicationSpec } from "../../src/dag/types.js";
import { compileDistribution } from "../../src/random/distributions.js";
import { batchMeans } from "../batch-means.js";
import { FakeNetwork, harness, uniformNetwork } from "./harness.js";

/**
 * Three M/M/1 stages in series on three nodes, Poisson arrivals, a zero-latency network: a tandem
 * Jackson network. Burke's theorem makes each stage's departures Poisson at the arrival rate, so
 * each stage is an M/M/1 queue on its own: mean sojourn 1/(mu_i - lambda), mean wait
 * rho_i/(mu_i - lambda), and the end-to-end mean their sum. Tolerance: 3 standard errors of 25
 * batch means over the jobs in order of completion (at rho 0.6 the batches of 12,000 jobs are
 * nearly independent).
 */

const LAMBDA = 0.6; // jobs per ms
const MU = [1, 1.25, 2]; // per ms: rho 0.6, 0.48, 0.3
const JOBS = 300_000;
const WARMUP_JOBS = 2_000;

const tandem: ApplicationSpec = {
  id: "tandem",
  stages: MU.map((mu, i) => ({
    id: `s${i}`,
    service: `svc${i}`,
    hosts: [{ place: `n${i}`, serviceTime: { dist: "exponential", mean: 1 / mu }, slots: 1 }],
  })),
  edges: [
    { from: "device", to: "s0", bytes: 0 },
    { from: "s0", to: "s1", bytes: 0 },
    { from: "s1", to: "s2", bytes: 0 },
    { from: "s2", to: "device", bytes: 0 },
  ],
};

/** Poisson arrivals of `jobs` jobs on device 0, from their own stream. */
function runTandem(seed: number, jobs: number) {
  const h = harness(tandem, ["n0", "n1", "n2"], uniformNetwork(3, 0), perStagePlacement, seed);
  const gap = compileDistribution({ dist: "exponential", mean: 1 / LAMBDA }, "interarrival").bind(new RandomStreams(seed).stream("arrivals"));
  let submitted = 0;
  const arrive = (): void => {
    h.runner.submit(0);
    if (++submitted < jobs) h.sim.schedule(gap(), arrive);
  };
  h.sim.schedule(gap(), arrive);
  h.sim.run();
  return h;
}

describe("stages in series are a Jackson tandem", () => {
  const h = runTandem(17, JOBS);
  const measured = h.records.slice(WARMUP_JOBS);

  it("every job completes", () => {
    expect(h.records).toHaveLength(JOBS);
  });

  it("end-to-end mean sojourn = sum 1/(mu_i - lambda)", () => {
    const expected = MU.reduce((sum, mu) => sum + 1 / (mu - LAMBDA), 0); // 2.5 + 1.538 + 0.714 = 4.753 ms
    const { mean, se } = batchMeans(
      measured.map((r) => r.latencyMs),
      25,
    );
    expect(se).toBeLessThan(0.02 * expected);
    expect(Math.abs(mean - expected)).toBeLessThan(3 * se);
  });

  for (let i = 0; i < MU.length; i++) {
    it(`stage ${i}: mean wait rho/(mu - lambda) and mean sojourn 1/(mu - lambda)`, () => {
      const mu = MU[i];
      const wait = batchMeans(
        measured.map((r) => r.waitMs[i]),
        25,
      );
      const sojourn = batchMeans(
        measured.map((r) => r.waitMs[i] + r.serviceMs[i]),
        25,
      );
      expect(Math.abs(wait.mean - LAMBDA / mu / (mu - LAMBDA))).toBeLessThan(3 * wait.se);
      expect(Math.abs(sojourn.mean - 1 / (mu - LAMBDA))).toBeLessThan(3 * sojourn.se);
    });
  }

  it("the network added nothing: every transfer 0 ms", () => {
    expect(measured.every((r) => r.transferMs.every((ms) => ms === 0))).toBe(true);
  });
});

describe("determinism", () => {
  it("the same seed gives identical records; another seed does not", () => {
    const a = runTandem(5, 2_000).records;
    const b = runTandem(5, 2_000).records;
    const c = runTandem(6, 2_000).records;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("with a choice of places, random service and two devices, whole-graph placement reading the queues: the same seed, the same records", () => {
    const spec: ApplicationSpec = {
      id: "choices",
      stages: [
        { id: "a", service: "A", hosts: ["device", "edge", "cloud"].map((place, i) => ({ place, serviceTime: { dist: "exponential", mean: 6 - 2 * i }, slots: 1 })) },
        { id: "b", service: "B", hosts: ["edge", "cloud"].map((place, i) => ({ place, serviceTime: { dist: "exponential", mean: 5 - 3 * i }, slots: 2 })) },
        { id: "c", service: "C", hosts: [{ place: "edge", serviceTime: { dist: "lognormal", mean: 2, cv: 0.5 }, slots: 1 }] },
      ],
      edges: [
        { from: "device", to: "a", bytes: 2000 },
        { from: "a", to: "b", bytes: 500 },
        { from: "a", to: "c", bytes: 500 },
        { from: "b", to: "device", bytes: 100 },
        { from: "c", to: "device", bytes: 100 },
      ],
    };
    const run = (seed: number) => {
      const network = FakeNetwork.of(
        [
          [-1, 0, 1],
          [-1, 1, 15],
          [0, 1, 10],
        ],
        1000,
      );
      const h = harness(spec, ["edge", "cloud"], network, wholeGraphPlacement(), seed);
      const gap = compileDistribution({ dist: "exponential", mean: 2 }, "interarrival").bind(new RandomStreams(seed).stream("arrivals"));
      let submitted = 0;
      const arrive = (): void => {
        h.runner.submit(submitted % 2);
        if (++submitted < 3_000) h.sim.schedule(gap(), arrive);
      };
      h.sim.schedule(0, arrive);
      h.sim.run();
      return h.records;
    };
    const a = run(9);
    expect(new Set(a.map((r) => r.places.join())).size).toBeGreaterThan(1);
    expect(run(9)).toEqual(a);
    expect(run(10)).not.toEqual(a);
  });
});
