/**
 * A map from non-negative integers (below 2^53) to non-negative int32s, -1 when absent: open
 * addressing over two typed arrays, so an entry costs 16 to 32 bytes (12 a slot, the table 3/8 to 3/4 full) and no object, and a
 * lookup no Map hashing of a heap number.
 */
export class IntTable {
  private keys = new Float64Array(16).fill(-1);
  private values = new Int32Array(16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = hashOf(key) & mask; ; slot = (slot + 1) & mask) {
      const k = this.keys[slot];
      if (k === key) return this.values[slot];
      if (k < 0) return -1;
    }
  }

  set(key: number, value: number): void {
    // Up to 3/4 full: linear probing then averages about 2.5 probes a hit, and 2.1M entries fit 2^22
    // slots, 50 MB, where a 1/2 ceiling took 2^23 (issue 16).
    if ((this.count + 1) * 4 > this.keys.length * 3) this.grow();
    const mask = this.keys.length - 1;
    for (let slot = hashOf(key) & mask; ; slot = (slot + 1) & mask) {
      const k = this.keys[slot];
      if (k === key || k < 0) {
        if (k < 0) this.count++;
        this.keys[slot] = key;
        this.values[slot] = value;
        return;
      }
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.values = new Int32Array(keys.length * 2);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] >= 0) this.set(keys[i], values[i]);
  }
}

/** Spreads consecutive keys (a device's pairs) over the table: the low and high 32 bits mixed by a multiplicative hash. */
function hashOf(key: number): number {
  const low = key >>> 0;
  const high = (key / 4294967296) >>> 0;
  return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> 0;
}
