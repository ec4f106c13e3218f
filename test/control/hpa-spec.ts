import type { ResolvedAutoscaler } from "../../src/control/types.js";

/** An autoscaler with the HPA's defaults (sync 15 s, tolerance 0.1, down window 5 min, up 0, 4 pods / 100 % up, 100 % down), written out: the tests' oracle does not read src/control/defaults.ts. */
export function hpaSpec(overrides: Partial<ResolvedAutoscaler> = {}): ResolvedAutoscaler {
  return {
    metric: "utilisation",
    target: 0.5,
    syncPeriodMs: 15_000,
    tolerance: 0.1,
    scaleDownWindowMs: 300_000,
    scaleUpWindowMs: 0,
    scaleUpPods: 4,
    scaleUpPercent: 100,
    scaleDownPercent: 100,
    scaleToZeroAfterMs: Number.POSITIVE_INFINITY,
    ...overrides,
  };
}
