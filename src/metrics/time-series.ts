import { COARSE_BUCKETS_PER_OCTAVE, QuantileSketch } from "./sketch.js";

export interface TimeBin {
  startMs: number;
  completed: number;
  late: number;
  /** The policy chose not to run it (results@2); in results@1 files: refused by a full queue. */
  dropped: number;
  /** Refused by a service (a full queue), results@2; 0 in results@1 files. */
  refused: number;
  lost: number;
  /** Created in this bin, still in flight at the end of the run and already past the deadline. */
  unfinishedLate: number;
  violationRate: number | null;
  latencyMean: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  nodes: { utilisation: number; meanQueueLength: number }[];
}

export interface TimeSeries {
  binMs: number;
  bins: TimeBin[];
}

/**
 * Per-bin request outcomes (by creation time) and node state (time averages) over the
 * measurement window. Latency quantiles per bin use a coarse sketch (2% relative error).
 */
export class TimeSeriesRecorder {
  readonly binCount: number;
  private readonly completed: Float64Array;
  private readonly late: Float64Array;
  private readonly dropped: Float64Array;
  private readonly refused: Float64Array;
  private readonly lost: Float64Array;
  private readonly unfinishedLate: Float64Array;
  private readonly latencySum: Float64Array;
  private readonly sketches: (QuantileSketch | undefined)[];
  /** [bin][node] time averages, filled by closeBin. */
  private readonly nodeState: { utilisation: number; meanQueueLength: number }[][];

  constructor(
    readonly startMs: number,
    readonly endMs: number,
    readonly binMs: number,
  ) {
    this.binCount = Math.max(1, Math.ceil((endMs - startMs) / binMs));
    this.completed = new Float64Array(this.binCount);
    this.late = new Float64Array(this.binCount);
    this.dropped = new Float64Array(this.binCount);
    this.refused = new Float64Array(this.binCount);
    this.lost = new Float64Array(this.binCount);
    this.unfinishedLate = new Float64Array(this.binCount);
    this.latencySum = new Float64Array(this.binCount);
    this.sketches = new Array(this.binCount).fill(undefined);
    this.nodeState = Array.from({ length: this.binCount }, () => []);
  }

  binStart(bin: number): number {
    return this.startMs + bin * this.binMs;
  }

  private binOf(createdAt: number): number {
    const bin = Math.floor((createdAt - this.startMs) / this.binMs);
    return bin < 0 ? 0 : bin >= this.binCount ? this.binCount - 1 : bin;
  }

  recordCompleted(createdAt: number, totalMs: number, late: boolean): void {
    const bin = this.binOf(createdAt);
    this.completed[bin]++;
    if (late) this.late[bin]++;
    this.latencySum[bin] += totalMs;
    let sketch = this.sketches[bin];
    if (sketch === undefined) {
      sketch = new QuantileSketch(COARSE_BUCKETS_PER_OCTAVE);
      this.sketches[bin] = sketch;
    }
    sketch.add(totalMs);
  }

  recordDropped(createdAt: number): void {
    this.dropped[this.binOf(createdAt)]++;
  }

  recordRefused(createdAt: number): void {
    this.refused[this.binOf(createdAt)]++;
  }

  recordLost(createdAt: number): void {
    this.lost[this.binOf(createdAt)]++;
  }

  recordUnfinishedLate(createdAt: number): void {
    this.unfinishedLate[this.binOf(createdAt)]++;
  }

  /** Stores a bin's node time averages (computed by the caller from its meters). */
  closeBin(bin: number, nodes: { utilisation: number; meanQueueLength: number }[]): void {
    this.nodeState[bin] = nodes;
  }

  result(): TimeSeries {
    const bins: TimeBin[] = [];
    for (let bin = 0; bin < this.binCount; bin++) {
      const completed = this.completed[bin];
      const failed = this.dropped[bin] + this.refused[bin] + this.lost[bin] + this.unfinishedLate[bin];
      const attempts = completed + failed;
      const sketch = this.sketches[bin];
      bins.push({
        startMs: this.binStart(bin),
        completed,
        late: this.late[bin],
        dropped: this.dropped[bin],
        refused: this.refused[bin],
        lost: this.lost[bin],
        unfinishedLate: this.unfinishedLate[bin],
        violationRate: attempts === 0 ? null : (this.late[bin] + failed) / attempts,
        latencyMean: completed === 0 ? null : this.latencySum[bin] / completed,
        latencyP50: sketch === undefined ? null : sketch.quantile(0.5),
        latencyP95: sketch === undefined ? null : sketch.quantile(0.95),
        nodes: this.nodeState[bin],
      });
    }
    return { binMs: this.binMs, bins };
  }
}
