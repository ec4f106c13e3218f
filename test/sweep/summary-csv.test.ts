import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { SweepPlan } from "../../src/sweep/plan-types.js";
import type { RunRecord } from "../../src/sweep/run-record.js";
import { buildSummary, type RunSource, summaryCsv, type SweepSummary } from "../../src/sweep/summary.js";

/*
 * summary.csv, written from a summary built by hand: one column per axis, named once (the policy
 * axis is the row's label), axis values as plain text unless a value is not a scalar.
 */

const stats = { n: 2, missing: 0, mean: 0.5, sd: 0.1, ci95: 0.9, ciLow: -0.4, ciHigh: 1.4 };

function summary(): SweepSummary {
  const axes = [
    { name: "devices", path: "/devices/0/count", values: [4] },
    { name: "scheduler", path: "/policies", values: [["nearest-healthy"]] },
    { name: "deadline", path: "/qos/frames", values: ["150 ms"] },
    { name: "link", path: "/network/default", values: [{ latency: "8 ms", bandwidth: "50 Mbit/s" }] },
    { name: "pair", path: "/devices/0/localNodes", values: [["coral", "jetson-nano"]] },
    { name: "label", path: "/seedLabel", values: [true] },
  ];
  return {
    schema: "continuum-sim/sweep-summary@2",
    sweep: { name: "t", description: "", hash: "h", seed: 1, replications: 2, sampling: { method: "grid" }, axes, metrics: ["jobs.violationRate"] },
    runs: { planned: 2, completed: 2, failed: 0, missing: 0 },
    failures: [],
    cells: [
      {
        cell: "abc123",
        values: { devices: 4, scheduler: ["nearest-healthy"], deadline: "150 ms", link: { latency: "8 ms", bandwidth: "50 Mbit/s" }, pair: ["coral", "jetson-nano"], label: true },
        label: "nearest-healthy",
        policies: { frames: "nearest-healthy", queries: null },
        metrics: { "jobs.violationRate": stats },
        jobs: { runs: 2, frames: { completed: 10, unfinished: 0 }, queries: null },
      },
    ],
  };
}

describe("summary.csv", () => {
  it("one column per axis, each named once: the policy axis is the label column, a clash with a fixed column is prefixed", () => {
    const [header] = summaryCsv(summary()).split("\n");
    const columns = header.split(",");
    expect(columns).toEqual([
      "cell",
      "devices",
      "deadline",
      "link",
      "pair",
      "axis:label",
      "label",
      "frames_policy",
      "queries_policy",
      "metric",
      "n",
      "missing",
      "mean",
      "sd",
      "ci95_halfwidth",
      "ci95_low",
      "ci95_high",
    ]);
    expect(new Set(columns).size).toBe(columns.length);
    expect(columns).not.toContain("scheduler");
  });

  it("axis values as plain text; only a value that is not a scalar is compact JSON", () => {
    const text = summaryCsv(summary());
    expect(text).not.toContain('[""nearest-healthy""]');
    const [row] = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(row.devices).toBe("4");
    expect(row.deadline).toBe("150 ms");
    expect(row["axis:label"]).toBe("true");
    expect(JSON.parse(row.link)).toEqual({ latency: "8 ms", bandwidth: "50 Mbit/s" });
    expect(row.link).toBe('{"latency":"8 ms","bandwidth":"50 Mbit/s"}');
    expect(JSON.parse(row.pair)).toEqual(["coral", "jetson-nano"]);
    expect(row.label).toBe("nearest-healthy");
    expect(row.frames_policy).toBe("nearest-healthy");
    expect(row.ci95_low).toBe("-0.4");
  });
});

describe("summary cells count jobs", () => {
  it("completed and unfinished jobs of each family, summed over the cell's runs under each label", () => {
    const run = (label: string, completed: number, unfinished: number) => ({
      label,
      policies: { frames: label, queries: null },
      jobs: { violationRate: 0 },
      frames: { jobs: { completed, unfinished } },
      queries: null,
    });
    const records: Record<string, RunRecord> = {
      "c1-r0": { results: { runs: [run("a", 100, 3), run("b", 7, 900)] } } as unknown as RunRecord,
      "c1-r1": { results: { runs: [run("a", 120, 0), run("b", 5, 1000)] } } as unknown as RunRecord,
    };
    const plan = {
      name: "t",
      description: "",
      hash: "h",
      seed: 1,
      replications: 2,
      sampling: { method: "grid" },
      axes: [],
      metrics: ["jobs.violationRate"],
      cells: [{ id: "c1", values: {} }],
      runs: [0, 1].map((r) => ({ id: `c1-r${r}`, cellId: "c1", cell: {}, replication: r, seed: r })),
    } as unknown as SweepPlan;
    const source: RunSource = { has: (id) => id in records, read: (id) => records[id], failures: () => [] };
    const cells = buildSummary(plan, source).cells;
    expect(cells.map((c) => [c.label, c.jobs])).toEqual([
      ["a", { runs: 2, frames: { completed: 220, unfinished: 3 }, queries: null }],
      ["b", { runs: 2, frames: { completed: 12, unfinished: 1900 }, queries: null }],
    ]);
  });
});
