import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { CalendarQueue } from "../../src/engine/calendar-queue.js";
import { EventQueue, type PendingEvents } from "../../src/engine/event-queue.js";

interface Ref {
  time: number;
  seq: number;
  handle: number;
  cancelled: boolean;
}

/**
 * Drives a queue with random pushes (ties, near and far future, bursts), pops, bounded pops and
 * cancellations, and checks every removal against a sorted reference: the order must be exactly
 * (time, insertion sequence), whatever resizes happen underneath.
 */
function exercise(queue: PendingEvents, seed: string, steps: number): number {
  const rng = seedrandom.alea(seed);
  const pending: Ref[] = [];
  let seq = 0;
  let now = 0;
  let checked = 0;
  const popExpected = (until: number): Ref | undefined => {
    const live = pending.filter((e) => !e.cancelled).sort((a, b) => a.time - b.time || a.seq - b.seq);
    const first = live[0];
    if (first === undefined || first.time > until) return undefined;
    pending.splice(pending.indexOf(first), 1);
    return first;
  };
  for (let step = 0; step < steps; step++) {
    const r = rng();
    if (r < 0.5) {
      // Pushes: ties on whole numbers, a burst at one instant, rare far-future events.
      const burst = rng() < 0.05 ? 20 : 1;
      const kindOfDelay = rng();
      const delay = kindOfDelay < 0.3 ? Math.floor(rng() * 5) : kindOfDelay < 0.98 ? rng() * 50 : 1e6 * rng();
      for (let b = 0; b < burst; b++) {
        const time = now + delay;
        const handle = queue.push(time, 1, seq);
        pending.push({ time, seq: seq++, handle, cancelled: false });
      }
    } else if (r < 0.58 && pending.length > 0) {
      const victim = pending[Math.floor(rng() * pending.length)];
      expect(queue.cancel(victim.handle)).toBe(!victim.cancelled);
      victim.cancelled = true;
    } else if (r < 0.65) {
      // A bounded pop that may find nothing: the queue must not lose its place.
      const until = now + rng() * 3;
      const expected = popExpected(until);
      const slot = queue.popUntil(until);
      if (expected === undefined) expect(slot).toBe(-1);
      else {
        expect(queue.argOf(slot)).toBe(expected.seq);
        now = expected.time;
        checked++;
      }
    } else {
      const expected = popExpected(Infinity);
      const slot = queue.pop();
      if (expected === undefined) expect(slot).toBe(-1);
      else {
        expect(queue.timeOf(slot)).toBe(expected.time);
        expect(queue.argOf(slot)).toBe(expected.seq);
        now = expected.time;
        checked++;
      }
    }
    expect(queue.size).toBe(pending.filter((e) => !e.cancelled).length);
  }
  // Drain.
  for (let expected = popExpected(Infinity); expected !== undefined; expected = popExpected(Infinity)) {
    const slot = queue.pop();
    expect(queue.argOf(slot)).toBe(expected.seq);
    checked++;
  }
  expect(queue.pop()).toBe(-1);
  return checked;
}

describe.each([
  ["binary heap", () => new EventQueue(16)],
  ["calendar queue", () => new CalendarQueue(16)],
])("%s", (_name, make) => {
  it("removes events in exact (time, insertion) order under random pushes, ties, bursts, cancels and bounded pops", () => {
    for (const seed of ["a", "b", "c"]) expect(exercise(make(), seed, 6000)).toBeGreaterThan(2000);
  });

  it("grows to thousands of pending events and shrinks back without reordering", () => {
    const queue = make();
    const rng = seedrandom.alea("grow");
    const times: { time: number; seq: number }[] = [];
    for (let i = 0; i < 20_000; i++) {
      const time = Math.floor(rng() * 1000) / 4;
      queue.push(time, 1, i);
      times.push({ time, seq: i });
    }
    times.sort((a, b) => a.time - b.time || a.seq - b.seq);
    for (const expected of times) expect(queue.argOf(queue.pop())).toBe(expected.seq);
    expect(queue.size).toBe(0);
  });

  it("an event pushed after a bounded pop came up empty is still found first", () => {
    const queue = make();
    queue.push(50, 1, 1);
    for (let i = 0; i < 100; i++) queue.push(60 + i, 1, 100 + i);
    expect(queue.popUntil(40)).toBe(-1);
    queue.push(45, 1, 2);
    expect(queue.argOf(queue.pop())).toBe(2);
    expect(queue.argOf(queue.pop())).toBe(1);
  });
});
