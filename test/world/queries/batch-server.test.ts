import { describe, expect, it } from "vitest";
import { Simulator } from "../../../src/engine/simulator.js";
import type { ComputeUnit } from "../../../src/world/traffic-context.js";
import { BatchServer, type ServerJob } from "../../../src/world/queries/batch-server.js";
import { servingSpec } from "./serving-spec.js";

/** One model: 100 prompt tokens/s, 10 output tokens/s alone, batch of 2 at 1.5x aggregate decode. */
const SPEC = servingSpec({ maxBatch: 2, decodeSpeedup: [1, 1.5], prefillSpeedup: [1, 1] });

/** A unit whose speed the test sets, recording what the server tells it. */
class FakeUnit implements ComputeUnit {
  speed = 1;
  readonly busy: [number, boolean][] = [];
  private listener: (() => void) | undefined;
  constructor(private readonly sim: Simulator) {}
  speedOf(): number {
    return this.speed;
  }
  register(onSpeedChange: () => void): number {
    this.listener = onSpeedChange;
    return 7;
  }
  setBusy(service: number, busy: boolean): void {
    expect(service).toBe(7);
    this.busy.push([this.sim.now, busy]);
  }
  /** The speed changes now (as time-slicing does when another service becomes busy or idle). */
  change(speed: number): void {
    this.speed = speed;
    this.listener?.();
  }
}

function job(sim: Simulator, promptTokens: number, outputTokens: number, log: Record<string, number>): ServerJob {
  return {
    promptTokens,
    outputTokens,
    startedAt: Number.NaN,
    prefillEndedAt: Number.NaN,
    firstToken: () => (log.firstToken = sim.now),
    done: () => (log.done = sim.now),
    crashed: () => (log.lost = sim.now),
  };
}

describe("the batch server's speed factor (its compute unit's share)", () => {
  it("one query, speed halved mid-decode: 2 s prefill, 20 tokens in 2 s, the other 30 at 5 tok/s: done at 10 s", () => {
    const sim = new Simulator();
    const unit = new FakeUnit(sim);
    const loads: [number, number][] = [];
    const server = new BatchServer(sim, SPEC, 0, 20_000, { unit, loadChanged: (level) => loads.push([sim.now, level]) });
    const log: Record<string, number> = {};
    sim.schedule(0, () => server.submit(job(sim, 200, 50, log)));
    sim.schedule(4_000, () => unit.change(0.5));
    sim.run({ until: 20_000 });
    expect(log.firstToken).toBeCloseTo(2_000, 9);
    // 4 s: 20 of 50 tokens decoded at 10 tok/s; the remaining 30 at 5 tok/s take 6 s.
    expect(log.done).toBeCloseTo(10_000, 9);
    expect(unit.busy).toEqual([
      [0, true],
      [log.done, false],
    ]);
    expect(loads).toEqual([
      [0, 1],
      [log.done, 0],
    ]);
    // Busy 10 s of the 20 s window.
    expect(server.statistics(20_000).utilisation).toBeCloseTo(0.5, 12);
  });

  it("a speed change during prefill and back: 1 s at 100 tok/s, 2 s at 50 tok/s, the last 50 tokens at 100 tok/s", () => {
    const sim = new Simulator();
    const unit = new FakeUnit(sim);
    const server = new BatchServer(sim, SPEC, 0, 20_000, { unit, loadChanged: () => undefined });
    const log: Record<string, number> = {};
    sim.schedule(0, () => server.submit(job(sim, 200, 10, log)));
    sim.schedule(1_000, () => unit.change(0.5));
    sim.schedule(3_000, () => unit.change(1));
    sim.run({ until: 20_000 });
    // Prefill: 100 tokens in [0, 1) s at full speed, 100 in [1, 3) s at half: ends at 3 s; decode 10 tokens at 10 tok/s.
    expect(log.firstToken).toBeCloseTo(3_000, 9);
    expect(log.done).toBeCloseTo(4_000, 9);
  });

  it("two queries sharing the batch, both slowed: each decodes at 1.5 x 10 / 2 x speed", () => {
    const sim = new Simulator();
    const unit = new FakeUnit(sim);
    unit.speed = 0.5;
    const server = new BatchServer(sim, SPEC, 0, 60_000, { unit, loadChanged: () => undefined });
    const a: Record<string, number> = {};
    const b: Record<string, number> = {};
    sim.schedule(0, () => {
      server.submit(job(sim, 100, 30, a));
      server.submit(job(sim, 100, 30, b));
    });
    sim.run({ until: 60_000 });
    // Prefill: 200 tokens share 100 tok/s x 0.5: 4 s. Decode: 30 tokens at 7.5 x 0.5 tok/s: 8 s.
    expect(a.firstToken).toBeCloseTo(4_000, 9);
    expect(a.done).toBeCloseTo(12_000, 9);
    expect(b.done).toBeCloseTo(12_000, 9);
  });
});

describe("the batch server's window", () => {
  it("time averages cover [from, to) only; counters count what happened in it, whichever query it was", () => {
    const sim = new Simulator();
    const server = new BatchServer(sim, SPEC, 1_000, 5_000, undefined);
    // A at 0 s: prefill to 2 s, 10 tokens of decode to 3 s (both in the window). B at 0.1 s and D
    // at 4 s are too long for the context: refused (only D inside the window). C at 3.5 s: prefill
    // ends at 5.5 s and decode at 10.5 s, after the window closes.
    sim.schedule(0, () => server.submit(job(sim, 200, 10, {})));
    sim.schedule(100, () => server.submit(job(sim, 20_000, 1, {})));
    sim.schedule(3_500, () => server.submit(job(sim, 200, 50, {})));
    sim.schedule(4_000, () => server.submit(job(sim, 20_000, 1, {})));
    sim.run({ until: 20_000 });
    const stats = server.statistics(20_000);
    // Busy [1, 3) s and [3.5, 5) s of the 4 s window.
    expect(stats.busyMs).toBeCloseTo(3_500, 9);
    expect(stats.utilisation).toBeCloseTo(0.875, 12);
    expect(stats.meanBatch).toBeCloseTo(0.875, 12);
    expect(server.served).toBe(1);
    expect(server.outputTokens).toBe(10);
    expect(server.promptTokens).toBe(200);
    expect(server.refused).toBe(1);
    expect(server.refusedContext).toBe(1);
  });
});
