import { InputError, type InputIssue } from "../errors.js";
import type { Uniform } from "../engine/rng.js";
import type { DistributionSpec } from "./distribution-spec.js";
import { parseDuration, type TimeUnit } from "./duration.js";
import { checkDrawRange, exponentialReach, intersectRange, normalReach, type DrawRange } from "./finite-range.js";
import { DISTRIBUTION_PRESETS } from "./presets.js";
import { makeStableSampler } from "./stable.js";

/** A compiled distribution: draws in milliseconds from the uniform stream it was bound to. */
export type Sampler = () => number;

/** A distribution spec checked and reduced to numbers in milliseconds, ready to bind to a stream. */
export interface CompiledDistribution {
  /** A short human description, e.g. "exponential(mean 1.25 ms)". */
  readonly description: string;
  /** The exact mean when it is known: in closed form (untruncated), or stated by a preset (presets.ts); else undefined. */
  readonly exactMean: number | undefined;
  /** True when every draw is the same number. */
  readonly isConstant: boolean;
  /**
   * The number every draw returns when a draw takes no uniform from its stream (a constant);
   * undefined otherwise (a uniform of width 0 or a normal of sd 0 is constant but still draws).
   * A hot path may read it instead of calling the sampler: the stream is not moved either way.
   */
  readonly fixedValue?: number;
  /**
   * True when a bound sampler keeps nothing between draws, so one binding to a StreamTable's
   * shared uniform serves every stream of the table with each stream's own draws (issue 16: a
   * million devices' arrivals). Box–Muller's spare normal is state: normal, lognormal and gamma are not.
   */
  readonly stateless: boolean;
  /** Where draws reach at tail probability p: all but a fraction 2p lie inside (finite-range.ts; checked at compile time). */
  reach(p: number): DrawRange;
  /** Binds to a uniform stream. */
  bind(uniform: Uniform): Sampler;
}

/** Redraws allowed before a truncated distribution is declared infeasible. */
const MAX_REDRAWS = 10_000;

/**
 * Checks a parsed spec and compiles it. Throws InputError naming `path` when parameters are
 * inconsistent (a negative sd, min above max, a missing pair of lognormal parameters...).
 */
export function compileDistribution(spec: DistributionSpec, path: string): CompiledDistribution {
  const issues: InputIssue[] = [];
  const compiled = compileUnchecked(spec, path, issues);
  if (issues.length > 0 || compiled === undefined) throw new InputError("distribution", issues);
  return compiled;
}

function compileUnchecked(spec: DistributionSpec, path: string, issues: InputIssue[]): CompiledDistribution | undefined {
  if (typeof spec === "number" || typeof spec === "string") {
    const value = parseDuration(spec);
    if (value === undefined) {
      issues.push({ path, value: spec, expected: 'a duration such as "13 ms" or a distribution object' });
      return undefined;
    }
    return constant(value);
  }
  if ("preset" in spec) {
    const preset = DISTRIBUTION_PRESETS[spec.preset];
    if (preset === undefined) {
      const known = Object.keys(DISTRIBUTION_PRESETS).sort().join(", ");
      issues.push({ path: `${path}.preset`, value: spec.preset, expected: `a known preset (known: ${known})` });
      return undefined;
    }
    const { mean, ...law } = preset;
    const compiled = compileUnchecked(law, path, issues);
    // The preset states its truncated law's mean (presets.ts), so nothing estimates it by drawing.
    return compiled === undefined ? undefined : { ...compiled, exactMean: mean };
  }
  const unit: TimeUnit = spec.unit ?? "ms";
  const issueCount = issues.length;
  const time = (key: string, value: number | string): number => {
    const ms = parseDuration(value, unit);
    if (ms === undefined) {
      issues.push({ path: `${path}.${key}`, value, expected: 'a number in the spec\'s unit or a duration such as "13 ms"' });
      return NaN;
    }
    return ms;
  };
  const fail = (key: string, value: unknown, expected: string): void => {
    issues.push({ path: key === "" ? path : `${path}.${key}`, value, expected });
  };

  let base: CompiledDistribution | undefined;
  switch (spec.dist) {
    case "constant":
      base = constant(time("value", spec.value));
      break;
    case "uniform": {
      const low = time("low", spec.low);
      const high = time("high", spec.high);
      if (high < low) fail("high", spec.high, `a value not below low (${spec.low})`);
      base = uniform(low, high);
      break;
    }
    case "exponential": {
      if ((spec.mean === undefined) === (spec.rate === undefined)) {
        fail("", spec, "exactly one of mean or rate");
        return undefined;
      }
      const mean = spec.mean !== undefined ? time("mean", spec.mean) : (parseDuration(1, unit) as number) / (spec.rate as number);
      if (!(mean > 0)) fail(spec.mean !== undefined ? "mean" : "rate", spec.mean ?? spec.rate, "a positive mean");
      base = exponential(mean);
      break;
    }
    case "normal": {
      const mean = time("mean", spec.mean);
      const sd = time("sd", spec.sd);
      if (sd < 0) fail("sd", spec.sd, "a non-negative standard deviation");
      base = normal(mean, sd);
      break;
    }
    case "lognormal":
      base = lognormal(spec, unit, time, fail);
      break;
    case "gamma": {
      const given = [spec.shape !== undefined, spec.scale !== undefined, spec.mean !== undefined, spec.cv !== undefined];
      let shape: number;
      let scale: number;
      if (given[0] && given[1] && !given[2] && !given[3]) {
        shape = spec.shape as number;
        scale = time("scale", spec.scale as number | string);
      } else if (given[0] && given[2] && !given[1] && !given[3]) {
        shape = spec.shape as number;
        scale = time("mean", spec.mean as number | string) / shape;
      } else if (given[2] && given[3] && !given[0] && !given[1]) {
        shape = 1 / ((spec.cv as number) * (spec.cv as number));
        scale = time("mean", spec.mean as number | string) / shape;
      } else {
        fail("", spec, "shape with scale, shape with mean, or mean with cv");
        return undefined;
      }
      if (!(scale > 0)) fail(spec.scale !== undefined ? "scale" : "mean", spec.scale ?? spec.mean, "a positive value");
      base = gamma(shape, scale);
      break;
    }
    case "empirical": {
      const samples = spec.samples.map((sample, index) => time(`samples[${index}]`, sample));
      base = empirical(samples);
      break;
    }
    case "stable": {
      const scale = time("scale", spec.scale);
      const loc = spec.loc === undefined ? 0 : time("loc", spec.loc);
      if (!(scale > 0)) fail("scale", spec.scale, "a positive scale");
      base = stable(spec.alpha, spec.beta ?? 0, scale, loc, spec.parameterization ?? "S1");
      break;
    }
  }
  if (issues.length > issueCount || base === undefined) return undefined;

  const min = spec.min === undefined ? -Infinity : time("min", spec.min);
  const max = spec.max === undefined ? Infinity : time("max", spec.max);
  if (min > max) fail("max", spec.max, `a bound not below min (${String(spec.min)})`);
  if (issues.length > issueCount) return undefined;
  // One rule for every place a distribution is used: draws must be finite and of a sane size.
  checkDrawRange(base.reach, (range) => intersectRange(range, min, max), base.description, path, spec, issues);
  if (issues.length > issueCount) return undefined;
  if (min === -Infinity && max === Infinity) return base;
  return truncate(base, min, max, spec.truncation ?? "redraw", path);
}

function constant(value: number): CompiledDistribution {
  return {
    description: `constant(${value} ms)`,
    exactMean: value,
    isConstant: true,
    fixedValue: value,
    stateless: true,
    reach: () => [value, value],
    bind: () => () => value,
  };
}

function uniform(low: number, high: number): CompiledDistribution {
  const width = high - low;
  return {
    description: `uniform(${low} ms, ${high} ms)`,
    exactMean: (low + high) / 2,
    isConstant: width === 0,
    stateless: true,
    // As the sampler computes it: low + width * u overflows when the width does.
    reach: () => [low, low + width],
    bind: (u) => () => low + width * u(),
  };
}

function exponential(mean: number): CompiledDistribution {
  return {
    description: `exponential(mean ${mean} ms)`,
    exactMean: mean,
    isConstant: false,
    stateless: true,
    reach: (p) => [0, mean * exponentialReach(p)],
    // 1 - u is in (0, 1], so the logarithm is finite.
    bind: (u) => () => -mean * Math.log(1 - u()),
  };
}

/** Box–Muller with the spare normal kept for the next draw. */
function standardNormal(u: Uniform): Sampler {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const value = spare;
      spare = NaN;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - u()));
    const angle = 2 * Math.PI * u();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

function normal(mean: number, sd: number): CompiledDistribution {
  return {
    description: `normal(mean ${mean} ms, sd ${sd} ms)`,
    exactMean: mean,
    isConstant: sd === 0,
    stateless: false,
    reach: (p) => [mean - sd * normalReach(p), mean + sd * normalReach(p)],
    bind: (u) => {
      const z = standardNormal(u);
      return () => mean + sd * z();
    },
  };
}

type TimeReader = (key: string, value: number | string) => number;
type Fail = (key: string, value: unknown, expected: string) => void;

function lognormal(spec: Extract<DistributionSpec, { dist: "lognormal" }>, unit: TimeUnit, time: TimeReader, fail: Fail): CompiledDistribution | undefined {
  let mu: number;
  let sigma: number;
  if (spec.mu !== undefined && spec.sigma !== undefined && spec.mean === undefined) {
    // mu and sigma describe ln(X) with X in `unit`; shift mu so X comes out in milliseconds.
    mu = spec.mu + Math.log(parseDuration(1, unit) as number);
    sigma = spec.sigma;
  } else if (spec.mean !== undefined && (spec.sd !== undefined) !== (spec.cv !== undefined) && spec.mu === undefined) {
    const mean = time("mean", spec.mean);
    const cv = spec.cv ?? time("sd", spec.sd as number | string) / mean;
    if (!(mean > 0)) {
      fail("mean", spec.mean, "a positive mean");
      return undefined;
    }
    if (!(cv >= 0)) {
      fail(spec.cv !== undefined ? "cv" : "sd", spec.cv ?? spec.sd, "a non-negative spread");
      return undefined;
    }
    sigma = Math.sqrt(Math.log(1 + cv * cv));
    mu = Math.log(mean) - (sigma * sigma) / 2;
  } else {
    fail("", spec, "either mean with sd or cv, or mu with sigma");
    return undefined;
  }
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  return {
    description: `lognormal(mean ${round(mean)} ms, sigma ${round(sigma)})`,
    exactMean: mean,
    isConstant: sigma === 0,
    stateless: false,
    reach: (p) => [Math.exp(mu - sigma * normalReach(p)), Math.exp(mu + sigma * normalReach(p))],
    bind: (u) => {
      const z = standardNormal(u);
      return () => Math.exp(mu + sigma * z());
    },
  };
}

/**
 * Gamma(shape k, scale theta) by Marsaglia and Tsang (2000): a squeeze-accepted transform of a
 * normal for k >= 1; for k < 1, a Gamma(k + 1) draw times U^(1/k).
 */
function gamma(shape: number, scale: number): CompiledDistribution {
  const boosted = shape < 1;
  const k = boosted ? shape + 1 : shape;
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  return {
    description: `gamma(shape ${round(shape)}, scale ${round(scale)} ms)`,
    exactMean: shape * scale,
    isConstant: false,
    stateless: false,
    // The Marsaglia–Tsang draw is d (1 + c x)^3 with |x| at most the normal's reach (the U^(1/k) factor is at most 1).
    reach: (p) => [0, d * (1 + c * normalReach(p)) ** 3 * scale],
    bind: (u) => {
      const z = standardNormal(u);
      return () => {
        let draw: number;
        for (;;) {
          const x = z();
          const t = 1 + c * x;
          if (t <= 0) continue;
          const v = t * t * t;
          const w = 1 - u();
          if (w < 1 - 0.0331 * x * x * x * x || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
            draw = d * v;
            break;
          }
        }
        // 1 - u is in (0, 1]: the power is finite.
        if (boosted) draw *= (1 - u()) ** (1 / shape);
        return draw * scale;
      };
    },
  };
}

function empirical(samples: number[]): CompiledDistribution {
  const values = Float64Array.from(samples);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return {
    description: `empirical(${samples.length} samples)`,
    exactMean: mean,
    isConstant: samples.every((value) => value === samples[0]),
    stateless: true,
    reach: () => [values.reduce((a, b) => Math.min(a, b)), values.reduce((a, b) => Math.max(a, b))],
    bind: (u) => () => values[Math.min(values.length - 1, Math.floor(u() * values.length))],
  };
}

function stable(alpha: number, beta: number, scale: number, loc: number, parameterization: "S0" | "S1"): CompiledDistribution {
  const params = { alpha, beta, scale, loc, parameterization };
  let exactMean: number | undefined;
  if (alpha > 1) exactMean = parameterization === "S1" ? loc : loc - beta * scale * Math.tan((Math.PI * alpha) / 2);
  return {
    description: `stable(alpha ${alpha}, beta ${beta}, scale ${scale} ms, loc ${loc} ms, ${parameterization})`,
    exactMean,
    isConstant: false,
    stateless: true,
    reach: (p) => stableReach(alpha, beta, scale, loc, parameterization, p),
    bind: (u) => makeStableSampler(params, u),
  };
}

/**
 * Where a stable law's draws reach at tail probability p, conservatively: the tails are
 * P(X > x) ~ c (1 + beta) (x / s)^-alpha with c = sin(pi alpha / 2) Gamma(alpha) / pi <= 1/2 (Nolan's
 * tail approximation; the left tail with 1 - beta), s the sampler's
 * multiplier (scale x (1 + beta^2 tan^2(pi alpha / 2))^(1/(2 alpha)), which grows near alpha = 1),
 * so x = s ((1 +- beta) / p)^(1/alpha) on each side; a side with beta = -+1 is light-tailed and
 * given a Gaussian-like reach. alpha = 2 is the normal with sd scale x sqrt(2).
 */
function stableReach(alpha: number, beta: number, scale: number, loc: number, parameterization: "S0" | "S1", p: number): DrawRange {
  if (alpha === 2) return [loc - scale * Math.SQRT2 * normalReach(p), loc + scale * Math.SQRT2 * normalReach(p)];
  const tan = Math.tan((Math.PI * alpha) / 2);
  const multiplier = alpha === 1 ? scale : scale * (1 + beta * beta * tan * tan) ** (1 / (2 * alpha));
  let shift = loc;
  if (alpha === 1 && parameterization === "S1") shift = loc + (2 / Math.PI) * beta * scale * Math.log(scale);
  else if (alpha !== 1 && parameterization === "S0") shift = loc - beta * scale * tan;
  const reach = (weight: number): number => multiplier * Math.max(2 * normalReach(p), (weight / p) ** (1 / alpha));
  return [shift - reach(1 - beta), shift + reach(1 + beta)];
}

function truncate(base: CompiledDistribution, min: number, max: number, mode: "redraw" | "clamp", path: string): CompiledDistribution {
  const bounds = `[${min}, ${max}] ms`;
  return {
    description: `${base.description} truncated to ${bounds} (${mode})`,
    exactMean: undefined,
    isConstant: base.isConstant,
    stateless: base.stateless,
    reach: (p) => intersectRange(base.reach(p), min, max),
    bind: (u) => {
      const draw = base.bind(u);
      if (mode === "clamp") {
        return () => {
          const value = draw();
          return value < min ? min : value > max ? max : value;
        };
      }
      return () => {
        for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
          const value = draw();
          if (value >= min && value <= max) return value;
        }
        throw new InputError("distribution", [{ path, value: bounds, expected: `bounds that the distribution reaches (${MAX_REDRAWS} draws fell outside)` }]);
      };
    },
  };
}

/** Draws of a mean estimated by sampling (meanOf). */
export const MEAN_ESTIMATE_DRAWS = 20_000;

/**
 * The mean of a compiled distribution: exact when known, otherwise estimated from `draws`
 * draws of a fixed, private stream so the estimate is deterministic.
 */
export function meanOf(distribution: CompiledDistribution, uniformForEstimate: Uniform, draws = MEAN_ESTIMATE_DRAWS): number {
  if (distribution.exactMean !== undefined) return distribution.exactMean;
  return estimateMean(distribution.bind(uniformForEstimate), draws);
}

/**
 * The mean of `draws` draws of a bound sampler (meanOf without the exact shortcut). A caller that
 * estimates one law on many streams binds it once to a StreamTable's uniform and selects each
 * stream in turn: the same draws, but one set of closures, which V8 optimises once, where a new
 * binding per stream is cold code again (start-up, docs/performance.md).
 */
export function estimateMean(draw: Sampler, draws = MEAN_ESTIMATE_DRAWS): number {
  let sum = 0;
  for (let i = 0; i < draws; i++) sum += draw();
  return sum / draws;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
