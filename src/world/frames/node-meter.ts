import { newStageSet, type StageSet } from "../../metrics/stage-stats.js";

/**
 * Per-node measurements over the measurement window: latency stages of the requests it served,
 * and time integrals of its queue length and busy slots (for utilisation, mean queue length and
 * Little's law). The integrals are clipped to [windowFrom, windowTo): changes after the window
 * (a drain) do not count, so the time averages are over the window whatever the run's end.
 */
export class NodeMeter {
  readonly stages: StageSet = newStageSet();
  served = 0;
  late = 0;
  dropped = 0;
  refused = 0;
  lost = 0;
  private windowStart: number;
  private downArea = 0;
  private down = false;
  private downSince = 0;
  private windowEnd = NaN;
  private queueArea = 0;
  private queueLength = 0;
  private queueSince = 0;
  private busyArea = 0;
  private busySlots = 0;
  private busySince = 0;

  constructor(
    readonly slots: number,
    windowFrom = 0,
    private readonly windowTo = Infinity,
  ) {
    this.windowStart = windowFrom;
  }

  /** Length of [since, now) that lies in the window. */
  private inWindow(since: number, now: number): number {
    const length = Math.min(now, this.windowTo) - Math.max(since, this.windowStart);
    return length > 0 ? length : 0;
  }

  record(networkUp: number, queueing: number, preprocessing: number, inference: number, networkDown: number, total: number, late: boolean): void {
    const stages = this.stages;
    stages.networkUp.add(networkUp);
    stages.queueing.add(queueing);
    stages.preprocessing.add(preprocessing);
    stages.inference.add(inference);
    stages.networkDown.add(networkDown);
    stages.total.add(total);
    this.served++;
    if (late) this.late++;
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

  downChanged(now: number, down: boolean): void {
    if (this.down) this.downArea += now - this.downSince;
    this.down = down;
    this.downSince = now;
  }

  /** Time spent down within the window, ms. */
  get downMs(): number {
    return this.downArea;
  }

  /** Integrals of queue length and busy slots from the window start up to `now` (ms x requests). */
  areasAt(now: number): { queue: number; busy: number } {
    this.queueChanged(now, this.queueLength);
    this.busyChanged(now, this.busySlots);
    return { queue: this.queueArea, busy: this.busyArea };
  }

  /** Starts the measurement window now (the old edge world, constructed without a window): integrals restart from the current state. */
  startWindow(now: number): void {
    this.windowStart = now;
    this.queueArea = 0;
    this.queueSince = now;
    this.busyArea = 0;
    this.busySince = now;
    this.downArea = 0;
    this.downSince = now;
  }

  endWindow(now: number): void {
    this.queueChanged(now, this.queueLength);
    this.busyChanged(now, this.busySlots);
    this.downChanged(now, this.down);
    this.windowEnd = now;
  }

  /** The window's length: its end as constructed, else as closed by endWindow. */
  get windowMs(): number {
    return (this.windowTo !== Infinity ? this.windowTo : this.windowEnd) - this.windowStart;
  }

  /** Time-average number of requests waiting. */
  get meanQueueLength(): number {
    return this.queueArea / this.windowMs;
  }

  /** Time-average number of requests in service. */
  get meanBusySlots(): number {
    return this.busyArea / this.windowMs;
  }

  /**
   * Energy over the window: idle power while up, plus (busy - idle) power for the busy fraction of
   * the slots; nothing while down.
   */
  energyJoules(idleW: number, busyW: number): number {
    const upMs = this.windowMs - this.downArea;
    return (idleW * upMs + (busyW - idleW) * (this.busyArea / this.slots)) / 1000;
  }

  /** Fraction of slot time spent serving. */
  get utilisation(): number {
    return this.meanBusySlots / this.slots;
  }
}
