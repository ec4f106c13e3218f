import { describe, expect, it } from "vitest";
import { hpaSpec } from "./hpa-spec.js";
import { controlOf, controlPlaneOf, deploymentOf, nodeOf, scenarioOf } from "./control-plane-fixture.js";

describe("accepting: unmanaged services from time 0, managed ones while a replica is ready", () => {
  it("a node no deployment names takes jobs at once and is in the catalog; a managed one after its provisioning", () => {
    // a managed (pull 10,000 bytes at 1000 bytes/ms + start 1 s + load 2 s = 3,010 ms), b not.
    const s = scenarioOf(["a", "b"]);
    const control = controlOf({ nodes: [nodeOf(), nodeOf()], deployments: [deploymentOf(0, 2, { candidates: [0], startMs: 1000, loadMsAll: 2000 })] });
    const { sim, plane, host, catalog } = controlPlaneOf(s, control);
    expect([...plane.accepting.frames]).toEqual([0, 1]);
    plane.start();
    expect(catalog.listed.has("1 frames")).toBe(true);
    sim.run({ until: 3009 });
    expect(plane.accepting.frames[0]).toBe(0);
    sim.run({ until: 3010 });
    expect(plane.accepting.frames[0]).toBe(1);
    expect(host.log).toEqual(["3010 started 0 frames"]);
    expect(catalog.listed.has("0 frames")).toBe(true);
  });
});

describe("the node timeline: leave, restart elsewhere, join", () => {
  // a, b, c; 2 replicas ready at start on a and b (ties to the first listed). Provisioning on a node
  // without the image: pull 10 ms + start 1,000 + load 2,000 = 3,010 ms; with it cached: 3,000 ms.
  // 60 s: a leaves -> its replica on c at 63,010. 90 s: c leaves -> no node free (a gone, b has one):
  // pending. 120 s: a joins -> the pending replica lands on a (reason "join"), image cached there
  // from the start: ready at 123,000, a's joinToServingMs 3,000.
  const s = scenarioOf(["a", "b", "c"]);
  const control = controlOf({
    nodes: [nodeOf(), nodeOf(), nodeOf()],
    deployments: [deploymentOf(0, 3, { replicas: 2, readyAtStart: true, startMs: 1000, loadMsAll: 2000 })],
    timeline: [
      { atMs: 60_000, node: 0, kind: "leave" },
      { atMs: 90_000, node: 2, kind: "leave" },
      { atMs: 120_000, node: 0, kind: "join" },
    ],
  });

  it("replicas reappear a provisioning time later; a joining node serves after joinToServingMs", () => {
    const { sim, plane, host, catalog } = controlPlaneOf(s, control);
    plane.start();
    sim.run({ until: 200_000 });
    plane.finish(200_000);
    const results = plane.results();
    const d = results.deployments[0];
    expect(d.provisioning.map((r) => [r.node, r.reason, r.requestedAtMs, r.scheduledAtMs, r.readyAtMs])).toEqual([
      ["a", "initial", 0, 0, 0],
      ["b", "initial", 0, 0, 0],
      ["c", "restart", 60_000, 60_000, 63_010],
      ["a", "join", 90_000, 120_000, 123_000],
    ]);
    expect(d.pending).toEqual([{ deployment: "d0", atMs: 90_000, untilMs: 120_000, reason: "no candidate node is up, present and without a replica of this deployment" }]);
    expect(results.membership).toEqual([
      { node: "a", joinedAtMs: [120_000], leftAtMs: [60_000], joinToServingMs: [3000] },
      { node: "c", joinedAtMs: [], leftAtMs: [90_000], joinToServingMs: [] },
    ]);
    expect(host.log).toEqual(["0 started 0 frames", "0 started 1 frames", "60000 left 0", "63010 started 2 frames", "90000 left 2", "120000 joined 0", "123000 started 0 frames"]);
    expect(d.replicas).toEqual([
      { atMs: 0, desired: 2, ready: 2, pending: 0 },
      { atMs: 60_000, desired: 2, ready: 1, pending: 0 },
      { atMs: 63_010, desired: 2, ready: 2, pending: 0 },
      { atMs: 90_000, desired: 2, ready: 1, pending: 1 },
      { atMs: 120_000, desired: 2, ready: 1, pending: 0 },
      { atMs: 123_000, desired: 2, ready: 2, pending: 0 },
      { atMs: 200_000, desired: 2, ready: 2, pending: 0 },
    ]);
    // Registered: a, b at 0, c, a again; deregistered: a and c as they left.
    expect([catalog.registrations, catalog.deregistrations]).toEqual([4, 2]);
  });

  it("a node absent at start is not told to leave; at its join it is told and receives a replica", () => {
    const absent = controlOf({
      nodes: [nodeOf({ presentAtStart: false }), nodeOf()],
      deployments: [deploymentOf(0, 2, { replicas: 2, startMs: 1000 })],
      timeline: [{ atMs: 5_000, node: 0, kind: "join" }],
    });
    const { sim, plane, host } = controlPlaneOf(scenarioOf(["a", "b"]), absent);
    plane.start();
    sim.run({ until: 10_000 });
    // b: 10 ms pull + 1 s start; a joins at 5 s: 5,000 + 1,010.
    expect(host.log).toEqual(["1010 started 1 frames", "5000 joined 0", "6010 started 0 frames"]);
    expect(plane.results().membership[0].joinToServingMs).toEqual([1010]);
    expect(plane.results().deployments[0].provisioning.map((r) => r.reason)).toEqual(["initial", "join"]);
  });
});

describe("scale to zero through the facade: the activator holds jobs until a replica is ready", () => {
  // One node, minReplicas 0, no replica at start. A job at 5 s is held, the deployment asked for
  // 1 replica: pull 10 ms + start 1 s + load 2 s -> ready at 8,010. A second job at 6 s waits too.
  // Both released at 8,010, in arrival order: waits 3,010 and 2,010.
  const s = scenarioOf(["a"]);
  const control = controlOf({
    nodes: [nodeOf()],
    deployments: [deploymentOf(0, 1, { replicas: 0, minReplicas: 0, startMs: 1000, loadMsAll: 2000, autoscaler: hpaSpec({ scaleToZeroAfterMs: 30_000, syncPeriodMs: 600_000 }) })],
  });

  it("held at t, released at t + provisioning; cold starts counted", () => {
    const { sim, plane } = controlPlaneOf(s, control);
    plane.start();
    const released: [string, number, number][] = [];
    const held: boolean[] = [];
    sim.schedule(5000, () => held.push(plane.hold(0, "frames", (node) => released.push(["first", sim.now, node]))));
    sim.schedule(6000, () => held.push(plane.hold(0, "frames", (node) => released.push(["second", sim.now, node]))));
    sim.schedule(9000, () => held.push(plane.hold(0, "frames", (node) => released.push(["late", sim.now, node]))));
    sim.run({ until: 20_000 });
    plane.finish(20_000);
    expect(held).toEqual([true, true, false]);
    expect(released).toEqual([
      // To the replica's node (the only one, a: index 0), where the activator proxies them.
      ["first", 8010, 0],
      ["second", 8010, 0],
    ]);
    const d = plane.results().deployments[0];
    expect(d.coldStarts).toEqual({ jobs: 2, meanWaitMs: 2510, maxWaitMs: 3010 });
    expect(d.provisioning).toHaveLength(1);
    expect(d.provisioning[0]).toMatchObject({ reason: "scale-up", requestedAtMs: 5000, readyAtMs: 8010, coldStart: true });
    expect(d.scaleEvents).toBe(1);
    expect(d.replicas).toEqual([
      { atMs: 0, desired: 0, ready: 0, pending: 0 },
      { atMs: 5000, desired: 1, ready: 0, pending: 0 },
      { atMs: 8010, desired: 1, ready: 1, pending: 0 },
      { atMs: 20_000, desired: 1, ready: 1, pending: 0 },
    ]);
  });

  it("a family with a service no deployment manages is never held", () => {
    const mixed = controlOf({ nodes: [nodeOf(), nodeOf()], deployments: [deploymentOf(0, 2, { candidates: [0], replicas: 0, minReplicas: 0 })] });
    const { plane } = controlPlaneOf(scenarioOf(["a", "b"]), mixed);
    plane.start();
    expect(plane.hold(0, "frames", () => {})).toBe(false);
  });
});

describe("autoscaler syncs: the metric measured from the host, the recommendation applied", () => {
  // Two candidates, one replica ready at start on a. Sync every 15 s. By 15 s a's busy integral is
  // 7,500 ms (utilisation 7,500 / 15,000 over 1 ready replica = 0.5) and b's 3,000 (no replica:
  // not in the metric, but not idle either).
  const s = scenarioOf(["a", "b"]);
  const control = (metric: "utilisation" | "jobs") =>
    controlOf({ nodes: [nodeOf({ cachedLayers: [0] }), nodeOf({ cachedLayers: [0] })], deployments: [deploymentOf(0, 2, { readyAtStart: true, autoscaler: hpaSpec({ metric }) })] });

  it.each([
    ["utilisation", 0.5],
    ["jobs", 3],
  ] as const)("%s", (metric, expected) => {
    const calls: number[][] = [];
    const { sim, plane, host } = controlPlaneOf(s, control(metric), (now, current, ready, value, idleSince) => {
      calls.push([now, current, ready, value, idleSince]);
      return now === 15_000 ? 2 : current;
    });
    host.busy.set(0, 7_500);
    host.busy.set(1, 3_000);
    host.jobs.set(0, 3);
    plane.start();
    sim.run({ until: 15_000 });
    expect(calls).toEqual([[15_000, 1, 1, expected, Number.NaN]]);
    // The recommendation of 2 places a second replica (on b, at once: cached, start and load 0).
    expect(plane.accepting.frames[1]).toBe(1);
    host.jobs.clear();
    sim.run({ until: 45_000 });
    // 30 s: no integral moved and no job: metric 0 on 2 ready replicas, idle since the previous sync (15 s).
    expect(calls[1]).toEqual([30_000, 2, 2, 0, 15_000]);
    expect(calls[2][4]).toBe(15_000);
    expect(plane.results().deployments[0].scaleEvents).toBe(1);
  });
});
