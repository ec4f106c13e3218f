import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { SimulationError } from "../../src/errors.js";
import { defineApplication } from "../../src/dag/application.js";
import { type DagJobRecord, DagRunner } from "../../src/dag/dag-runner.js";
import { stationStages } from "../../src/dag/station-stages.js";
import { Stations } from "../../src/dag/stations.js";
import { perStagePlacement } from "../../src/dag/placement.js";
import type { ApplicationSpec } from "../../src/dag/types.js";
import { compileDistribution } from "../../src/random/distributions.js";
import { batchMeans } from "../batch-means.js";
import { deviceName, harness, uniformNetwork } from "./harness.js";

/** Stations: c servers, FIFO, shared by the stages of one service on one place, one per device for stages on the device. */

describe("stations, hand-worked", () => {
  it("two slots serve two jobs at once; the third waits for the first free one", () => {
    const app: ApplicationSpec = {
      id: "two-slots",
      stages: [{ id: "a", service: "A", hosts: [{ place: "n0", serviceTime: 4, slots: 2 }] }],
      edges: [
        { from: "device", to: "a", bytes: 0 },
        { from: "a", to: "device", bytes: 0 },
      ],
    };
    const h = harness(app, ["n0"], uniformNetwork(1, 0), perStagePlacement);
    h.runner.submit(0);
    h.sim.schedule(1, () => h.runner.submit(0));
    h.sim.schedule(2, () => h.runner.submit(0));
    h.sim.run();
    // Jobs at 0 and 1 start at once (0-4, 1-5); the job at 2 takes the slot freed at 4: waits 2, ends at 8.
    expect(h.records.map((r) => [r.job, r.waitMs[0], r.endMs])).toEqual([
      [0, 0, 4],
      [1, 0, 5],
      [2, 2, 8],
    ]);
  });

  it("40 jobs in flight at once (past the runner's first slots, which it grows): each keeps its own times", () => {
    // One slot of 1 ms on n0, 1 ms each way: job i (all submitted at 0) is in at 1, waits i, is served in
    // [1 + i, 2 + i] and is back at 3 + i.
    const app: ApplicationSpec = {
      id: "crowd",
      stages: [{ id: "a", service: "A", hosts: [{ place: "n0", serviceTime: 1, slots: 1 }] }],
      edges: [
        { from: "device", to: "a", bytes: 0 },
        { from: "a", to: "device", bytes: 0 },
      ],
    };
    const h = harness(app, ["n0"], uniformNetwork(1, 1), perStagePlacement);
    const jobs = 40;
    for (let i = 0; i < jobs; i++) h.runner.submit(i % 3);
    expect(h.runner.inFlight).toBe(jobs);
    expect(h.runner.inFlightArrivalsMs()).toEqual(new Array(jobs).fill(0));
    h.sim.run({ until: 22.5 });
    // Jobs 0..19 are back by 22 (job 19 at 3 + 19); 20 remain.
    expect(h.runner.inFlight).toBe(20);
    h.sim.run();
    expect(h.runner.inFlight).toBe(0);
    expect(h.records.map((r) => [r.job, r.device, r.waitMs[0], r.serviceMs[0], r.attempts[0], r.transferMs, r.endMs])).toEqual(
      Array.from({ length: jobs }, (_, i) => [i, i % 3, i, 1, 1, [1, 1], 3 + i]),
    );
  });

  it("two stages of one service on one place share its station, first come first served", () => {
    // a and c are both service S on n0 (1 slot, 3 ms); b is T on n1 (1 ms); transfers 1 ms between places.
    const app: ApplicationSpec = {
      id: "shared",
      stages: [
        { id: "a", service: "S", hosts: [{ place: "n0", serviceTime: 3, slots: 1 }] },
        { id: "b", service: "T", hosts: [{ place: "n1", serviceTime: 1, slots: 1 }] },
        { id: "c", service: "S", hosts: [{ place: "n0", serviceTime: 3, slots: 1 }] },
      ],
      edges: [
        { from: "device", to: "a", bytes: 0 },
        { from: "a", to: "b", bytes: 0 },
        { from: "b", to: "c", bytes: 0 },
        { from: "c", to: "device", bytes: 0 },
      ],
    };
    const h = harness(app, ["n0", "n1"], uniformNetwork(2, 1), perStagePlacement);
    h.runner.submit(0);
    h.sim.schedule(3, () => h.runner.submit(0));
    h.sim.run();
    // Job 0: a 1-4, b 5-6, c in at 7. Job 1: in at 4, a 4-7 (no wait). Job 0's c arrives at 7 as job 1's a ends: the
    // server goes to nobody else queued, c takes it at 7 (wait 0), 7-10, back at 11. Job 1: b 8-9, c in at 10: 10-13, back 14.
    expect(h.records.map((r) => [r.job, r.endMs])).toEqual([
      [0, 11],
      [1, 14],
    ]);
    // With job 1 one ms later (at 4): its a is in at 5, waits for nobody (job 0's a ended at 4); runs 5-8. Job 0's c in at 7
    // finds S busy with job 1's a: waits 1, runs 8-11, back 12.
    const later = harness(app, ["n0", "n1"], uniformNetwork(2, 1), perStagePlacement);
    later.runner.submit(0);
    later.sim.schedule(4, () => later.runner.submit(0));
    later.sim.run();
    const job0 = later.records.find((r) => r.job === 0);
    expect(job0?.waitMs).toEqual([0, 0, 1]);
    expect(job0?.endMs).toBe(12);
  });

  it("a stage on the device runs on each job's own device: two devices do not queue behind each other", () => {
    const app: ApplicationSpec = {
      id: "on-device",
      stages: [{ id: "a", service: "A", hosts: [{ place: "device", serviceTime: 5, slots: 1 }] }],
      edges: [
        { from: "device", to: "a", bytes: 1e6 },
        { from: "a", to: "device", bytes: 1e6 },
      ],
    };
    const h = harness(app, [], uniformNetwork(0, 0), perStagePlacement);
    h.runner.submit(0);
    h.runner.submit(1);
    h.runner.submit(0);
    h.sim.run();
    // No transfer (the bytes never leave the device); device 0's second job waits 5 ms behind its first.
    expect(h.records.map((r) => [r.device, r.waitMs[0], r.latencyMs, r.transferMs])).toEqual([
      [0, 0, 5, [0, 0]],
      [1, 0, 5, [0, 0]],
      [0, 5, 10, [0, 0]],
    ]);
  });
});

/** Erlang C: the probability that an arrival waits at an M/M/c queue with offered load a = lambda / mu. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = ((term * a) / c) * (c / (c - a));
  return last / (sum + last);
}

describe("a two-slot station is an M/M/2 queue", () => {
  it("mean wait C(2, a) / (c mu - lambda), within 3 batch-means standard errors", () => {
    const lambda = 1.5;
    const mu = 1;
    const app: ApplicationSpec = {
      id: "mm2",
      stages: [{ id: "a", service: "A", hosts: [{ place: "n0", serviceTime: { dist: "exponential", mean: 1 / mu }, slots: 2 }] }],
      edges: [
        { from: "device", to: "a", bytes: 0 },
        { from: "a", to: "device", bytes: 0 },
      ],
    };
    const h = harness(app, ["n0"], uniformNetwork(1, 0), perStagePlacement, 3);
    const gap = compileDistribution({ dist: "exponential", mean: 1 / lambda }, "interarrival").bind(new RandomStreams(3).stream("arrivals"));
    let submitted = 0;
    const arrive = (): void => {
      h.runner.submit(0);
      if (++submitted < 200_000) h.sim.schedule(gap(), arrive);
    };
    h.sim.schedule(gap(), arrive);
    h.sim.run();
    const expected = erlangC(2, lambda / mu) / (2 * mu - lambda); // C(2, 1.5) = 0.643: 1.286 ms
    const { mean, se } = batchMeans(
      h.records.slice(2_000).map((r) => r.waitMs[0]),
      25,
    );
    expect(se).toBeLessThan(0.03 * expected);
    expect(Math.abs(mean - expected)).toBeLessThan(3 * se);
  });
});

describe("stations shared by two applications", () => {
  it("two applications' stages of one service on one place queue at one station, and must agree on its slots", () => {
    const sim = new Simulator();
    const streams = new RandomStreams(1);
    const stations = new Stations(sim);
    const one = (id: string, slots: number): ApplicationSpec => ({
      id,
      stages: [{ id: "a", service: "S", hosts: [{ place: "n0", serviceTime: 4, slots }] }],
      edges: [
        { from: "device", to: "a", bytes: 0 },
        { from: "a", to: "device", bytes: 0 },
      ],
    });
    const ends: number[] = [];
    const observer = { submitted: () => {}, completed: (r: DagJobRecord) => ends.push(r.endMs) };
    const network = uniformNetwork(1, 0);
    const first = new DagRunner(sim, defineApplication(one("x", 1), ["n0"], streams), { station: stationStages(stations, streams, deviceName) }, network, perStagePlacement, observer);
    const second = new DagRunner(sim, defineApplication(one("y", 1), ["n0"], streams), { station: stationStages(stations, streams, deviceName) }, network, perStagePlacement, observer);
    first.submit(0);
    second.submit(0);
    sim.run();
    // One slot for both: 0-4, then 4-8.
    expect(ends).toEqual([4, 8]);
    const third = new DagRunner(sim, defineApplication(one("z", 2), ["n0"], streams), { station: stationStages(stations, streams, deviceName) }, network, perStagePlacement, observer);
    expect(() => third.submit(0)).toThrow(SimulationError);
  });
});
