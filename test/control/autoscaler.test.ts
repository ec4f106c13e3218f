import { describe, expect, it } from "vitest";
import { Autoscaler } from "../../src/control/autoscaler.js";
import { hpaReplicaCount } from "../../src/control/autoscaler-rule.js";
import { hpaSpec } from "./hpa-spec.js";

/**
 * Syncs every syncPeriodMs from `fromMs`, the replicas ready at once, the metric per replica
 * `load(t) / current` (a fixed total load shared by the replicas). Returns the count after each.
 */
function iterate(autoscaler: Autoscaler, start: number, syncs: number, load: (t: number) => number, fromMs = 15_000): number[] {
  const counts: number[] = [];
  let current = start;
  for (let k = 0; k < syncs; k++) {
    const now = fromMs + k * autoscaler.spec.syncPeriodMs;
    current = autoscaler.recommend(now, current, current, load(now) / current, Number.NaN);
    counts.push(current);
  }
  return counts;
}

describe("the HPA rule under a fixed load", () => {
  // Load L = 3.3 (in replica capacities), target 0.5: ceil(L / target) = ceil(6.6) = 7.
  it("settles at ceil(L / target) from below, the first step limited to +4", () => {
    // 1 replica: ratio 6.6, raw 7, limited to max(1 + 4, ceil(1 x 2)) = 5; at 5: ratio 1.32,
    // raw ceil(6.6) = 7; at 7: ratio 0.943, within the tolerance: stays.
    expect(iterate(new Autoscaler(hpaSpec(), 1, 20), 1, 6, () => 3.3)).toEqual([5, 7, 7, 7, 7, 7]);
  });

  it("settles from above once the scale-down window has forgotten the larger recommendations", () => {
    // L = 5.5 until 60 s (ratio 1 at 11 replicas: 11 recommended at 15, 30, 45, 60 s), then 3.3:
    // raw 7 from 75 s, but the largest recommendation of the last 5 min is 11 until the one of
    // 60 s leaves the window (strictly older than now - 300 s is out: at 360 s it is exactly
    // 300 s old, out). Then straight to 7 (scale-down limit 100 %).
    const counts = iterate(new Autoscaler(hpaSpec(), 1, 20), 11, 25, (t) => (t <= 60_000 ? 5.5 : 3.3));
    const times = counts.map((_, k) => 15_000 * (k + 1));
    const expected = times.map((t) => (t < 360_000 ? 11 : 7));
    expect(counts).toEqual(expected);
    expect(times[counts.indexOf(7)]).toBe(360_000);
  });

  it("with no history (a new HPA) scales down at its first sync, as horizontal.go does", () => {
    expect(iterate(new Autoscaler(hpaSpec(), 1, 20), 12, 2, () => 3.3)).toEqual([7, 7]);
  });

  it("does not oscillate when the load alternates around a threshold every sync: the window holds the count", () => {
    // Load 2.3 (needs ceil(4.6) = 5) and 1.8 (needs ceil(3.6) = 4) alternately, from 4: up to 5 at
    // once; then 4 is recommended every other sync but 5 is always in the 5-min window; at 5 the
    // load 2.3 gives ratio 0.92 (within tolerance). One change in 40 syncs.
    const alternating = (t: number) => (Math.round(t / 15_000) % 2 === 1 ? 2.3 : 1.8);
    const counts = iterate(new Autoscaler(hpaSpec(), 1, 20), 4, 40, alternating);
    expect(counts[0]).toBe(5);
    expect(new Set(counts)).toEqual(new Set([5]));
    // Without the window the same load flaps every sync (so the check above can fail).
    const flapping = iterate(new Autoscaler(hpaSpec({ scaleDownWindowMs: 0 }), 1, 20), 4, 6, alternating);
    expect(flapping).toEqual([5, 4, 5, 4, 5, 4]);
  });
});

describe("the HPA's tolerance", () => {
  it("changes nothing while |ratio - 1| <= 0.1", () => {
    // 10 replicas: ratio 1.09 and 0.91 -> 10; 1.11 -> ceil(11.1) = 12; 0.89 -> ceil(8.9) = 9.
    expect(hpaReplicaCount(10, 10, 1.09, 0.1)).toBe(10);
    expect(hpaReplicaCount(10, 10, 0.91, 0.1)).toBe(10);
    expect(hpaReplicaCount(10, 10, 1.11, 0.1)).toBe(12);
    expect(hpaReplicaCount(10, 10, 0.89, 0.1)).toBe(9);
    const autoscaler = new Autoscaler(hpaSpec({ scaleDownWindowMs: 0 }), 1, 20);
    // metric / target = ratio: target 0.5.
    expect(autoscaler.recommend(15_000, 10, 10, 0.545, Number.NaN)).toBe(10);
    expect(autoscaler.recommend(30_000, 10, 10, 0.455, Number.NaN)).toBe(10);
    expect(autoscaler.recommend(45_000, 10, 10, 0.445, Number.NaN)).toBe(9);
  });

  it("counts replicas still provisioning as 0 % on a scale-up and 100 % on a scale-down (missing pods)", () => {
    // 4 wanted, 2 ready. Ratio 2: (2 x 2 + 0 x 2) / 4 = 1, within tolerance -> 4. Ratio 3: 1.5 ->
    // ceil(6) = 6. Ratio 0.5: (0.5 x 2 + 1 x 2) / 4 = 0.75 -> ceil(3) = 3. Ratio 1.05 with 1 of 4
    // ready: 0.2625, the direction flips -> 4.
    expect(hpaReplicaCount(4, 2, 2, 0.1)).toBe(4);
    expect(hpaReplicaCount(4, 2, 3, 0.1)).toBe(6);
    expect(hpaReplicaCount(4, 2, 0.5, 0.1)).toBe(3);
    expect(hpaReplicaCount(4, 1, 1.05, 0.1)).toBe(4);
  });
});

describe("the HPA's scale-up limit (calculateScaleUpLimitWithScalingRules, selectPolicy Max)", () => {
  it("adds max(4 pods, 100 %) per 15 s: 1 -> 5 -> 10 -> 20 -> 40 under a huge metric", () => {
    const counts = iterate(new Autoscaler(hpaSpec(), 1, 100), 1, 5, () => 1e6);
    expect(counts).toEqual([5, 10, 20, 40, 80]);
  });

  it("limits the change over the last 15 s, not per sync: with 5 s syncs 1 -> 5, 5, 5, then 10 at 15 s", () => {
    // Sync at 0, 5, 10, 15 s. At 5 and 10 s the +4 of 0 s is within the period: period start 1,
    // limit max(1 + 4, 2) = 5. At 15 s the event of 0 s is exactly 15 s old, out of the period
    // (time.After: strictly later): period start 5, limit max(9, 10) = 10.
    const counts = iterate(new Autoscaler(hpaSpec({ syncPeriodMs: 5_000 }), 1, 100), 1, 4, () => 1e6, 0);
    expect(counts).toEqual([5, 5, 5, 10]);
  });

  it("stops at maxReplicas, and brings a count outside [min, max] to the bound", () => {
    // From 1 with minReplicas 2: first to the bound (horizontal.go reads no metric then), then
    // 2 -> max(2 + 4, 4) = 6 -> 7 (max).
    expect(iterate(new Autoscaler(hpaSpec(), 2, 7), 1, 3, () => 1e6)).toEqual([2, 6, 7]);
    const autoscaler = new Autoscaler(hpaSpec(), 2, 7);
    expect(autoscaler.recommend(15_000, 9, 9, 0.5, Number.NaN)).toBe(7);
    expect(autoscaler.recommend(30_000, 1, 1, 0.5, Number.NaN)).toBe(2);
    // Scale-down never below minReplicas.
    expect(autoscaler.recommend(45_000, 5, 5, 0.01, Number.NaN)).toBe(2);
  });

  it("changes nothing without a metric (no replica ready yet)", () => {
    const autoscaler = new Autoscaler(hpaSpec(), 1, 10);
    expect(autoscaler.recommend(15_000, 3, 0, Number.NaN, Number.NaN)).toBe(3);
  });
});

describe("scale to zero (Knative's grace period) and the activator's wake", () => {
  const toZero = hpaSpec({ scaleToZeroAfterMs: 30_000 });

  it("goes to 0 after the grace, not before, and never below 1 while a job is there", () => {
    const autoscaler = new Autoscaler(toZero, 0, 5);
    // Idle since 10 s, one replica, metric 0: the HPA rule keeps 1 (its floor with minReplicas 0).
    expect(autoscaler.recommend(39_999, 1, 1, 0, 10_000)).toBe(1);
    expect(autoscaler.recommend(40_000, 1, 1, 0, 10_000)).toBe(0);
    // From any count.
    expect(autoscaler.recommend(40_000, 3, 3, 0, 10_000)).toBe(0);
    // At zero: idle stays 0; a job waiting (not idle) asks for one.
    expect(autoscaler.recommend(55_000, 0, 0, Number.NaN, 10_000)).toBe(0);
    expect(autoscaler.recommend(70_000, 0, 0, Number.NaN, Number.NaN)).toBe(1);
    // Busy with a tiny metric: never below 1.
    expect(autoscaler.recommend(85_000, 2, 2, 0, Number.NaN)).toBe(1);
    expect(autoscaler.wake()).toBe(1);
  });

  it("never goes to 0 with minReplicas 1, however long idle", () => {
    const autoscaler = new Autoscaler(hpaSpec(), 1, 5);
    expect(autoscaler.recommend(10_000_000, 1, 1, 0, 0)).toBe(1);
  });
});

describe("the autoscaler's memory", () => {
  it("keeps only the recommendations of the longest window", () => {
    const autoscaler = new Autoscaler(hpaSpec(), 1, 20);
    iterate(autoscaler, 3, 1000, (t) => 1 + ((t / 15_000) % 3));
    // 300 s / 15 s = 20 syncs within the window, plus the one just recorded.
    const kept = (autoscaler as unknown as { recommendations: number[] }).recommendations.length;
    expect(kept).toBeLessThanOrEqual(21);
    expect(kept).toBeGreaterThanOrEqual(20);
  });
});
