import { newStageSet, type StageSet } from "../../metrics/stage-stats.js";

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
  private queueArea = 0;
  private queueLength = 0;
  private queueSince = 0;
  private busyArea = 0;
  private busySlots = 0;
  private busySince = 0;

  constructor(
    readonly slots: number,
    private readonly windowStart: number,
    private readonly windowTo: number,
  ) {}

  /** Length of [since, now) that lies in the window. */
  private inWindow(since: number, now: number): number {
    const length = Math.min(now, this.windowTo) - Math.max(since, this.windowStart);
    return length > 0 ? length : 0;
  }

  queueChanged(now: number, length: number): void {
    if (this.queueLength !== 0) this.queueArea += this.queueLength * this.inWindow(this.queueSince, now);
    this.queueLength = length;
    this.queueSince = now;
  }

  busyChanged(now: number, busy: number): void {
    if (this.busySlots !== 0) this.busyArea += this.busySlots * this.inWindow(this.busySince, now);
    this.busySlots = busy;
    this.busySince = now;
  }

  /** Integrals of queue length and busy slots from the window start up to `now` (ms x requests). */
  areasAt(now: number): { queue: number; busy: number } {
    this.queueChanged(now, this.queueLength);
    this.busyChanged(now, this.busySlots);
    return { queue: this.queueArea, busy: this.busyArea };
  }

  /** The window's length. */
  get windowMs(): number {
    return this.windowTo - this.windowStart;
  }

  /** Time-average number of requests waiting. */
  get meanQueueLength(): number {
    return this.queueArea / this.windowMs;
  }

  /** Time-average number of requests in service. */
  get meanBusySlots(): number {
    return this.busyArea / this.windowMs;
  }

  /** Fraction of slot time spent serving. */
  get utilisation(): number {
    return this.meanBusySlots / this.slots;
  }
}
