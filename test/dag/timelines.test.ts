import { describe, expect, it } from "vitest";
import { perStagePlacement } from "../../src/dag/placement.js";
import type { ApplicationSpec } from "../../src/dag/types.js";
import { type StationApplication, FakeNetwork, harness, uniformNetwork } from "./harness.js";

/**
 * Hand-worked timelines: constant service times, fixed transfers, every number below derived on
 * paper from the event order, not read from a run.
 */

const NODES = ["n0", "n1", "n2", "n3"];

/** a -> {b, c} -> d, one stage per node, 0 bytes: each transfer between places costs the network's 1 ms. */
const forkJoin: ApplicationSpec = {
  id: "fork-join",
  deadlineMs: 15,
  stages: [
    { id: "a", service: "A", hosts: [{ place: "n0", serviceTime: 2, slots: 1 }] },
    { id: "b", service: "B", hosts: [{ place: "n1", serviceTime: 5, slots: 1 }] },
    { id: "c", service: "C", hosts: [{ place: "n2", serviceTime: 3, slots: 1 }] },
    { id: "d", service: "D", hosts: [{ place: "n3", serviceTime: 1, slots: 1 }] },
  ],
  edges: [
    { from: "device", to: "a", bytes: 0 },
    { from: "a", to: "b", bytes: 0 },
    { from: "a", to: "c", bytes: 0 },
    { from: "b", to: "d", bytes: 0 },
    { from: "c", to: "d", bytes: 0 },
    { from: "d", to: "device", bytes: 0 },
  ],
};

describe("fork and join", () => {
  it("d starts when the later branch is in: one job, exact latency", () => {
    // a 1-3; b in at 4, 4-9; c in at 4, 4-7; c's bytes reach d at 8, b's at 10: d 10-11; back at 12.
    const h = harness(forkJoin, NODES, uniformNetwork(4, 1), perStagePlacement);
    h.runner.submit(0);
    h.sim.run();
    expect(h.records).toHaveLength(1);
    const [job] = h.records;
    expect(job.latencyMs).toBe(12);
    expect(job.waitMs).toEqual([0, 0, 0, 0]);
    expect(job.serviceMs).toEqual([2, 5, 3, 1]);
    expect(job.transferMs).toEqual([1, 1, 1, 1, 1, 1]);
    expect(job.places).toEqual([0, 1, 2, 3]);
  });

  it("a second job queues behind the first at each station (FIFO), and the join waits for its slower branch", () => {
    // Job 2 arrives at 0.5, reaches a at 1.5, a busy until 3: waits 1.5, runs 3-5.
    // b: in at 6, busy until 9: waits 3, runs 9-14. c: in at 6, busy until 7: waits 1, runs 7-10.
    // d: c's bytes at 11, b's at 15; d free since 11: no wait, runs 15-16; back at 17: latency 16.5.
    const h = harness(forkJoin, NODES, uniformNetwork(4, 1), perStagePlacement);
    h.runner.submit(0);
    h.sim.schedule(0.5, () => h.runner.submit(0));
    h.sim.run();
    expect(h.records.map((r) => r.latencyMs)).toEqual([12, 16.5]);
    expect(h.records[1].waitMs).toEqual([1.5, 3, 1, 0]);
    expect(h.records[1].endMs).toBe(17);
    const results = h.results.results(h.sim.now, h.runner.inFlightArrivalsMs());
    // Deadline 15: the first on time, the second late.
    expect(results.jobs.completed).toBe(2);
    expect(results.jobs.late).toBe(1);
    expect(results.jobs.violationRate).toBe(0.5);
    expect(results.stages.map((s) => s.wait.mean)).toEqual([0.75, 1.5, 0.5, 0]);
    expect(results.stages[0].places).toEqual([{ place: "n0", runs: 2, share: 1 }]);
    expect(results.edges[0]).toMatchObject({ from: "device", to: "a", bytes: 0 });
    expect(results.edges[0].transfer.mean).toBe(1);
  });

  it("jobs that arrived before the warm-up are not counted", () => {
    const h = harness(forkJoin, NODES, uniformNetwork(4, 1), perStagePlacement, 1, 0.25);
    h.runner.submit(0);
    h.sim.schedule(0.5, () => h.runner.submit(0));
    h.sim.run();
    const results = h.results.results(h.sim.now, h.runner.inFlightArrivalsMs());
    // Only the job at 0.5 (16.5 ms, late).
    expect(results.jobs).toMatchObject({ generated: 1, completed: 1, late: 1, violations: 1 });
    expect(results.latency.mean).toBe(16.5);
    expect(results.stages[1].wait.mean).toBe(3);
  });

  it("a job still in flight at the end is unfinished, and unfinished-late once its age passes the deadline", () => {
    const h = harness(forkJoin, NODES, uniformNetwork(4, 1), perStagePlacement);
    h.runner.submit(0);
    h.sim.run({ until: 5 });
    const early = h.results.results(5, h.runner.inFlightArrivalsMs());
    expect(early.jobs).toMatchObject({ generated: 1, completed: 0, unfinished: 1, unfinishedLate: 0 });
    expect(h.results.results(20, h.runner.inFlightArrivalsMs()).jobs.unfinishedLate).toBe(1);
  });
});

/** device -> a (n0) -> b (n1) -> device, bytes over one rate of 1,000 bytes/ms. */
const chain: StationApplication = {
  id: "chain",
  stages: [
    { id: "a", service: "A", hosts: [{ place: "n0", serviceTime: 1, slots: 1 }] },
    { id: "b", service: "B", hosts: [{ place: "n1", serviceTime: 2, slots: 1 }] },
  ],
  edges: [
    { from: "device", to: "a", bytes: 4000 },
    { from: "a", to: "b", bytes: 500 },
    { from: "b", to: "device", bytes: 20_000 },
  ],
};

describe("bytes along edges", () => {
  // device-n0 2 ms, n0-n1 5 ms, n1-device 10 ms; + bytes / 1000: 2 + 4 = 6, 5 + 0.5 = 5.5, 10 + 20 = 30.
  const latencies: [number, number, number][] = [
    [-1, 0, 2],
    [0, 1, 5],
    [-1, 1, 10],
  ];
  const expected = { transferMs: [6, 5.5, 30], latencyMs: 6 + 1 + 5.5 + 2 + 30 };

  it("each edge takes latency + bytes / rate, and the job their sum with the services", () => {
    const h = harness(chain, ["n0", "n1"], FakeNetwork.of(latencies, 1000), perStagePlacement);
    h.runner.submit(0);
    h.sim.run();
    expect(h.records[0]).toMatchObject(expected);
  });

  it("the same when the network delivers the transfers itself (NaN, then delivered(token))", () => {
    const h = harness(chain, ["n0", "n1"], FakeNetwork.of(latencies, 1000, true), perStagePlacement);
    h.runner.submit(0);
    h.sim.run();
    expect(h.records[0]).toMatchObject(expected);
  });

  it("stages on one place pass their bytes in memory: 0 ms, whatever the size", () => {
    const colocated: ApplicationSpec = { ...chain, stages: chain.stages.map((s) => ({ ...s, hosts: [{ ...s.hosts[0], place: "n0" }] })) };
    const h = harness(colocated, ["n0", "n1"], FakeNetwork.of([[-1, 0, 2]], 1000), perStagePlacement);
    h.runner.submit(0);
    h.sim.run();
    // In: 2 + 4; a-b in memory; back over device-n0: 2 + 20.
    expect(h.records[0]).toMatchObject({ transferMs: [6, 0, 22], latencyMs: 6 + 1 + 0 + 2 + 22 });
  });
});
