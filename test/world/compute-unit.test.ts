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
    const unit = createComputeUnit("time-slicing");
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
    const unit = createComputeUnit("isolated");
    let calls = 0;
    const a = unit.register(() => calls++);
    const b = unit.register(() => calls++);
    unit.setBusy(a, true);
    unit.setBusy(b, true);
    expect([unit.speedOf(a), unit.speedOf(b)]).toEqual([1, 1]);
    unit.setBusy(a, false);
    expect(calls).toBe(0);
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
    const unit = createComputeUnit(sharing);
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
