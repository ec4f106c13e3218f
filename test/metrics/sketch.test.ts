import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { QuantileSketch } from "../../src/metrics/sketch.js";
import { StageStats } from "../../src/metrics/stage-stats.js";

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

describe("QuantileSketch", () => {
  it("returns every quantile within its stated relative error of the exact order statistic", () => {
    const rng = seedrandom.alea("sketch");
    const sketch = new QuantileSketch();
    const values: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      // A heavy-tailed mix over six decades, plus exact zeros.
      const value = i % 50 === 0 ? 0 : Math.exp(rng() * 14 - 7) * (rng() < 0.01 ? 1000 : 1);
      values.push(value);
      sketch.add(value);
    }
    values.sort((a, b) => a - b);
    for (const q of [0, 0.001, 0.01, 0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]) {
      const exact = exactQuantile(values, q);
      const estimate = sketch.quantile(q);
      if (exact === 0) expect(estimate).toBe(0);
      else expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(sketch.relativeError + 1e-12);
    }
  });

  it("merging sketches equals sketching the union", () => {
    const rng = seedrandom.alea("merge");
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    const both = new QuantileSketch();
    for (let i = 0; i < 10_000; i++) {
      const value = -Math.log(1 - rng()) * 10;
      (i % 3 === 0 ? a : b).add(value);
      both.add(value);
    }
    a.merge(b);
    for (const q of [0.1, 0.5, 0.9, 0.99]) expect(a.quantile(q)).toBe(both.quantile(q));
    expect(a.count).toBe(10_000);
  });

  it("counts values it holds before counting them: every quantile read mid-stream, and merges, see all values so far", () => {
    // Read at counts around the 256-value hold (issue 16), each against the exact order statistic of the values so far.
    const rng = seedrandom.alea("held");
    const sketch = new QuantileSketch();
    const other = new QuantileSketch();
    const values: number[] = [];
    const bad: string[] = [];
    const check = (target: QuantileSketch, all: number[], at: string): void => {
      const sorted = [...all].sort((x, y) => x - y);
      for (const q of [0.01, 0.3, 0.5, 0.9, 1]) {
        const exact = exactQuantile(sorted, q);
        if (Math.abs(target.quantile(q) - exact) / exact > target.relativeError + 1e-12) bad.push(`${at} q=${q}`);
      }
    };
    for (let i = 1; i <= 1100; i++) {
      values.push(1 + rng() * 1000);
      sketch.add(values[values.length - 1]);
      if ([1, 2, 255, 256, 257, 511, 512, 513, 700].includes(i)) check(sketch, values, `n=${i}`);
    }
    const extra = Array.from({ length: 300 }, () => 2000 + rng() * 10);
    for (const value of extra) other.add(value);
    // Both sides hold values at the merge.
    sketch.merge(other);
    check(sketch, [...values, ...extra], "merged");
    expect(sketch.count).toBe(1400);
    expect(bad).toEqual([]);
  });

  it("reads only the buckets it has counted, and still finds every quantile across merges of disjoint ranges and the clamped ends", () => {
    // Sketches whose values lie in separate octaves (and beyond the tracked range at both ends),
    // merged in every order, including into and from empty sketches: a merge or quantile that
    // read a range narrower than the counted buckets would lose values or return the wrong bucket.
    const groups = [
      [1e-9, 2e-9], // below 2^-20 ms: clamped into the lowest bucket
      [0.003, 0.004, 0.0035],
      [50, 51, 52, 53],
      [1e10, 3e10], // above 2^30 ms: clamped into the highest bucket
    ];
    const all = groups.flat().sort((x, y) => x - y);
    for (const order of [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
    ]) {
      const merged = new QuantileSketch();
      merged.merge(new QuantileSketch());
      for (const g of order) {
        const part = new QuantileSketch();
        for (const value of groups[g]) part.add(value);
        merged.merge(part);
      }
      expect(merged.count).toBe(all.length);
      expect(merged.outOfRange).toBe(4);
      for (let rank = 1; rank <= all.length; rank++) {
        const q = rank / all.length;
        const exact = all[rank - 1];
        // Clamped values come back as their end bucket's representative; only in-range ones are within the relative error.
        if (exact < 1e-6 || exact > 1e9) continue;
        expect(Math.abs(merged.quantile(q) - exact) / exact).toBeLessThanOrEqual(merged.relativeError + 1e-12);
      }
      expect(merged.quantile(1 / all.length)).toBeLessThan(1e-6);
      expect(merged.quantile(1)).toBeGreaterThan(1e9);
    }
  });

  it("is empty-safe", () => {
    expect(new QuantileSketch().quantile(0.5)).toBeNaN();
  });
});

describe("StageStats", () => {
  it("mean, sd, min, max are exact and merge like one stream", () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const whole = new StageStats();
    const left = new StageStats();
    const right = new StageStats();
    values.forEach((v, i) => {
      whole.add(v);
      (i < 4 ? left : right).add(v);
    });
    left.merge(right);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    for (const summary of [whole.summary(), left.summary()]) {
      expect(summary.count).toBe(11);
      expect(summary.mean).toBeCloseTo(mean, 12);
      expect(summary.sd).toBeCloseTo(sd, 12);
      expect(summary.min).toBe(1);
      expect(summary.max).toBe(9);
      expect(summary.p50).toBeCloseTo(4, 1);
    }
    expect(new StageStats().summary().mean).toBeNull();
  });
});
