import { describe, expect, it } from "vitest";
import { CalendarQueue } from "../../src/engine/calendar-queue.js";
import { MAX_PENDING_EVENTS } from "../../src/engine/event-slots.js";
import { EventQueue } from "../../src/engine/event-queue.js";
import { SimulationError } from "../../src/errors.js";

// 2^22 pending events at about 40 B each, four times: full suite only (vitest.config.ts, SLOW_TESTS).
describe("the event queue's limit is the handles' 4,194,304 slots, whatever it was presized to", () => {
  const queues = [
    ["calendar queue", (capacity: number) => new CalendarQueue(capacity)],
    ["binary heap", (capacity: number) => new EventQueue(capacity)],
  ] as const;
  // 24 doubles to 3,145,728 and then past the limit (it refused there); a presize beyond the limit
  // took events past it without a word, their handles naming other slots.
  for (const presize of [24, MAX_PENDING_EVENTS + 10]) {
    for (const [name, make] of queues) {
      it(`${name} presized to ${presize}: holds exactly ${MAX_PENDING_EVENTS}, refuses one more, still in order`, () => {
        expect(MAX_PENDING_EVENTS).toBe(4_194_304);
        const queue = make(presize);
        for (let i = 0; i < MAX_PENDING_EVENTS; i++) queue.push(i, 0, i);
        expect(queue.size).toBe(MAX_PENDING_EVENTS);
        expect(() => queue.push(0, 0, 0)).toThrow(SimulationError);
        const first = queue.pop();
        expect(queue.timeOf(first)).toBe(0);
        expect(queue.argOf(first)).toBe(0);
      });
    }
  }
});
