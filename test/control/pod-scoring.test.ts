import { describe, expect, it } from "vitest";
import { fits, scoreNode, unschedulableReason } from "../../src/control/pod-scoring.js";
import type { ResourceRequests, Scoring } from "../../src/control/types.js";
import { controlOf, deploymentOf, GIB, nodeOf, orchestratorOf, scenarioOf } from "./control-plane-fixture.js";

// Three empty nodes, a pod asking 1 cpu and 2 GiB (kube-scheduler's formulas, notes section 2):
//   n1: 4 cpu, 8 GiB, 1 accelerator; n2: 8 cpu, 8 GiB; n3: 2 cpu, 4 GiB.
// least-allocated (cap - req) x 100 / cap, mean of cpu and memory:
//   n1 (75 + 75) / 2 = 75; n2 (87.5 + 75) / 2 = 81.25; n3 (50 + 50) / 2 = 50       -> n2
// most-allocated req x 100 / cap:
//   n1 (25 + 25) / 2 = 25; n2 (12.5 + 25) / 2 = 18.75; n3 (50 + 50) / 2 = 50       -> n3
// accelerator-aware: 50 if an accelerator is free, + least / 2:
//   n1 50 + 37.5 = 87.5; n2 40.625; n3 25                                          -> n1
const nodes = [nodeOf({ cpuCores: 4, memoryBytes: 8 * GIB, accelerators: 1 }), nodeOf({ cpuCores: 8, memoryBytes: 8 * GIB }), nodeOf({ cpuCores: 2, memoryBytes: 4 * GIB })];
const pod: ResourceRequests = { cpuCores: 1, memoryBytes: 2 * GIB, accelerators: 0 };

describe("pod scoring (hand-computed)", () => {
  it.each([
    ["least-allocated", [75, 81.25, 50]],
    ["most-allocated", [25, 18.75, 50]],
    ["accelerator-aware", [87.5, 40.625, 25]],
  ] as const)("%s scores", (scoring, expected) => {
    expect(nodes.map((n) => scoreNode(scoring, n, n, pod))).toEqual(expected);
  });

  it.each([
    ["least-allocated", "n2"],
    ["most-allocated", "n3"],
    ["accelerator-aware", "n1"],
  ] as const)("%s places the replica on %s", (scoring: Scoring, chosen) => {
    const s = scenarioOf(["n1", "n2", "n3"]);
    const control = controlOf({ nodes, deployments: [deploymentOf(0, 3, { scoring, requests: pod })] });
    const { sim, orchestrator, ready } = orchestratorOf(s, control);
    orchestrator.start();
    sim.run();
    expect(ready.map((r) => r.node)).toEqual([chosen]);
  });

  it("what is allocated already counts: least-allocated spreads, most-allocated packs", () => {
    // Two replicas of two deployments asking 1 cpu on two 4-cpu nodes (memory 0):
    // least: the second scores (4 - 1) / 4 on the empty node vs (4 - 2) / 4 -> the other node;
    // most: 2/4 on the used node vs 1/4 -> the same node. Memory requested 0 scores 100 / 0 on both.
    const s = scenarioOf(["a", "b"]);
    const req = { cpuCores: 1, memoryBytes: 0, accelerators: 0 };
    const place = (scoring: Scoring) => {
      const control = controlOf({ nodes: [nodeOf(), nodeOf()], deployments: [deploymentOf(0, 2, { scoring, requests: req }), deploymentOf(1, 2, { scoring, requests: req })] });
      const { sim, orchestrator, ready } = orchestratorOf(s, control);
      orchestrator.start();
      sim.run();
      return ready.map((r) => r.node);
    };
    expect(place("least-allocated")).toEqual(["a", "b"]);
    expect(place("most-allocated")).toEqual(["a", "a"]);
  });

  it("fit: every resource, the accelerator as a whole unit", () => {
    const free = { cpuCores: 1.5, memoryBytes: GIB, accelerators: 0 };
    expect(fits(free, { cpuCores: 1.5, memoryBytes: GIB, accelerators: 0 })).toBe(true);
    expect(fits(free, { cpuCores: 0.5, memoryBytes: GIB, accelerators: 1 })).toBe(false);
    expect(fits(free, { cpuCores: 2, memoryBytes: 0, accelerators: 0 })).toBe(false);
  });

  it("an unlimited memory (a node without profile) scores as an empty one", () => {
    const unlimited = nodeOf({ cpuCores: 1, memoryBytes: Infinity });
    expect(scoreNode("least-allocated", unlimited, unlimited, { cpuCores: 0.5, memoryBytes: GIB, accelerators: 0 })).toBe(75);
    expect(scoreNode("most-allocated", unlimited, unlimited, { cpuCores: 0.5, memoryBytes: GIB, accelerators: 0 })).toBe(25);
  });

  it("the reason names the first resource that fits nowhere and the node with most of it free", () => {
    const free = [
      { cpuCores: 4, memoryBytes: 0.5 * GIB, accelerators: 0 },
      { cpuCores: 4, memoryBytes: 0.9 * GIB, accelerators: 0 },
    ];
    const ids = ["pi-1", "pi-2"];
    const req = { cpuCores: 1, memoryBytes: 1.5 * GIB, accelerators: 0 };
    expect(
      unschedulableReason(
        req,
        [0, 1],
        (n) => free[n],
        (n) => ids[n],
      ),
    ).toBe("needs 1.5 GiB memory; most free: 921.6 MiB memory on pi-2");
    expect(
      unschedulableReason(
        { ...req, memoryBytes: 0, accelerators: 1 },
        [0, 1],
        (n) => free[n],
        (n) => ids[n],
      ),
    ).toBe("needs 1 accelerator; most free: 0 accelerators on pi-1");
    expect(
      unschedulableReason(
        req,
        [],
        (n) => free[n],
        (n) => ids[n],
      ),
    ).toMatch(/no candidate node is up/);
  });
});
