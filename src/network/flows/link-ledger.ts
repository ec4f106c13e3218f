/**
 * Per-link accounting of a fluid network: each link's load (the sum of its flows' rates) is
 * piecewise constant between rate changes, so bytes carried and busy time are exact integrals
 * closed at every change. The measurement window is [warmup, end), `end` being the time the
 * figures are read: utilisation over it = bytes carried in it / (capacity × its length).
 */

/** A link's figures at the time they are read. */
export interface LinkUsage {
  /** Bytes carried since time 0. */
  bytes: number;
  /** Bytes carried in [warmup, now). */
  windowBytes: number;
  /** Time with at least one flow on the link, in [warmup, now), ms. */
  windowBusyMs: number;
  /** Integral of the number of flows on the link over [warmup, now), flow·ms (over the window's length: the mean flows). */
  windowFlowArea: number;
  /** The most flows on the link at once in [warmup, now]. */
  windowPeakFlows: number;
  /** Time-average load / capacity over [warmup, now); undefined for a link with no capacity or an empty window. */
  utilisation: number | undefined;
  /** Flows on the link now. */
  flows: number;
}

export class LinkLedger {
  private load: number[] = [];
  private flowCount: number[] = [];
  private since: number[] = [];
  private bytes: number[] = [];
  private windowBytes: number[] = [];
  private windowBusy: number[] = [];
  private windowFlowArea: number[] = [];
  private windowPeak: number[] = [];

  constructor(private readonly warmup: number) {}

  /** Adds a link; returns its index. */
  add(): number {
    this.load.push(0);
    this.flowCount.push(0);
    this.since.push(0);
    this.bytes.push(0);
    this.windowBytes.push(0);
    this.windowBusy.push(0);
    this.windowFlowArea.push(0);
    this.windowPeak.push(0);
    return this.load.length - 1;
  }

  /** Closes the link's current segment at `now` (before its load or flow count changes). */
  close(link: number, now: number): void {
    const from = this.since[link];
    if (now <= from) return;
    const load = this.load[link];
    this.bytes[link] += load * (now - from);
    const windowFrom = from > this.warmup ? from : this.warmup;
    if (now > windowFrom) {
      this.windowBytes[link] += load * (now - windowFrom);
      const flows = this.flowCount[link];
      if (flows > 0) {
        this.windowBusy[link] += now - windowFrom;
        this.windowFlowArea[link] += flows * (now - windowFrom);
        if (flows > this.windowPeak[link]) this.windowPeak[link] = flows;
      }
    }
    this.since[link] = now;
  }

  /** Sets the load of a link whose segment was closed at the current time. */
  setLoad(link: number, load: number): void {
    this.load[link] = load;
  }

  /** Changes the number of flows on a link whose segment was closed at the current time. */
  addFlows(link: number, delta: number): void {
    const flows = this.flowCount[link] + delta;
    this.flowCount[link] = flows;
    if (this.since[link] >= this.warmup && flows > this.windowPeak[link]) this.windowPeak[link] = flows;
  }

  /** Bytes that crossed a link in no time (a flow at unlimited rate). */
  addInstant(link: number, now: number, bytes: number): void {
    this.bytes[link] += bytes;
    if (now >= this.warmup) this.windowBytes[link] += bytes;
  }

  loadOf(link: number): number {
    return this.load[link];
  }

  flowsOn(link: number): number {
    return this.flowCount[link];
  }

  /** The figures of a link at `now` (its open segment included; nothing is changed). */
  usage(link: number, now: number, capacity: number): LinkUsage {
    const from = this.since[link];
    const load = this.load[link];
    const open = now > from ? now - from : 0;
    const windowFrom = from > this.warmup ? from : this.warmup;
    const openInWindow = now > windowFrom ? now - windowFrom : 0;
    const windowBytes = this.windowBytes[link] + load * openInWindow;
    const windowLength = now - this.warmup;
    return {
      bytes: this.bytes[link] + load * open,
      windowBytes,
      windowBusyMs: this.windowBusy[link] + (this.flowCount[link] > 0 ? openInWindow : 0),
      windowFlowArea: this.windowFlowArea[link] + this.flowCount[link] * openInWindow,
      windowPeakFlows: openInWindow > 0 && this.flowCount[link] > this.windowPeak[link] ? this.flowCount[link] : this.windowPeak[link],
      utilisation: capacity === Number.POSITIVE_INFINITY || !(windowLength > 0) ? undefined : windowBytes / (capacity * windowLength),
      flows: this.flowCount[link],
    };
  }
}
