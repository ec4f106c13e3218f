import type { Simulator } from "../engine/simulator.js";
import { growFloat64 } from "../engine/typed-arrays.js";
import type { UnitSharing } from "../scenario/resolved-scenario.js";
import type { ComputeUnit } from "./traffic-context.js";

/**
 * A node's compute unit (accelerator or CPU) shared by the services whose inference runs on it
 * (docs/accelerator-sharing.md).
 *
 * - "time-slicing": with k services busy, each runs at 1/k of the unit's speed. This is the fluid
 *   limit of round-robin time slices between GPU contexts (about 1 ms on Tegra, far shorter than an
 *   inference), context-switch time neglected.
 * - "isolated": every service always runs at full speed, as if it had the unit to itself (an
 *   optimistic bound: MPS, or separate engines).
 *
 * `speedOf` a busy service is its share now; of an idle one, the share it would get were it to
 * become busy now (so a service may read it before or after its own `setBusy(true)`: same value).
 * Hence a service's own `setBusy` never changes its own share, and it is never called back for
 * it. When a service's `setBusy` changes the number of busy services, the OTHER busy services are
 * called back, in registration order, after the unit's state is updated (an idle service is not:
 * it has nothing in progress whose pace depends on its share). A callback means "your share may
 * have changed: read `speedOf`".
 */
export function createComputeUnit(sim: Simulator, sharing: UnitSharing): ComputeUnit {
  return new SharedUnit(sim, sharing === "time-slicing");
}

class SharedUnit implements ComputeUnit {
  private readonly callbacks: (() => void)[] = [];
  private readonly busy: boolean[] = [];
  private busyCount = 0;
  /**
   * The unit's busy periods (at least one service busy) so far: period i is
   * [starts[i], ends[i]) with ends[i] = NaN while it lasts; busyBefore[i] is the busy time before
   * it. Kept so that busyShare can integrate any interval after the fact.
   */
  private starts: Float64Array = new Float64Array(16);
  private ends: Float64Array = new Float64Array(16);
  private busyBefore: Float64Array = new Float64Array(16);
  private periods = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly slicing: boolean,
  ) {}

  speedOf(service: number): number {
    if (!this.slicing) return 1;
    return 1 / (this.busy[service] ? this.busyCount : this.busyCount + 1);
  }

  register(onSpeedChange: () => void): number {
    this.callbacks.push(onSpeedChange);
    this.busy.push(false);
    return this.callbacks.length - 1;
  }

  setBusy(service: number, busy: boolean): void {
    if (this.busy[service] === busy) return;
    this.busy[service] = busy;
    this.busyCount += busy ? 1 : -1;
    if (busy && this.busyCount === 1) this.openPeriod(this.sim.now);
    else if (!busy && this.busyCount === 0) this.ends[this.periods - 1] = this.sim.now;
    if (!this.slicing) return;
    for (let other = 0; other < this.callbacks.length; other++) {
      if (other !== service && this.busy[other]) this.callbacks[other]();
    }
  }

  /**
   * Integrates piecewise over the recorded busy periods; the part of [from, to) after now counts
   * with the current state (it holds until a service changes it).
   */
  busyShare(from: number, to: number): number {
    if (!(from <= to)) throw new RangeError(`busyShare over [${from}, ${to}): the interval is reversed`);
    if (from === to) return 0;
    return (this.busyUntil(to) - this.busyUntil(from)) / (to - from);
  }

  /** Busy time in [0, t). */
  private busyUntil(t: number): number {
    // The last period starting at or before t (binary search: periods are in time order).
    let low = 0;
    let high = this.periods;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.starts[mid] <= t) low = mid + 1;
      else high = mid;
    }
    if (low === 0) return 0;
    const i = low - 1;
    const end = this.ends[i];
    const inPeriod = Number.isNaN(end) ? t - this.starts[i] : Math.min(t, end) - this.starts[i];
    return this.busyBefore[i] + inPeriod;
  }

  private openPeriod(now: number): void {
    const last = this.periods - 1;
    // Idle for no time at all (one service idle and another busy at the same instant): one period.
    if (last >= 0 && this.ends[last] === now) {
      this.ends[last] = Number.NaN;
      return;
    }
    if (this.periods === this.starts.length) this.grow();
    const before = last >= 0 ? this.busyBefore[last] + (this.ends[last] - this.starts[last]) : 0;
    this.starts[this.periods] = now;
    this.ends[this.periods] = Number.NaN;
    this.busyBefore[this.periods] = before;
    this.periods++;
  }

  private grow(): void {
    const capacity = this.starts.length * 2;
    this.starts = growFloat64(this.starts, capacity);
    this.ends = growFloat64(this.ends, capacity);
    this.busyBefore = growFloat64(this.busyBefore, capacity);
  }
}
