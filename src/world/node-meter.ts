import { newStageSet, type StageSet } from "../metrics/stage-stats.js";

/**
 * Per-node measurements over the measurement window [warm-up, end]: latency stages of the
 * requests it served, and time integrals of its queue length and busy slots (for utilisation,
 * mean queue length and Little's law).
 */
export class NodeMeter {
  readonly stages: StageSet = newStageSet();
  served = 0;
  late = 0;
  dropped = 0;
  private windowStart = 0;
  private windowEnd = NaN;
  private queueArea = 0;
  private queueLength = 0;
  private queueSince = 0;
  private busyArea = 0;
  private busySlots = 0;
  private busySince = 0;

  constructor(readonly slots: number) {}

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
    this.queueArea += this.queueLength * (now - this.queueSince);
    this.queueLength = length;
    this.queueSince = now;
  }

  busyChanged(now: number, busy: number): void {
    this.busyArea += this.busySlots * (now - this.busySince);
    this.busySlots = busy;
    this.busySince = now;
  }

  /** Integrals of queue length and busy slots from the window start up to `now` (ms x requests). */
  areasAt(now: number): { queue: number; busy: number } {
    this.queueChanged(now, this.queueLength);
    this.busyChanged(now, this.busySlots);
    return { queue: this.queueArea, busy: this.busyArea };
  }

  /** Starts the measurement window (end of warm-up): integrals restart from the current state. */
  startWindow(now: number): void {
    this.windowStart = now;
    this.queueArea = 0;
    this.queueSince = now;
    this.busyArea = 0;
    this.busySince = now;
  }

  endWindow(now: number): void {
    this.queueChanged(now, this.queueLength);
    this.busyChanged(now, this.busySlots);
    this.windowEnd = now;
  }

  get windowMs(): number {
    return this.windowEnd - this.windowStart;
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
