import { describe, expect, it } from "vitest";
import { type EventHandle, Simulator } from "../../src/engine/simulator.js";
import { createComputeUnit } from "../../src/world/compute-unit.js";
import type { ComputeUnit } from "../../src/world/traffic-context.js";

/** Runs `actions` at their times (ms) on a fresh simulator. */
function timeline(sim: Simulator, actions: [number, () => void][]): void {
  for (const [time, action] of actions) sim.schedule(time, action);
  sim.run();
}

describe("compute unit: shares and call-backs", () => {
  it("time-slicing: two services alternating get 1/k each; only the other busy service is called back", () => {
    const sim = new Simulator();
    const unit = createComputeUnit(sim, "time-slicing");
    const calls: string[] = [];
    const a = unit.register(() => calls.push(`a@${sim.now}:${unit.speedOf(a)}`));
    const b = unit.register(() => calls.push(`b@${sim.now}:${unit.speedOf(b)}`));
    const shares: string[] = [];
    const look = () => shares.push(`${sim.now}:${unit.speedOf(a)},${unit.speedOf(b)}`);
    timeline(sim, [
      [0, () => unit.setBusy(a, true)],
      [1, look],
      [5, () => unit.setBusy(b, true)],
      [6, look],
      [10, () => unit.setBusy(a, false)],
      [11, look],
      [12, () => unit.setBusy(b, true)], // idempotent: nothing changes, nobody is called
      [20, () => unit.setBusy(b, false)],
      [30, () => unit.setBusy(a, true)],
      [35, () => unit.setBusy(a, false)],
      [35, () => unit.setBusy(b, true)],
      [40, () => unit.setBusy(b, false)],
    ]);
    // An idle service's share is the one it would get by starting now: b idle while a runs alone
    // would get 1/2; once b runs, a and b get 1/2; a idle would get 1/2 of the unit b uses.
    expect(shares).toEqual(["1:1,0.5", "6:0.5,0.5", "11:0.5,1"]);
    // b starting at 5 slows a (a is called back, b is not: its own share did not change); a
    // stopping at 10 speeds b up. At 20, 30, 35 and 40 no OTHER service is busy: no call-back.
    expect(calls).toEqual(["a@5:0.5", "b@10:1"]);
  });

  it("isolated: every service always runs at full speed and nobody is called back", () => {
    const sim = new Simulator();
    const unit = createComputeUnit(sim, "isolated");
    let calls = 0;
    const a = unit.register(() => calls++);
    const b = unit.register(() => calls++);
    unit.setBusy(a, true);
    unit.setBusy(b, true);
    expect([unit.speedOf(a), unit.speedOf(b)]).toEqual([1, 1]);
    unit.setBusy(a, false);
    expect(calls).toBe(0);
  });

  it("busy share: time with at least one service busy, integrated piecewise (hand-computed)", () => {
    // Same timeline as above: busy (one or more services) over [0, 20) and [30, 40) (a stops and
    // b starts at 35: one period), idle over [20, 30) and from 40.
    const sim = new Simulator();
    for (const sharing of ["time-slicing", "isolated"] as const) {
      const unit = createComputeUnit(sim, sharing);
      const a = unit.register(() => {});
      const b = unit.register(() => {});
      const at = sim.now;
      timeline(sim, [
        [0, () => unit.setBusy(a, true)],
        [5, () => unit.setBusy(b, true)],
        [10, () => unit.setBusy(a, false)],
        [20, () => unit.setBusy(b, false)],
        [30, () => unit.setBusy(a, true)],
        [35, () => unit.setBusy(a, false)],
        [35, () => unit.setBusy(b, true)],
        [40, () => unit.setBusy(b, false)],
      ]);
      const share = (from: number, to: number) => unit.busyShare(at + from, at + to);
      expect(share(0, 50)).toBeCloseTo(30 / 50, 12);
      expect(share(5, 32)).toBeCloseTo((15 + 2) / 27, 12);
      expect(share(20, 30)).toBe(0);
      expect(share(12, 18)).toBe(1);
      expect(share(33, 37)).toBe(1); // across the hand-over at 35
      expect(share(-10, 0)).toBe(0);
      expect(share(7, 7)).toBe(0);
      expect(() => share(8, 7)).toThrow(/reversed/);
    }
  });

  it("busy share counts a period still open as lasting until it changes", () => {
    const sim = new Simulator();
    const unit = createComputeUnit(sim, "time-slicing");
    const a = unit.register(() => {});
    timeline(sim, [[10, () => unit.setBusy(a, true)]]);
    expect(unit.busyShare(0, 40)).toBeCloseTo(30 / 40, 12);
  });

  it("keeps every period when there are many (the history grows)", () => {
    // Busy 1 ms of every 4 ms, 1000 times: share 1/4 over the whole; 2 of 3 ms over [3, 6).
    const sim = new Simulator();
    const unit = createComputeUnit(sim, "time-slicing");
    const a = unit.register(() => {});
    const actions: [number, () => void][] = [];
    for (let i = 0; i < 1000; i++) actions.push([4 * i, () => unit.setBusy(a, true)], [4 * i + 1, () => unit.setBusy(a, false)]);
    timeline(sim, actions);
    expect(unit.busyShare(0, 4000)).toBeCloseTo(0.25, 12);
    expect(unit.busyShare(3, 6)).toBeCloseTo(1 / 3, 12);
    expect(unit.busyShare(3996, 3997)).toBe(1);
  });
});

/**
 * A fluid service for the oracle: one job at a time whose remaining work (ms at full speed)
 * drains at the unit's share; on every share change the progress so far is booked at the old
 * share and the completion rescheduled at the new one.
 */
class FluidService {
  private readonly id: number;
  private remaining = 0;
  private since = 0;
  private share = 0;
  private completion: EventHandle | undefined;
  readonly finishedAt: number[] = [];

  constructor(
    private readonly sim: Simulator,
    private readonly unit: ComputeUnit,
  ) {
    this.id = unit.register(() => this.reschedule());
  }

  start(work: number): void {
    this.unit.setBusy(this.id, true);
    this.remaining = work;
    this.since = this.sim.now;
    this.share = this.unit.speedOf(this.id);
    this.completion = this.sim.schedule(this.remaining / this.share, () => this.finish());
  }

  private reschedule(): void {
    const now = this.sim.now;
    this.remaining -= (now - this.since) * this.share;
    this.since = now;
    this.share = this.unit.speedOf(this.id);
    if (this.completion !== undefined) this.sim.cancel(this.completion);
    this.completion = this.sim.schedule(this.remaining / this.share, () => this.finish());
  }

  private finish(): void {
    this.completion = undefined;
    this.finishedAt.push(this.sim.now);
    this.unit.setBusy(this.id, false);
  }
}

describe("compute unit: fluid oracle (processor sharing among services)", () => {
  function run(sharing: "time-slicing" | "isolated", jobs: [start: number, work: number][]): number[] {
    const sim = new Simulator();
    const unit = createComputeUnit(sim, sharing);
    const services = jobs.map(() => new FluidService(sim, unit));
    jobs.forEach(([start, work], i) => {
      sim.schedule(start, () => services[i].start(work));
    });
    sim.run();
    return services.map((s) => s.finishedAt[0]);
  }

  it("two jobs of 10 and 30 ms started together end at 20 and 40 ms time-sliced, 10 and 30 isolated", () => {
    // Both at 1/2 until the first has done its 10 ms of work (20 ms); the second has 20 ms of its
    // 30 left, at full speed: 40 ms.
    expect(
      run("time-slicing", [
        [0, 10],
        [0, 30],
      ]),
    ).toEqual([20, 40]);
    expect(
      run("isolated", [
        [0, 10],
        [0, 30],
      ]),
    ).toEqual([10, 30]);
  });

  it("staggered starts: 10 ms of work at 0 and 30 ms at 4 end at 16 and 40", () => {
    // a alone over [0, 4): 4 done, 6 left at 1/2: ends at 16. b did 6 over [4, 16), 24 left at
    // full speed: 40 = the total work, as the unit was never idle (work conservation).
    expect(
      run("time-slicing", [
        [0, 10],
        [4, 30],
      ]),
    ).toEqual([16, 40]);
  });

  it("three services: 10, 20, 30 ms together end at 30, 50, 60 (1/3 each, then 1/2, then 1)", () => {
    expect(
      run("time-slicing", [
        [0, 10],
        [0, 20],
        [0, 30],
      ]),
    ).toEqual([30, 50, 60]);
  });
});
