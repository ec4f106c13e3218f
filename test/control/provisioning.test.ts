import { describe, expect, it } from "vitest";
import { UP } from "../../src/network/network.js";
import { controlOf, deploymentOf, nodeOf, orchestratorOf, scenarioOf } from "./control-plane-fixture.js";

// Every case is worked by hand: pulls at a node's pull rate share it equally (fluid), layers
// already cached or being pulled are not pulled again, then container start, then model load.

describe("provisioning: pull, then container start, then model load", () => {
  it("two layers share the node's 1000 bytes/ms, then start 5 ms, load 7 ms", () => {
    // Layers of 10,000 and 20,000 bytes pulled at once, 500 bytes/ms each: the first done at 20 ms,
    // the second's 10,000 left alone at 1000 bytes/ms: 30 ms. Start 30 -> 35, load 35 -> 42.
    const s = scenarioOf(["edge"]);
    const control = controlOf({
      nodes: [nodeOf()],
      layers: [
        { digest: "base", bytes: 10_000 },
        { digest: "runtime", bytes: 20_000 },
      ],
      images: [{ id: "img", layers: [0, 1] }],
      deployments: [deploymentOf(0, 1, { startMs: 5, loadMsAll: 7 })],
    });
    const { sim, orchestrator, ready } = orchestratorOf(s, control);
    orchestrator.start();
    sim.run();
    expect(ready).toEqual([{ atMs: 42, deployment: 0, node: "edge" }]);
    const [record] = orchestrator.results(0).provisioning;
    expect(record).toMatchObject({ reason: "initial", requestedAtMs: 0, scheduledAtMs: 0, pullEndMs: 30, startEndMs: 35, readyAtMs: 42 });
    expect(record).toMatchObject({ bytesPulled: 30_000, layersPulled: 2, layersCached: 0 });
  });

  it("a layer two images share is pulled once on a node; the second replica waits for it", () => {
    // base (10,000), a (5,000), b (5,000) share 1000 bytes/ms: a and b done at 15 ms (333.3 each),
    // base has 5,000 left, alone: 20 ms. Both replicas ready at 20 ms (start and load 0).
    const s = scenarioOf(["edge"]);
    const control = controlOf({
      nodes: [nodeOf()],
      layers: [
        { digest: "base", bytes: 10_000 },
        { digest: "a", bytes: 5_000 },
        { digest: "b", bytes: 5_000 },
      ],
      images: [
        { id: "A", layers: [0, 1] },
        { id: "B", layers: [0, 2] },
      ],
      deployments: [deploymentOf(0, 1, { image: 0 }), deploymentOf(1, 1, { image: 1 })],
    });
    const { sim, orchestrator, ready, provisioner } = orchestratorOf(s, control);
    orchestrator.start();
    sim.run();
    expect(ready.map((r) => r.atMs)).toEqual([20, 20]);
    expect(orchestrator.results(0).provisioning[0]).toMatchObject({ bytesPulled: 15_000, layersPulled: 2, layersCached: 0, pullEndMs: 20 });
    expect(orchestrator.results(1).provisioning[0]).toMatchObject({ bytesPulled: 5_000, layersPulled: 1, layersCached: 0, pullEndMs: 20 });
    expect(provisioner.bytesAtPullRate).toBe(20_000);
  });

  it("a cached layer is not pulled: only start and load", () => {
    const s = scenarioOf(["edge"]);
    const control = controlOf({ nodes: [nodeOf({ cachedLayers: [0] })], deployments: [deploymentOf(0, 1, { startMs: 1000, loadMsAll: 2000 })] });
    const { sim, orchestrator, ready } = orchestratorOf(s, control);
    orchestrator.start();
    sim.run();
    expect(ready.map((r) => r.atMs)).toEqual([3000]);
    expect(orchestrator.results(0).provisioning[0]).toMatchObject({ bytesPulled: 0, layersPulled: 0, layersCached: 1, pullEndMs: 0 });
  });

  it("an empty layer is pulled in no time", () => {
    const s = scenarioOf(["edge"]);
    const control = controlOf({ nodes: [nodeOf()], layers: [{ digest: "empty", bytes: 0 }], deployments: [deploymentOf(0, 1, { startMs: 5 })] });
    const { sim, orchestrator, ready } = orchestratorOf(s, control);
    orchestrator.start();
    sim.run();
    expect(ready.map((r) => r.atMs)).toEqual([5]);
    expect(orchestrator.results(0).provisioning[0]).toMatchObject({ layersPulled: 1, bytesPulled: 0, pullEndMs: 0 });
  });

  // Replica A needs three 3,000-byte layers, replica B one 1,000-byte layer, both asked for at 0.
  // Limit 3: A's three share 1000 bytes/ms (333.3 each), done at 9 ms; B's then alone: 10 ms.
  // Limit 4: all four share (250 each): B's done at 4 ms; A's have 2,000 left each at 4 ms, then
  // 333.3 each: 10 ms.
  const limitCase = (maxConcurrentPulls: number) => {
    const s = scenarioOf(["edge"]);
    const control = controlOf({
      nodes: [nodeOf()],
      maxConcurrentPulls,
      layers: [
        { digest: "a1", bytes: 3_000 },
        { digest: "a2", bytes: 3_000 },
        { digest: "a3", bytes: 3_000 },
        { digest: "b", bytes: 1_000 },
      ],
      images: [
        { id: "A", layers: [0, 1, 2] },
        { id: "B", layers: [3] },
      ],
      deployments: [deploymentOf(0, 1, { image: 0 }), deploymentOf(1, 1, { image: 1 })],
    });
    const { sim, orchestrator, ready } = orchestratorOf(s, control);
    orchestrator.start();
    sim.run();
    return ready.map((r) => [r.deployment, r.atMs]);
  };

  it("maxConcurrentPulls 3: the fourth layer waits for a slot", () => {
    const times = limitCase(3);
    expect(times[0][0]).toBe(0);
    expect(times[0][1]).toBeCloseTo(9, 9);
    expect(times[1][0]).toBe(1);
    expect(times[1][1]).toBeCloseTo(10, 9);
  });

  it("maxConcurrentPulls 4: all four at once", () => {
    const times = limitCase(4);
    expect(times[0][0]).toBe(1);
    expect(times[0][1]).toBeCloseTo(4, 9);
    expect(times[1][1]).toBeCloseTo(10, 9);
  });
});

describe("a pull from the registry over the network graph", () => {
  // cam -> router; cloud (the registry) -> router -> edge; router--edge 8 Mbit/s = 1000 bytes/ms each way, 1 ms per link.
  const s = scenarioOf(["cloud", "edge"], {
    topology: "graph",
    vertices: [{ id: "router", kind: "router" }],
    links: [
      { between: ["cam", "router"], latency: "1 ms" },
      { between: ["cloud", "router"], latency: "1 ms" },
      { between: ["router", "edge"], latency: "1 ms", capacity: "8 Mbit/s" },
    ],
  });
  const control = controlOf({
    nodes: [nodeOf(), nodeOf()],
    registryNode: 0,
    pullBytesPerMs: 1,
    layers: [{ digest: "base", bytes: 4_000 }],
    deployments: [deploymentOf(0, 2, { candidates: [1] })],
  });

  it("alone: 2 ms of latency, then 4,000 bytes at 1000 bytes/ms", () => {
    const { sim, orchestrator, ready, provisioner } = orchestratorOf(s, control);
    orchestrator.start();
    sim.run();
    expect(ready[0].atMs).toBeCloseTo(6, 9);
    expect(provisioner.bytesOverGraph).toBe(4_000);
    expect(provisioner.bytesAtPullRate).toBe(0);
  });

  it("shares the limited link with a frame upload to the same node, max-min fair", () => {
    // Both flow from 2 ms at 500 bytes/ms: the layer (4,000) done at 10 ms; the frame (6,000) has 2,000 left, alone: 12 ms.
    const { sim, network, orchestrator, ready } = orchestratorOf(s, control);
    let frameAt = Number.NaN;
    const kind = network.registerDelivery(() => (frameAt = sim.now));
    expect(network.transfer(0, 1, UP, 6_000, kind, 0)).toBeNaN();
    orchestrator.start();
    sim.run();
    expect(ready[0].atMs).toBeCloseTo(10, 9);
    expect(frameAt).toBeCloseTo(12, 9);
  });

  it("the registry node itself has every layer", () => {
    const onRegistry = { ...control, deployments: [deploymentOf(0, 2, { candidates: [0], startMs: 3 })] };
    const { sim, orchestrator, ready } = orchestratorOf(s, onRegistry);
    orchestrator.start();
    sim.run();
    expect(ready[0].atMs).toBe(3);
    expect(orchestrator.results(0).provisioning[0]).toMatchObject({ layersCached: 1, bytesPulled: 0 });
  });
});
