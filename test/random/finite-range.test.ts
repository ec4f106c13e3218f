import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { InputError } from "../../src/errors.js";
import { distributionSpecSchema, type DistributionSpecInput } from "../../src/random/distribution-spec.js";
import { compileDistribution } from "../../src/random/distributions.js";
import { MAX_DRAW_MS, RAREST_DRAW_PROBABILITY } from "../../src/random/finite-range.js";
import { DISTRIBUTION_PRESETS } from "../../src/random/presets.js";

const compile = (spec: DistributionSpecInput) => compileDistribution(distributionSpecSchema.parse(spec), "here");

function refusal(spec: DistributionSpecInput): string {
  try {
    compile(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const issues = (error as InputError).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toMatch(/^here\b/);
    return issues[0].expected;
  }
  throw new Error(`${JSON.stringify(spec)} was accepted`);
}

describe("the finite-range rule: every distribution's draws are finite and within MAX_DRAW_MS", () => {
  it("refuses parameters whose draws overflow a double", () => {
    for (const spec of [
      { dist: "lognormal", mu: 800, sigma: 1 },
      { dist: "lognormal", mu: 800, sigma: 1, max: 100 },
      { dist: "exponential", rate: 1e-320 },
      { dist: "uniform", low: -1e308, high: 1e308 },
      { dist: "stable", alpha: 0.05, scale: 1 },
      { dist: "constant", value: "1e308 h" },
      { dist: "normal", mean: 0, sd: "1e306 h" },
    ] as DistributionSpecInput[]) {
      expect(refusal(spec), JSON.stringify(spec)).toMatch(/finite|duration/);
    }
  });

  it("refuses finite draws that reach beyond MAX_DRAW_MS, and accepts them bounded by max", () => {
    for (const spec of [
      { dist: "normal", mean: 1e308, sd: 1 },
      { dist: "lognormal", mu: 30, sigma: 1 },
      { dist: "exponential", mean: MAX_DRAW_MS },
      { dist: "stable", alpha: 0.5, scale: 1 },
      { dist: "gamma", shape: 0.5, scale: 1e14 },
    ] as DistributionSpecInput[]) {
      expect(refusal(spec), JSON.stringify(spec)).toContain(`±${MAX_DRAW_MS} ms`);
    }
    expect(() => compile({ dist: "stable", alpha: 0.5, scale: 1, min: 0, max: 1000 })).not.toThrow();
  });

  it("accepts every preset and the usual shapes (heavy tails included), and their draws stay inside the reach it states", () => {
    const specs: DistributionSpecInput[] = [
      ...Object.keys(DISTRIBUTION_PRESETS).map((preset) => ({ preset })),
      { dist: "exponential", mean: "20 ms" },
      { dist: "exponential", mean: "10 h" },
      { dist: "normal", mean: 10, sd: 3 },
      { dist: "lognormal", mean: 100, cv: 3 },
      { dist: "lognormal", mu: 5.52, sigma: 0.8, max: 4000 },
      { dist: "gamma", mean: 30, cv: 0.5 },
      { dist: "gamma", shape: 0.3, scale: 2 },
      { dist: "uniform", low: 0, high: 5 },
      { dist: "stable", alpha: 1.5, beta: 0.5, scale: 2, loc: 10 },
      { dist: "stable", alpha: 1, beta: 1, scale: 2 },
      { dist: "empirical", samples: [1, 2, "3 s"] },
    ];
    for (const spec of specs) {
      const compiled = compile(spec);
      const [low, high] = compiled.reach(RAREST_DRAW_PROBABILITY);
      expect(Number.isFinite(low) && Number.isFinite(high), JSON.stringify(spec)).toBe(true);
      const draw = compiled.bind(new RandomStreams("finite-range").stream(JSON.stringify(spec)));
      for (let i = 0; i < 20_000; i++) {
        const x = draw();
        if (!(x >= low && x <= high)) throw new Error(`${JSON.stringify(spec)} drew ${x} outside [${low}, ${high}]`);
      }
    }
  });
});
