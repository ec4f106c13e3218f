/**
 * Total latencies of a node's recent completions, for QoS monitoring: a ring of (time, value)
 * trimmed to a time window, and the rank-ceil(p n) percentile of what is left.
 */
export class RecentLatency {
  private times = new Float64Array(64);
  private values = new Float64Array(64);
  private head = 0;
  private count = 0;
  private scratch = new Float64Array(64);

  add(now: number, totalMs: number): void {
    if (this.count === this.times.length) this.grow();
    const index = (this.head + this.count) % this.times.length;
    this.times[index] = now;
    this.values[index] = totalMs;
    this.count++;
  }

  /** The p-percentile of completions in (now - window, now], or NaN with fewer than minSamples. */
  percentile(now: number, windowMs: number, p: number, minSamples: number): number {
    while (this.count > 0 && this.times[this.head] <= now - windowMs) {
      this.head = (this.head + 1) % this.times.length;
      this.count--;
    }
    if (this.count < minSamples || this.count === 0) return NaN;
    if (this.scratch.length < this.count) this.scratch = new Float64Array(this.times.length);
    const sorted = this.scratch.subarray(0, this.count);
    for (let i = 0; i < this.count; i++) sorted[i] = this.values[(this.head + i) % this.values.length];
    sorted.sort();
    return sorted[Math.max(1, Math.ceil(p * this.count)) - 1];
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) {
      times[i] = this.times[(this.head + i) % this.times.length];
      values[i] = this.values[(this.head + i) % this.values.length];
    }
    this.times = times;
    this.values = values;
    this.head = 0;
  }
}
