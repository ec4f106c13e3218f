import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { convertResultsV1 } from "../../src/metrics/legacy-results.js";
import type { Results as ResultsV1 } from "../../src/metrics/results.js";
import { compactResults } from "../../src/sweep/run-record.js";
import { defaultMetrics, isMetricPath, METRIC_PATH_EXAMPLES, metricValue } from "../../src/sweep/metric-paths.js";
import { planSweep } from "../../src/sweep/load-sweep.js";
import { REPO, runCli, tempDir } from "../cli/helpers.js";

/*
 * Sweep metrics are paths into one run of results@2, found by walking the results schema. The
 * oracle for values is the run's own JSON, read by hand; for the migration sweep, the migrations
 * of a run as results.json lists them.
 */

const FRAMES_V1 = join(REPO, "test", "report", "fixtures", "migration-results-v1.json");
const run = compactResults(convertResultsV1(JSON.parse(readFileSync(FRAMES_V1, "utf8")) as ResultsV1)).runs[1];

function problems(sweep: Record<string, unknown>): string {
  try {
    planSweep({ name: "s", base: join(REPO, "scenarios", "edge-ai-testbed.json"), axes: [{ path: "/seed", values: [1] }], ...sweep }, join(REPO, "sweeps", "x.json"));
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  return "";
}

describe("metric paths of results@2", () => {
  it("numbers at any depth, array elements by index, record keys, and arrays (counted) are metrics; objects, strings and removed fields are not", () => {
    for (const path of [
      "jobs.violationRate",
      "frames.latency.total.p95",
      "queries.cost.perDayUsd",
      "nodes.0.utilisation",
      "nodes.12.llm.decodeTokensPerSPerQuery.mean",
      "timeInViolationMs",
      "migrations",
      "faults",
      "policyStatistics.finalThreshold",
      "events",
    ]) {
      expect(isMetricPath(path), path).toBe(true);
    }
    // A sweep keeps no time series or CDF (run-record.ts), so they are not metrics.
    for (const path of ["frames.latency", "label", "nodes.x.utilisation", "nodes.0", "frames.timeSeries.binMs", "frames.latencyCdf", "queries.timeSeries", "throughput", "qos.violationRate", ""]) {
      expect(isMetricPath(path), path).toBe(false);
    }
    expect(METRIC_PATH_EXAMPLES).toContain("frames.latency.total.p95");
    expect(METRIC_PATH_EXAMPLES).toContain("policyStatistics.<name>");
  });

  it("values: the number at the path, an array's length, null for a family the run lacks", () => {
    expect(metricValue(run, "migrations")).toBe(1);
    expect(metricValue(run, "timeInViolationMs")).toBe(8000);
    expect(metricValue(run, "frames.latency.total.p95")).toBe(run.frames?.latency.total.p95);
    expect(metricValue(run, "nodes.0.utilisation")).toBe(run.nodes[0].utilisation);
    expect(metricValue(run, "queries.cost.perDayUsd")).toBeNull();
    expect(metricValue(run, "nodes.9.utilisation")).toBeNull();
  });

  it("default metrics follow the families present", () => {
    expect(defaultMetrics({ frames: true, queries: false })).toEqual(["jobs.violationRate", "frames.latency.total.mean", "frames.latency.total.p95", "frames.throughput"]);
    expect(defaultMetrics({ frames: false, queries: true })).toEqual([
      "jobs.violationRate",
      "queries.latency.ttft.p95",
      "queries.latency.total.p95",
      "queries.cost.perDayUsd",
      "queries.throughput.queriesPerS",
    ]);
    expect(defaultMetrics({ frames: true, queries: true })).toHaveLength(8);
  });

  it("an unknown metric is one message with the nearest valid path, keeping the index typed", () => {
    expect(problems({ metrics: ["frames.latency.totl.p95"] })).toContain('metrics[0]: "frames.latency.totl.p95" is not valid: expected a metric path: ');
    expect(problems({ metrics: ["frames.latency.totl.p95"] })).toContain('did you mean "frames.latency.total.p95"?');
    expect(problems({ metrics: ["nodes.3.utilisaton"] })).toContain('did you mean "nodes.3.utilisation"?');
    expect(problems({ metrics: ["migratons"] })).toContain('did you mean "migrations"?');
    // results@1 paths are not results@2 paths.
    expect(problems({ metrics: ["qos.violationRate"] })).toContain("metrics[0]");
    expect(problems({ metrics: ["migrations", "timeInViolationMs", "jobs.violationRate"] })).toBe("");
  });
});

describe("a sweep over migrations and time in violation (refused by sweeps before results@2)", () => {
  it("summarises the migration count and the time in violation per scheduler", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "sweep.json"),
      JSON.stringify({
        name: "migrations",
        base: join(REPO, "scenarios", "node-overload-migration.json"),
        axes: [{ name: "warmup", path: "/warmup", values: ["10 s"] }],
        replications: 2,
        metrics: ["migrations", "timeInViolationMs"],
      }),
    );
    const result = runCli(["sweep", join(dir, "sweep.json"), "--out", join(dir, "out"), "--jobs", "1", "--no-charts"]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, "out", "summary.json"), "utf8")) as {
      cells: Array<{ label: string; metrics: Record<string, { n: number; missing: number; mean: number | null }> }>;
    };
    const cell = (label: string) => summary.cells.find((c) => c.label === label);
    // Each run's own record is the oracle: the summary's mean is the mean of the migrations the records list.
    const records = readdirSync(join(dir, "out", "runs")).map(
      (f) => JSON.parse(readFileSync(join(dir, "out", "runs", f), "utf8")) as { results: { runs: Array<{ label: string; migrations: unknown[]; timeInViolationMs: number | null }> } },
    );
    const qosRuns = records.map((r) => r.results.runs.find((run) => run.label === "nearest-healthy-qos"));
    const qos = cell("nearest-healthy-qos");
    expect(qos?.metrics.migrations).toMatchObject({ n: 2, mean: qosRuns.reduce((sum, run) => sum + (run?.migrations.length ?? NaN), 0) / 2 });
    expect(qos?.metrics.timeInViolationMs).toMatchObject({ n: 2, mean: qosRuns.reduce((sum, run) => sum + (run?.timeInViolationMs ?? NaN), 0) / 2 });
    expect(qos?.metrics.migrations.mean).toBeGreaterThan(0);
    // Without a monitoring scheduler there is no time in violation (null), but the migration count is 0.
    expect(cell("nearest-healthy")?.metrics.timeInViolationMs).toMatchObject({ n: 0, missing: 2 });
    expect(cell("nearest-healthy")?.metrics.migrations).toMatchObject({ n: 2, mean: 0 });
  });
});
