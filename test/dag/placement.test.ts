import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { defineApplication } from "../../src/dag/application.js";
import { expectedLatencyMs, perStagePlacement, type PlacementEstimates, wholeGraphPlacement } from "../../src/dag/placement.js";
import { type ApplicationSpec, ON_DEVICE } from "../../src/dag/types.js";
import { type StationApplication, FakeNetwork, harness } from "./harness.js";

/**
 * A case where looking one stage ahead misleads, worked by hand. Places: the device, an edge node
 * E (1 ms from the device) and a cloud C (20 ms from the device and from E); 0 bytes.
 * Stage a: 10 ms on E, 1 ms on C. Stage b: 50 ms on E, 5 ms on C. device -> a -> b -> device.
 *
 * Per stage: a on E finishes at 1 + 10 = 11, on C at 20 + 1 = 21: E. Then b on E at 11 + 50 = 61,
 * on C at 11 + 20 + 5 = 36: C. Back to the device: 36 + 20 = 56 ms.
 * Whole graph, the four assignments: (E, E) 1 + 10 + 50 + 1 = 62; (E, C) 56; (C, C) 20 + 1 + 5 +
 * 20 = 46; (C, E) 20 + 1 + 20 + 50 + 1 = 92. Best: (C, C), 46 ms, 10 ms below per stage.
 */
const E = 0;
const C = 1;
const NODES = ["edge", "cloud"];
const app: StationApplication = {
  id: "lookahead",
  stages: [
    {
      id: "a",
      service: "A",
      hosts: [
        { place: "edge", serviceTime: 10, slots: 1 },
        { place: "cloud", serviceTime: 1, slots: 1 },
      ],
    },
    {
      id: "b",
      service: "B",
      hosts: [
        { place: "edge", serviceTime: 50, slots: 1 },
        { place: "cloud", serviceTime: 5, slots: 1 },
      ],
    },
  ],
  edges: [
    { from: "device", to: "a", bytes: 0 },
    { from: "a", to: "b", bytes: 0 },
    { from: "b", to: "device", bytes: 0 },
  ],
};
const network = (): FakeNetwork =>
  FakeNetwork.of([
    [ON_DEVICE, E, 1],
    [ON_DEVICE, C, 20],
    [E, C, 20],
  ]);

function idleEstimates(net: FakeNetwork): PlacementEstimates {
  return { transferMs: (from, to, bytes) => (from === to ? 0 : net.expectedTransferMs(0, from, to, bytes)), waitMs: () => 0 };
}

describe("placement policies", () => {
  const dag = defineApplication(app, NODES, new RandomStreams(1));
  const estimates = idleEstimates(network());
  const hostsAt = (places: number[]): Int32Array => Int32Array.from(places, (place, s) => dag.stages[s].hosts.findIndex((h) => h.place === place));

  it("expected end-to-end latency of each assignment, as worked by hand", () => {
    expect(expectedLatencyMs(dag, hostsAt([E, E]), estimates)).toBe(62);
    expect(expectedLatencyMs(dag, hostsAt([E, C]), estimates)).toBe(56);
    expect(expectedLatencyMs(dag, hostsAt([C, C]), estimates)).toBe(46);
    expect(expectedLatencyMs(dag, hostsAt([C, E]), estimates)).toBe(92);
  });

  it("per stage chooses (E, C); whole graph chooses (C, C)", () => {
    expect(Array.from(perStagePlacement(dag, estimates))).toEqual(Array.from(hostsAt([E, C])));
    expect(Array.from(wholeGraphPlacement()(dag, estimates))).toEqual(Array.from(hostsAt([C, C])));
  });

  it("beyond the exhaustive bound, the local search from per stage reaches (C, C) here: moving a to C lowers 56 to 46", () => {
    expect(Array.from(wholeGraphPlacement(1)(dag, estimates))).toEqual(Array.from(hostsAt([C, C])));
  });

  for (const [name, policy, latency, places] of [
    ["per stage", perStagePlacement, 56, [E, C]],
    ["whole graph", wholeGraphPlacement(), 46, [C, C]],
  ] as const) {
    it(`${name}: a job run through its placement takes the expected ${latency} ms`, () => {
      const h = harness(app, NODES, network(), policy);
      h.runner.submit(0);
      h.sim.run();
      expect(h.records[0].places).toEqual(places);
      expect(h.records[0].latencyMs).toBe(latency);
    });
  }

  it("ties go to the earlier place: the device before nodes, nodes in their order, whatever order the hosts were written in", () => {
    const twins: StationApplication = {
      id: "twins",
      stages: [
        {
          id: "a",
          service: "A",
          hosts: [
            { place: "n1", serviceTime: 3, slots: 1 },
            { place: "n0", serviceTime: 3, slots: 1 },
            { place: "device", serviceTime: 3, slots: 1 },
          ],
        },
      ],
      edges: [
        { from: "device", to: "a", bytes: 0 },
        { from: "a", to: "device", bytes: 0 },
      ],
    };
    const noDelay = FakeNetwork.of([
      [ON_DEVICE, 0, 0],
      [ON_DEVICE, 1, 0],
      [0, 1, 0],
    ]);
    for (const policy of [perStagePlacement, wholeGraphPlacement(), wholeGraphPlacement(0)]) {
      const h = harness(twins, ["n0", "n1"], noDelay, policy);
      h.runner.submit(0);
      h.sim.run();
      expect(h.records[0].places).toEqual([ON_DEVICE]);
    }
    const nodesOnly: ApplicationSpec = { ...twins, stages: [{ ...twins.stages[0], hosts: twins.stages[0].hosts.slice(0, 2) }] };
    const h = harness(nodesOnly, ["n0", "n1"], noDelay, wholeGraphPlacement());
    h.runner.submit(0);
    h.sim.run();
    expect(h.records[0].places).toEqual([0]);
  });

  for (const [edgeMs, secondJobOn] of [
    [10, E],
    [12, C],
  ] as const) {
    it(`the wait estimate counts visits on their way: a on E taking ${edgeMs} ms, the second job's a goes to ${secondJobOn === E ? "E" : "C"}`, () => {
      // Both jobs at 0. Job 1's a goes to E (1 + edgeMs against 21) and is on its way there. Job 2 counts it ahead of it on
      // E's one slot: a wait of edgeMs, so E finishes at 1 + 2 * edgeMs against C's 20 + 1 = 21. At 10 ms, 21 = 21: the tie
      // keeps E; at 12 ms, 25 > 21: C.
      const stages = [{ ...app.stages[0], hosts: [{ place: "edge", serviceTime: edgeMs, slots: 1 }, app.stages[0].hosts[1]] }, app.stages[1]];
      const h = harness({ ...app, stages }, NODES, network(), perStagePlacement);
      h.runner.submit(0);
      h.runner.submit(0);
      h.sim.run();
      const byJob = [...h.records].sort((a, b) => a.job - b.job);
      expect(byJob.map((r) => r.places[0])).toEqual([E, secondJobOn]);
      const shares = h.results.results(h.sim.now, []).stages[0].places;
      expect(shares).toEqual(
        secondJobOn === E
          ? [{ place: "edge", runs: 2, share: 1 }]
          : [
              { place: "edge", runs: 1, share: 0.5 },
              { place: "cloud", runs: 1, share: 0.5 },
            ],
      );
    });
  }
});

describe("whole graph against an independent enumeration, on random graphs", () => {
  /** A random layered DAG of `stages` stages on the device and `nodes` nodes, each stage on 1-3 random places. */
  function randomApp(seed: number, stages: number, nodes: number): { spec: ApplicationSpec; net: FakeNetwork } {
    const u = new RandomStreams(seed).stream("graph");
    const pick = (n: number): number => Math.floor(u() * n);
    const names = ["device", ...Array.from({ length: nodes }, (_, i) => `n${i}`)];
    const specStages = Array.from({ length: stages }, (_, i) => {
      const places = [...new Set(Array.from({ length: 1 + pick(3) }, () => names[pick(names.length)]))];
      return { id: `s${i}`, service: `S${i}`, hosts: places.map((place) => ({ place, serviceTime: 1 + pick(20), slots: 1 })) };
    });
    const edges = [{ from: "device", to: "s0", bytes: pick(5000) }];
    for (let i = 1; i < stages; i++) {
      // One or two predecessors among the earlier stages: forks and joins, acyclic by construction.
      const preds = [...new Set([pick(i), pick(i)])];
      for (const p of preds) edges.push({ from: `s${p}`, to: `s${i}`, bytes: pick(5000) });
    }
    const hasOutput = new Set(edges.map((e) => e.from));
    for (let i = 0; i < stages; i++) if (!hasOutput.has(`s${i}`)) edges.push({ from: `s${i}`, to: "device", bytes: pick(5000) });
    const pairs: [number, number, number][] = [];
    for (let a = ON_DEVICE; a < nodes; a++) for (let b = a + 1; b < nodes; b++) pairs.push([a, b, pick(30)]);
    return { spec: { id: `random-${seed}`, stages: specStages, edges }, net: FakeNetwork.of(pairs, 100) };
  }

  /** Every assignment by recursion over stage indices (not the policy's odometer over the topological order): the minimum expected latency. */
  function bruteForceMinimum(dag: ReturnType<typeof defineApplication>, estimates: PlacementEstimates): number {
    const hosts = new Int32Array(dag.stages.length);
    const visit = (s: number): number => {
      if (s === dag.stages.length) return expectedLatencyMs(dag, hosts, estimates);
      let best = Infinity;
      for (let h = 0; h < dag.stages[s].hosts.length; h++) {
        hosts[s] = h;
        best = Math.min(best, visit(s + 1));
      }
      return best;
    };
    return visit(0);
  }

  it("exhaustive reaches the minimum; per stage and the local search never beat it, the local search never loses to per stage but can stop short", () => {
    let perStageWorse = 0;
    let localWorse = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { spec, net } = randomApp(seed, 5, 3);
      const dag = defineApplication(spec, ["n0", "n1", "n2"], new RandomStreams(1));
      const estimates = idleEstimates(net);
      const minimum = bruteForceMinimum(dag, estimates);
      const whole = expectedLatencyMs(dag, wholeGraphPlacement()(dag, estimates), estimates);
      const local = expectedLatencyMs(dag, wholeGraphPlacement(1)(dag, estimates), estimates);
      const greedy = expectedLatencyMs(dag, perStagePlacement(dag, estimates), estimates);
      expect(whole).toBe(minimum);
      expect(local).toBeGreaterThanOrEqual(minimum);
      expect(local).toBeLessThanOrEqual(greedy);
      if (greedy > minimum) perStageWorse++;
      if (local > minimum) localWorse++;
    }
    // The case is not trivial: per stage misses the optimum on some graphs (8 of the 40).
    expect(perStageWorse).toBeGreaterThan(0);
    // And the local search is no exhaustive search: it stops short of the optimum on some (2 of the 40), fewer than per stage.
    expect(localWorse).toBeGreaterThan(0);
    expect(localWorse).toBeLessThan(perStageWorse);
  });
});
