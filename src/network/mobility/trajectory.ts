import { circleCrossings, type Leg, legPosition, type Point } from "./geometry.js";

/** Produces a device's next legs, contiguous in time with the previous ones; the last leg of a model that stops is infinite. */
export type LegSource = () => Leg[];

/**
 * A device's path, generated lazily: legs are drawn from the model only as far as the latest
 * time asked for (no fixed-step ticking), and kept until `forget` so a look-ahead (the next
 * handover) and a later position query at an earlier time agree. The draws are consumed in leg
 * order whatever the query pattern, so positions do not depend on who asked first.
 */
export class Trajectory {
  private legs: Leg[] = [];
  private cursor = 0;

  constructor(
    private readonly source: LegSource,
    readonly startTime = 0,
  ) {}

  /** Position at time t (ms), metres. t must not be before the start or a forgotten time. */
  positionAt(t: number): Point {
    return legPosition(this.legAt(t), t);
  }

  /** The leg in force at time t (at a leg boundary, the later leg). */
  legAt(t: number): Leg {
    this.extendTo(t);
    const legs = this.legs;
    if (legs.length === 0 || t < legs[0].start) {
      throw new RangeError(`position at ${t} ms asked for before the kept path (from ${legs[0]?.start ?? this.startTime} ms)`);
    }
    if (this.cursor >= legs.length || legs[this.cursor].start > t) this.cursor = 0;
    while (this.cursor + 1 < legs.length && legs[this.cursor + 1].start <= t) this.cursor++;
    return legs[this.cursor];
  }

  /** The legs that overlap [from, to], generated as needed. */
  *legsBetween(from: number, to: number): Generator<Leg> {
    let index = this.indexAt(from);
    for (;;) {
      while (index >= this.legs.length) this.generate();
      const leg = this.legs[index];
      if (leg.start > to) return;
      yield leg;
      // Stop at the leg that reaches `to`: looking at the next one would draw it.
      if (leg.end >= to) return;
      index++;
    }
  }

  /**
   * First time after `after` and not after `horizon` at which the device crosses the circle of
   * radius r around `center` (entering or leaving), or null. Exact per leg (a quadratic), so a
   * handover can be scheduled instead of polled.
   */
  nextCircleCrossing(center: Point, radius: number, after: number, horizon: number): number | null {
    for (const leg of this.legsBetween(after, horizon)) {
      const times = circleCrossings(leg, center, radius, after);
      if (times.length > 0) return times[0] <= horizon ? times[0] : null;
    }
    return null;
  }

  /** Drops the legs that end before t; later queries must not go before t. Bounds memory in long runs. */
  forget(t: number): void {
    let drop = 0;
    while (drop + 1 < this.legs.length && this.legs[drop].end < t) drop++;
    if (drop > 0) {
      this.legs = this.legs.slice(drop);
      this.cursor = Math.max(0, this.cursor - drop);
    }
  }

  /** Legs generated so far and kept (for tests of laziness). */
  get keptLegs(): number {
    return this.legs.length;
  }

  private indexAt(t: number): number {
    this.legAt(t);
    return this.cursor;
  }

  private extendTo(t: number): void {
    while (this.legs.length === 0 || this.legs[this.legs.length - 1].end < t) this.generate();
  }

  private generate(): void {
    const next = this.source();
    if (next.length === 0) throw new Error("a mobility model produced no leg");
    const last = this.legs[this.legs.length - 1];
    if (last !== undefined && last.end === Infinity) throw new Error("a mobility model produced a leg after an infinite one");
    this.legs.push(...next);
  }
}
