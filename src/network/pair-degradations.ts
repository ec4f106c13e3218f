import { IntTable } from "./int-table.js";

/**
 * Link degradations (faults) per (device, node) pair, sparse (issue 16: three dense Float64
 * arrays and a flag per pair were 25 bytes a pair, 2.5 kB a device at 100 nodes, for scenarios
 * that mostly degrade nothing). A pair ever degraded has an entry (latency factor, added latency,
 * bandwidth factor); it is in force unless its factors are 1, 0, 1. With none in force, the hot
 * path's check is one counter.
 */
export class PairDegradations {
  private readonly entries = new IntTable();
  /** Per entry: latency factor, added latency (ms), bandwidth factor. */
  private readonly factors: number[] = [];
  private readonly active: number[] = [];
  private inForce = 0;

  /** The entry of the degradation in force on `pair`, or -1 when none is. */
  entryOf(pair: number): number {
    if (this.inForce === 0) return -1;
    const entry = this.entries.get(pair);
    return entry >= 0 && this.active[entry] === 1 ? entry : -1;
  }

  /** A latency draw under the entry's degradation. */
  latency(entry: number, draw: number): number {
    return draw * this.factors[entry * 3] + this.factors[entry * 3 + 1];
  }

  bandwidthFactor(entry: number): number {
    return this.factors[entry * 3 + 2];
  }

  /** Applies (or, with factors 1, 0, 1, lifts) a degradation on the pair. */
  set(pair: number, latencyFactor: number, addedLatencyMs: number, bandwidthFactor: number): void {
    const active = latencyFactor !== 1 || addedLatencyMs !== 0 || bandwidthFactor !== 1 ? 1 : 0;
    let entry = this.entries.get(pair);
    if (entry < 0) {
      // Lifting a degradation never applied leaves nothing behind.
      if (active === 0) return;
      entry = this.active.length;
      this.entries.set(pair, entry);
      this.active.push(0);
    }
    this.factors.splice(entry * 3, 3, latencyFactor, addedLatencyMs, bandwidthFactor);
    this.inForce += active - this.active[entry];
    this.active[entry] = active;
  }
}
