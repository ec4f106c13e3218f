import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { EventQueue } from "../../src/engine/event-queue.js";
import { Simulator } from "../../src/engine/simulator.js";
import { SimulationError } from "../../src/errors.js";

describe("EventQueue", () => {
  it("pops in (time, insertion) order for many random events, including ties", () => {
    const queue = new EventQueue(16);
    const rng = seedrandom.alea("queue-order");
    const pushed: { time: number; seq: number }[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Few distinct times, so most events tie with others.
      const time = Math.floor(rng() * 50);
      queue.push(time, 1, i);
      pushed.push({ time, seq: i });
    }
    const expected = [...pushed].sort((a, b) => a.time - b.time || a.seq - b.seq).map((e) => e.seq);
    const popped: number[] = [];
    for (let slot = queue.pop(); slot >= 0; slot = queue.pop()) popped.push(queue.argOf(slot));
    expect(popped).toEqual(expected);
  });

  it("recycles slots and rejects stale handles", () => {
    const queue = new EventQueue(16);
    const first = queue.push(1, 1, 10);
    queue.pop();
    const second = queue.push(2, 1, 20);
    expect(second).not.toBe(first);
    expect(queue.cancel(first)).toBe(false);
    expect(queue.size).toBe(1);
    expect(queue.cancel(second)).toBe(true);
    expect(queue.cancel(second)).toBe(false);
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBe(-1);
  });

  it("handles past 2^31 (a slot reused over a thousand times) still cancel their own event only", () => {
    for (const kind of ["heap", "calendar"] as const) {
      const sim = new Simulator(16, kind);
      const ran: number[] = [];
      const record = sim.registerKind((arg) => ran.push(arg));
      // One slot, reused: its generation passes 2^31 / 2^22 = 512, so its handles stop being small integers.
      let stale = -1;
      for (let i = 0; i < 1500; i++) {
        stale = sim.scheduleKind(1, record, i);
        sim.run();
      }
      const live = sim.scheduleKind(1, record, 7);
      expect(live).toBeGreaterThan(2 ** 31);
      expect(sim.cancel(stale)).toBe(false);
      const other = sim.scheduleKind(2, record, 8);
      expect(sim.cancel(live)).toBe(true);
      expect(sim.cancel(live)).toBe(false);
      ran.length = 0;
      sim.run();
      expect(ran).toEqual([8]);
      expect(sim.cancel(other)).toBe(false);
    }
  });

  it("interleaved pushes and pops match a sorted reference", () => {
    const queue = new EventQueue(16);
    const rng = seedrandom.alea("interleaved");
    const reference: { time: number; seq: number }[] = [];
    let seq = 0;
    let now = 0;
    for (let step = 0; step < 50_000; step++) {
      if (rng() < 0.55 || reference.length === 0) {
        const time = now + Math.floor(rng() * 20);
        queue.push(time, 1, seq);
        reference.push({ time, seq: seq++ });
      } else {
        reference.sort((a, b) => a.time - b.time || a.seq - b.seq);
        const expected = reference.shift() as { time: number; seq: number };
        const slot = queue.pop();
        expect(queue.argOf(slot)).toBe(expected.seq);
        now = expected.time;
      }
    }
  });
});

describe("Simulator", () => {
  it("runs events at equal times in insertion order", () => {
    const sim = new Simulator();
    const order: string[] = [];
    sim.schedule(5, () => order.push("a"));
    sim.schedule(5, () => order.push("b"));
    sim.schedule(1, () => {
      order.push("first");
      sim.schedule(4, () => order.push("c, scheduled later for t=5"));
    });
    sim.schedule(5, () => order.push("d"));
    sim.run();
    expect(order).toEqual(["first", "a", "b", "d", "c, scheduled later for t=5"]);
    expect(sim.now).toBe(5);
  });

  it("never runs a cancelled event, and cancel reports whether it did anything", () => {
    const sim = new Simulator();
    const ran: number[] = [];
    const keep = sim.schedule(2, () => ran.push(2));
    const drop = sim.schedule(1, () => ran.push(1));
    const late = sim.schedule(3, () => ran.push(3));
    expect(sim.cancel(drop)).toBe(true);
    expect(sim.cancel(drop)).toBe(false);
    sim.schedule(2.5, () => sim.cancel(late));
    sim.run();
    expect(ran).toEqual([2]);
    expect(sim.cancel(keep)).toBe(false);
    expect(sim.pendingEvents).toBe(0);
  });

  it("a handle of an executed event cannot cancel the event that reuses its slot", () => {
    const sim = new Simulator();
    const ran: string[] = [];
    const old = sim.schedule(1, () => ran.push("old"));
    sim.run({ until: 1 });
    sim.schedule(1, () => ran.push("new"));
    expect(sim.cancel(old)).toBe(false);
    sim.run();
    expect(ran).toEqual(["old", "new"]);
  });

  it("run({ until }) stops before later events and advances the clock to until", () => {
    const sim = new Simulator();
    const ran: number[] = [];
    for (const t of [1, 2, 3, 4]) sim.schedule(t, () => ran.push(t));
    sim.run({ until: 2.5 });
    expect(ran).toEqual([1, 2]);
    expect(sim.now).toBe(2.5);
    sim.run({ until: 3 });
    expect(ran).toEqual([1, 2, 3]);
    sim.run();
    expect(ran).toEqual([1, 2, 3, 4]);
  });

  it("kind handlers receive their integer argument; negative and NaN delays are refused, an infinite one is a simulation error", () => {
    const sim = new Simulator();
    const seen: number[] = [];
    const kind = sim.registerKind((arg) => seen.push(arg * 10 + sim.now));
    sim.scheduleKind(3, kind, 7);
    sim.scheduleKind(1, kind, 2);
    sim.run();
    expect(seen).toEqual([21, 73]);
    expect(() => sim.scheduleKind(-1, kind, 0)).toThrow(RangeError);
    expect(() => sim.schedule(Number.NaN, () => {})).toThrow(RangeError);
    expect(() => sim.schedule(Infinity, () => {})).toThrow(SimulationError);
    expect(sim.eventsExecuted).toBe(2);
  });
});
