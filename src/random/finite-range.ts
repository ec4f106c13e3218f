import type { InputIssue } from "../errors.js";

/**
 * The one rule every distribution passes at load: its draws stay finite and within a sane range.
 *
 * A draw is judged at the rarest probability a double-precision uniform can produce, 2^-53: a
 * value a family reaches only beyond that is never drawn, one it reaches before it can be (a run
 * draws up to billions of values). So "reachable" below means "at tail probability 2^-53".
 */

/** Tail probability of the rarest draw: the resolution of a [0, 1) uniform in a double. */
export const RAREST_DRAW_PROBABILITY = 2 ** -53;

/**
 * Largest magnitude a draw may reach, in ms (about 31,700 years). Far beyond any delay a
 * scenario means, and small enough that sums of the draws of a run (fewer than 2^53 of them)
 * stay finite: a draw beyond it is a mistake in the parameters (a mean in the wrong unit, a
 * lognormal mu meant as the mean, a stable alpha near 0), not a delay.
 */
export const MAX_DRAW_MS = 1e15;

/** |z| a standard normal reaches at tail probability 2^-53 (Box–Muller: sqrt(-2 ln 2^-53)). */
export const NORMAL_REACH = Math.sqrt(-2 * Math.log(RAREST_DRAW_PROBABILITY));

/** -ln(2^-53): a unit exponential's reach. */
export const EXPONENTIAL_REACH = -Math.log(RAREST_DRAW_PROBABILITY);

/** The interval of values a distribution's draws can take (at tail probability 2^-53), ms. */
export type DrawRange = readonly [low: number, high: number];

/**
 * Checks a distribution's reachable range; pushes one issue at `path` when its parameters
 * overflow (a reachable draw is not finite) or when it reaches beyond ±MAX_DRAW_MS.
 * `base` is the range before truncation, `truncated` after (the same without min/max).
 */
export function checkDrawRange(base: DrawRange, truncated: DrawRange, description: string, path: string, spec: unknown, issues: InputIssue[]): void {
  const [low, high] = base;
  if (!(Number.isFinite(low) && Number.isFinite(high))) {
    issues.push({
      path,
      value: spec,
      expected: `parameters whose draws are finite numbers: ${description} can draw ${Number.isNaN(low) || Number.isNaN(high) ? "NaN" : high === Infinity ? "Infinity" : "-Infinity"} (its parameters overflow a double); check the unit and the parameters`,
    });
    return;
  }
  const [from, to] = truncated;
  if (from < -MAX_DRAW_MS || to > MAX_DRAW_MS) {
    issues.push({
      path,
      value: spec,
      expected:
        `a distribution whose draws stay within ±${MAX_DRAW_MS} ms (about 31,700 years): ${description} reaches ${formatMs(Math.abs(from) > Math.abs(to) ? from : to)} ` +
        `at tail probability 2^-53 (one draw in 9e15); check the unit and the parameters, or bound it with "max" (and "min")`,
    });
  }
}

/** The range of a distribution truncated to [min, max] (redraw or clamp: either keeps draws inside both). */
export function intersectRange(range: DrawRange, min: number, max: number): DrawRange {
  return [Math.max(range[0], min), Math.min(range[1], max)];
}

function formatMs(ms: number): string {
  return `${Number(ms.toPrecision(3))} ms`;
}
