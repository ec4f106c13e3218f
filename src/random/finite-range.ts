import type { InputIssue } from "../errors.js";
import { formatYears } from "./duration.js";

/**
 * The one rule every distribution passes at load (compileDistribution): its draws are finite
 * numbers, and only negligibly rarely beyond a sane size.
 *
 * Each family states how far its draws reach at a tail probability p (`reach(p)`: every draw
 * but a fraction 2p lies inside). At the rarest probability a double-precision uniform can
 * produce, 2^-53, the reach must be finite: a draw there can be made, so an overflow there is an
 * Infinity (or NaN) in the run. At NEGLIGIBLE_PROBABILITY it must lie within ±MAX_DRAW_MS.
 */

/** Tail probability of the rarest draw: the resolution of a [0, 1) uniform in a double. */
export const RAREST_DRAW_PROBABILITY = 2 ** -53;

/**
 * A tail probability a run never meets: one draw in a trillion; a run of DEFAULT_MAX_EVENTS
 * (2e9) draws exceeds it with probability 0.2%.
 */
export const NEGLIGIBLE_PROBABILITY = 1e-12;

/**
 * Largest magnitude a draw may reach, in ms (about 31,689 years): far beyond any delay a scenario
 * means, so a draw beyond it is a mistake in the parameters (a mean in the wrong unit, a lognormal
 * mu meant as the mean, a stable alpha near 0), and small enough that the sums of a run's draws
 * stay finite and exact to the microsecond over many years.
 */
export const MAX_DRAW_MS = 1e15;

/** Values a distribution's draws lie in, at a given tail probability (ms). */
export type DrawRange = readonly [low: number, high: number];

/** |z| beyond which a standard normal draw falls with probability at most p: sqrt(-2 ln p) (the Box–Muller radius; exceeds the exact quantile). */
export function normalReach(p: number): number {
  return Math.sqrt(-2 * Math.log(p));
}

/** Where a unit exponential's upper tail has probability p: -ln p. */
export function exponentialReach(p: number): number {
  return -Math.log(p);
}

/** A distribution's reach truncated to [min, max] (redraw or clamp: either keeps draws inside both). */
export function intersectRange(range: DrawRange, min: number, max: number): DrawRange {
  return [Math.max(range[0], min), Math.min(range[1], max)];
}

/**
 * Applies the rule; pushes one issue at `path` when a draw can be non-finite (the base law,
 * before truncation, overflows at 2^-53: a truncation would not catch a NaN) or reaches beyond
 * ±MAX_DRAW_MS with non-negligible probability (after truncation).
 */
export function checkDrawRange(reach: (p: number) => DrawRange, truncate: (range: DrawRange) => DrawRange, description: string, path: string, spec: unknown, issues: InputIssue[]): void {
  const [low, high] = reach(RAREST_DRAW_PROBABILITY);
  if (!(Number.isFinite(low) && Number.isFinite(high))) {
    const bad = Number.isNaN(low) || Number.isNaN(high) ? "NaN" : high === Infinity ? "Infinity" : "-Infinity";
    issues.push({ path, value: spec, expected: `parameters whose draws are finite numbers: ${description} can draw ${bad} (its parameters overflow a double); check the unit and the parameters` });
    return;
  }
  const [from, to] = truncate(reach(NEGLIGIBLE_PROBABILITY));
  if (from < -MAX_DRAW_MS || to > MAX_DRAW_MS) {
    const far = Math.abs(from) > Math.abs(to) ? from : to;
    issues.push({
      path,
      value: spec,
      expected:
        `a distribution whose draws stay within ±${MAX_DRAW_MS} ms (${formatYears(MAX_DRAW_MS)}): ${description} reaches ${Number(far.toPrecision(3))} ms ` +
        `once in ${(1 / NEGLIGIBLE_PROBABILITY).toExponential()} draws; check the unit and the parameters, or bound it with "max" (and "min")`,
    });
  }
}
