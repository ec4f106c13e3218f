import type { DistributionSpecInput } from "../random/distribution-spec.js";
import { digamma, invertCdf, logGamma, nelderMead, normalCdf, normalQuantile, regularizedGammaP, trigamma } from "./special.js";
import { QUANTILE_GRID, s0ToS1Loc, StableGrid } from "./stable-density.js";

export const FIT_FAMILIES = ["stable", "lognormal", "gamma", "exponential", "empirical"] as const;
export type FitFamily = (typeof FIT_FAMILIES)[number];

/** A fitted candidate: what goes into fit.json, plus its CDF and quantile function for KS and the charts. */
export interface FittedModel {
  dist: FitFamily;
  /** Parameters in milliseconds (stable in S1, the simulator's default, with the S0 location too). */
  parameters: Record<string, number>;
  /** Free parameters (for AIC); 0 for the empirical law, which has no likelihood. */
  parameterCount: number;
  /** Log-likelihood of the likelihood sample; null for the empirical law. */
  logLikelihood: number | null;
  /** How the estimate was obtained, one phrase. */
  method: string;
  /** A spec the simulator accepts, or null when it has no such family. */
  spec: DistributionSpecInput | null;
  cdf(x: number): number;
  quantile(p: number): number;
}

/** Lowest alpha searched: below it the tabulated density needs finer grids, and no latency trace comes near it. */
export const STABLE_ALPHA_MIN = 0.8;

export interface StableFitOptions {
  /** Cap on Nelder–Mead likelihood evaluations (each one FFT of 16,384 points). */
  maxEvaluations?: number;
  /** Latency data: add `min: 0` to the spec so the simulator never draws a negative time. */
  nonNegative?: boolean;
}

/**
 * McCulloch's (1986) quantile estimator, then maximum likelihood. McCulloch inverts the
 * functionals nu_alpha = (q95 - q05) / (q75 - q25) and nu_beta = (q95 + q05 - 2 q50) / (q95 - q05),
 * which depend on (alpha, beta) only; his printed tables are replaced by the same functionals
 * computed from the numerically inverted CDF, solved by alternating bisections.
 */
export function mccullochStable(sorted: Float64Array): { alpha: number; beta: number; scale: number; loc0: number } {
  const q = (p: number) => sampleQuantile(sorted, p);
  const [q05, q25, q50, q75, q95] = [q(0.05), q(0.25), q(0.5), q(0.75), q(0.95)];
  const iqr = q75 - q25;
  if (!(iqr > 0)) return { alpha: 2, beta: 0, scale: Math.max(1e-9, (q95 - q05) / 4), loc0: q50 };
  const nuAlpha = (q95 - q05) / iqr;
  const nuBeta = q95 - q05 > 0 ? (q95 + q05 - 2 * q50) / (q95 - q05) : 0;
  const functionals = (alpha: number, beta: number) => {
    const grid = new StableGrid(alpha, beta, QUANTILE_GRID);
    const [z05, z25, z50, z75, z95] = [0.05, 0.25, 0.5, 0.75, 0.95].map((p) => grid.quantile(p));
    return { nuAlpha: (z95 - z05) / (z75 - z25), nuBeta: (z95 + z05 - 2 * z50) / (z95 - z05), z25, z50, z75 };
  };
  let alpha = 1.5;
  let beta = 0;
  for (let round = 0; round < 4; round++) {
    // nu_alpha falls as alpha rises (2.44 at the normal law); clamp to the searched range.
    alpha = bisect((a) => functionals(a, beta).nuAlpha - nuAlpha, STABLE_ALPHA_MIN, 2, -1);
    // At alpha = 2 beta has no effect; elsewhere nu_beta rises with beta.
    if (alpha < 1.99) beta = bisect((b) => functionals(alpha, b).nuBeta - nuBeta, -1, 1, 1);
  }
  const f = functionals(alpha, beta);
  const scale = iqr / (f.z75 - f.z25);
  return { alpha, beta, scale, loc0: q50 - scale * f.z50 };
}

/** Root of a monotone g on [lo, hi] (direction +1: increasing), or the end nearer to it. */
function bisect(g: (x: number) => number, lo: number, hi: number, direction: 1 | -1): number {
  const s = (x: number) => direction * g(x);
  if (s(lo) >= 0) return lo;
  if (s(hi) <= 0) return hi;
  for (let i = 0; i < 30; i++) {
    const mid = 0.5 * (lo + hi);
    if (s(mid) < 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

const logistic = (u: number) => 1 / (1 + Math.exp(-u));

/** Stable: McCulloch start, then Nelder–Mead on the exact (FFT-tabulated) log-likelihood in S0, reported in S1. */
export function fitStable(sample: Float64Array, sorted: Float64Array, options: StableFitOptions = {}): FittedModel {
  const start = mccullochStable(sorted);
  // Unconstrained coordinates: alpha in (0.8, 2), beta in (-1, 1), log scale, S0 location. S0 is
  // used for the search because its location stays near the mode for every alpha (S1's jumps at alpha = 1).
  const span = 2 - STABLE_ALPHA_MIN;
  const clampUnit = (x: number) => Math.min(1 - 1e-4, Math.max(1e-4, x));
  const decode = (x: number[]) => ({ alpha: STABLE_ALPHA_MIN + span * logistic(x[0]), beta: Math.tanh(x[1]), scale: Math.exp(x[2]), loc0: x[3] });
  const p0 = clampUnit((start.alpha - STABLE_ALPHA_MIN) / span);
  const x0 = [Math.log(p0 / (1 - p0)), Math.atanh(Math.max(-0.999, Math.min(0.999, start.beta))), Math.log(start.scale), start.loc0];
  const negLogLik = (x: number[]): number => {
    const { alpha, beta, scale, loc0 } = decode(x);
    return -stableLogLikelihood(sample, alpha, beta, scale, loc0) / sample.length;
  };
  const budget = options.maxEvaluations ?? 500;
  let best = nelderMead(negLogLik, x0, [0.4, 0.4, 0.15, 0.15 * start.scale], Math.ceil(budget * 0.6));
  // A restart from the optimum with smaller steps: Nelder–Mead can stall on a ridge (alpha and scale trade off).
  best = nelderMead(negLogLik, best.x, [0.1, 0.2, 0.05, 0.05 * Math.exp(best.x[2])], Math.floor(budget * 0.4));
  const { alpha, beta, scale, loc0 } = decode(best.x);
  const loc = s0ToS1Loc(alpha, beta, scale, loc0);
  const grid = new StableGrid(alpha, beta);
  return {
    dist: "stable",
    parameters: { alpha, beta, scale, loc, locS0: loc0, mccullochAlpha: start.alpha, mccullochBeta: start.beta, mccullochScale: start.scale },
    parameterCount: 4,
    logLikelihood: -best.value * sample.length,
    method: "McCulloch quantiles, then maximum likelihood (FFT density)",
    spec: {
      dist: "stable",
      alpha: round(alpha),
      beta: round(beta),
      scale: round(scale),
      loc: round(loc),
      parameterization: "S1",
      unit: "ms",
      ...(options.nonNegative ? { min: 0 } : {}),
    },
    cdf: (x) => grid.cdf((x - loc0) / scale),
    quantile: (p) => loc0 + scale * grid.quantile(p),
  };
}

/** Log-likelihood of S0(alpha, beta, scale, loc0) at every sample: one FFT, then interpolation. */
export function stableLogLikelihood(sample: Float64Array, alpha: number, beta: number, scale: number, loc0: number): number {
  const grid = new StableGrid(alpha, beta);
  let sum = 0;
  for (let i = 0; i < sample.length; i++) sum += Math.log(grid.pdf((sample[i] - loc0) / scale));
  return sum - sample.length * Math.log(scale);
}

/** Lognormal MLE: mu and sigma are the mean and (1/n) standard deviation of ln x. */
export function fitLognormal(sample: Float64Array): FittedModel {
  const n = sample.length;
  let sumLog = 0;
  for (const x of sample) sumLog += Math.log(x);
  const mu = sumLog / n;
  let ss = 0;
  for (const x of sample) ss += (Math.log(x) - mu) ** 2;
  const sigma = Math.sqrt(ss / n);
  const logLikelihood = -sumLog - n * Math.log(sigma * Math.sqrt(2 * Math.PI)) - ss / (2 * sigma * sigma);
  return {
    dist: "lognormal",
    parameters: { mu, sigma, mean: Math.exp(mu + (sigma * sigma) / 2) },
    parameterCount: 2,
    logLikelihood,
    method: "maximum likelihood (closed form)",
    spec: { dist: "lognormal", mu: round(mu), sigma: round(sigma), unit: "ms" },
    cdf: (x) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma)),
    quantile: (p) => Math.exp(mu + sigma * normalQuantile(p)),
  };
}

/**
 * Gamma MLE: the shape k solves ln k - psi(k) = s with s = ln(mean) - mean(ln x), by Newton from
 * Minka's (2002) closed-form start; the scale is then mean / k.
 */
export function fitGamma(sample: Float64Array): FittedModel {
  const n = sample.length;
  let sum = 0;
  let sumLog = 0;
  for (const x of sample) {
    sum += x;
    sumLog += Math.log(x);
  }
  const mean = sum / n;
  const s = Math.log(mean) - sumLog / n;
  let k = (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s);
  for (let i = 0; i < 100; i++) {
    const step = (Math.log(k) - digamma(k) - s) / (1 / k - trigamma(k));
    // Newton on a concave-in-log function can overshoot below 0: halve towards 0 instead.
    const next = k - step > 0 ? k - step : k / 2;
    const done = Math.abs(next - k) < 1e-12 * k;
    k = next;
    if (done) break;
  }
  const theta = mean / k;
  const logLikelihood = (k - 1) * sumLog - sum / theta - n * (logGamma(k) + k * Math.log(theta));
  const cdf = (x: number) => (x <= 0 ? 0 : regularizedGammaP(k, x / theta));
  return {
    dist: "gamma",
    parameters: { shape: k, scale: theta, mean },
    parameterCount: 2,
    logLikelihood,
    method: "maximum likelihood (Newton on the shape)",
    spec: { dist: "gamma", shape: round6(k), scale: round6(theta), unit: "ms" },
    cdf,
    quantile: (p) => invertCdf(cdf, p, 0, mean * 10),
  };
}

/** Exponential MLE: the mean. */
export function fitExponential(sample: Float64Array): FittedModel {
  let sum = 0;
  for (const x of sample) sum += x;
  const n = sample.length;
  const mean = sum / n;
  return {
    dist: "exponential",
    parameters: { mean },
    parameterCount: 1,
    logLikelihood: -n * Math.log(mean) - n,
    method: "maximum likelihood (the sample mean)",
    spec: { dist: "exponential", mean: round(mean), unit: "ms" },
    cdf: (x) => (x <= 0 ? 0 : 1 - Math.exp(-x / mean)),
    quantile: (p) => -mean * Math.log(1 - p),
  };
}

/** Quantile points kept in the empirical spec: enough that drawing from them matches the sample's CDF to 1/1000. */
export const EMPIRICAL_SPEC_POINTS = 1000;

/** The sample itself. Its spec holds 1,000 quantiles (p = (i + 1/2) / 1000), not every sample, to keep fit.json small. */
export function fitEmpirical(sorted: Float64Array): FittedModel {
  const n = sorted.length;
  const points = Math.min(n, EMPIRICAL_SPEC_POINTS);
  const samples: number[] = [];
  for (let i = 0; i < points; i++) samples.push(round(sampleQuantile(sorted, (i + 0.5) / points)));
  return {
    dist: "empirical",
    parameters: { n, min: sorted[0], median: sampleQuantile(sorted, 0.5), max: sorted[n - 1] },
    parameterCount: 0,
    logLikelihood: null,
    method: "the sample itself (no likelihood, no AIC)",
    spec: { dist: "empirical", samples, unit: "ms" },
    cdf: (x) => upperBound(sorted, x) / n,
    quantile: (p) => sampleQuantile(sorted, p),
  };
}

/** Linear-interpolation sample quantile (type 7, as R's and NumPy's default). */
export function sampleQuantile(sorted: ArrayLike<number>, p: number): number {
  const position = p * (sorted.length - 1);
  const i = Math.floor(position);
  const w = position - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - w) + sorted[i + 1] * w : sorted[sorted.length - 1];
}

/** Number of elements <= x in a sorted array. */
function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Six significant digits: what a pasted spec needs, without 17-digit noise. */
export function round(x: number): number {
  return Number(x.toPrecision(6));
}

/** Six significant digits: a paste-ready spec without float noise. */
function round6(x: number): number {
  return Number(x.toPrecision(6));
}
