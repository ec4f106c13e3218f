import { describe, expect, it } from "vitest";
import { DEFAULT_PAIRS, formatSummaries, parseVsReferenceArgs, summarisePairs } from "../../src/bench/vs-reference.js";

describe("--vs-reference arithmetic", () => {
  it("takes the median of each side and of the per-pair ratios reference / continuum (odd count)", () => {
    const summary = summarisePairs("mm1", [
      { continuumSeconds: 2, referenceSeconds: 1 },
      { continuumSeconds: 1, referenceSeconds: 0.5 },
      { continuumSeconds: 4, referenceSeconds: 1 },
      { continuumSeconds: 1, referenceSeconds: 0.9 },
      { continuumSeconds: 2, referenceSeconds: 0.2 },
    ]);
    // Ratios 0.5, 0.5, 0.25, 0.9, 0.1: sorted 0.1 0.25 0.5 0.5 0.9.
    expect(summary.ratios).toEqual([0.5, 0.5, 0.25, 0.9, 0.1]);
    expect(summary.ratioMedian).toBe(0.5);
    expect(summary.ratioMin).toBe(0.1);
    expect(summary.ratioMax).toBe(0.9);
    // Continuum 1 1 2 2 4, reference 0.2 0.5 0.9 1 1.
    expect(summary.continuumMedianSeconds).toBe(2);
    expect(summary.referenceMedianSeconds).toBe(0.9);
    // The median of ratios is not the ratio of medians (0.45 here): pairs share the load.
    expect(summary.ratioMedian).not.toBe(summary.referenceMedianSeconds / summary.continuumMedianSeconds);
  });

  it("averages the middle two for an even count", () => {
    const summary = summarisePairs("edge-offload", [
      { continuumSeconds: 1, referenceSeconds: 0.3 },
      { continuumSeconds: 1, referenceSeconds: 0.4 },
      { continuumSeconds: 1, referenceSeconds: 0.6 },
      { continuumSeconds: 1, referenceSeconds: 0.9 },
      { continuumSeconds: 1, referenceSeconds: 0.5 },
      { continuumSeconds: 1, referenceSeconds: 0.45 },
    ]);
    expect(summary.ratioMedian).toBeCloseTo(0.475, 12);
    expect(summary.pairs).toBe(6);
  });

  it("prints the ratio and its range per model", () => {
    const summary = summarisePairs("mm1", [
      { continuumSeconds: 0.5, referenceSeconds: 0.2 },
      { continuumSeconds: 0.4, referenceSeconds: 0.2 },
      { continuumSeconds: 0.5, referenceSeconds: 0.15 },
    ]);
    const table = formatSummaries([summary], 1.5, 2);
    expect(table).toMatch(/^mm1 +3 +0\.500 +0\.200 +0\.40 +0\.30-0\.50$/m);
    expect(table).toContain("load average 1.50 before, 2.00 after");
  });
});

describe("--vs-reference arguments", () => {
  it("runs both models, 7 pairs, unless told otherwise", () => {
    expect(parseVsReferenceArgs(["--vs-reference"])).toEqual({ models: ["mm1", "edge-offload"], pairs: DEFAULT_PAIRS, json: false });
    expect(parseVsReferenceArgs(["--vs-reference", "edge-offload", "--pairs", "9", "--json"])).toEqual({ models: ["edge-offload"], pairs: 9, json: true });
  });

  it("refuses fewer than 5 pairs, a model without a reference loop, an unknown option", () => {
    expect(parseVsReferenceArgs(["--vs-reference", "--pairs", "4"])).toEqual({ error: expect.stringContaining("at least 5") });
    expect(parseVsReferenceArgs(["--vs-reference", "--pairs"])).toEqual({ error: expect.stringContaining("(missing)") });
    expect(parseVsReferenceArgs(["--vs-reference", "mm4"])).toEqual({ error: expect.stringContaining('did you mean "mm1"') });
    expect(parseVsReferenceArgs(["--vs-reference", "--pair", "5"])).toEqual({ error: expect.stringContaining("unknown option --pair") });
  });
});
