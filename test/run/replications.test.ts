import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkReplications, MIN_REPLICATIONS } from "../../src/run/replication-count.js";
import { replicationSummary } from "../../src/run/replication-summary.js";
import { replicationRuns } from "../../src/run/replications.js";
import type { CompactRunResults } from "../../src/sweep/run-record.js";
import { InputError } from "../../src/errors.js";

/** A run reduced to what the summary walks: any object of numbers, arrays and strings. */
function run(label: string, fields: Record<string, unknown>): CompactRunResults {
  return { label, ...fields } as unknown as CompactRunResults;
}

describe("replication seeds", () => {
  it("are the sweep rule for the empty cell: 52 bits of sha256 of the canonical JSON of seed, cell and replication", () => {
    // The oracle is the rule as docs/sweeps.md states it, written out here by hand (keys sorted).
    const expected = (seed: number | string, r: number): number =>
      Number.parseInt(
        createHash("sha256")
          .update(`{"cell":{},"replication":${r},"sweepSeed":${JSON.stringify(seed)}}`)
          .digest("hex")
          .slice(0, 13),
        16,
      );
    const runs = replicationRuns(7, 4);
    expect(runs.map((r) => r.replication)).toEqual([0, 1, 2, 3]);
    expect(runs.map((r) => r.seed)).toEqual([0, 1, 2, 3].map((r) => expected(7, r)));
    expect(replicationRuns("paper", 2).map((r) => r.seed)).toEqual([expected("paper", 0), expected("paper", 1)]);
    // Independent of how many replications are asked for: 3 more replications leave the first 2 unchanged.
    expect(replicationRuns(7, 2).map((r) => r.seed)).toEqual(runs.slice(0, 2).map((r) => r.seed));
    expect(new Set(runs.map((r) => r.seed)).size).toBe(4);
  });
});

describe("--replications count", () => {
  it.each([2, 5, 100])("accepts %i", (n) => expect(checkReplications(n)).toBe(n));
  it.each([1, 0, -3, 2.5, Number.NaN, "5", undefined])("refuses %s as bad input", (n) => {
    expect(() => checkReplications(n)).toThrow(InputError);
  });
  it("needs two replications for a sample standard deviation", () => expect(MIN_REPLICATIONS).toBe(2));
});

describe("replicationSummary", () => {
  // Five replications of two labels. Label "a": violation rates 0.1, 0.2, 0.3, 0.2, 0.2.
  // mean 0.2; squared deviations 0.01 + 0 + 0.01 + 0 + 0 = 0.02, sd = sqrt(0.02 / 4) = 0.0707106781;
  // half-width = t(0.975, 4) * sd / sqrt(5), t(0.975, 4) = 2.776 (Student t table, 2.776445105 to 9 digits)
  // = 2.776445105 * 0.0707106781 / 2.2360679775 = 0.0877987...
  const rates = [0.1, 0.2, 0.3, 0.2, 0.2];
  const replications = rates.map((rate, r) => [
    run("a", { jobs: { violationRate: rate, completed: 100 + r }, nodes: [{ utilisation: 0.5 }, { utilisation: 0.25 * r }], migrations: Array.from({ length: r }, () => ({ atMs: 10 * r })) }),
    run("b", { jobs: { violationRate: r === 2 ? null : 0.5, completed: 7 }, nodes: [{ utilisation: 1 }, { utilisation: 1 }], migrations: [] }),
  ]);
  const summary = replicationSummary(replications);

  it("keeps the labels in the order of replication 0's runs", () => {
    expect(summary.map((s) => s.label)).toEqual(["a", "b"]);
  });

  it("gives the hand-worked mean and Student-t 95% half-width", () => {
    const rate = summary[0].figures["jobs.violationRate"];
    expect(rate.n).toBe(5);
    expect(rate.mean).toBeCloseTo(0.2, 12);
    expect(rate.sd).toBeCloseTo(0.0707106781, 9);
    expect(rate.ci95).toBeCloseTo((2.776445105 * 0.0707106781) / Math.sqrt(5), 8);
    // With the 3-digit table value the half-width is 0.0878 to 4 decimals.
    expect(rate.ci95).toBeCloseTo((2.776 * Math.sqrt(0.005)) / Math.sqrt(5), 4);
    expect(rate.ciLow).toBeCloseTo(0.2 - (rate.ci95 ?? Number.NaN), 12);
    // completed 100..104: mean 102, sd sqrt(10/4).
    expect(summary[0].figures["jobs.completed"].mean).toBe(102);
    expect(summary[0].figures["jobs.completed"].sd).toBeCloseTo(Math.sqrt(2.5), 12);
  });

  it("counts a null figure as missing, and a constant figure has a zero-width interval", () => {
    const rate = summary[1].figures["jobs.violationRate"];
    expect([rate.n, rate.missing, rate.mean]).toEqual([4, 1, 0.5]);
    expect(rate.ci95).toBe(0);
  });

  it("names entries of arrays of the same length in every replication, and only the length of the others", () => {
    const a = summary[0].figures;
    expect(a.nodes.mean).toBe(2);
    expect(a["nodes.1.utilisation"].mean).toBeCloseTo(0.5, 12);
    // 0, 1, 2, 3, 4 migrations: their count is a figure, "the first migration" is not.
    expect(a.migrations.mean).toBe(2);
    expect(Object.keys(a).some((path) => path.startsWith("migrations."))).toBe(false);
    expect(Object.keys(a)).toEqual(["jobs.violationRate", "jobs.completed", "nodes", "nodes.0.utilisation", "nodes.1.utilisation", "migrations"]);
  });
});
