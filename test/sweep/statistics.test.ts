import { describe, expect, it } from "vitest";
import { summarize } from "../../src/sweep/statistics.js";
import { studentTCdf, studentTQuantile } from "../../src/sweep/student-t.js";

describe("Student t quantile", () => {
  // Reference values: standard t tables (e.g. R's qt(0.975, df)).
  it.each([
    [1, 12.706204736],
    [2, 4.30265273],
    [4, 2.776445105],
    [9, 2.262157163],
    [30, 2.042272456],
    [1000, 1.962339081],
  ])("t(0.975, %i) = %f", (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 6);
  });

  it("is the inverse of the CDF and symmetric", () => {
    for (const df of [1, 3, 7.5, 50]) {
      for (const p of [0.01, 0.3, 0.9, 0.999]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
      expect(studentTQuantile(0.025, df)).toBeCloseTo(-studentTQuantile(0.975, df), 10);
    }
  });

  it("rejects p outside (0, 1)", () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
  });
});

describe("summarize", () => {
  it("gives the hand-computed mean, sd and 95% CI of a known case", () => {
    // 1..5: mean 3; squared deviations 4+1+0+1+4 = 10, sd = sqrt(10/4) = 1.58113883;
    // half-width = t(0.975, 4) * sd / sqrt(5) = 2.776445105 * 1.58113883 / 2.236067977 = 1.963243161.
    const s = summarize([1, 2, 3, 4, 5]);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(1.58113883, 8);
    expect(s.ci95).toBeCloseTo(1.963243161, 8);
    expect(s.ciLow).toBeCloseTo(3 - 1.963243161, 8);
    expect(s.ciHigh).toBeCloseTo(3 + 1.963243161, 8);
  });

  it("two values: t(0.975, 1) = 12.706 times sd / sqrt(2)", () => {
    // 10 and 14: mean 12, sd = sqrt(8) = 2.8284271, half-width = 12.706204736 * 2.8284271 / 1.4142136 = 25.412409.
    const s = summarize([10, 14]);
    expect(s.ci95).toBeCloseTo(25.41240947, 6);
  });

  it("counts nulls as missing and gives no sd or CI below two values", () => {
    expect(summarize([null, 4, null])).toEqual({ n: 1, missing: 2, mean: 4, sd: null, ci95: null, ciLow: null, ciHigh: null });
    expect(summarize([])).toMatchObject({ n: 0, mean: null });
  });
});
