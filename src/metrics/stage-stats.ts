import { QuantileSketch } from "./sketch.js";

/** Summary of one latency stage, in milliseconds; quantiles are within the sketch's relative error. */
export interface StageSummary {
  count: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Streaming statistics of one quantity: exact count, mean, sd, min, max; sketched quantiles. */
export class StageStats {
  private n = 0;
  /** Sums are kept relative to the first value seen, so the variance does not cancel catastrophically. */
  private shift = NaN;
  private shiftedSum = 0;
  private shiftedSumSq = 0;
  private minimum = Infinity;
  private maximum = -Infinity;
  readonly sketch = new QuantileSketch();

  get count(): number {
    return this.n;
  }

  get mean(): number {
    return this.n === 0 ? NaN : this.shift + this.shiftedSum / this.n;
  }

  add(value: number): void {
    if (this.n++ === 0) this.shift = value;
    const d = value - this.shift;
    this.shiftedSum += d;
    this.shiftedSumSq += d * d;
    if (value < this.minimum) this.minimum = value;
    if (value > this.maximum) this.maximum = value;
    this.sketch.add(value);
  }

  /** Combines another StageStats into this one, re-expressing its sums around this one's shift. */
  merge(other: StageStats): void {
    if (other.n === 0) return;
    if (this.n === 0) this.shift = other.shift;
    const offset = other.shift - this.shift;
    this.shiftedSumSq += other.shiftedSumSq + 2 * offset * other.shiftedSum + other.n * offset * offset;
    this.shiftedSum += other.shiftedSum + other.n * offset;
    this.n += other.n;
    this.minimum = Math.min(this.minimum, other.minimum);
    this.maximum = Math.max(this.maximum, other.maximum);
    this.sketch.merge(other.sketch);
  }

  private variance(): number {
    if (this.n < 2) return 0;
    const meanShifted = this.shiftedSum / this.n;
    return Math.max(0, (this.shiftedSumSq - this.n * meanShifted * meanShifted) / (this.n - 1));
  }

  summary(): StageSummary {
    if (this.n === 0) return { count: 0, mean: null, sd: null, min: null, p50: null, p95: null, p99: null, max: null };
    return {
      count: this.n,
      mean: this.mean,
      sd: Math.sqrt(this.variance()),
      min: this.minimum,
      // A sketch quantile is clamped into [min, max] so it never lies outside the observed range.
      p50: this.clampToRange(this.sketch.quantile(0.5)),
      p95: this.clampToRange(this.sketch.quantile(0.95)),
      p99: this.clampToRange(this.sketch.quantile(0.99)),
      max: this.maximum,
    };
  }

  /** The distribution at the given probabilities (p = 0 is the minimum, p = 1 the maximum); empty when no value was seen. */
  cdf(probabilities: readonly number[]): { p: number; ms: number }[] {
    if (this.n === 0) return [];
    return probabilities.map((p) => ({
      p,
      ms: p <= 0 ? this.minimum : p >= 1 ? this.maximum : this.clampToRange(this.sketch.quantile(p)),
    }));
  }

  private clampToRange(value: number): number {
    return Math.min(this.maximum, Math.max(this.minimum, value));
  }
}

/** The latency stages of a request, in the order they happen. */
export const STAGES = ["networkUp", "queueing", "preprocessing", "inference", "networkDown", "total"] as const;
export type Stage = (typeof STAGES)[number];

export type StageSet = Record<Stage, StageStats>;

export function newStageSet(): StageSet {
  return {
    networkUp: new StageStats(),
    queueing: new StageStats(),
    preprocessing: new StageStats(),
    inference: new StageStats(),
    networkDown: new StageStats(),
    total: new StageStats(),
  };
}

export function mergeStageSets(target: StageSet, source: StageSet): void {
  for (const stage of STAGES) target[stage].merge(source[stage]);
}

export function summarizeStageSet(set: StageSet): Record<Stage, StageSummary> {
  const out = {} as Record<Stage, StageSummary>;
  for (const stage of STAGES) out[stage] = set[stage].summary();
  return out;
}
