import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { SimulationError } from "../../src/errors.js";
import { DeliveryClosures } from "../../src/network/delivery-closures.js";
import { DOWN, type Direction, Network, UP } from "../../src/network/network.js";
import { withHandAttachedDevice } from "./hand-wireless.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";

type Doc = Record<string, any>;

const camera = (id: string): Doc => ({ id, workloads: [{ type: "arrivals", model: "m", frameSizePx: 300, requestBytes: 1000, interarrival: { dist: "exponential", mean: "100 ms" } }] });
const slots = (id: string): Doc => ({ id, services: [{ type: "slots", slots: 1, inferenceTime: "5 ms" }] });

function scenario(devices: string[], nodes: string[], network: Doc): ResolvedScenario {
  return resolveScenario({ name: "shared", duration: "10 s", qos: { frames: "200 ms" }, devices: devices.map(camera), nodes: nodes.map(slots), network, policies: ["round-robin"] }, {});
}

/** A network on its own simulator, and the times its transfers arrive (by the arg given). */
function harness(s: ResolvedScenario) {
  const sim = new Simulator();
  const network = new Network(s, new RandomStreams(1), sim);
  const arrived = new Map<number, { at: number; waitMs: number }>();
  const kind = network.registerDelivery((arg) => arrived.set(arg, { at: sim.now, waitMs: network.lastDeliveryWaitMs }));
  const send = (at: number, device: number, node: number, direction: Direction, bytes: number, arg: number): void => {
    sim.schedule(at, () => expect(network.transfer(device, node, direction, bytes, kind, arg)).toBeNaN());
  };
  return { sim, network, arrived, send, kind };
}

describe("transfers over a capacity-limited link share it, max-min fair (hand-worked)", () => {
  // cam-a, cam-b -> sw (1 ms) -> edge (2 ms, capacity 8 Mbit/s = 1000 bytes/ms each way); cam-c -> edge directly (3 ms).
  const s = scenario(["cam-a", "cam-b", "cam-c"], ["edge"], {
    topology: "graph",
    vertices: [{ id: "sw", kind: "switch" }],
    links: [
      { between: ["cam-a", "sw"], latency: "1 ms" },
      { between: ["cam-b", "sw"], latency: "1 ms" },
      { between: ["sw", "edge"], latency: "2 ms", capacity: "8 Mbit/s" },
      { between: ["cam-c", "edge"], latency: "3 ms", bandwidth: "8 Mbit/s" },
    ],
  });

  it("two uploads: latency 3 ms alone, then the link's 1000 bytes/ms shared while both flow", () => {
    const { sim, arrived, send } = harness(s);
    // A: 10,000 bytes at 0, flows from 3 ms alone; B: 4,000 bytes at 4 ms, flows from 7 ms.
    // At 7 A has 6,000 left; 500 bytes/ms each: B done at 7 + 8 = 15, A has 2,000 left, alone: 17.
    send(0, 0, 0, UP, 10_000, 1);
    send(4, 1, 0, UP, 4_000, 2);
    sim.run();
    expect(arrived.get(2)?.at).toBeCloseTo(15, 9);
    expect(arrived.get(1)?.at).toBeCloseTo(17, 9);
    expect(arrived.get(1)?.waitMs).toBe(0);
  });

  it("a route crossing no limited link keeps its fixed time, returned for the caller to schedule", () => {
    const { network, kind } = harness(s);
    expect(network.transfer(2, 0, DOWN, 10_000, kind, 0)).toBe(3 + 10);
  });

  it("link results: bytes, utilisation and flows over the window, and a series per bin", () => {
    const window = { ...s, warmupMs: 0, durationMs: 20, binWidthMs: 10 };
    const { sim, network, send } = harness(window);
    send(0, 0, 0, UP, 10_000, 1);
    send(4, 1, 0, UP, 4_000, 2);
    sim.run();
    const results = network.linkResults(20);
    expect(results?.links.map((l) => [l.id, l.direction, l.bytes])).toEqual([
      ["sw--edge", "forward", expect.closeTo(14_000, 6)],
      ["sw--edge", "reverse", 0],
    ]);
    const link = results?.links[0];
    // 14,000 bytes in 20 ms at 1000 bytes/ms: 0.7; busy 3..17 with 2 flows 7..15: (14 + 8) / 20 flows.
    expect(link?.bytes).toBeCloseTo(14_000, 6);
    expect(link?.utilisation).toBeCloseTo(0.7, 9);
    expect(link?.meanFlows).toBeCloseTo(22 / 20, 9);
    expect(link?.peakFlows).toBe(2);
    expect(link?.capacityMbps).toBeCloseTo(8, 12);
    // Bin [0, 10): 3..7 alone (4,000) + 7..10 at 1000 (3,000) = 0.7; bin [10, 20): 7,000 bytes = 0.7.
    expect(link?.series.map((u) => Number(u.toFixed(9)))).toEqual([0.7, 0.7]);
  });

  it("a scenario with no capacity anywhere has no link results", () => {
    const star = scenario(["cam-a"], ["edge"], { default: { latency: "1 ms" } });
    expect(new Network(star, new RandomStreams(1), new Simulator()).linkResults(10)).toBeNull();
  });
});

describe("migration state over a node-node route", () => {
  // cam -> router -> n1, n2: the state n1 -> router -> n2 crosses router--n2 (1000 bytes/ms each way), as cam's frames to n2 do.
  const s = scenario(["cam"], ["n1", "n2"], {
    topology: "graph",
    vertices: [{ id: "router", kind: "router" }],
    links: [
      { between: ["cam", "router"], latency: "1 ms" },
      { between: ["n1", "router"], latency: "1 ms" },
      { between: ["router", "n2"], latency: "1 ms", capacity: "8 Mbit/s" },
    ],
  });

  it("alone: latency + bytes / capacity", () => {
    const { sim, network } = harness(s);
    const closures = new DeliveryClosures(network, () => sim.now);
    let took = Number.NaN;
    expect(closures.sendBetween(0, 0, 1, 5_000, (ms) => (took = ms))).toBeNaN();
    sim.run();
    expect(took).toBeCloseTo(2 + 5, 9);
  });

  it("shares the link with a frame upload to the new node: both at 500 bytes/ms while both flow", () => {
    const { sim, network, arrived, send } = harness(s);
    const closures = new DeliveryClosures(network, () => sim.now);
    let took = Number.NaN;
    // Both flow from 2 ms: the state (4,000) done at 2 + 8 = 10; the frame (6,000) has 2,000 left, alone: 12.
    closures.sendBetween(0, 0, 1, 4_000, (ms) => (took = ms));
    send(0, 0, 1, UP, 6_000, 7);
    sim.run();
    expect(took).toBeCloseTo(10, 9);
    expect(arrived.get(7)?.at).toBeCloseTo(12, 9);
  });

  it("no limited link on the route: the time is fixed and returned", () => {
    const free = scenario(["cam"], ["n1", "n2"], {
      topology: "graph",
      vertices: [{ id: "router", kind: "router" }],
      links: [
        { between: ["cam", "router"], latency: "1 ms" },
        { between: ["n1", "router"], latency: "1 ms" },
        { between: ["router", "n2"], latency: "1 ms", bandwidth: "8 Mbit/s" },
      ],
    });
    const { network, kind } = harness(free);
    expect(network.hasNodeRoute(0, 1)).toBe(true);
    expect(network.transferBetween(0, 0, 1, 5_000, kind, 0)).toBeCloseTo(7, 9);
  });
});

/**
 * A wireless camera, by hand (the scenario format for it is another part's): its link to ap-a
 * becomes its access link; ap-a reaches edge in 2 ms, ap-b in 5 ms; the air interfaces carry
 * 1000 (ap-a) and 2000 (ap-b) bytes/ms each way.
 */
function wirelessScenario(): ResolvedScenario {
  const s = scenario(["cam"], ["edge"], {
    topology: "graph",
    vertices: [
      { id: "ap-a", kind: "access-point" },
      { id: "ap-b", kind: "access-point" },
    ],
    links: [
      { between: ["cam", "ap-a"], latency: "1 ms" },
      { between: ["ap-a", "edge"], latency: "2 ms" },
      { between: ["ap-b", "edge"], latency: "5 ms" },
    ],
  });
  return withHandAttachedDevice(
    s,
    ["ap-a", "ap-b"],
    [
      [1000, 1000],
      [2000, 2000],
    ],
    2,
  );
}

describe("the wireless hop: attach, handover, coverage", () => {
  it("a handover mid-transfer: the bytes not yet delivered resume at readyAt over the new route (latency again, then the flow)", () => {
    const { sim, network, arrived, send } = harness(wirelessScenario());
    network.attach(0, 0, 0);
    // Alone on ap-a's air: latency 1 + 2 = 3 ms, then 1000 bytes/ms. At 8 ms 5,000 of 10,000 are delivered.
    send(0, 0, 0, UP, 10_000, 1);
    sim.schedule(8, () => network.attach(0, 1, 10));
    sim.run();
    // Held 8..10; then latency 1 + 5 = 6 ms over ap-b, and 5,000 bytes at 2000 bytes/ms: 10 + 6 + 2.5.
    expect(arrived.get(1)).toEqual({ at: 18.5, waitMs: 2 });
    expect(network.waitsOf(0)).toEqual({ transfers: 1, waitMs: 2 });
  });

  it("a handover with no delay: the transfer goes on at once over the new route, and did not wait", () => {
    const { sim, network, arrived, send } = harness(wirelessScenario());
    network.attach(0, 0, 0);
    send(0, 0, 0, UP, 10_000, 1);
    sim.schedule(8, () => network.attach(0, 1, 8));
    sim.run();
    // 5,000 bytes left at 8: latency 6 over ap-b, then 2.5 ms at 2000 bytes/ms.
    expect(arrived.get(1)).toEqual({ at: 16.5, waitMs: 0 });
    expect(network.waitsOf(0)).toEqual({ transfers: 0, waitMs: 0 });
  });

  it("a transfer in its latency phase at a handover starts over whole on the new route", () => {
    const { sim, network, arrived, send } = harness(wirelessScenario());
    network.attach(0, 0, 0);
    send(0, 0, 0, DOWN, 4_000, 1);
    sim.schedule(1, () => network.attach(0, 1, 3));
    sim.run();
    // Held 1..3, latency 6 ms, 4,000 bytes at 2000 bytes/ms: 3 + 6 + 2.
    expect(arrived.get(1)).toEqual({ at: 11, waitMs: 2 });
  });

  it("a detached device's transfer waits until it is attached again (and then its handover delay)", () => {
    const { sim, network, arrived, send } = harness(wirelessScenario());
    network.attach(0, 0, 0);
    sim.schedule(0.5, () => network.attach(0, null, Infinity));
    send(1, 0, 0, UP, 10_000, 1);
    sim.schedule(5, () => network.attach(0, 1, 20));
    sim.run();
    // Held 1..20, then latency 6, then 10,000 bytes at 2000 bytes/ms: 31.
    expect(arrived.get(1)).toEqual({ at: 31, waitMs: 19 });
    expect(network.waitsOf(0)).toEqual({ transfers: 1, waitMs: 19 });
  });

  it("two devices' worth on one air interface: the wireless rate bounds a flow (asked at its start)", () => {
    const { sim, network, arrived, send } = harness(wirelessScenario());
    network.setWirelessRate(() => 250);
    network.attach(0, 0, 0);
    send(0, 0, 0, UP, 1_000, 1);
    sim.run();
    expect(arrived.get(1)?.at).toBeCloseTo(3 + 4, 9);
  });

  it("a delivery never runs inside the transfer call, even with no latency and no bytes", () => {
    const s = wirelessScenario();
    const instant = { ...s, network: { ...s.network, links: s.network.links.map((l) => ({ ...l, parameters: { ...l.parameters, latency: uniform(0, 0) } })) } };
    const { sim, network, arrived, send } = harness(instant);
    network.attach(0, 0, 0);
    send(0, 0, 0, UP, 0, 1);
    sim.schedule(0, () => expect(arrived.has(1)).toBe(false));
    sim.run();
    expect(arrived.get(1)).toEqual({ at: 0, waitMs: 0 });
  });

  it("sending before the first attach is a SimulationError (the world attaches at t=0)", () => {
    const { network, kind } = harness(wirelessScenario());
    expect(() => network.transfer(0, 0, UP, 1, kind, 0)).toThrow(SimulationError);
  });

  it("the access link draws from access/<device>/<up|down>", () => {
    const s = wirelessScenario();
    const jittery = { ...s, network: { ...s.network, links: s.network.links.map((l, i) => (i === 0 ? { ...l, parameters: { ...l.parameters, latency: uniform(1, 2) } } : l)) } };
    const { sim, network, arrived, send } = harness(jittery);
    network.attach(0, 0, 0);
    send(0, 0, 0, UP, 0, 1);
    sim.run();
    const draw = new RandomStreams(1).stream("access/cam/up")();
    expect(arrived.get(1)?.at).toBeCloseTo(1 + draw + 2, 12);
  });
});

function uniform(low: number, high: number) {
  const s = scenario(["cam"], ["edge"], { default: { latency: { dist: "uniform", low: `${low} ms`, high: `${high} ms` } } });
  // A star of direct links only holds them per row (issue 16).
  return (s.network.direct?.rows[0][0] ?? s.network.links[0]).parameters.latency;
}

describe("determinism", () => {
  it("same seed, same delivery times: jittered links, shared airs, handovers back and forth", () => {
    const once = (seed: number): number[] => {
      const s = wirelessScenario();
      const jittery = { ...s, network: { ...s.network, links: s.network.links.map((l) => ({ ...l, parameters: { ...l.parameters, latency: uniform(1, 3) } })) } };
      const sim = new Simulator();
      const network = new Network(jittery, new RandomStreams(seed), sim);
      const times: number[] = [];
      const kind = network.registerDelivery((arg) => times.push(arg, sim.now));
      network.attach(0, 0, 0);
      for (let k = 0; k < 200; k++) sim.schedule(k * 0.7, () => network.transfer(0, 0, k % 2 === 0 ? UP : DOWN, 500 + 37 * k, kind, k));
      for (let h = 1; h < 20; h++) sim.schedule(h * 7.3, () => network.attach(0, h % 2, h * 7.3 + 0.4));
      sim.run();
      return times;
    };
    const a = once(11);
    expect(a).toHaveLength(400);
    expect(once(11)).toEqual(a);
    expect(once(12)).not.toEqual(a);
  });
});
