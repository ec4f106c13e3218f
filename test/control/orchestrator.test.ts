import { describe, expect, it } from "vitest";
import { NODE_LOSS_EVICTION_MS } from "../../src/control/orchestrator.js";
import { controlOf, deploymentOf, GIB, nodeOf, orchestratorOf, scenarioOf } from "./control-plane-fixture.js";

describe("memory: a replica that fits nowhere is pending, and placed when resources free", () => {
  // pi-1 has 2 GiB, pi-2 1 GiB. "big" (1.5 GiB, on pi-1) is placed at 0; "other" (1.5 GiB, pi-1 or
  // pi-2) fits nowhere: pi-1 has 0.5 GiB left, pi-2 1 GiB. At 100 ms "big" scales to 0: "other"
  // lands on pi-1 at 100, where the image is cached since big's pull (0 -> 10 ms): ready at 100 (start, load 0).
  const s = scenarioOf(["pi-1", "pi-2"]);
  const memory = (gib: number) => ({ cpuCores: 0, memoryBytes: gib * GIB, accelerators: 0 });
  const control = controlOf({
    nodes: [nodeOf({ memoryBytes: 2 * GIB }), nodeOf({ memoryBytes: GIB })],
    deployments: [deploymentOf(0, 2, { id: "big", candidates: [0], requests: memory(1.5), minReplicas: 0 }), deploymentOf(1, 2, { id: "other", requests: memory(1.5) })],
  });

  it("pending with the scheduler's reason, placed when the other replica is removed", () => {
    const { sim, orchestrator, ready } = orchestratorOf(s, control);
    orchestrator.start();
    sim.schedule(100, () => orchestrator.setDesired(0, 0, "scale-up"));
    sim.run();
    expect(ready).toEqual([
      { atMs: 10, deployment: 0, node: "pi-1" },
      { atMs: 100, deployment: 1, node: "pi-1" },
    ]);
    const other = orchestrator.results(1);
    expect(other.pending).toEqual([{ deployment: "other", atMs: 0, untilMs: 100, reason: "needs 1.5 GiB memory; most free: 1.0 GiB memory on pi-2" }]);
    expect(other.provisioning[0]).toMatchObject({ node: "pi-1", reason: "initial", requestedAtMs: 0, scheduledAtMs: 100, readyAtMs: 100, layersCached: 1, bytesPulled: 0 });
    expect(other.replicas).toEqual([
      { atMs: 0, desired: 1, ready: 0, pending: 1 },
      { atMs: 100, desired: 1, ready: 1, pending: 0 },
    ]);
    expect(orchestrator.results(0).replicas.map((r) => [r.atMs, r.desired, r.ready])).toEqual([
      [0, 1, 0],
      [10, 1, 1],
      [100, 0, 0],
    ]);
  });

  it("still pending at the end: untilMs null", () => {
    const { sim, orchestrator } = orchestratorOf(s, control);
    orchestrator.start();
    sim.run();
    expect(orchestrator.results(1).pending[0].untilMs).toBeNull();
  });
});

describe("scale-down ranking: pending, then not ready, then the newest ready", () => {
  // Three nodes, no pull (cached), load 0 except where said: ready order a, b; c still loading when scaled down.
  const s = scenarioOf(["a", "b", "c"]);
  const nodes = [nodeOf({ cachedLayers: [0] }), nodeOf({ cachedLayers: [0] }), nodeOf({ cachedLayers: [0] })];

  it("a replica still provisioning is cancelled first, then the one ready last", () => {
    const deployment = deploymentOf(0, 3, { replicas: 3, loadMs: Float64Array.from([10, 5, 100]) });
    const { sim, orchestrator, ready, stopped } = orchestratorOf(s, controlOf({ nodes, deployments: [deployment] }));
    orchestrator.start();
    sim.schedule(50, () => orchestrator.setDesired(0, 2, "scale-up"));
    sim.schedule(60, () => orchestrator.setDesired(0, 1, "scale-up"));
    sim.run();
    // b ready at 5, a at 10; c cancelled at 50 (never ready); at 60 the newest ready (a) drains.
    expect(ready.map((r) => [r.atMs, r.node])).toEqual([
      [5, "b"],
      [10, "a"],
    ]);
    expect(stopped).toEqual([{ atMs: 60, node: "a", cause: "scale-down" }]);
    expect(orchestrator.results(0).provisioning.find((r) => r.node === "c")?.readyAtMs).toBeNull();
  });
});

describe("node crash: lost, restarted in place if back in time, else evicted and recreated", () => {
  // a, b; one replica, start 1 s, load 2 s, image cached on both: provisioning takes 3,000 ms.
  const s = scenarioOf(["a", "b"]);
  const control = controlOf({
    nodes: [nodeOf({ cachedLayers: [0] }), nodeOf({ cachedLayers: [0] })],
    deployments: [deploymentOf(0, 2, { readyAtStart: true, startMs: 1000, loadMsAll: 2000 })],
  });

  it("down at 10 s, up at 20 s: the replica restarts on a at 23 s", () => {
    const { sim, orchestrator, ready, stopped } = orchestratorOf(s, control);
    orchestrator.start();
    sim.schedule(10_000, () => orchestrator.nodeDown(0));
    sim.schedule(20_000, () => orchestrator.nodeUp(0));
    sim.run();
    expect(ready.map((r) => [r.atMs, r.node])).toEqual([
      [0, "a"],
      [23_000, "a"],
    ]);
    expect(stopped).toEqual([{ atMs: 10_000, node: "a", cause: "lost" }]);
    expect(orchestrator.results(0).provisioning[1]).toMatchObject({ reason: "restart", requestedAtMs: 20_000, layersCached: 1 });
  });

  it("down for good: evicted after 340 s and recreated on b 3 s later", () => {
    expect(NODE_LOSS_EVICTION_MS).toBe(340_000);
    const { sim, orchestrator, ready, stopped } = orchestratorOf(s, control);
    orchestrator.start();
    sim.schedule(10_000, () => orchestrator.nodeDown(0));
    sim.run();
    expect(ready.map((r) => [r.atMs, r.node])).toEqual([
      [0, "a"],
      [353_000, "b"],
    ]);
    expect(stopped.map((x) => [x.atMs, x.cause])).toEqual([
      [10_000, "lost"],
      [350_000, "evicted"],
    ]);
    expect(orchestrator.results(0).provisioning[1]).toMatchObject({ node: "b", reason: "restart", requestedAtMs: 350_000 });
  });

  it("a node that crashed, left and joined is placed on only once it has recovered", () => {
    // One replica, candidates a and b, 3 s to provision (image cached). a crashes at 10 s
    // and leaves at 20 s (its replica goes to b at once: 3 s), b leaves at 30 s (pending), a joins at 40 s
    // still crashed (nothing placed), recovers at 50 s: the replica lands on a, ready at 53 s.
    const { sim, orchestrator, ready } = orchestratorOf(s, control);
    orchestrator.start();
    sim.schedule(10_000, () => orchestrator.nodeDown(0));
    sim.schedule(20_000, () => orchestrator.leave(0));
    sim.schedule(30_000, () => orchestrator.leave(1));
    sim.schedule(40_000, () => orchestrator.join(0));
    sim.schedule(50_000, () => orchestrator.nodeUp(0));
    sim.run();
    expect(ready.map((r) => [r.atMs, r.node])).toEqual([
      [0, "a"],
      [23_000, "b"],
      [53_000, "a"],
    ]);
    expect(orchestrator.results(0).pending).toMatchObject([{ atMs: 30_000, untilMs: 50_000 }]);
  });
});
