/**
 * Named link-latency distributions. Values are in milliseconds, `loc` is the S1 location (for alpha > 1 the mean of
 * the untruncated law), and `min`/`max` truncate by redrawing out-of-range variates. Derivations and checks:
 * docs/network-calibration.md.
 */

export interface StablePresetSpec {
  dist: "stable";
  alpha: number;
  beta: number;
  scale: number;
  loc: number;
  unit: "ms";
  parameterization: "S0" | "S1";
  min?: number;
  max?: number;
  /**
   * The mean of the law as truncated, ms: a truncated stable law has no closed-form mean, so the preset
   * states it, computed once as the integral of x f(x) over [min, max] divided by that of f(x), f being
   * SciPy's `levy_stable` density (S1), by adaptive quadrature (docs/network-calibration.md says how, and
   * test/random/stable.test.ts checks it against a million of the simulator's own draws). Without it each
   * link using the preset estimated it from 20,000 draws of its own (standard error 0.11 ms for the
   * calibrated preset, so two links of the same law got different nominal latencies), and those draws,
   * in code not yet optimised, were the largest part of a short run's start (issue 16).
   */
  mean: number;
}

/** Named link-jitter presets a scenario can refer to by name. */
export const DISTRIBUTION_PRESETS: Readonly<Record<string, StablePresetSpec>> = Object.freeze({
  // alpha from the published 5G latency fit (shape 1.6878); scale, loc, max solved for mean 13.405 ms, sd 16.065 ms.
  "5g-stable-calibrated": Object.freeze<StablePresetSpec>({
    dist: "stable",
    alpha: 1.6878,
    beta: 1,
    scale: 5.97,
    loc: 11.695,
    unit: "ms",
    parameterization: "S1",
    min: 0,
    max: 1000,
    mean: 13.405520526650788,
  }),
  // The published fit (shape 1.6878, scale 0.0980) read literally in ms, loc = the published mean 13.405 ms; sd ~0.5 ms.
  "5g-stable-literal": Object.freeze<StablePresetSpec>({
    dist: "stable",
    alpha: 1.6878,
    beta: 1,
    scale: 0.098,
    loc: 13.405,
    unit: "ms",
    parameterization: "S1",
    min: 0,
    max: 1000,
    mean: 13.40488463481526,
  }),
});
