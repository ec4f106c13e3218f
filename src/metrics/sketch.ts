/**
 * A relative-error quantile sketch (the DDSketch construction, with its linearly interpolated
 * index mapping so that indexing needs no logarithm).
 *
 * For v = m * 2^e with m in [1, 2), the mapping f(v) = e + (m - 1) is continuous and increasing;
 * bucket i holds the values with f(v) in ((i - 1) / K, i / K]. Within one octave f is linear in v,
 * so a bucket spans at most a factor 1 + 1/K, and its representative (the harmonic mean of its
 * bounds) is within relative error 1 / (2K + 1) of every value in it. With K = 100 (the default) that is
 * 0.4975%, stated as 0.5%: a quantile returned by the sketch is within 0.5% of the exact sample
 * quantile (the order statistic of rank ceil(q * n)). Memory is fixed (buckets cover 2^-20 ms to
 * 2^30 ms, about 1 ns to 12 days; values outside are clamped into the end buckets and counted),
 * and zeros have their own counter. Merging two sketches adds their counts, so per-node sketches
 * combine into overall ones exactly.
 */
/** Buckets per octave of the default sketch, and its stated relative error (1 / (2K + 1) rounded up). */
export const FINE_BUCKETS_PER_OCTAVE = 100;
export const SKETCH_RELATIVE_ERROR = 0.005;
/** A coarser sketch (1/51 = 1.96%, stated 2%) for per-time-bin series, a quarter of the memory. */
export const COARSE_BUCKETS_PER_OCTAVE = 25;
export const COARSE_SKETCH_RELATIVE_ERROR = 0.02;

const MIN_EXPONENT = -20;
const MAX_EXPONENT = 30;
/** 2^-52: multiplying by it is exact, as dividing by 2^52 was, and a multiplication is several times cheaper than a division. */
const TWO_POW_MINUS_52 = 2.220446049250313e-16;
const TWO_POW_32 = 4294967296;
/**
 * Bucket indices held before they are counted. Counting each value at once touched a random
 * cache line of a 20 kB array per value: with 100 nodes' six stages (600 sketches, 12 MB) that
 * was a cache miss per value and the largest item of the 10,000-device profile (issue 16).
 * Held indices are appended to a short array (one line touched per 32 values) and counted 256 at
 * a time, while that sketch's counts stay in the cache. Counts are integers, so the order of
 * counting changes nothing.
 */
const PENDING = 256;

// Shared scratch to read a double's bits without allocating.
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW_WORD = 1 - HIGH_WORD;

/** f(v) = e + (m - 1) for a positive normal double v = m * 2^e. */
function octavePosition(value: number): number {
  scratch[0] = value;
  const high = scratchWords[HIGH_WORD];
  const exponent = (high >>> 20) - 1023;
  const fraction = ((high & 0xfffff) * TWO_POW_32 + scratchWords[LOW_WORD]) * TWO_POW_MINUS_52;
  return exponent + fraction;
}

/** Inverse of octavePosition. */
function valueAtPosition(position: number): number {
  const exponent = Math.floor(position);
  return 2 ** exponent * (1 + position - exponent);
}

export class QuantileSketch {
  readonly relativeError: number;
  private readonly bucketsPerOctave: number;
  private readonly offset: number;
  private readonly bucketCount: number;
  private readonly counts: Uint32Array;
  /** Bucket indices not yet in `counts` (see PENDING); every reader counts them first. */
  private readonly pending: Uint16Array | Uint32Array;
  private pendingCount = 0;
  /**
   * The lowest and highest bucket counted so far (lowest > highest when none): merges and
   * quantiles read only this range. Latencies fill a few octaves of the 50, so reading all 5,001
   * buckets of every sketch was most of a short run's results assembly (start-up, issue 16).
   */
  private lowest: number;
  private highest = -1;
  private zeroCount = 0;
  private total = 0;
  /** Values below or above the tracked range (kept, but placed in the end buckets). */
  outOfRange = 0;

  constructor(bucketsPerOctave = FINE_BUCKETS_PER_OCTAVE) {
    if (!(Number.isInteger(bucketsPerOctave) && bucketsPerOctave >= 1)) throw new RangeError("bucketsPerOctave must be a positive integer");
    this.bucketsPerOctave = bucketsPerOctave;
    this.relativeError =
      bucketsPerOctave === FINE_BUCKETS_PER_OCTAVE ? SKETCH_RELATIVE_ERROR : bucketsPerOctave === COARSE_BUCKETS_PER_OCTAVE ? COARSE_SKETCH_RELATIVE_ERROR : 1 / (2 * bucketsPerOctave + 1);
    this.offset = -MIN_EXPONENT * bucketsPerOctave;
    this.bucketCount = (MAX_EXPONENT - MIN_EXPONENT) * bucketsPerOctave + 1;
    this.counts = new Uint32Array(this.bucketCount);
    this.lowest = this.bucketCount;
    this.pending = this.bucketCount <= 0x10000 ? new Uint16Array(PENDING) : new Uint32Array(PENDING);
  }

  get count(): number {
    return this.total;
  }

  /** Adds a non-negative value (negative values count as zero: latencies are never negative). */
  add(value: number): void {
    this.total++;
    if (value <= 0) {
      this.zeroCount++;
      return;
    }
    let index = Math.ceil(octavePosition(value) * this.bucketsPerOctave) + this.offset;
    if (index < 1) {
      index = 1;
      this.outOfRange++;
    } else if (index >= this.bucketCount) {
      index = this.bucketCount - 1;
      this.outOfRange++;
    }
    this.pending[this.pendingCount++] = index;
    if (this.pendingCount === PENDING) this.countPending();
  }

  private countPending(): void {
    const counts = this.counts;
    const pending = this.pending;
    let lowest = this.lowest;
    let highest = this.highest;
    for (let i = 0; i < this.pendingCount; i++) {
      const index = pending[i];
      counts[index]++;
      if (index < lowest) lowest = index;
      if (index > highest) highest = index;
    }
    this.lowest = lowest;
    this.highest = highest;
    this.pendingCount = 0;
  }

  /** Adds the counts of another sketch. */
  merge(other: QuantileSketch): void {
    if (other.bucketsPerOctave !== this.bucketsPerOctave) throw new RangeError("cannot merge sketches of different resolution");
    this.countPending();
    other.countPending();
    const counts = this.counts;
    const otherCounts = other.counts;
    for (let i = other.lowest; i <= other.highest; i++) counts[i] += otherCounts[i];
    if (other.lowest < this.lowest) this.lowest = other.lowest;
    if (other.highest > this.highest) this.highest = other.highest;
    this.zeroCount += other.zeroCount;
    this.total += other.total;
    this.outOfRange += other.outOfRange;
  }

  /** The q-quantile (0 <= q <= 1): the value of rank ceil(q * n), within the relative error; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    this.countPending();
    const rank = Math.max(1, Math.ceil(q * this.total));
    if (rank <= this.zeroCount) return 0;
    let seen = this.zeroCount;
    let index = this.bucketCount - 1;
    // Buckets outside [lowest, highest] are empty: the scan finds the same bucket.
    for (let i = this.lowest; i <= this.highest; i++) {
      seen += this.counts[i];
      if (seen >= rank) {
        index = i;
        break;
      }
    }
    const low = valueAtPosition((index - this.offset - 1) / this.bucketsPerOctave);
    const high = valueAtPosition((index - this.offset) / this.bucketsPerOctave);
    return (2 * low * high) / (low + high);
  }
}
