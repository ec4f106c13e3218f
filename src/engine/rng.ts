/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** 2^-32: Alea's carry scale. */
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
/** Stream states per chunk of RandomStreams (32 kB). */
const STREAMS_PER_CHUNK = 1024;
/** Alea's multiplier (Baagøe's Alea, as in seedrandom 3). */
const ALEA_MULTIPLIER = 2091639;

/**
 * Named, independent random streams derived from one master seed.
 *
 * Each stream is seeded from the master seed and its name alone ("device/cam-3/arrivals"), so
 * adding an entity or drawing more from one stream never shifts another stream's draws. Seeding
 * is seedrandom's Alea (its Mash hash of the whole name); the stepping is the same Alea
 * recurrence run on a Float64Array state, so the draws equal seedrandom's while keeping the
 * state of thousands of streams contiguous in memory (scattered generator objects cost a cache
 * miss per draw at scale).
 */
export class RandomStreams {
  private readonly streams = new Map<string, Uniform>();
  /**
   * Stream states, STREAMS_PER_CHUNK to a Float64Array: a Float64Array of its own per stream cost
   * about 300 bytes (array, buffer, backing store), twice per device of a million (issue 16).
   * Chunks are never reallocated, so a stream's closure holds its chunk and offset for good.
   */
  private chunk = new Float64Array(0);
  private used = 0;

  constructor(readonly masterSeed: number | string) {}

  /** The stream for `name`; the same name always returns the same stream. */
  stream(name: string): Uniform {
    let uniform = this.streams.get(name);
    if (uniform === undefined) {
      if (this.used === this.chunk.length) {
        this.chunk = new Float64Array(STREAMS_PER_CHUNK * 4);
        this.used = 0;
      }
      const state = this.chunk;
      const offset = this.used;
      this.used += 4;
      seedAleaDirect(this.seedFor(name), state, offset);
      uniform = () => aleaStep(state, offset);
      this.streams.set(name, uniform);
    }
    return uniform;
  }

  /** A table for many streams drawn through one shared uniform function (links, per-entity streams). */
  table(): StreamTable {
    return new StreamTable(this);
  }

  /** The seed string of a named stream. */
  seedFor(name: string): string {
    return `continuum-sim/${String(this.masterSeed)}/${name}`;
  }
}

/**
 * Many named streams with their states in one Float64Array. `select(i)` picks the stream that
 * the shared `uniform` draws from, so a distribution compiled once can serve every stream.
 */
export class StreamTable {
  private state = new Float64Array(64);
  private count = 0;
  private offset = 0;
  /** Draws from the selected stream. */
  readonly uniform: Uniform = () => aleaStep(this.state, this.offset);

  constructor(private readonly streams: RandomStreams) {}

  /**
   * Adds the stream `name` and returns its index. Seeds with a port of seedrandom's Alea seeding
   * (Baagøe's Mash) straight into the table: the same state as seedrandom.alea(seed) (tested),
   * without building a generator object per stream, which cost 5% of a 20,000-link run.
   */
  add(name: string): number {
    if ((this.count + 1) * 4 > this.state.length) {
      const grown = new Float64Array(this.state.length * 2);
      grown.set(this.state);
      this.state = grown;
    }
    seedAleaDirect(this.streams.seedFor(name), this.state, this.count * 4);
    return this.count++;
  }

  select(index: number): void {
    this.offset = index * 4;
  }
}

/** Baagøe's Mash as in seedrandom 3.0.5 lib/alea.js, with its running state passed in and out. */
const MASH_INITIAL = 0xefc8249d;

function mash(n: number, data: string, out: { n: number }): number {
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
  out.n = n;
  return (n >>> 0) * TWO_POW_MINUS_32;
}

const mashState = { n: 0 };

/** seedrandom's Alea seeding: s_i = mash(' ') - mash(seed) (mod 1), c = 1. */
function seedAleaDirect(seed: string, state: Float64Array, offset: number): void {
  let n = MASH_INITIAL;
  const s: number[] = [];
  for (let i = 0; i < 3; i++) {
    s.push(mash(n, " ", mashState));
    n = mashState.n;
  }
  for (let i = 0; i < 3; i++) {
    s[i] -= mash(n, seed, mashState);
    n = mashState.n;
    if (s[i] < 0) s[i] += 1;
  }
  state[offset] = s[0];
  state[offset + 1] = s[1];
  state[offset + 2] = s[2];
  state[offset + 3] = 1;
}

function aleaStep(state: Float64Array, offset: number): number {
  const t = ALEA_MULTIPLIER * state[offset] + state[offset + 3] * TWO_POW_MINUS_32;
  state[offset] = state[offset + 1];
  state[offset + 1] = state[offset + 2];
  const carry = t | 0;
  state[offset + 3] = carry;
  const value = t - carry;
  state[offset + 2] = value;
  return value;
}
