// What the two hand-written reference loops share: continuum-sim's random streams (seedrandom's
// Alea, seeding and stepping written out, same stream names), batch means, Erlang C, and the command-line wrapper.
//
// The loops are plain JavaScript on purpose: they are the yardstick `npm run bench -- --vs-reference`
// holds continuum-sim against, so they import nothing from the simulator (a shared helper would
// move with the code it measures) and need no build (`node bench/reference/mm1.mjs` runs as is).
import { pathToFileURL } from "node:url";

/** 2^-32: Alea's carry scale. */
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
/** Alea's multiplier (Baagøe's Alea, as in seedrandom 3). */
const ALEA_MULTIPLIER = 2091639;

/**
 * The seed string of a named stream, as continuum-sim derives it (src/engine/rng.ts), so a
 * reference draws the very numbers the simulator draws for the same purpose.
 */
export function streamSeed(masterSeed, name) {
  return `continuum-sim/${String(masterSeed)}/${name}`;
}

/** Baagøe's Mash (seedrandom 3.0.5 lib/alea.js): hashes `data` on from the running state `n`. */
function mash(n, data) {
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000;
  }
  return n;
}

const MASH_INITIAL = 0xefc8249d;

/**
 * `count` Alea streams with their states side by side in one Float64Array (s0, s1, s2, c each),
 * seeded lazily on first use: `nameOf(i)` names stream i.
 */
export class Streams {
  constructor(masterSeed, count, nameOf) {
    this.masterSeed = masterSeed;
    this.nameOf = nameOf;
    this.state = new Float64Array(count * 4);
    this.seeded = new Uint8Array(count);
  }

  /** A uniform number in [0, 1) from stream i: Alea's recurrence, inlined on the typed array. */
  uniform(i) {
    const state = this.state;
    const at = i * 4;
    if (this.seeded[i] === 0) this.seed(i);
    const t = ALEA_MULTIPLIER * state[at] + state[at + 3] * TWO_POW_MINUS_32;
    state[at] = state[at + 1];
    state[at + 1] = state[at + 2];
    const carry = t | 0;
    state[at + 3] = carry;
    const value = t - carry;
    state[at + 2] = value;
    return value;
  }

  /** An exponential draw of the given mean from stream i (1 - u is in (0, 1], so the log is finite). */
  exponential(i, mean) {
    return -mean * Math.log(1 - this.uniform(i));
  }

  /**
   * seedrandom's Alea seeding, s_k = mash(' ') - mash(seed) (mod 1), c = 1, written out: building
   * a seedrandom generator per stream took 180 ms for edge-offload's 21,010 streams (the tests
   * check the states against seedrandom.alea's).
   */
  seed(i) {
    const seed = streamSeed(this.masterSeed, this.nameOf(i));
    const at = i * 4;
    let n = MASH_INITIAL;
    for (let k = 0; k < 3; k++) {
      n = mash(n, " ");
      this.state[at + k] = (n >>> 0) * TWO_POW_MINUS_32;
    }
    for (let k = 0; k < 3; k++) {
      n = mash(n, seed);
      let s = this.state[at + k] - (n >>> 0) * TWO_POW_MINUS_32;
      if (s < 0) s += 1;
      this.state[at + k] = s;
    }
    this.state[at + 3] = 1;
    this.seeded[i] = 1;
  }
}

/**
 * Sums of one quantity in `batches` consecutive batches of `perBatch` values (the last batch takes
 * the remainder). The batch means' spread gives the standard error of the overall mean of a
 * correlated sequence (waits in a queue), which the spread of single values would understate.
 */
export class BatchMeans {
  constructor(expected, batches = 32) {
    this.perBatch = Math.max(1, Math.ceil(expected / batches));
    this.sums = new Float64Array(batches);
    this.counts = new Float64Array(batches);
    this.batches = batches;
    this.batch = 0;
    this.inBatch = 0;
  }

  add(value) {
    this.sums[this.batch] += value;
    this.counts[this.batch]++;
    if (++this.inBatch === this.perBatch && this.batch < this.batches - 1) {
      this.batch++;
      this.inBatch = 0;
    }
  }

  /** { count, mean, se }: se from the batch means (NaN with fewer than two full batches). */
  summary() {
    let count = 0;
    let total = 0;
    for (let b = 0; b < this.batches; b++) {
      count += this.counts[b];
      total += this.sums[b];
    }
    const mean = total / count;
    let used = 0;
    let squares = 0;
    for (let b = 0; b < this.batches; b++) {
      if (this.counts[b] === 0) continue;
      const d = this.sums[b] / this.counts[b] - mean;
      squares += d * d;
      used++;
    }
    return { count, mean, se: used > 1 ? Math.sqrt(squares / (used - 1) / used) : Number.NaN };
  }
}

/** The upper edge of the bin where a histogram of `count` values (bins of binMs) first reaches q. */
export function histogramPercentile(histogram, binMs, count, q) {
  const target = Math.ceil(q * count);
  let seen = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    seen += histogram[bin];
    if (seen >= target) return (bin + 1) * binMs;
  }
  return Number.POSITIVE_INFINITY;
}

/** Mean and standard error of independent values (sums kept by the loop). */
export function iidSummary(count, sum, sumOfSquares) {
  const mean = sum / count;
  const variance = (sumOfSquares - count * mean * mean) / (count - 1);
  return { count, mean, se: Math.sqrt(Math.max(0, variance) / count) };
}

/**
 * Erlang C: the probability that an arrival waits in M/M/c with offered load a = lambda / mu
 * (Kleinrock, Queueing Systems I, eq. 3.40), by the stable recurrence on Erlang B.
 */
export function erlangC(c, a) {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho + rho * b);
}

/** Mean wait in queue of M/M/c: C(c, a) / (c mu - lambda); Infinity when unstable. */
export function mmcMeanWait(lambda, mu, c) {
  if (lambda >= c * mu) return Number.POSITIVE_INFINITY;
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/**
 * Runs `run()` when the module is the program (`node bench/reference/x.mjs`), prints its result
 * and its checks as one JSON line with the wall time of the run, and exits 1 when a check failed.
 */
export function mainIfRun(moduleUrl, run) {
  if (process.argv[1] === undefined || pathToFileURL(process.argv[1]).href !== moduleUrl) return;
  const started = performance.now();
  const { result, checks } = run();
  const wallSeconds = (performance.now() - started) / 1000;
  const failed = checks.filter((c) => !c.ok);
  process.stdout.write(`${JSON.stringify({ ...result, wallSeconds: Math.round(wallSeconds * 1000) / 1000, checks })}\n`);
  if (failed.length > 0) {
    for (const c of failed) process.stderr.write(`check failed: ${c.name}: ${c.detail}\n`);
    process.exitCode = 1;
  }
}
