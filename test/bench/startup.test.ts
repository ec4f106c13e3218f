import { describe, expect, it } from "vitest";
import { parseStartupPairs, STARTUP_PAIRS, summariseStartup } from "../../src/bench/startup.js";

describe("npm run bench -- startup", () => {
  it("summarises by the median of per-pair ratios, not the ratio of medians (hand-worked)", () => {
    // Ratios 2, 3 and 8: median 3. The medians' ratio would be 1.0 / 0.5 = 2.
    const s = summariseStartup([
      { runSeconds: 1.0, nodeSeconds: 0.5 },
      { runSeconds: 3.0, nodeSeconds: 1.0 },
      { runSeconds: 0.8, nodeSeconds: 0.1 },
    ]);
    expect(s).toEqual({ pairs: 3, runMedianSeconds: 1.0, nodeMedianSeconds: 0.5, ratioMedian: 3, ratios: [2, 3, 8] });
  });

  it("reads --pairs, defaults to 7, refuses fewer than 7 or what is not a whole number", () => {
    expect(parseStartupPairs(["startup"])).toBe(STARTUP_PAIRS);
    expect(STARTUP_PAIRS).toBe(7);
    expect(parseStartupPairs(["startup", "--pairs", "9"])).toBe(9);
    expect(parseStartupPairs(["startup", "--pairs", "6"])).toEqual({ error: "--pairs: 6 is not a whole number of at least 7" });
    expect(parseStartupPairs(["startup", "--pairs", "7.5"])).toEqual({ error: "--pairs: 7.5 is not a whole number of at least 7" });
    expect(parseStartupPairs(["startup", "--pairs"])).toEqual({ error: "--pairs: (missing) is not a whole number of at least 7" });
  });
});
