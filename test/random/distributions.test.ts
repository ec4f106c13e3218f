import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { InputError } from "../../src/errors.js";
import { distributionSpecSchema, type DistributionSpecInput } from "../../src/random/distribution-spec.js";
import { compileDistribution } from "../../src/random/distributions.js";
import { parseDuration } from "../../src/random/duration.js";

function sampler(spec: DistributionSpecInput, seed = "dist") {
  const parsed = distributionSpecSchema.parse(spec);
  return compileDistribution(parsed, "spec").bind(new RandomStreams(seed).stream("s"));
}

function moments(draw: () => number, n: number): { mean: number; sd: number; min: number; max: number } {
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / n;
  return { mean, sd: Math.sqrt((sumSq - n * mean * mean) / (n - 1)), min, max };
}

describe("durations", () => {
  it("parses numbers and unit strings to milliseconds", () => {
    expect(parseDuration("250 ms")).toBe(250);
    expect(parseDuration("2 s")).toBe(2000);
    expect(parseDuration("1.5 min")).toBe(90_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    // A simulated week (issue 16's long runs): 7 × 24 × 3,600,000 ms.
    expect(parseDuration("7 d")).toBe(604_800_000);
    expect(parseDuration("500 us")).toBeCloseTo(0.5, 12);
    expect(parseDuration(12)).toBe(12);
    expect(parseDuration(2, "s")).toBe(2000);
    expect(parseDuration("2 parsecs")).toBeUndefined();
    expect(parseDuration("fast")).toBeUndefined();
  });
});

describe("distribution specs", () => {
  const n = 200_000;
  // Tolerances: 5 standard errors of the sample mean (sd/sqrt(n)), and 2% on the sd.
  const close = (actual: number, expected: number, sd: number) => expect(Math.abs(actual - expected)).toBeLessThan((5 * sd) / Math.sqrt(n) + 1e-12);

  it("constant, from a number, a duration string or an object", () => {
    expect(sampler(7)()).toBe(7);
    expect(sampler("2 s")()).toBe(2000);
    expect(sampler({ dist: "constant", value: 3, unit: "s" })()).toBe(3000);
  });

  it("fixedValue is set only where a draw takes no uniform: a constant, not a uniform of width 0 or a normal of sd 0", () => {
    const compiled = (spec: DistributionSpecInput) => compileDistribution(distributionSpecSchema.parse(spec), "spec");
    expect(compiled("2 s").fixedValue).toBe(2000);
    expect(compiled({ dist: "constant", value: 0 }).fixedValue).toBe(0);
    // Constant but drawing: reading a fixed value instead would leave the stream behind (the next draw of a shared stream would move).
    for (const spec of [
      { dist: "uniform", low: 4, high: 4 },
      { dist: "normal", mean: 4, sd: 0 },
      { dist: "constant", value: 4, min: 0 },
    ] as DistributionSpecInput[]) {
      const distribution = compiled(spec);
      expect(distribution.isConstant).toBe(true);
      expect(distribution.fixedValue).toBeUndefined();
    }
    // The oracle for "takes no uniform": a stream drawn through the sampler is where a fresh one is.
    const streams = new RandomStreams("fixed");
    const constant = compiled(5).bind(streams.stream("a"));
    for (let i = 0; i < 3; i++) expect(constant()).toBe(5);
    expect(streams.stream("a")()).toBe(new RandomStreams("fixed").stream("a")());
    expect(compiled({ dist: "exponential", mean: 1 }).fixedValue).toBeUndefined();
  });

  it("exponential by mean or by rate", () => {
    const byMean = moments(sampler({ dist: "exponential", mean: "20 ms" }), n);
    close(byMean.mean, 20, 20);
    expect(byMean.sd / 20).toBeCloseTo(1, 1);
    const byRate = moments(sampler({ dist: "exponential", rate: 0.8 }), n);
    close(byRate.mean, 1.25, 1.25);
    const perSecond = moments(sampler({ dist: "exponential", rate: 2, unit: "s" }), n);
    close(perSecond.mean, 500, 500);
  });

  it("uniform, normal and lognormal have their stated moments", () => {
    const u = moments(sampler({ dist: "uniform", low: 2, high: 6 }), n);
    close(u.mean, 4, 4 / Math.sqrt(12));
    expect(u.min).toBeGreaterThanOrEqual(2);
    expect(u.max).toBeLessThan(6);
    const g = moments(sampler({ dist: "normal", mean: "10 ms", sd: "2 ms" }), n);
    close(g.mean, 10, 2);
    expect(Math.abs(g.sd - 2) / 2).toBeLessThan(0.02);
    const l = moments(sampler({ dist: "lognormal", mean: 50, cv: 0.3 }), n);
    close(l.mean, 50, 15);
    expect(Math.abs(l.sd - 15) / 15).toBeLessThan(0.03);
    const l2 = moments(sampler({ dist: "lognormal", mu: 0, sigma: 0.5, unit: "s" }), n);
    close(l2.mean, 1000 * Math.exp(0.125), 1000 * Math.sqrt((Math.exp(0.25) - 1) * Math.exp(0.25)));
  });

  it("gamma has its stated moments and CDF, for shape above and below 1, in each parameterisation", () => {
    for (const [shape, scale] of [
      [2.5, 4],
      [0.4, 10],
    ]) {
      const draws = Array.from({ length: n }, sampler({ dist: "gamma", shape, scale }));
      const m = moments(() => draws.pop() as number, n);
      close(m.mean, shape * scale, Math.sqrt(shape) * scale);
      expect(Math.abs(m.sd / (Math.sqrt(shape) * scale) - 1)).toBeLessThan(0.03);
      expect(m.min).toBeGreaterThan(0);
    }
    // Kolmogorov-Smirnov against the exact CDF of Gamma(2, 1): P(X <= x) = 1 - (1 + x) e^-x.
    const sorted = Array.from({ length: 20_000 }, sampler({ dist: "gamma", shape: 2, scale: 1 })).sort((a, b) => a - b);
    let ks = 0;
    sorted.forEach((x, i) => {
      const F = 1 - (1 + x) * Math.exp(-x);
      ks = Math.max(ks, Math.abs(F - i / sorted.length), Math.abs(F - (i + 1) / sorted.length));
    });
    // 1.63 / sqrt(n): the 1% critical value.
    expect(ks).toBeLessThan(1.63 / Math.sqrt(sorted.length));
    close(moments(sampler({ dist: "gamma", shape: 4, mean: "20 ms" }), n).mean, 20, 10);
    const cv = moments(sampler({ dist: "gamma", mean: "1 s", cv: 0.5 }), n);
    close(cv.mean, 1000, 500);
    expect(Math.abs(cv.sd / 500 - 1)).toBeLessThan(0.03);
    expect(() => sampler({ dist: "gamma", shape: 2 })).toThrow(/shape with scale/);
  });

  it("empirical draws only its samples, each about equally often", () => {
    const draw = sampler({ dist: "empirical", samples: [1, "2 ms", 4] });
    const counts = new Map<number, number>();
    for (let i = 0; i < 30_000; i++) {
      const x = draw();
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 4]);
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it("truncation by redraw keeps the shape inside the bounds; clamp piles mass on the bound", () => {
    const redraw = moments(sampler({ dist: "normal", mean: 0, sd: 1, min: 0 }), n);
    expect(redraw.min).toBeGreaterThanOrEqual(0);
    // Half-normal mean is sqrt(2/pi).
    close(redraw.mean, Math.sqrt(2 / Math.PI), 0.6);
    const clamp = sampler({ dist: "normal", mean: 0, sd: 1, min: 0, truncation: "clamp" });
    let zeros = 0;
    for (let i = 0; i < 10_000; i++) if (clamp() === 0) zeros++;
    expect(zeros).toBeGreaterThan(4500);
    expect(zeros).toBeLessThan(5500);
  });

  it("stable draws are deterministic per seed and respect bounds", () => {
    const spec: DistributionSpecInput = { dist: "stable", alpha: 1.5, beta: 1, scale: 2, loc: 10, min: 0, max: 100 };
    const a = Array.from({ length: 100 }, sampler(spec, "x"));
    const b = Array.from({ length: 100 }, sampler(spec, "x"));
    expect(a).toEqual(b);
    for (const x of a) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(100);
    }
  });

  it("the 5G presets, drawn through the scenario layer, give the calibrated and the literal readings", () => {
    // Published: mean 13.405 ms, sd 16.065 ms; the issue asks for both within 10%.
    const calibrated = moments(sampler({ preset: "5g-stable-calibrated" }, "5g"), 1_000_000);
    expect(calibrated.min).toBeGreaterThanOrEqual(0);
    expect(calibrated.max).toBeLessThanOrEqual(1000);
    expect(Math.abs(calibrated.mean / 13.405 - 1)).toBeLessThan(0.1);
    expect(Math.abs(calibrated.sd / 16.065 - 1)).toBeLessThan(0.1);
    // The literal reading (scale 0.098 ms) keeps the mean but its spread is far below a millisecond.
    const literal = moments(sampler({ preset: "5g-stable-literal" }, "5g"), 200_000);
    expect(Math.abs(literal.mean / 13.405 - 1)).toBeLessThan(0.1);
    expect(literal.sd).toBeLessThan(2);
  });

  it("inconsistent parameters are errors that name the path", () => {
    const bad: [DistributionSpecInput, string][] = [
      [{ dist: "uniform", low: 5, high: 1 }, "spec.high"],
      [{ dist: "normal", mean: 1, sd: -1 }, "spec.sd"],
      [{ dist: "exponential" }, "spec"],
      [{ dist: "exponential", mean: 1, rate: 1 }, "spec"],
      [{ dist: "lognormal", mean: 5 }, "spec"],
      [{ dist: "constant", value: 1, min: 3, max: 2 }, "spec.max"],
      [{ dist: "constant", value: "3 parsecs" }, "spec.value"],
      [{ dist: "stable", alpha: 1.5, scale: 0 }, "spec.scale"],
    ];
    for (const [spec, path] of bad) {
      const parsed = distributionSpecSchema.parse(spec);
      let error: unknown;
      try {
        compileDistribution(parsed, "spec");
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(spec)).toBeInstanceOf(InputError);
      expect((error as InputError).issues[0].path).toBe(path);
    }
  });

  it("an unknown preset is refused by the spec schema, which lists the presets", () => {
    expect(distributionSpecSchema.safeParse({ preset: "6g-magic" }).success).toBe(false);
    expect(distributionSpecSchema.safeParse({ preset: "5g-stable-calibrated" }).success).toBe(true);
  });

  it("a redraw that can never land inside the bounds fails loudly instead of hanging", () => {
    const draw = sampler({ dist: "uniform", low: 0, high: 1, min: 5, max: 6 });
    expect(() => draw()).toThrow(/bounds/);
  });
});
