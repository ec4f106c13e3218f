import type { RandomStreams } from "../engine/rng.js";
import type { Simulator } from "../engine/simulator.js";
import type { DeviceMobilityResult, JobsWaited, MobilityResults } from "../metrics/network-results.js";
import { createTrajectory, mobilityStreamName } from "../network/mobility/models.js";
import type { Trajectory } from "../network/mobility/trajectory.js";
import { WirelessAccess } from "../network/wireless/access.js";
import type { ResolvedNetwork, ResolvedWireless } from "../scenario/resolved.js";

/** What the driver needs of the network: Network implements it; the driver's tests use a recording fake. */
export interface MobilityNetwork {
  attach(device: number, ap: number | null, readyAtMs: number): void;
  setWirelessRate(rate: (device: number, nowMs: number) => number): void;
  waitsOf(device: number): { transfers: number; waitMs: number };
}

/** What the driver needs of the scenario. */
export interface MobilityScenario {
  readonly devices: readonly { readonly id: string; readonly group: string; readonly index: number }[];
  readonly network: Pick<ResolvedNetwork, "vertices" | "wireless">;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly binWidthMs: number;
}

/** Devices whose tracks the results keep (the first of each moving group, then in order): enough for a readable map. */
export const MAX_TRACKED_DEVICES = 8;

type TrackPoint = MobilityResults["tracks"][number]["points"][number];

interface Track {
  readonly slot: number;
  readonly points: TrackPoint[];
  /** The next bin boundary (index k: warmup + k x bin width) not yet recorded. */
  nextBoundary: number;
}

/**
 * The world's mobility (issue 15): a Trajectory per moving device from its own stream, the
 * attachment model over the access points (WirelessAccess), and the network told of every
 * attachment change. Lazy: each device has at most one pending engine event, its next change
 * (found exactly from its straight legs), never a fixed-step tick; what lies behind the clock is
 * forgotten at each change, so memory stays flat in long runs. Counts cover the measurement window
 * [warmup, duration).
 */
export class MobilityDriver {
  private readonly wireless: ResolvedWireless;
  private readonly access: WirelessAccess;
  /** Per slot (a moving device, in device order): its device index, trajectory, current AP (-1: none). */
  private readonly deviceOf: number[] = [];
  private readonly trajectories: Trajectory[] = [];
  private readonly currentAp: Int32Array;
  private readonly handovers: Int32Array;
  private readonly coverageLosses: Int32Array;
  private readonly outOfCoverageMs: Float64Array;
  /** When the slot lost coverage (NaN while attached). */
  private readonly lostAt: Float64Array;
  private readonly slotOf: Int32Array;
  private readonly apIndex = new Map<string, number>();
  private readonly tracks: Track[] = [];
  private readonly trackOf = new Map<number, Track>();
  private readonly kind: number;
  /** Engine events the driver has scheduled (one per attachment change, never a tick). */
  scheduledEvents = 0;

  constructor(
    private readonly sim: Simulator,
    streams: RandomStreams,
    private readonly scenario: MobilityScenario,
    private readonly network: MobilityNetwork,
    horizonMs: number,
  ) {
    const wireless = scenario.network.wireless;
    if (wireless === undefined) throw new Error("MobilityDriver: the scenario has no wireless access");
    this.wireless = wireless;
    const vertices = scenario.network.vertices;
    // Capacity is the flow model's to share (per direction, over the attached devices): here a
    // device's own rate is limited only by the distance law, if any.
    const points = wireless.accessPoints.map((v, k) => {
      this.apIndex.set(vertices[v].id, k);
      return { id: vertices[v].id, position: vertices[v].position as { x: number; y: number }, rangeM: vertices[v].rangeM as number, capacityBps: Infinity };
    });
    this.access = new WirelessAccess(points, wireless.settings, horizonMs);
    this.slotOf = new Int32Array(scenario.devices.length).fill(-1);
    for (const device of scenario.devices) {
      const settings = wireless.mobility[device.index];
      if (settings === undefined) continue;
      const trajectory = createTrajectory(settings, streams.stream(mobilityStreamName(device.id)));
      this.slotOf[device.index] = this.deviceOf.length;
      this.deviceOf.push(device.index);
      this.trajectories.push(trajectory);
      this.access.addDevice(device.id, trajectory);
    }
    const n = this.deviceOf.length;
    this.currentAp = new Int32Array(n).fill(-1);
    this.handovers = new Int32Array(n);
    this.coverageLosses = new Int32Array(n);
    this.outOfCoverageMs = new Float64Array(n);
    this.lostAt = new Float64Array(n).fill(Number.NaN);
    this.kind = sim.registerKind((slot) => this.change(slot));
    this.chooseTracks();
  }

  /** Attaches every moving device at the current time (the start) and schedules each one's next change. */
  start(): void {
    // Without a distance law every attached device may use its AP's whole air (the flow model shares it): nothing to ask per transfer.
    if (this.scenario.network.wireless?.settings.rate != null) this.network.setWirelessRate((device, now) => this.rateBytesPerMs(device, now));
    const now = this.sim.now;
    for (let slot = 0; slot < this.deviceOf.length; slot++) {
      const { ap, readyAt } = this.access.attachment(this.idOf(slot), now);
      const index = ap === null ? -1 : (this.apIndex.get(ap) as number);
      this.currentAp[slot] = index;
      if (index < 0) this.lostAt[slot] = now;
      this.network.attach(this.deviceOf[slot], index < 0 ? null : index, readyAt);
      this.record(slot, now, ap);
      this.scheduleNext(slot, now);
    }
  }

  /** The moving devices' results over the window, for results@2's runs[].mobility. */
  results(endMs: number, waited: readonly JobsWaited[]): MobilityResults {
    const { warmupMs, durationMs } = this.scenario;
    const windowEnd = Math.min(durationMs, endMs);
    const devices: DeviceMobilityResult[] = this.deviceOf.map((deviceIndex, slot) => {
      const device = this.scenario.devices[deviceIndex];
      const open = Number.isNaN(this.lostAt[slot]) ? 0 : overlap(this.lostAt[slot], endMs, warmupMs, windowEnd);
      const waits = this.network.waitsOf(deviceIndex);
      return {
        device: device.id,
        group: device.group,
        handovers: this.handovers[slot],
        coverageLosses: this.coverageLosses[slot],
        outOfCoverageMs: this.outOfCoverageMs[slot] + open,
        transfersDelayed: waits.transfers,
        waitMs: waits.waitMs,
      };
    });
    const windowHours = Math.max(0, windowEnd - warmupMs) / 3_600_000;
    const groups: MobilityResults["groups"] = [];
    for (const result of devices) {
      let group = groups[groups.length - 1];
      if (group === undefined || group.group !== result.group) {
        const waits = waited.find((w) => w.group === result.group);
        group = { group: result.group, devices: 0, handoversPerDeviceHour: 0, jobsDelayed: waits?.jobsDelayed ?? 0, jobsLateAfterWait: waits?.jobsLateAfterWait ?? 0 };
        groups.push(group);
      }
      group.devices++;
      group.handoversPerDeviceHour += result.handovers;
    }
    for (const group of groups) group.handoversPerDeviceHour = windowHours > 0 ? group.handoversPerDeviceHour / (group.devices * windowHours) : 0;
    for (const track of this.tracks) this.catchUp(track, windowEnd, true);
    const vertices = this.scenario.network.vertices;
    return {
      devices,
      groups,
      tracks: this.tracks.map((track) => ({ device: this.idOf(track.slot), points: track.points })),
      accessPoints: this.wireless.accessPoints.map((v) => ({
        id: vertices[v].id,
        x: (vertices[v].position as { x: number }).x,
        y: (vertices[v].position as { y: number }).y,
        rangeM: vertices[v].rangeM as number,
      })),
    };
  }

  /** The engine event of a slot's attachment change. */
  private change(slot: number): void {
    const now = this.sim.now;
    const id = this.idOf(slot);
    const { ap, readyAt } = this.access.attachment(id, now);
    const from = this.currentAp[slot];
    const to = ap === null ? -1 : (this.apIndex.get(ap) as number);
    const inWindow = now >= this.scenario.warmupMs && now < this.scenario.durationMs;
    if (from >= 0 && to >= 0 && inWindow) this.handovers[slot]++;
    if (from >= 0 && to < 0) {
      if (inWindow) this.coverageLosses[slot]++;
      this.lostAt[slot] = now;
    }
    if (from < 0 && to >= 0) {
      this.outOfCoverageMs[slot] += overlap(this.lostAt[slot], now, this.scenario.warmupMs, this.scenario.durationMs);
      this.lostAt[slot] = Number.NaN;
    }
    this.currentAp[slot] = to;
    this.network.attach(this.deviceOf[slot], to < 0 ? null : to, readyAt);
    this.record(slot, now, ap);
    this.access.forget(id, now);
    this.scheduleNext(slot, now);
  }

  private scheduleNext(slot: number, now: number): void {
    const next = this.access.nextHandover(this.idOf(slot), now);
    if (next === null) return;
    this.sim.scheduleKindAt(next.time, this.kind, slot);
    this.scheduledEvents++;
  }

  /** How fast the device may send now, bytes/ms: the distance law at its AP (Infinity without one); during a handover wait, the rate it will have when the wait ends. */
  private rateBytesPerMs(device: number, now: number): number {
    const slot = this.slotOf[device];
    if (slot < 0) return Infinity;
    const id = this.idOf(slot);
    const { readyAt } = this.access.attachment(id, now);
    const at = readyAt > now && readyAt < Infinity ? readyAt : now;
    return this.access.rateAt(id, at) / 8000;
  }

  private idOf(slot: number): string {
    return this.scenario.devices[this.deviceOf[slot]].id;
  }

  /** The first moving device of each group, then the others in order, up to MAX_TRACKED_DEVICES. */
  private chooseTracks(): void {
    const seen = new Set<string>();
    const firsts: number[] = [];
    const rest: number[] = [];
    this.deviceOf.forEach((device, slot) => {
      const group = this.scenario.devices[device].group;
      (seen.has(group) ? rest : firsts).push(slot);
      seen.add(group);
    });
    for (const slot of [...firsts, ...rest].slice(0, MAX_TRACKED_DEVICES).sort((a, b) => a - b)) {
      const track: Track = { slot, points: [], nextBoundary: 0 };
      this.tracks.push(track);
      this.trackOf.set(slot, track);
    }
  }

  /** A tracked device's point at an attachment change in the window, after the bin boundaries before it. */
  private record(slot: number, t: number, ap: string | null): void {
    const track = this.trackOf.get(slot);
    if (track === undefined) return;
    this.catchUp(track, t, false);
    if (t < this.scenario.warmupMs || t > this.scenario.durationMs) return;
    const { x, y } = this.trajectories[slot].positionAt(t);
    track.points.push({ t, x, y, ap });
    // A boundary at the change's own instant is this point.
    if (this.boundary(track.nextBoundary) === t) track.nextBoundary++;
  }

  /** Records the bin boundaries of the window before `until` (and at it, when `inclusive`); the trajectory still holds them (forgotten only up to the last change). */
  private catchUp(track: Track, until: number, inclusive: boolean): void {
    const id = this.idOf(track.slot);
    for (;;) {
      const t = this.boundary(track.nextBoundary);
      if (t === null || t > until || (t === until && !inclusive)) return;
      const { x, y } = this.trajectories[track.slot].positionAt(t);
      track.points.push({ t, x, y, ap: this.access.attachment(id, t).ap });
      track.nextBoundary++;
    }
  }

  /** Bin boundary k of the window (the last is the window's end), or null past it. */
  private boundary(k: number): number | null {
    const { warmupMs, durationMs, binWidthMs } = this.scenario;
    const t = warmupMs + k * binWidthMs;
    if (t < durationMs) return t;
    return t - binWidthMs < durationMs ? durationMs : null;
  }
}

/** Length of [from, to] inside [lo, hi]. */
function overlap(from: number, to: number, lo: number, hi: number): number {
  return Math.max(0, Math.min(to, hi) - Math.max(from, lo));
}
