import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { fitSamples, ksDistance } from "../../src/fit/fit.js";
import { mccullochStable } from "../../src/fit/families.js";
import { digamma, logGamma, regularizedGammaP, trigamma } from "../../src/fit/special.js";
import { s0ToS1Loc, StableGrid } from "../../src/fit/stable-density.js";
import { distributionSpecSchema } from "../../src/random/distribution-spec.js";
import { compileDistribution } from "../../src/random/distributions.js";
import { REPO } from "../cli/helpers.js";

const ALL = ["stable", "lognormal", "gamma", "exponential", "empirical"] as const;

/** Draws with the simulator's own sampler, bound to a seeded named stream, as a scenario would. */
function draw(spec: unknown, n: number, seed: number): number[] {
  const sampler = compileDistribution(distributionSpecSchema.parse(spec), "test").bind(new RandomStreams(seed).stream("fit-test"));
  return Array.from({ length: n }, () => sampler());
}

function ranking(report: ReturnType<typeof fitSamples>): string[] {
  return report.fits
    .filter((fit) => fit.aic !== null)
    .sort((a, b) => (a.aic as number) - (b.aic as number))
    .map((fit) => fit.dist);
}

interface ReferenceCase {
  alpha: number;
  beta: number;
  scale: number;
  x: number[];
  results: Record<"S0" | "S1", { pdf: number[]; cdf: number[] }>;
}

describe("the stable density by FFT inversion", () => {
  const reference = JSON.parse(readFileSync(join(REPO, "test", "fixtures", "stable-reference-5g.json"), "utf8")) as { cases: ReferenceCase[] };

  it("matches SciPy's levy_stable pdf and cdf (alpha 1.6878, beta 0 and 1, S0 and S1)", () => {
    for (const c of reference.cases) {
      const grid = new StableGrid(c.alpha, c.beta);
      for (const parameterization of ["S0", "S1"] as const) {
        // The grid is S0 with location 0; an S1 law with location 0 is S0 with location -(S1 - S0 shift).
        const loc0 = parameterization === "S0" ? 0 : -s0ToS1Loc(c.alpha, c.beta, c.scale, 0);
        c.x.forEach((x, i) => {
          const z = (x - loc0) / c.scale;
          expect(grid.pdf(z) / c.scale).toBeCloseTo(c.results[parameterization].pdf[i], 3);
          expect(grid.cdf(z)).toBeCloseTo(c.results[parameterization].cdf[i], 4);
        });
      }
    }
  });

  it("reproduces the Cauchy and normal laws, including the Cauchy tail where the FFT wraps around", () => {
    const cauchy = new StableGrid(1, 0);
    for (const z of [0, 1, 5, 50, 81, 150]) {
      expect(Math.abs(cauchy.pdf(z) / (1 / (Math.PI * (1 + z * z))) - 1)).toBeLessThan(1e-3);
      // The CDF is a trapezoid sum of the tabulated density: about 5e-6 off.
      expect(Math.abs(cauchy.cdf(z) - (0.5 + Math.atan(z) / Math.PI))).toBeLessThan(2e-5);
    }
    const normal = new StableGrid(2, 0.7); // alpha 2: normal with variance 2 whatever beta is
    for (const z of [0, 1, 3]) expect(normal.pdf(z)).toBeCloseTo(Math.exp((-z * z) / 4) / Math.sqrt(4 * Math.PI), 8);
  });
});

describe("fit recovers the parameters of the simulator's own samplers", () => {
  it("stable (the calibrated 5G preset, n = 50,000): alpha within 0.05, stable ranked first by AIC", () => {
    const truth = { dist: "stable", alpha: 1.6878, beta: 1, scale: 5.97, loc: 11.695, parameterization: "S1" };
    const report = fitSamples(draw(truth, 50_000, 11), { families: ALL, maxSamples: 50_000 });
    const stable = report.fits.find((fit) => fit.dist === "stable");
    expect(stable).toBeDefined();
    expect(Math.abs(stable!.parameters.alpha - 1.6878)).toBeLessThan(0.05);
    expect(stable!.parameters.beta).toBeGreaterThan(0.9);
    expect(Math.abs(stable!.parameters.scale / 5.97 - 1)).toBeLessThan(0.05);
    expect(Math.abs(stable!.parameters.loc - 11.695)).toBeLessThan(0.5);
    expect(stable!.ks).toBeLessThan(0.01);
    expect(ranking(report)[0]).toBe("stable");
    expect(report.best).toBe("stable");
    // Negative draws exist (untruncated), so the positive-only families are skipped, with the reason.
    expect(report.skipped.map((s) => s.dist).sort()).toEqual(["exponential", "gamma", "lognormal"]);
  });

  it("stable, symmetric and heavier (alpha 1.3): McCulloch's start within 0.1, the likelihood refinement within 0.05", () => {
    const values = draw({ dist: "stable", alpha: 1.3, beta: 0, scale: 2, loc: 0 }, 50_000, 5);
    const start = mccullochStable(Float64Array.from(values).sort());
    expect(Math.abs(start.alpha - 1.3)).toBeLessThan(0.1);
    const stable = fitSamples(values, { families: ["stable"], maxSamples: 50_000 }).fits[0];
    expect(Math.abs(stable.parameters.alpha - 1.3)).toBeLessThan(0.05);
    expect(Math.abs(stable.parameters.beta)).toBeLessThan(0.1);
    expect(Math.abs(stable.parameters.scale / 2 - 1)).toBeLessThan(0.05);
  });

  it("lognormal (mu 2.5, sigma 0.5): both parameters within 2%, lognormal ranked first by AIC", () => {
    const report = fitSamples(draw({ dist: "lognormal", mu: 2.5, sigma: 0.5 }, 50_000, 7), { families: ALL });
    const lognormal = report.fits.find((fit) => fit.dist === "lognormal");
    expect(Math.abs(lognormal!.parameters.mu / 2.5 - 1)).toBeLessThan(0.02);
    expect(Math.abs(lognormal!.parameters.sigma / 0.5 - 1)).toBeLessThan(0.02);
    expect(ranking(report)[0]).toBe("lognormal");
    expect(report.spec).toMatchObject({ dist: "lognormal", unit: "ms" });
    // The likelihoods used the default 20,000-sample subset; KS used all 50,000.
    expect(report.likelihoodSamples).toBe(20_000);
    expect(report.n).toBe(50_000);
  });

  it("exponential (mean 20): the mean within 2%, gamma's shape near 1, exponential ahead of stable and lognormal", () => {
    const report = fitSamples(draw({ dist: "exponential", mean: 20 }, 20_000, 3), { families: ALL });
    const byName = Object.fromEntries(report.fits.map((fit) => [fit.dist, fit]));
    expect(Math.abs(byName.exponential.parameters.mean / 20 - 1)).toBeLessThan(0.02);
    expect(Math.abs(byName.gamma.parameters.shape - 1)).toBeLessThan(0.03);
    expect(byName.exponential.aic!).toBeLessThan(byName.lognormal.aic!);
    expect(byName.exponential.aic!).toBeLessThan(byName.stable.aic!);
    // Gamma nests the exponential: at most 2 AIC units (its extra parameter) apart.
    expect(Math.abs(byName.exponential.aic! - byName.gamma.aic!)).toBeLessThan(4);
  });

  it("a subsampled fit is reproducible: the same samples give the same parameters", () => {
    const values = draw({ dist: "lognormal", mu: 1, sigma: 1 }, 5_000, 1);
    const a = fitSamples(values, { families: ["lognormal"], maxSamples: 1_000 });
    const b = fitSamples(values, { families: ["lognormal"], maxSamples: 1_000 });
    expect(a.fits[0].parameters).toEqual(b.fits[0].parameters);
    expect(a.likelihoodSamples).toBe(1_000);
  });
});

describe("helpers", () => {
  it("special functions agree with closed forms", () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 10);
    expect(trigamma(1)).toBeCloseTo((Math.PI * Math.PI) / 6, 9);
    for (const x of [0.1, 1, 3, 20]) expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 12);
    expect(regularizedGammaP(3, 2)).toBeCloseTo(1 - Math.exp(-2) * (1 + 2 + 2), 12);
  });

  it("the KS distance of evenly spaced quantiles against their own law is half a step", () => {
    const n = 100;
    const sorted = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    expect(ksDistance(sorted, (x) => Math.min(1, Math.max(0, x)))).toBeCloseTo(0.5 / n, 12);
    expect(ksDistance(sorted, (x) => Math.min(1, Math.max(0, x - 0.1)))).toBeCloseTo(0.1 + 0.5 / n, 12);
  });
});
