import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { FlowNetwork } from "../../src/network/flows/flow-network.js";
import { solveMaxMin, UNLIMITED } from "../../src/network/flows/max-min.js";

describe("FlowNetwork: hand-worked timelines", () => {
  it("shares one link fairly, then gives the survivor the whole link; accounts bytes, busy time and utilisation", () => {
    // Capacity 10 B/ms; A = 100 B and B = 50 B both at t = 0: 5 B/ms each, B done at 50/5 = 10 ms
    // with A at 50 B left, then A alone at 10 B/ms: done at 15 ms.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, [10]);
    const done: Record<string, number> = {};
    const a = net.start([0], 100, () => (done.a = sim.now));
    const b = net.start([0], 50, () => (done.b = sim.now));
    expect(net.rateOf(a)).toBe(5);
    expect(net.rateOf(b)).toBe(5);
    sim.run({ until: 20 });
    expect(done).toEqual({ b: 10, a: 15 });
    const usage = net.linkUsage(0);
    expect(usage.bytes).toBeCloseTo(150, 9);
    expect(usage.windowBusyMs).toBeCloseTo(15, 9);
    expect(usage.utilisation).toBeCloseTo(150 / (10 * 20), 12);
    // Flows in flight: 2 on [0, 10), 1 on [10, 15), 0 after: area 25 over 20 ms.
    expect(net.meanInFlight()).toBeCloseTo(25 / 20, 12);
  });

  it("measures only the window [warmup, now)", () => {
    const sim = new Simulator();
    const net = new FlowNetwork(sim, [10], { warmup: 5 });
    net.start([0], 100, () => {});
    sim.run({ until: 20 });
    // Busy on [0, 10) at 10 B/ms: 50 B fall in [5, 20), a window of 15 ms.
    const usage = net.linkUsage(0);
    expect(usage.bytes).toBeCloseTo(100, 9);
    expect(usage.windowBytes).toBeCloseTo(50, 9);
    expect(usage.windowBusyMs).toBeCloseTo(5, 9);
    expect(usage.utilisation).toBeCloseTo(50 / 150, 12);
  });

  it("runs the three-link, four-flow example to the hand-worked completion times", () => {
    // Rates (5, 5, 15, 25) as in Bertsekas & Gallager; sizes f0 = 100, f1 = 50, f2 = 300, f3 = 1000 B.
    // t = 10: f1 done (50/5). Left: f0 50, f2 150, f3 750. Shares L1 10/1, L2 20/2, L3 30/2: L1
    //   first (tie with L2, lower index) -> f0 = 10, then f2 = 20 - 10 = 10, f3 = 30 - 10 = 20.
    // t = 15: f0 done (50/10). Left: f2 100, f3 650; alone: f2 = 20, f3 = 30.
    // t = 20: f2 done (100/20). t = 15 + 650/30: f3 done.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, [10, 20, 30]);
    const done: number[] = [];
    const ids = [
      net.start([0, 1, 2], 100, () => (done[0] = sim.now)),
      net.start([0], 50, () => (done[1] = sim.now)),
      net.start([1], 300, () => (done[2] = sim.now)),
      net.start([2], 1000, () => (done[3] = sim.now)),
    ];
    expect(ids.map((id) => net.rateOf(id))).toEqual([5, 5, 15, 25]);
    sim.run();
    expect(done[1]).toBe(10);
    expect(done[0]).toBeCloseTo(15, 9);
    expect(done[2]).toBeCloseTo(20, 9);
    expect(done[3]).toBeCloseTo(15 + 650 / 30, 9);
  });

  it("finishes at once a flow on links with no capacity, and counts its bytes", () => {
    const sim = new Simulator();
    const net = new FlowNetwork(sim, [undefined, 10]);
    let at = -1;
    sim.schedule(3, () => net.start([0], 1234, () => (at = sim.now)));
    sim.run();
    expect(at).toBe(3);
    expect(net.linkUsage(0).bytes).toBe(1234);
    expect(net.linkUsage(0).utilisation).toBeUndefined();
  });

  it("holds a bounded flow to its bound and passes the rest to a flow sharing its link", () => {
    const sim = new Simulator();
    const net = new FlowNetwork(sim, [10]);
    const slow = net.start([0], 100, () => {}, 2);
    const fast = net.start([0], 100, () => {});
    expect([net.rateOf(slow), net.rateOf(fast)]).toEqual([2, 8]);
  });

  it("cancels a flow without its callback and speeds up the others", () => {
    const sim = new Simulator();
    const net = new FlowNetwork(sim, [10]);
    let called = false;
    let other = -1;
    const victim = net.start([0], 100, () => (called = true));
    net.start([0], 100, () => (other = sim.now));
    sim.schedule(4, () => {
      expect(net.remainingBytes(victim)).toBeCloseTo(80, 9);
      expect(net.cancel(victim)).toBe(true);
    });
    sim.run();
    // The other: 20 B by 4 ms at 5 B/ms, then 80 B at 10 B/ms: done at 12 ms.
    expect(other).toBeCloseTo(12, 9);
    expect(called).toBe(false);
    expect(net.cancel(victim)).toBe(false);
    expect(net.linkUsage(0).bytes).toBeCloseTo(120, 9);
  });

  it("finishes flows due at the same time in id order, with one engine event pending however many flows share a link", () => {
    const sim = new Simulator();
    const net = new FlowNetwork(sim, [10]);
    const order: number[] = [];
    const ids = Array.from({ length: 1000 }, () => net.start([0], 100, (id) => order.push(id)));
    // Every start moved every flow's completion; a queue entry per move would leave ~500,000 behind.
    expect(sim.pendingEvents).toBe(1);
    sim.run();
    expect(order).toEqual(ids);
    expect(sim.now).toBeCloseTo(100_000 / 10, 6);
  });

  it("re-solves when a link's capacity changes mid-transfer", () => {
    // 100 B at 10 B/ms; at 5 ms (50 B left) the link drops to 5 B/ms: 10 ms more, done at 15 ms.
    const sim = new Simulator();
    const net = new FlowNetwork(sim, [10, undefined]);
    let at = -1;
    net.start([0], 100, () => (at = sim.now));
    sim.schedule(5, () => net.setCapacity(0, 5));
    sim.run();
    expect(at).toBeCloseTo(15, 9);
    expect(net.linkUsage(0).bytes).toBeCloseTo(100, 9);
    expect(() => net.setCapacity(1, 5)).toThrow(RangeError);
    expect(() => net.setCapacity(0, Infinity)).toThrow(RangeError);
  });

  it("rejects bad input", () => {
    const net = new FlowNetwork(new Simulator(), [10]);
    expect(() => net.addLink(0)).toThrow(RangeError);
    expect(() => net.start([1], 10, () => {})).toThrow(RangeError);
    expect(() => net.start([0, 0], 10, () => {})).toThrow(RangeError);
    expect(() => net.start([0], -1, () => {})).toThrow(RangeError);
    expect(() => net.start([0], 10, () => {}, 0)).toThrow(RangeError);
  });
});

/** Random flows on a random graph: starts at Poisson times over random 1-3-link paths, some cancelled. */
function randomTraffic(seed: string, links: number, flows: number, onStep?: (net: FlowNetwork) => void) {
  const streams = new RandomStreams(seed);
  const u = streams.stream("traffic");
  const sim = new Simulator();
  const capacities = Array.from({ length: links }, () => (u() < 0.1 ? undefined : 1 + Math.floor(u() * 50)));
  const net = new FlowNetwork(sim, capacities);
  const completions: Array<[number, number]> = [];
  let t = 0;
  for (let i = 0; i < flows; i++) {
    t += -Math.log(1 - u()) * 2;
    const path = new Set<number>();
    const hops = 1 + Math.floor(u() * 3);
    while (path.size < hops) path.add(Math.floor(u() * links));
    const bytes = Math.floor(u() * 500);
    const bound = u() < 0.15 ? 1 + u() * 10 : UNLIMITED;
    const cancelAfter = u() < 0.1 ? u() * 50 : -1;
    // Now and then a limited link changes capacity (a degradation or a repair).
    const resized = Math.floor(u() * links);
    const newCapacity = u() < 0.05 && capacities[resized] !== undefined ? 1 + Math.floor(u() * 50) : undefined;
    sim.scheduleKindAt(
      t,
      sim.registerKind(() => {
        const id = net.start([...path], bytes, (done) => completions.push([done, sim.now]), bound);
        if (newCapacity !== undefined) net.setCapacity(resized, newCapacity);
        if (cancelAfter >= 0) sim.schedule(cancelAfter, () => net.cancel(id));
      }),
      0,
    );
  }
  for (;;) {
    if (sim.run({ maxEvents: 1 }) === 0) break;
    onStep?.(net);
  }
  return { sim, net, completions };
}

describe("FlowNetwork: against a full recompute and conservation laws", () => {
  it("keeps every rate equal, bit for bit, to a full max-min solve of all flows after every event", () => {
    let checks = 0;
    randomTraffic("incremental", 40, 600, (net) => {
      const flows = net.activeFlows();
      const capacities = Array.from({ length: net.linkCount }, (_, l) => net.capacityOf(l));
      const full = solveMaxMin({ capacities, flowLinks: flows.map((f) => f.links), bounds: flows.map((f) => f.bound) });
      for (let i = 0; i < flows.length; i++) {
        // Flows of zero bytes and flows on no limited link finish at once, at an unlimited rate, as the full solve says.
        if (flows[i].remaining === 0 && flows[i].rate === UNLIMITED) continue;
        expect(flows[i].rate).toBe(full[i]);
      }
      checks++;
    });
    expect(checks).toBeGreaterThan(1000);
  });

  it("delivers every byte started (no cancellations): per link, bytes carried = sizes of the flows crossing it", () => {
    const sim = new Simulator();
    const u = new RandomStreams("conservation").stream("traffic");
    const net = new FlowNetwork(sim, [5, 7, 11, undefined]);
    const expected = [0, 0, 0, 0];
    let delivered = 0;
    let started = 0;
    for (let i = 0; i < 300; i++) {
      const path = [0, 1, 2, 3].filter(() => u() < 0.5);
      if (path.length === 0) path.push(Math.floor(u() * 4));
      const bytes = 1 + u() * 200;
      started += bytes;
      for (const l of path) expected[l] += bytes;
      sim.scheduleKindAt(
        i * 3,
        sim.registerKind(() => net.start(path, bytes, () => (delivered += bytes))),
        0,
      );
    }
    sim.run();
    expect(net.inFlight).toBe(0);
    expect(delivered).toBeCloseTo(started, 6);
    for (let l = 0; l < 4; l++) expect(net.linkUsage(l).bytes / expected[l]).toBeCloseTo(1, 9);
  });

  it("gives identical completion times for the same seed", () => {
    const first = randomTraffic("determinism", 30, 400).completions;
    const second = randomTraffic("determinism", 30, 400).completions;
    expect(first.length).toBeGreaterThan(300);
    expect(second).toEqual(first);
    expect(randomTraffic("determinism-2", 30, 400).completions).not.toEqual(first);
  });

  it("re-solves only the connected component of the links a flow crosses", () => {
    // 100 separate links with 5 flows each: a flow event touches 5 or 6 flows, never 500.
    const sim = new Simulator();
    const net = new FlowNetwork(
      sim,
      Array.from({ length: 100 }, () => 10),
    );
    for (let l = 0; l < 100; l++) for (let i = 0; i < 5; i++) net.start([l], 100 + i, () => {});
    const before = { ...net.cost };
    net.start([42], 10, () => {});
    expect(net.cost.flowsVisited - before.flowsVisited).toBe(6);
    expect(net.cost.linksVisited - before.linksVisited).toBe(1);
    sim.run();
    expect(net.cost.flowsVisited / net.cost.events).toBeLessThanOrEqual(6);
  });
});
