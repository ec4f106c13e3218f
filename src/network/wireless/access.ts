import { type Interval, intersect, type Leg, legPosition, type Point, SAME_INSTANT_MS, squaredDistance, whereNonPositive } from "../mobility/geometry.js";
import type { Trajectory } from "../mobility/trajectory.js";
import { ApGrid } from "./ap-grid.js";
import { hysteresisDistanceRatio, type PathLoss, type RateModel, rateAtDistance } from "./radio.js";

/** An access point or base station: where it is, how far it reaches, what it can carry. */
export interface AccessPoint {
  id: string;
  position: Point;
  rangeM: number;
  /** Capacity shared by the devices attached to it, bit/s (the flow model shares it; here it caps a device's rate). */
  capacityBps: number;
}

/** How much better another AP must be before a device hands over: in metres nearer, or in dB of received power (log-distance). */
export type Hysteresis = { unit: "m"; value: number } | { unit: "dB"; value: number };

export interface AccessSettings {
  hysteresis: Hysteresis;
  /** Time after an attachment change during which the device's transfers wait, ms. */
  handoverDelayMs: number;
  pathLoss: PathLoss;
  /** Rate falling with distance; null: an attached device may use the AP's whole capacity. */
  rate: RateModel | null;
}

/** A change of a device's AP: a handover (both set), a loss of coverage (toAp null) or an attachment after one (fromAp null). */
export interface AttachmentChange {
  time: number;
  fromAp: string | null;
  toAp: string | null;
}

export interface Attachment {
  ap: string | null;
  /** When the current attachment began (the start, or the change that made it). */
  since: number;
  /** When the device's transfers may go: since + the handover delay after a change, since at the start; Infinity when not attached. */
  readyAt: number;
}

interface DeviceState {
  trajectory: Trajectory;
  start: number;
  /** Attachment changes found so far, in time order; the first is the initial attachment (fromAp null, at the start). */
  changes: AttachmentChange[];
  /** No change other than those listed happens before this time. */
  knownUntil: number;
  /** Changes dropped by `forget` (so the first kept one is the initial attachment only when none was). */
  dropped: number;
}

/**
 * Attachment and handover of moving devices to fixed access points, computed exactly from the
 * devices' straight legs: a device attaches to the nearest AP in range; it hands over when it
 * leaves its AP's range (to the nearest AP still in range, if any) or when another AP in range is
 * better by the hysteresis. Both conditions are quadratic inequalities in time on a leg
 * (geometry.ts), so the next change is solved for, not polled. Changes are found lazily, only as
 * far as asked, and never after `horizonMs`.
 */
export class WirelessAccess {
  private readonly devices = new Map<string, DeviceState>();
  private readonly distanceRatio: number;
  private readonly indexOf = new Map<string, number>();
  private readonly grid: ApGrid;

  constructor(
    private readonly accessPoints: readonly AccessPoint[],
    private readonly settings: AccessSettings,
    private readonly horizonMs: number,
  ) {
    this.distanceRatio = settings.hysteresis.unit === "dB" ? hysteresisDistanceRatio(settings.pathLoss, settings.hysteresis.value) : 1;
    accessPoints.forEach((ap, index) => {
      if (this.indexOf.has(ap.id)) throw new Error(`access point "${ap.id}" listed twice`);
      this.indexOf.set(ap.id, index);
    });
    this.grid = new ApGrid(
      accessPoints.map((ap) => ap.position),
      accessPoints.map((ap) => ap.rangeM),
    );
  }

  addDevice(id: string, trajectory: Trajectory, start = 0): void {
    if (this.devices.has(id)) throw new Error(`device "${id}" added twice to wireless access`);
    const leg = trajectory.legAt(start);
    const first = this.nearestInRange(leg, start, -1);
    const initial: AttachmentChange = { time: start, fromAp: null, toAp: first < 0 ? null : this.accessPoints[first].id };
    this.devices.set(id, { trajectory, start, changes: [initial], knownUntil: start, dropped: 0 });
  }

  /** The device's AP at time t (after any change at exactly t), since when, and when its transfers may go. */
  attachment(device: string, t: number): Attachment {
    const state = this.state(device);
    while (state.knownUntil < t && state.knownUntil < this.horizonMs) this.findNext(state);
    const index = lastAtOrBefore(state.changes, t);
    const change = state.changes[index];
    const delay = index + state.dropped === 0 ? 0 : this.settings.handoverDelayMs;
    return { ap: change.toAp, since: change.time, readyAt: change.toAp === null ? Infinity : change.time + delay };
  }

  /** The device's first attachment change strictly after t (up to the horizon), or null. */
  nextHandover(device: string, t: number): AttachmentChange | null {
    const state = this.state(device);
    for (;;) {
      const next = lastAtOrBefore(state.changes, t) + 1;
      if (next < state.changes.length) return state.changes[next];
      if (state.knownUntil >= this.horizonMs) return null;
      this.findNext(state);
    }
  }

  /** Attachment changes of the device up to and including t (the initial attachment left out; none dropped by `forget`). */
  changesUntil(device: string, t: number): AttachmentChange[] {
    this.attachment(device, t);
    const state = this.state(device);
    return state.changes.filter((change, index) => index + state.dropped > 0 && change.time <= t);
  }

  /**
   * Drops what no later query needs: the device's changes before the one in force at t, and its
   * trajectory's legs that end before t. Queries must not go before t afterwards. A long run calls
   * it as its clock passes each change, so memory stays flat however many handovers happen.
   */
  forget(device: string, t: number): void {
    const state = this.state(device);
    const keep = lastAtOrBefore(state.changes, Math.min(t, state.knownUntil));
    if (keep > 0) {
      state.changes = state.changes.slice(keep);
      state.dropped += keep;
    }
    // The search for the next change resumes from knownUntil: its leg must stay.
    state.trajectory.forget(Math.min(t, state.knownUntil));
  }

  /** Handovers (from one AP straight to another) up to and including t. */
  handoverCount(device: string, t: number): number {
    return this.changesUntil(device, t).filter((change) => change.fromAp !== null && change.toAp !== null).length;
  }

  /** The device's rate at t, bit/s: 0 when not attached or within the handover delay; else the AP capacity, or the distance rate when set. */
  rateAt(device: string, t: number): number {
    const { ap, readyAt } = this.attachment(device, t);
    if (ap === null || t < readyAt) return 0;
    const point = this.accessPoints[this.indexOf.get(ap) as number];
    if (this.settings.rate === null) return point.capacityBps;
    const here = this.state(device).trajectory.positionAt(t);
    return rateAtDistance(this.settings.rate, Math.hypot(here.x - point.position.x, here.y - point.position.y), point.capacityBps);
  }

  private state(device: string): DeviceState {
    const state = this.devices.get(device);
    if (state === undefined) throw new Error(`device "${device}" is not in wireless access`);
    return state;
  }

  /**
   * Finds the next change after knownUntil and appends it, or advances knownUntil to the horizon.
   * A leg is searched in stretches of twice the largest range, each against the APs near it.
   */
  private findNext(state: DeviceState): void {
    const last = state.changes[state.changes.length - 1];
    const current = last.toAp === null ? -1 : (this.indexOf.get(last.toAp) as number);
    const after = state.knownUntil;
    for (const leg of state.trajectory.legsBetween(after, this.horizonMs)) {
      const from = Math.max(after, leg.start) - leg.start;
      const to = Math.min(leg.end, this.horizonMs) - leg.start;
      const speed = Math.hypot(leg.vx, leg.vy);
      const stretch = speed > 0 && this.grid.reach > 0 ? (2 * this.grid.reach) / speed : Infinity;
      for (let lo = from; lo <= to; lo += stretch) {
        const hi = Math.min(lo + stretch, to);
        const found = this.firstTrigger(leg, current, lo, hi, after, this.candidates(leg, lo, hi));
        if (found !== null) {
          const time = leg.start + found.s;
          const target = found.target ?? this.nearestInRange(leg, time, current);
          state.changes.push({ time, fromAp: last.toAp, toAp: target < 0 ? null : this.accessPoints[target].id });
          state.knownUntil = time;
          return;
        }
        if (hi >= to) break;
      }
      if (leg.end >= this.horizonMs) break;
    }
    state.knownUntil = this.horizonMs;
  }

  /** The APs that could cover some point of the leg over [lo, hi], ascending. */
  private candidates(leg: Leg, lo: number, hi: number): number[] {
    const x0 = leg.x + leg.vx * lo;
    const x1 = leg.x + leg.vx * hi;
    const y0 = leg.y + leg.vy * lo;
    const y1 = leg.y + leg.vy * hi;
    return this.grid.near(Math.min(x0, x1), Math.max(x0, x1), Math.min(y0, y1), Math.max(y0, y1));
  }

  /**
   * The earliest s in [lo, hi] (leg time) strictly after `after` at which a change triggers, and the
   * AP it goes to when that is known (a better AP, or an AP entered while detached); target
   * undefined means "leaving range: the nearest AP still in range". Only `candidates` (and the
   * current AP) are looked at.
   */
  private firstTrigger(leg: Leg, current: number, lo: number, hi: number, after: number, candidates: number[]): { s: number; target?: number } | null {
    const minS = after + SAME_INSTANT_MS - leg.start;
    let best: { s: number; target?: number } | null = null;
    const consider = (s: number, target: number | undefined): void => {
      if (s < minS || s > hi) return;
      if (best === null || s < best.s || (s === best.s && target !== undefined && best.target !== undefined && target < best.target)) best = { s, target };
    };
    const inRange = (j: number): Interval[] => {
      const ap = this.accessPoints[j];
      const q = squaredDistance(leg, ap.position);
      return whereNonPositive(q.a, q.b, q.c - ap.rangeM * ap.rangeM, lo, hi);
    };
    if (current >= 0) {
      // Leaving range: the end of the in-range stretch that holds just after `after`.
      const start = Math.max(lo, minS);
      const holding = inRange(current).find((interval) => interval.from <= start && interval.to >= start);
      if (holding === undefined) consider(start, undefined);
      else if (holding.to < hi) consider(holding.to, undefined);
    }
    for (const j of candidates) {
      if (j === current) continue;
      const sets = current < 0 ? inRange(j) : intersect(inRange(j), this.betterThan(leg, j, current, lo, hi));
      const entry = sets.find((interval) => interval.from >= minS && interval.to > interval.from);
      if (entry !== undefined) consider(entry.from, j);
    }
    return best;
  }

  /** Where AP j is better than AP i by the hysteresis on this leg (s in [lo, hi]). */
  private betterThan(leg: Leg, j: number, i: number, lo: number, hi: number): Interval[] {
    const qi = squaredDistance(leg, this.accessPoints[i].position);
    const qj = squaredDistance(leg, this.accessPoints[j].position);
    const { hysteresis } = this.settings;
    if (hysteresis.unit === "dB" || hysteresis.value === 0) {
      // d_i >= k d_j  <=>  k^2 q_j - q_i <= 0 (k = 1 for no hysteresis).
      const k2 = this.distanceRatio * this.distanceRatio;
      return whereNonPositive(k2 * qj.a - qi.a, k2 * qj.b - qi.b, k2 * qj.c - qi.c, lo, hi);
    }
    // d_i >= d_j + m  <=>  L >= 0 and L^2 >= 4 m^2 q_j, with L = q_i - q_j - m^2 linear in s (one leg, one |v|^2).
    const m = hysteresis.value;
    const lb = qi.b - qj.b;
    const lc = qi.c - qj.c - m * m;
    const nonNegative = whereNonPositive(0, -lb, -lc, lo, hi);
    const squared = whereNonPositive(4 * m * m * qj.a - lb * lb, 4 * m * m * qj.b - 2 * lb * lc, 4 * m * m * qj.c - lc * lc, lo, hi);
    return intersect(nonNegative, squared);
  }

  /**
   * The nearest AP in range at time t other than `exclude`, ties broken by the AP drawing nearer
   * faster and then by list order; an AP whose edge the device is crossing outwards at t does not
   * count. -1 when none.
   */
  private nearestInRange(leg: Leg, t: number, exclude: number): number {
    const here = legPosition(leg, t);
    let best = -1;
    let bestDistance = Infinity;
    let bestApproach = Infinity;
    for (const j of this.grid.near(here.x, here.x, here.y, here.y)) {
      if (j === exclude) continue;
      const ap = this.accessPoints[j];
      const dx = here.x - ap.position.x;
      const dy = here.y - ap.position.y;
      const squared = dx * dx + dy * dy;
      const approach = dx * leg.vx + dy * leg.vy;
      const edge = ap.rangeM * ap.rangeM;
      if (squared > edge * (1 + 1e-12)) continue;
      if (squared >= edge * (1 - 1e-12) && approach > 0) continue;
      if (squared < bestDistance || (squared === bestDistance && approach < bestApproach)) {
        best = j;
        bestDistance = squared;
        bestApproach = approach;
      }
    }
    return best;
  }
}

/** The index of the last change at or before t (0, the initial attachment, when t is before all others). */
function lastAtOrBefore(changes: readonly AttachmentChange[], t: number): number {
  let lo = 0;
  let hi = changes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (changes[mid].time <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
