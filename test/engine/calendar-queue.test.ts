import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { CalendarQueue } from "../../src/engine/calendar-queue.js";

describe("the calendar queue's bucket width", () => {
  it("adapts to events seconds apart in a queue too small ever to change its bucket count", () => {
    // The hold model (pop the earliest, push it back an exponential time later) with 10 pending
    // events and a mean increment of 1 s: the pending times form a Poisson process of rate
    // 10/s, gaps exponential with mean m = 100 ms. Brown's width, 3 x the mean of the gaps under
    // 2 x their mean, is then 3 m (1 - 3 e^-2) / (1 - e^-2) = 2.06 m = 206 ms; the initial width
    // is 1 ms, and 10 events never reach the 32 that double the bucket count.
    const queue = new CalendarQueue(16);
    const rng = seedrandom.alea("hold");
    const exponential = () => -1000 * Math.log(1 - rng());
    const pending: number[] = [];
    for (let i = 0; i < 10; i++) {
      const time = exponential();
      queue.push(time, 1, 0);
      pending.push(time);
    }
    expect(queue.layout.widthMs).toBe(1);
    for (let i = 0; i < 5000; i++) {
      pending.sort((a, b) => a - b);
      const slot = queue.pop();
      expect(queue.timeOf(slot)).toBe(pending.shift());
      const time = queue.timeOf(slot) + exponential();
      queue.push(time, 1, 0);
      pending.push(time);
    }
    expect(queue.layout.buckets).toBe(16);
    // Ten events give a 9-gap sample: a factor of 5 either side of 206 ms covers its spread.
    expect(queue.layout.widthMs).toBeGreaterThan(206 / 5);
    expect(queue.layout.widthMs).toBeLessThan(206 * 5);
  });
});

describe("cancelling in the calendar queue", () => {
  it("unlinks the record at once: cancel-and-reschedule later, 10,000 times, leaves two records", () => {
    // A model that moves its one pending event later at every change (the batched server at each
    // batch change): a cancelled record left in its list would stay until the clock reached it,
    // so the lists held one per reschedule and the bucket count doubled with them.
    const queue = new CalendarQueue(16);
    queue.push(1e6, 1, 0);
    let handle = queue.push(10, 1, 1);
    for (let i = 0; i < 10_000; i++) {
      expect(queue.cancel(handle)).toBe(true);
      handle = queue.push(10 + i * 0.5, 1, 1);
    }
    expect(queue.layout).toMatchObject({ buckets: 16, records: 2 });
    expect(queue.size).toBe(2);
    expect(queue.timeOf(queue.pop())).toBe(10 + 9_999 * 0.5);
    expect(queue.timeOf(queue.pop())).toBe(1e6);
    expect(queue.pop()).toBe(-1);
  });

  it("keeps each list's head and tail right when the cancelled record is first, last or alone", () => {
    const queue = new CalendarQueue(16);
    // Width 1 ms: 5.0, 5.1, 5.2 share bucket 5.
    const a = queue.push(5.0, 1, 0);
    queue.push(5.1, 1, 1);
    const c = queue.push(5.2, 1, 2);
    expect(queue.cancel(c)).toBe(true); // the tail: the next push must append after 5.1
    queue.push(5.3, 1, 3);
    expect(queue.cancel(a)).toBe(true); // the head
    expect(queue.cancel(a)).toBe(false);
    const order: number[] = [];
    for (let slot = queue.pop(); slot >= 0; slot = queue.pop()) order.push(queue.argOf(slot));
    expect(order).toEqual([1, 3]);
    const alone = queue.push(7, 1, 4);
    expect(queue.cancel(alone)).toBe(true);
    expect(queue.layout.records).toBe(0);
    expect(queue.pop()).toBe(-1);
    queue.push(7.5, 1, 5);
    expect(queue.argOf(queue.pop())).toBe(5);
  });
});
