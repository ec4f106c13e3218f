/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** 2^-32: Alea's carry scale, and the unit its state words count in. */
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
const TWO_POW_32 = 4294967296;
/** Stream states per chunk (16 kB): chunks are never reallocated, so growing copies nothing and reserves at most one chunk. */
const CHUNK_SHIFT = 10;
const STREAMS_PER_CHUNK = 1 << CHUNK_SHIFT;
const CHUNK_MASK = STREAMS_PER_CHUNK - 1;
/** Uint32 words per stream state: s0, s1, s2 (in units of 2^-32) and the carry c. */
const STATE_WORDS = 4;
/** Alea's multiplier (Baagøe's Alea, as in seedrandom 3). */
const ALEA_MULTIPLIER = 2091639;

/**
 * Named, independent random streams derived from one master seed.
 *
 * Each stream is seeded from the master seed and its name alone ("device/cam-3/arrivals"), so
 * adding an entity or drawing more from one stream never shifts another stream's draws. Seeding
 * is seedrandom's Alea (its Mash hash of the whole name); the stepping is the same Alea
 * recurrence run on a typed-array state, so the draws equal seedrandom's while keeping the
 * state of thousands of streams contiguous in memory (scattered generator objects cost a cache
 * miss per draw at scale).
 */
export class RandomStreams {
  private readonly streams = new Map<string, Uniform>();
  /** The states of the streams asked for by name (a closure each). */
  private readonly named: StreamTable;
  private readonly seedPrefix: string;
  /** Mash's running state after the three blanks and `seedPrefix`: where the first pass over every seed starts. */
  private readonly prefixMash: number;

  constructor(readonly masterSeed: number | string) {
    this.seedPrefix = `continuum-sim/${String(masterSeed)}/`;
    this.prefixMash = mash(BLANKS_MASH, this.seedPrefix);
    this.named = new StreamTable(this);
  }

  /** The stream for `name`; the same name always returns the same stream. */
  stream(name: string): Uniform {
    let uniform = this.streams.get(name);
    if (uniform === undefined) {
      uniform = this.named.fixed(this.named.add(name));
      this.streams.set(name, uniform);
    }
    return uniform;
  }

  /**
   * A table for many streams drawn through one shared uniform function (links, per-device
   * arrivals). A name must live in one place only: a name in a table and also asked of `stream`
   * would be two copies of one stream, drawing the same numbers twice.
   */
  table(): StreamTable {
    return new StreamTable(this);
  }

  /** The seed string of a named stream. */
  seedFor(name: string): string {
    return this.seedPrefix + name;
  }

  /**
   * seedrandom's Alea seeding of `seedFor(name)` into `state` at `offset`: s_i = mash(' ') -
   * mash(seed) (mod 1) over one running Mash state, c = 1. The blanks' values and the first
   * pass over the seed prefix are the same for every name, so they are computed once; the seed
   * string itself is never built (Mash reads its characters in order, prefix then name).
   */
  seed(name: string, state: Uint32Array, offset: number): void {
    const prefix = this.seedPrefix;
    let n = mash(this.prefixMash, name);
    let s = BLANK_VALUES[0] - (n >>> 0) * TWO_POW_MINUS_32;
    state[offset] = (s < 0 ? s + 1 : s) * TWO_POW_32;
    n = mash(mash(n, prefix), name);
    s = BLANK_VALUES[1] - (n >>> 0) * TWO_POW_MINUS_32;
    state[offset + 1] = (s < 0 ? s + 1 : s) * TWO_POW_32;
    n = mash(mash(n, prefix), name);
    s = BLANK_VALUES[2] - (n >>> 0) * TWO_POW_MINUS_32;
    state[offset + 2] = (s < 0 ? s + 1 : s) * TWO_POW_32;
    state[offset + 3] = 1;
  }

  /**
   * `seed` of two names at once, each state the one `seed` gives it (tested). Mash is a chain
   * of dependent multiplications and conversions, so one name's hashing waits on latency (about
   * 15 ns a character); two independent chains stepped in one loop overlap, a device's two link
   * streams seeding in little more than the time of one.
   */
  seedPair(a: string, stateA: Uint32Array, offsetA: number, b: string, stateB: Uint32Array, offsetB: number): void {
    const prefix = this.seedPrefix;
    const pair = MASH_PAIR;
    mashPair(this.prefixMash, a, this.prefixMash, b);
    for (let word = 0; word < 3; word++) {
      if (word > 0) {
        mashPair(pair[0], prefix, pair[1], prefix);
        mashPair(pair[0], a, pair[1], b);
      }
      const sa = BLANK_VALUES[word] - (pair[0] >>> 0) * TWO_POW_MINUS_32;
      stateA[offsetA + word] = (sa < 0 ? sa + 1 : sa) * TWO_POW_32;
      const sb = BLANK_VALUES[word] - (pair[1] >>> 0) * TWO_POW_MINUS_32;
      stateB[offsetB + word] = (sb < 0 ? sb + 1 : sb) * TWO_POW_32;
    }
    stateA[offsetA + 3] = 1;
    stateB[offsetB + 3] = 1;
  }
}

/**
 * Many named streams with their states in chunked typed arrays (16 bytes a stream). `select(i)`
 * picks the stream that the shared `uniform` draws from, so a distribution compiled once can
 * serve every stream.
 */
export class StreamTable {
  private readonly chunks: Uint32Array[] = [];
  private count = 0;
  private chunk: Uint32Array = new Uint32Array(STATE_WORDS);
  private offset = 0;
  /** Draws from the selected stream. */
  readonly uniform: Uniform = () => aleaStep(this.chunk, this.offset);

  constructor(private readonly streams: RandomStreams) {}

  /** Streams added so far. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds the stream `name` and returns its index. Seeds with a port of seedrandom's Alea seeding
   * (Baagøe's Mash) straight into the table: the same state as seedrandom.alea(seed) (tested),
   * without building a generator object per stream, which cost 5% of a 20,000-link run.
   */
  add(name: string): number {
    const index = this.count;
    if ((index & CHUNK_MASK) === 0) this.chunks.push(new Uint32Array(STREAMS_PER_CHUNK * STATE_WORDS));
    this.streams.seed(name, this.chunks[index >>> CHUNK_SHIFT], (index & CHUNK_MASK) * STATE_WORDS);
    this.count++;
    return index;
  }

  /** Adds the streams `a` and `b` at adjacent indices (seeded together: `seedPair`) and returns a's; b's is the next. */
  addPair(a: string, b: string): number {
    const index = this.count;
    if ((index & CHUNK_MASK) === 0) this.chunks.push(new Uint32Array(STREAMS_PER_CHUNK * STATE_WORDS));
    if (((index + 1) & CHUNK_MASK) === 0) this.chunks.push(new Uint32Array(STREAMS_PER_CHUNK * STATE_WORDS));
    const next = index + 1;
    this.streams.seedPair(a, this.chunks[index >>> CHUNK_SHIFT], (index & CHUNK_MASK) * STATE_WORDS, b, this.chunks[next >>> CHUNK_SHIFT], (next & CHUNK_MASK) * STATE_WORDS);
    this.count += 2;
    return index;
  }

  select(index: number): void {
    this.chunk = this.chunks[index >>> CHUNK_SHIFT];
    this.offset = (index & CHUNK_MASK) * STATE_WORDS;
  }

  /** A uniform function of stream `index` alone, whatever is selected (a stream asked for by name). */
  fixed(index: number): Uniform {
    const chunk = this.chunks[index >>> CHUNK_SHIFT];
    const offset = (index & CHUNK_MASK) * STATE_WORDS;
    return () => aleaStep(chunk, offset);
  }
}

/** Baagøe's Mash as in seedrandom 3.0.5 lib/alea.js: the running state `n` after hashing `data`; its value is (n >>> 0) * 2^-32. */
function mash(start: number, data: string): number {
  let n = start;
  for (let i = 0; i < data.length; i++) n = mashStep(n, data.charCodeAt(i));
  return n;
}

/** Mash's step: the running state after one more character. */
function mashStep(state: number, code: number): number {
  let n = state + code;
  let h = 0.02519603282416938 * n;
  n = h >>> 0;
  h -= n;
  h *= n;
  n = h >>> 0;
  h -= n;
  return n + h * 0x100000000;
}

/** mashPair's two results (no array or boxed double per call). */
const MASH_PAIR = new Float64Array(2);

/** mash(startA, a) and mash(startB, b) into MASH_PAIR, their steps interleaved while both strings last. */
function mashPair(startA: number, a: string, startB: number, b: string): void {
  let na = startA;
  let nb = startB;
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    na = mashStep(na, a.charCodeAt(i));
    nb = mashStep(nb, b.charCodeAt(i));
  }
  for (let i = common; i < a.length; i++) na = mashStep(na, a.charCodeAt(i));
  for (let i = common; i < b.length; i++) nb = mashStep(nb, b.charCodeAt(i));
  MASH_PAIR[0] = na;
  MASH_PAIR[1] = nb;
}

const MASH_INITIAL = 0xefc8249d;
/** mash(' ') three times from Mash's initial state: the same for every seed. */
const BLANK_STATES = [mash(MASH_INITIAL, " ")];
BLANK_STATES.push(mash(BLANK_STATES[0], " "));
BLANK_STATES.push(mash(BLANK_STATES[1], " "));
const BLANK_VALUES = BLANK_STATES.map((n) => (n >>> 0) * TWO_POW_MINUS_32);
const BLANKS_MASH = BLANK_STATES[2];

/**
 * One Alea step on a state kept as uint32 words. seedrandom computes t = 2091639 s0 + c 2^-32 in
 * doubles with s0 a multiple of 2^-32 (Mash's values are, and every step keeps them so); counted
 * in units of 2^-32, t is an integer below 2^53, so the integer form below is exact and the draws
 * are bit for bit seedrandom's, at half the bytes of a Float64 state.
 */
function aleaStep(state: Uint32Array, offset: number): number {
  const t = ALEA_MULTIPLIER * state[offset] + state[offset + 3];
  const carry = Math.floor(t * TWO_POW_MINUS_32);
  const s2 = t - carry * TWO_POW_32;
  state[offset] = state[offset + 1];
  state[offset + 1] = state[offset + 2];
  state[offset + 2] = s2;
  state[offset + 3] = carry;
  return s2 * TWO_POW_MINUS_32;
}
