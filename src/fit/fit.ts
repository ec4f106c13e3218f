import { RandomStreams } from "../engine/rng.js";
import type { DistributionSpecInput } from "../random/distribution-spec.js";
import { fitEmpirical, fitExponential, fitGamma, fitLognormal, fitStable, type FitFamily, type FittedModel } from "./families.js";

/** Likelihood sample cap: the stable likelihood costs one interpolation per sample per evaluation. */
export const DEFAULT_MAX_SAMPLES = 20_000;

export interface FitOptions {
  families: readonly FitFamily[];
  /** Samples used for the likelihoods (a seeded random subset when there are more); KS uses all. */
  maxSamples?: number;
  /** Seed of the subsample. */
  seed?: number | string;
  /** Cap on the stable likelihood evaluations. */
  stableMaxEvaluations?: number;
}

export interface FitSummary {
  dist: FitFamily;
  parameters: Record<string, number>;
  logLikelihood: number | null;
  aic: number | null;
  /** Kolmogorov–Smirnov distance sup |ECDF - F| over the whole sample. */
  ks: number;
  method: string;
  spec: DistributionSpecInput | null;
}

export interface FitReport {
  n: number;
  /** Samples in the likelihood subset (all of them when n <= maxSamples). */
  likelihoodSamples: number;
  fits: FitSummary[];
  /** Families that could not be fitted to this sample, with the reason. */
  skipped: Array<{ dist: FitFamily; reason: string }>;
  /** Lowest AIC among the fits. */
  best: FitFamily | null;
  /** The simulator spec of the best family it can express (every fitted family now), and which family that is. */
  spec: DistributionSpecInput | null;
  specFrom: FitFamily | null;
  /** Kept for the charts (not written to fit.json). */
  models: FittedModel[];
  sorted: Float64Array;
}

/** Fits every requested family; AICs are comparable because every likelihood uses the same subset. */
export function fitSamples(values: readonly number[], options: FitOptions): FitReport {
  const sorted = Float64Array.from(values).sort();
  const sample = subsample(values, options.maxSamples ?? DEFAULT_MAX_SAMPLES, options.seed ?? 1);
  const positive = sorted[0] > 0;
  const nonNegative = sorted[0] >= 0;
  const models: FittedModel[] = [];
  const skipped: FitReport["skipped"] = [];
  const distinct = sorted[0] !== sorted[sorted.length - 1];
  for (const family of options.families) {
    if (!distinct && family !== "empirical") {
      skipped.push({ dist: family, reason: "every sample has the same value" });
      continue;
    }
    switch (family) {
      case "stable":
        models.push(fitStable(sample, Float64Array.from(sample).sort(), { maxEvaluations: options.stableMaxEvaluations, nonNegative }));
        break;
      case "lognormal":
      case "gamma":
        if (!positive) skipped.push({ dist: family, reason: `needs every sample > 0 (the smallest is ${sorted[0]})` });
        else models.push(family === "lognormal" ? fitLognormal(sample) : fitGamma(sample));
        break;
      case "exponential":
        if (!nonNegative) skipped.push({ dist: family, reason: `needs every sample >= 0 (the smallest is ${sorted[0]})` });
        else models.push(fitExponential(sample));
        break;
      case "empirical":
        models.push(fitEmpirical(sorted));
        break;
    }
  }
  const fits = models.map(
    (model): FitSummary => ({
      dist: model.dist,
      parameters: model.parameters,
      logLikelihood: model.logLikelihood,
      aic: model.logLikelihood === null ? null : 2 * model.parameterCount - 2 * model.logLikelihood,
      // The empirical law is the ECDF itself (distance 0); ksDistance assumes a continuous F, and
      // would count every tie (ping prints 3 digits) as a jump of the model.
      ks: model.dist === "empirical" ? 0 : ksDistance(sorted, model.cdf),
      method: model.method,
      spec: model.spec,
    }),
  );
  const ranked = fits.filter((fit) => fit.aic !== null && Number.isFinite(fit.aic)).sort((a, b) => (a.aic as number) - (b.aic as number));
  const expressible = ranked.find((fit) => fit.spec !== null);
  return {
    n: sorted.length,
    likelihoodSamples: sample.length,
    fits,
    skipped,
    best: ranked[0]?.dist ?? null,
    spec: expressible?.spec ?? fits.find((fit) => fit.dist === "empirical")?.spec ?? null,
    specFrom: expressible?.dist ?? (fits.some((fit) => fit.dist === "empirical") ? "empirical" : null),
    models,
    sorted,
  };
}

/** sup_x |ECDF(x) - F(x)|, checked on both sides of every jump (ties included). */
export function ksDistance(sorted: Float64Array, cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    const f = cdf(sorted[i]);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((j + 1) / n - f));
    i = j + 1;
  }
  return d;
}

/** A seeded random subset without replacement (partial Fisher–Yates), so a fit is reproducible. */
function subsample(values: readonly number[], max: number, seed: number | string): Float64Array {
  const copy = Float64Array.from(values);
  if (copy.length <= max) return copy;
  const uniform = new RandomStreams(seed).stream("fit/subsample");
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(uniform() * (copy.length - i));
    const tmp = copy[i];
    copy[i] = copy[j];
    copy[j] = tmp;
  }
  return copy.slice(0, max);
}
