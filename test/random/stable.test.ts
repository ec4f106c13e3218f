import { readFileSync } from "node:fs";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { DISTRIBUTION_PRESETS, type StablePresetSpec } from "../../src/random/presets.js";
import { checkStableParams, makeStableSampler, stableLogCharacteristicFunction, type StableParameterization, type StableParams } from "../../src/random/stable.js";
import { stableCdfByInversion } from "./gil-pelaez.js";

/*
 * Tolerances. The Dvoretzky–Kiefer–Wolfowitz inequality (with Massart's constant) gives, for N i.i.d. draws,
 * P(sup_x |ECDF_N(x) - F(x)| > eps) <= 2 exp(-2 N eps^2), i.e. eps = sqrt(ln(2/delta) / (2N)) fails with probability
 * at most delta whatever x points are checked (even points chosen from the sample). With delta = 1e-6 a correct
 * sampler fails a check less than once in a million seeds, while eps stays small: 0.0027 at N = 1e6 and 0.0060 at
 * N = 2e5, far below the CDF shifts that a wrong parameterisation or location convention causes (0.05 to 0.3 here;
 * the "power" tests below show it). The seeds are fixed, so runs are reproducible anyway.
 */
const DKW_DELTA = 1e-6;
const dkwEpsilon = (n: number): number => Math.sqrt(Math.log(2 / DKW_DELTA) / (2 * n));
// Error budget of the Gil-Pelaez CDF (it agrees with SciPy to ~1e-14 on the fixture; 1e-4 is the stated target).
const INVERSION_TOL = 1e-4;

function params(alpha: number, beta: number, scale: number, loc: number, parameterization: StableParameterization): StableParams {
  return { alpha, beta, scale, loc, parameterization };
}

function drawSorted(p: StableParams, n: number, seed: string): Float64Array {
  const draw = makeStableSampler(p, seedrandom.alea(seed));
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = draw();
  return xs.sort();
}

/** Fraction of the sorted sample that is <= x. */
function ecdf(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}

/** The smallest sample value whose ECDF reaches p (p clamped to [1/N, 1]). */
function sampleQuantile(sorted: Float64Array, p: number): number {
  const k = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[k - 1];
}

// ---------------------------------------------------------------------------------------------------------------
// SciPy reference (test/fixtures/stable-reference-5g.json, scipy 1.10.1 levy_stable, cross-checked with mpmath).

interface FixtureResult {
  quantiles: number[];
  cdf: number[];
}
interface FixtureCase {
  alpha: number;
  beta: number;
  scale: number;
  loc: number;
  x: number[];
  results: Record<StableParameterization, FixtureResult>;
}
interface Fixture {
  p: number[];
  cases: FixtureCase[];
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/stable-reference-5g.json", import.meta.url), "utf8")) as Fixture;
const PARAMETERIZATIONS: readonly StableParameterization[] = ["S1", "S0"];

describe("CMS sampler against the SciPy reference (alpha 1.6878, scale 0.098)", () => {
  const N = 1_000_000;
  const eps = dkwEpsilon(N);

  it("the fixture holds the expected cases", () => {
    expect(fixture.cases.map((c) => c.beta)).toEqual([0, 1]);
    for (const c of fixture.cases) {
      expect(c.alpha).toBe(1.6878);
      expect(c.scale).toBe(0.098);
      for (const par of PARAMETERIZATIONS) {
        expect(c.results[par].cdf).toHaveLength(c.x.length);
        expect(c.results[par].quantiles).toHaveLength(fixture.p.length);
      }
    }
  });

  for (const c of fixture.cases) {
    for (const par of PARAMETERIZATIONS) {
      it(`beta ${c.beta}, ${par}: ECDF at the x grid and sample quantiles within the DKW bound`, () => {
        const ref = c.results[par];
        const sorted = drawSorted(params(c.alpha, c.beta, c.scale, c.loc, par), N, `fixture-${c.beta}-${par}`);
        c.x.forEach((x, i) => {
          expect(Math.abs(ecdf(sorted, x) - ref.cdf[i]), `ECDF at x = ${x}`).toBeLessThanOrEqual(eps);
        });
        // Dual of the DKW bound for quantiles: |ECDF - F| <= eps at the true quantile q_p means the sample
        // quantiles at p - eps and p + eps (+1/N for the step) bracket q_p.
        fixture.p.forEach((p, i) => {
          const q = ref.quantiles[i];
          expect(sampleQuantile(sorted, p - eps), `lower bracket of q(${p})`).toBeLessThanOrEqual(q);
          expect(sampleQuantile(sorted, p + eps + 1 / N), `upper bracket of q(${p})`).toBeGreaterThanOrEqual(q);
        });
      });
    }
  }

  it("has the power to tell S0 from S1 (beta 1): the S1 sample violates the S0 reference", () => {
    const c = fixture.cases[1];
    const sorted = drawSorted(params(c.alpha, 1, c.scale, c.loc, "S1"), N, "fixture-power");
    const worst = Math.max(...c.x.map((x, i) => Math.abs(ecdf(sorted, x) - c.results.S0.cdf[i])));
    expect(worst).toBeGreaterThan(10 * eps);
  });

  it("Gil-Pelaez inversion of stableLogCharacteristicFunction reproduces SciPy's CDF", () => {
    for (const c of fixture.cases) {
      for (const par of PARAMETERIZATIONS) {
        c.x.forEach((x, i) => {
          const f = stableCdfByInversion(params(c.alpha, c.beta, c.scale, c.loc, par), x);
          expect(Math.abs(f - c.results[par].cdf[i]), `${par} beta ${c.beta} x ${x}`).toBeLessThan(1e-8);
        });
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Independent route: the CDF from numerical inversion of the characteristic function.

const INDEPENDENT_CASES: { name: string; p: StableParams }[] = [];
for (const par of PARAMETERIZATIONS) {
  INDEPENDENT_CASES.push(
    { name: `alpha 0.7 beta 0.3 (alpha < 1) ${par}`, p: params(0.7, 0.3, 1.5, -1, par) },
    { name: `alpha 0.5 beta 1 (Levy) ${par}`, p: params(0.5, 1, 2, 1, par) },
    { name: `alpha 1 beta 0.8 scale 3 ${par}`, p: params(1, 0.8, 3, 0.5, par) },
    { name: `alpha 1 beta -1 scale 0.2 ${par}`, p: params(1, -1, 0.2, 0, par) },
    { name: `alpha 1.5 beta -0.7 ${par}`, p: params(1.5, -0.7, 2, 1, par) },
    { name: `alpha 1.2 beta 1 ${par}`, p: params(1.2, 1, 0.5, 0, par) },
  );
}
// Checked at sample quantiles, so the points follow each law; the far tails of alpha < 1 laws are left out
// because the inversion integrand there oscillates too fast to be cheap.
const CHECK_P = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];

describe("CMS sampler against Gil-Pelaez inversion of the characteristic function", () => {
  const N = 200_000;
  const eps = dkwEpsilon(N);

  for (const { name, p } of INDEPENDENT_CASES) {
    it(`${name}: ECDF within the DKW bound of the inverted CDF`, () => {
      const sorted = drawSorted(p, N, `independent-${name}`);
      for (const prob of CHECK_P) {
        const x = sampleQuantile(sorted, prob);
        const f = stableCdfByInversion(p, x);
        expect(Math.abs(ecdf(sorted, x) - f), `at x = ${x}`).toBeLessThanOrEqual(eps + INVERSION_TOL);
      }
    });
  }

  it("has the power to tell the alpha = 1 and alpha != 1 location conventions apart", () => {
    // An S1 sample checked against the S0 law differs by the S0/S1 location shift: (2/pi) beta scale ln(scale)
    // at alpha = 1 (so a missing ln(scale) term would be caught), beta scale tan(pi alpha / 2) otherwise.
    for (const [alpha, beta, scale, loc] of [
      [1, 0.8, 3, 0.5],
      [1.5, -0.7, 2, 1],
    ]) {
      const sorted = drawSorted(params(alpha, beta, scale, loc, "S1"), N, `power-${alpha}`);
      const worst = Math.max(
        ...CHECK_P.map((prob) => {
          const x = sampleQuantile(sorted, prob);
          return Math.abs(ecdf(sorted, x) - stableCdfByInversion(params(alpha, beta, scale, loc, "S0"), x));
        }),
      );
      expect(worst).toBeGreaterThan(5 * (eps + INVERSION_TOL));
    }
  });

  it("the inversion agrees with SciPy at alpha = 1, beta != 0 in both parameterisations", () => {
    // Computed with SciPy 1.17.1 scipy.stats.levy_stable.cdf (levy_stable.parameterization set as named).
    const scipy: [StableParams, number, number][] = [
      [params(1, 0.8, 3, 0.5, "S1"), -5.5, 0.022714067464593996],
      [params(1, 0.8, 3, 0.5, "S1"), 0.5, 0.23379027894460463],
      [params(1, 0.8, 3, 0.5, "S1"), 3.5, 0.5047283965472609],
      [params(1, 0.8, 3, 0.5, "S1"), 15.5, 0.8610513326151582],
      [params(1, 0.8, 3, 0.5, "S0"), -5.5, 0.031065612926618445],
      [params(1, 0.8, 3, 0.5, "S0"), 0.5, 0.3949586697292549],
      [params(1, 0.8, 3, 0.5, "S0"), 3.5, 0.6120305510892631],
      [params(1, 0.8, 3, 0.5, "S0"), 15.5, 0.8756788663772141],
      [params(1, -1, 0.2, 0, "S1"), -0.4, 0.21926884029563898],
      [params(1, -1, 0.2, 0, "S1"), 0, 0.41813705923218714],
      [params(1, -1, 0.2, 0, "S1"), 0.2, 0.6283364181292141],
      [params(1, -1, 0.2, 0, "S0"), -0.4, 0.29589213795579117],
      [params(1, -1, 0.2, 0, "S0"), 0, 0.6347612984876252],
      [params(1, -1, 0.2, 0, "S0"), 0.2, 0.9038390389593682],
    ];
    for (const [p, x, f] of scipy) {
      expect(Math.abs(stableCdfByInversion(p, x) - f), `${p.parameterization} beta ${p.beta} x ${x}`).toBeLessThan(1e-8);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The characteristic function against closed forms that do not come from it.

/** erfc with fractional error < 1.2e-7 everywhere: Numerical Recipes in C, 2nd ed., section 6.2, erfcc. */
const ERFCC = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  let poly = 0;
  for (let k = ERFCC.length - 1; k >= 0; k--) poly = ERFCC[k] + t * poly;
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** Principal square root of a + ib. */
function complexSqrt(a: number, b: number): [number, number] {
  const m = Math.hypot(a, b);
  return [Math.sqrt((m + a) / 2), (b < 0 ? -1 : 1) * Math.sqrt((m - a) / 2)];
}

const T_GRID = [-40, -3, -0.7, -0.01, 0.02, 0.5, 1, 2.5, 60];

function expectCfClose(p: StableParams, t: number, re: number, im: number): void {
  const [gotRe, gotIm] = stableLogCharacteristicFunction(p, t);
  expect(Math.abs(gotRe - re), `re at t = ${t}`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(re)));
  expect(Math.abs(gotIm - im), `im at t = ${t}`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(im)));
}

describe("stableLogCharacteristicFunction against closed forms", () => {
  it("alpha 2 is the normal law with variance 2 scale^2, whatever beta", () => {
    for (const par of PARAMETERIZATIONS) {
      for (const beta of [-1, 0.3, 1]) {
        for (const t of T_GRID) expectCfClose(params(2, beta, 1.3, 0.2, par), t, -0.5 * 2 * 1.3 * 1.3 * t * t, 0.2 * t);
      }
    }
  });

  it("alpha 1, beta 0 is the Cauchy law", () => {
    for (const par of PARAMETERIZATIONS) {
      for (const t of T_GRID) expectCfClose(params(1, 0, 1.7, -0.4, par), t, -1.7 * Math.abs(t), -0.4 * t);
    }
  });

  it("alpha 0.5, beta 1 in S1 is the Levy law: log phi = i loc t - sqrt(-2 i scale t)", () => {
    const scale = 2;
    const loc = 1;
    for (const t of T_GRID) {
      const [sr, si] = complexSqrt(0, -2 * scale * t);
      expectCfClose(params(0.5, 1, scale, loc, "S1"), t, -sr, loc * t - si);
    }
  });

  it("S0 and S1 differ only by Nolan's location shift", () => {
    for (const [alpha, beta, scale] of [
      [1.6878, 1, 0.098],
      [0.7, -0.4, 1.5],
      [1, 0.8, 3],
      [1, -1, 0.2],
    ]) {
      const shift = alpha === 1 ? (2 / Math.PI) * beta * scale * Math.log(scale) : beta * scale * Math.tan((Math.PI * alpha) / 2);
      for (const t of T_GRID) {
        const [re, im] = stableLogCharacteristicFunction(params(alpha, beta, scale, 0.3 - shift, "S1"), t);
        expectCfClose(params(alpha, beta, scale, 0.3, "S0"), t, re, im);
      }
    }
  });

  it("its inversion gives the closed-form normal, Cauchy and Levy CDFs", () => {
    // 1e-6 covers the erfc approximation (1.2e-7 relative); the inversion itself is good to ~1e-12 here.
    for (const x of [-5, -1, 0, 0.3, 1, 2, 5]) {
      expect(Math.abs(stableCdfByInversion(params(2, 0.4, 1.3, 0.2, "S1"), x) - 0.5 * erfc(-(x - 0.2) / (2 * 1.3)))).toBeLessThan(1e-6);
    }
    for (const x of [-30, -3, -1, 0, 0.2, 1, 4, 50]) {
      const cauchy = 0.5 + Math.atan((x - 0.2) / 1.7) / Math.PI;
      expect(Math.abs(stableCdfByInversion(params(1, 0, 1.7, 0.2, "S0"), x) - cauchy)).toBeLessThan(1e-9);
    }
    for (const x of [1.01, 1.5, 2, 3, 10, 100]) {
      const levy = erfc(Math.sqrt(2 / (2 * (x - 1))));
      expect(Math.abs(stableCdfByInversion(params(0.5, 1, 2, 1, "S1"), x) - levy)).toBeLessThan(1e-6);
    }
  });

  it("is zero at t = 0", () => {
    expect(stableLogCharacteristicFunction(params(0.7, 0.5, 2, 3, "S1"), 0)).toEqual([0, 0]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Sampler properties.

describe("makeStableSampler", () => {
  it("alpha 2 draws a normal with mean loc and variance 2 scale^2", () => {
    const n = 200_000;
    const draw = makeStableSampler(params(2, 0.9, 1.5, 4, "S0"), seedrandom.alea("normal"));
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    // Standard errors: mean sqrt(4.5 / n) = 0.0047; variance 4.5 sqrt(2 / n) = 0.014. Bounds are ~10 of them.
    expect(Math.abs(mean - 4)).toBeLessThan(0.05);
    expect(Math.abs(variance - 2 * 1.5 * 1.5)).toBeLessThan(0.15);
  });

  it("stays finite when the uniform source returns 0 or its largest value", () => {
    const largestBelowOne = 1 - 2 ** -53;
    const cycle = (values: number[]) => () => {
      let k = 0;
      return () => values[k++ % values.length];
    };
    const sources: [string, () => () => number][] = [
      ["always 0", cycle([0])],
      ["always 1 - 2^-53", cycle([largestBelowOne])],
      ["0 then 1 - 2^-53", cycle([0, largestBelowOne])],
      ["1 - 2^-53 then 0", cycle([largestBelowOne, 0])],
    ];
    for (const alpha of [0.5, 1, 1.6878, 2]) {
      for (const beta of [-1, 0, 1]) {
        for (const par of PARAMETERIZATIONS) {
          for (const [label, source] of sources) {
            const draw = makeStableSampler(params(alpha, beta, 2, 1, par), source());
            for (let i = 0; i < 4; i++) {
              expect(Number.isFinite(draw()), `alpha ${alpha} beta ${beta} ${par} ${label}`).toBe(true);
            }
          }
        }
      }
    }
  });

  it("uses exactly two uniforms per draw and is deterministic per seed", () => {
    let calls = 0;
    const base = seedrandom.alea("count");
    const draw = makeStableSampler(params(1.6878, 1, 5.97, 11.695, "S1"), () => {
      calls++;
      return base();
    });
    const first = Array.from({ length: 1000 }, draw);
    expect(calls).toBe(2000);
    const again = Array.from({ length: 1000 }, makeStableSampler(params(1.6878, 1, 5.97, 11.695, "S1"), seedrandom.alea("count")));
    expect(again).toEqual(first);
    const other = Array.from({ length: 1000 }, makeStableSampler(params(1.6878, 1, 5.97, 11.695, "S1"), seedrandom.alea("other")));
    expect(other).not.toEqual(first);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Validation.

describe("checkStableParams", () => {
  const good = params(1.5, 0, 1, 0, "S1");
  const bad: [string, Partial<StableParams>][] = [
    ["alpha 0", { alpha: 0 }],
    ["alpha < 0", { alpha: -1 }],
    ["alpha > 2", { alpha: 2.0001 }],
    ["alpha NaN", { alpha: NaN }],
    ["beta > 1", { beta: 1.01 }],
    ["beta < -1", { beta: -1.5 }],
    ["beta NaN", { beta: NaN }],
    ["scale 0", { scale: 0 }],
    ["scale < 0", { scale: -2 }],
    ["scale infinite", { scale: Infinity }],
    ["scale NaN", { scale: NaN }],
    ["loc infinite", { loc: -Infinity }],
    ["loc NaN", { loc: NaN }],
    ["unknown parameterisation", { parameterization: "S2" as StableParameterization }],
  ];

  for (const [label, change] of bad) {
    it(`rejects ${label} with a RangeError in all three entry points`, () => {
      const p = { ...good, ...change };
      expect(() => checkStableParams(p)).toThrow(RangeError);
      expect(() => makeStableSampler(p, Math.random)).toThrow(RangeError);
      expect(() => stableLogCharacteristicFunction(p, 1)).toThrow(RangeError);
    });
  }

  it("names the offending parameter", () => {
    expect(() => checkStableParams({ ...good, beta: 3 })).toThrow(/beta/);
    expect(() => checkStableParams({ ...good, scale: 0 })).toThrow(/scale/);
  });

  it("accepts the boundary values", () => {
    for (const change of [{ alpha: 2 }, { alpha: 1e-3 }, { beta: -1 }, { beta: 1 }, { parameterization: "S0" as const }]) {
      expect(() => checkStableParams({ ...good, ...change })).not.toThrow();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The 5G presets (docs/network-calibration.md).

function truncatedMoments(spec: StablePresetSpec, n: number, seed: string): { mean: number; sd: number; redrawRate: number } {
  const draw = makeStableSampler(params(spec.alpha, spec.beta, spec.scale, spec.loc, spec.parameterization), seedrandom.alea(seed));
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  let sum = 0;
  let sumSq = 0;
  let tries = 0;
  for (let i = 0; i < n; i++) {
    // Redraw truncation, the simulator's convention for min/max.
    let x = draw();
    tries++;
    while (x < min || x > max) {
      x = draw();
      tries++;
    }
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, sd: Math.sqrt((sumSq - n * mean * mean) / (n - 1)), redrawRate: 1 - n / tries };
}

describe("5G link presets", () => {
  const calibrated = DISTRIBUTION_PRESETS["5g-stable-calibrated"];
  const literal = DISTRIBUTION_PRESETS["5g-stable-literal"];

  it("both exist, keep the published shape and are valid, truncated stable laws in ms", () => {
    for (const spec of [calibrated, literal]) {
      expect(spec).toBeDefined();
      expect(spec.dist).toBe("stable");
      expect(spec.unit).toBe("ms");
      expect(spec.alpha).toBe(1.6878);
      expect(spec.min).toBe(0);
      expect(spec.max).toBeGreaterThan(100);
      expect(() => checkStableParams(params(spec.alpha, spec.beta, spec.scale, spec.loc, spec.parameterization))).not.toThrow();
    }
    expect(literal.scale).toBe(0.098);
  });

  it("the calibrated preset reproduces mean 13.405 ms and sd 16.065 ms within 10%", () => {
    // 1e6 draws: the sample sd's relative standard error is ~1.2% for this truncation (kurtosis ~570), so 10% is
    // ~8 standard errors; over 100 seeds the sd ranged 15.49-16.49 ms.
    const m = truncatedMoments(calibrated, 1_000_000, "preset-calibrated");
    expect(Math.abs(m.mean / 13.405 - 1)).toBeLessThan(0.1);
    expect(Math.abs(m.sd / 16.065 - 1)).toBeLessThan(0.1);
    expect(m.redrawRate).toBeLessThan(0.15);
    // The mean the preset states (SciPy's density integrated over [0, 1000], presets.ts): within 4 standard
    // errors of these draws, the standard error from the same integration's sd, 16.066 ms (the sample's
    // own sd is an unreliable guide for so heavy a tail).
    expect(Math.abs(m.mean - calibrated.mean)).toBeLessThan((4 * 16.066) / Math.sqrt(1_000_000));
  });

  it("the literal preset has the published mean but an sd below 1 ms", () => {
    // 2e6 draws rather than 1e6: this sd is carried by rare draws of hundreds of ms, and at 2e6 a single such draw
    // can no longer lift it above 1 ms (true value ~0.5 ms; 100 seeds gave at most 0.85 ms).
    const m = truncatedMoments(literal, 2_000_000, "preset-literal");
    expect(Math.abs(m.mean / 13.405 - 1)).toBeLessThan(0.1);
    expect(m.sd).toBeLessThan(1);
    // Its stated mean, as for the calibrated preset: the integration's sd here is 0.5008 ms.
    expect(Math.abs(m.mean - literal.mean)).toBeLessThan((4 * 0.5008) / Math.sqrt(2_000_000));
  });
});
