/**
 * A relative-error quantile sketch (the DDSketch construction, with its linearly interpolated
 * index mapping so that indexing needs no logarithm).
 *
 * For v = m * 2^e with m in [1, 2), the mapping f(v) = e + (m - 1) is continuous and increasing;
 * bucket i holds the values with f(v) in ((i - 1) / K, i / K]. Within one octave f is linear in v,
 * so a bucket spans at most a factor 1 + 1/K, and its representative (the harmonic mean of its
 * bounds) is within relative error 1 / (2K + 1) of every value in it. With K = 100 that is
 * 0.4975%, stated as 0.5%: a quantile returned by the sketch is within 0.5% of the exact sample
 * quantile (the order statistic of rank ceil(q * n)). Memory is fixed (buckets cover 2^-20 ms to
 * 2^30 ms, about 1 ns to 12 days; values outside are clamped into the end buckets and counted),
 * and zeros have their own counter. Merging two sketches adds their counts, so per-node sketches
 * combine into overall ones exactly.
 */
const BUCKETS_PER_OCTAVE = 100;
export const SKETCH_RELATIVE_ERROR = 0.005;

const MIN_EXPONENT = -20;
const MAX_EXPONENT = 30;
const OFFSET = -MIN_EXPONENT * BUCKETS_PER_OCTAVE;
const BUCKET_COUNT = (MAX_EXPONENT - MIN_EXPONENT) * BUCKETS_PER_OCTAVE + 1;
const TWO_POW_52 = 4503599627370496;
const TWO_POW_32 = 4294967296;

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
  const fraction = ((high & 0xfffff) * TWO_POW_32 + scratchWords[LOW_WORD]) / TWO_POW_52;
  return exponent + fraction;
}

/** Inverse of octavePosition. */
function valueAtPosition(position: number): number {
  const exponent = Math.floor(position);
  return 2 ** exponent * (1 + position - exponent);
}

export class QuantileSketch {
  readonly relativeError = SKETCH_RELATIVE_ERROR;
  private readonly counts = new Uint32Array(BUCKET_COUNT);
  private zeroCount = 0;
  private total = 0;
  /** Values below or above the tracked range (kept, but placed in the end buckets). */
  outOfRange = 0;

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
    let index = Math.ceil(octavePosition(value) * BUCKETS_PER_OCTAVE) + OFFSET;
    if (index < 1) {
      index = 1;
      this.outOfRange++;
    } else if (index >= BUCKET_COUNT) {
      index = BUCKET_COUNT - 1;
      this.outOfRange++;
    }
    this.counts[index]++;
  }

  /** Adds the counts of another sketch. */
  merge(other: QuantileSketch): void {
    const counts = this.counts;
    const otherCounts = other.counts;
    for (let i = 0; i < counts.length; i++) counts[i] += otherCounts[i];
    this.zeroCount += other.zeroCount;
    this.total += other.total;
    this.outOfRange += other.outOfRange;
  }

  /** The q-quantile (0 <= q <= 1): the value of rank ceil(q * n), within the relative error; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    if (rank <= this.zeroCount) return 0;
    let seen = this.zeroCount;
    let index = BUCKET_COUNT - 1;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.counts[i];
      if (seen >= rank) {
        index = i;
        break;
      }
    }
    const low = valueAtPosition((index - OFFSET - 1) / BUCKETS_PER_OCTAVE);
    const high = valueAtPosition((index - OFFSET) / BUCKETS_PER_OCTAVE);
    return (2 * low * high) / (low + high);
  }
}
