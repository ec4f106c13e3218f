/**
 * The quality proxy: the probability that a model of a given size answers a query of a given
 * complexity well. There is no measured curve for this in the data the project holds, so it is a
 * documented, configurable assumption (docs/llm.md): a logistic in (complexity - capability), with
 * capability growing with the logarithm of the parameter count, the shape scaling studies report.
 */
export interface QualityCurve {
  /** Capability of a 1B-parameter model. */
  readonly intercept: number;
  /** Capability gained per tenfold parameters. */
  readonly slope: number;
  readonly steepness: number;
}

export const DEFAULT_QUALITY: QualityCurve = { intercept: 0.3, slope: 0.3, steepness: 10 };

export function capability(curve: QualityCurve, paramsB: number): number {
  return curve.intercept + curve.slope * Math.log10(paramsB);
}

/** P(good answer) for a model of `paramsB` billion parameters on a query of `complexity` in [0, 1]. */
export function answerQuality(curve: QualityCurve, paramsB: number, complexity: number): number {
  return qualityAt(curve, capability(curve, paramsB), complexity);
}

/**
 * answerQuality for a model whose `capability` (capability(curve, paramsB)) the caller computed
 * once: a hot path pays no logarithm per query, and gets the same double.
 */
export function qualityAt(curve: QualityCurve, modelCapability: number, complexity: number): number {
  return 1 / (1 + Math.exp(curve.steepness * (complexity - modelCapability)));
}
