import { newStageSet, type StageSet } from "../../metrics/stage-stats.js";

const QUEUE_AREA = 0;
const QUEUE_SINCE = 1;
const BUSY_AREA = 2;
const BUSY_SINCE = 3;

/**
 * Per-node measurements over the measurement window: latency stages of the requests it served,
 * and time integrals of its queue length and busy slots (for utilisation, mean queue length and
 * Little's law). The integrals are clipped to [windowFrom, windowTo): changes after the window
 * (a drain) do not count, so the time averages are over the window whatever the run's end.
 */
export class NodeMeter {
  /** Filled by the frame recorder's CompletionBatch, in completion order. */
  readonly stages: StageSet = newStageSet();
  served = 0;
  late = 0;
  refused = 0;
  lost = 0;
  private queueLength = 0;
  private busySlots = 0;
  /**
   * Queue area, queue length's last change, busy area, busy slots' last change (AREA_* below): in a
   * Float64Array, whose stores never box a double (two of these updates run per frame).
   */
  private readonly integrals = new Float64Array(4);

  constructor(
    readonly slots: number,
    private readonly windowStart: number,
    private readonly windowTo: number,
  ) {}

  queueChanged(now: number, length: number): void {
    const integrals = this.integrals;
    if (this.queueLength !== 0) {
      // The length of [since, now) that lies in the window.
      const length = Math.min(now, this.windowTo) - Math.max(integrals[QUEUE_SINCE], this.windowStart);
      if (length > 0) integrals[QUEUE_AREA] += this.queueLength * length;
    }
    this.queueLength = length;
    integrals[QUEUE_SINCE] = now;
  }

  busyChanged(now: number, busy: number): void {
    const integrals = this.integrals;
    if (this.busySlots !== 0) {
      const length = Math.min(now, this.windowTo) - Math.max(integrals[BUSY_SINCE], this.windowStart);
      if (length > 0) integrals[BUSY_AREA] += this.busySlots * length;
    }
    this.busySlots = busy;
    integrals[BUSY_SINCE] = now;
  }

  /** Integrals of queue length and busy slots from the window start up to `now` (ms x requests). */
  areasAt(now: number): { queue: number; busy: number } {
    this.queueChanged(now, this.queueLength);
    this.busyChanged(now, this.busySlots);
    return { queue: this.integrals[QUEUE_AREA], busy: this.integrals[BUSY_AREA] };
  }

  /** The window's length. */
  get windowMs(): number {
    return this.windowTo - this.windowStart;
  }

  /** Time-average number of requests waiting. */
  get meanQueueLength(): number {
    return this.integrals[QUEUE_AREA] / this.windowMs;
  }

  /** Time-average number of requests in service. */
  get meanBusySlots(): number {
    return this.integrals[BUSY_AREA] / this.windowMs;
  }

  /** Fraction of slot time spent serving. */
  get utilisation(): number {
    return this.meanBusySlots / this.slots;
  }
}
