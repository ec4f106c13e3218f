/** A batched server's figures over the measurement window, as query-results reads them. */
export interface WindowStatistics {
  busyMs: number;
  downMs: number;
  utilisation: number;
  meanBatch: number;
  meanQueueLength: number;
}

/**
 * The time-weighted state of a batched server clipped to the measurement window [from, to):
 * busy time, batch and queue areas, down time, integrated piecewise (the state held since the
 * last call, up to now).
 */
export class ServerWindow {
  private last = 0;
  private busyArea = 0;
  private batchArea = 0;
  private queueArea = 0;
  private downArea = 0;

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {}

  /** The state held since the last call (`batch` queries in service, `queue` waiting, down or not) ends at `now`. */
  accumulate(now: number, batch: number, queue: number, down: boolean): void {
    const from = this.last > this.from ? this.last : this.from;
    const to = now < this.to ? now : this.to;
    const dt = to - from;
    if (dt > 0) {
      if (batch > 0) this.busyArea += dt;
      this.batchArea += batch * dt;
      this.queueArea += queue * dt;
      if (down) this.downArea += dt;
    }
    if (now > this.last) this.last = now;
  }

  /** Busy and down time, utilisation, mean batch and mean queue length over the window (integrated up to the last call). */
  statistics(): WindowStatistics {
    const span = this.to - this.from;
    return {
      busyMs: this.busyArea,
      downMs: this.downArea,
      utilisation: span > 0 ? this.busyArea / span : 0,
      meanBatch: span > 0 ? this.batchArea / span : 0,
      meanQueueLength: span > 0 ? this.queueArea / span : 0,
    };
  }
}
