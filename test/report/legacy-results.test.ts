import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LlmResults } from "../../src/llm/llm-results.js";
import { convertLlmResultsV1, convertResultsV1 } from "../../src/metrics/legacy-results.js";
import type { Results as ResultsV1 } from "../../src/metrics/results.js";
import type { JobCounts } from "../../src/metrics/results-schema.js";
import { parseReportResults } from "../../src/report/results-input.js";
import { runCli, tempDir } from "../cli/helpers.js";

/*
 * Files written by the simulators of before results@2, kept as fixtures (written by this version's
 * `simulate`, minified): scenarios/node-overload-migration.json (5 min, a migration) as results@1,
 * and scenarios/llm-routing.json (--duration "6 min", six routers, two learned) as llm-results@1.
 * The oracle is the old file itself: every count is the old one under its new name, and the
 * identities results@2 states (violations = late + dropped + refused + lost + unfinishedLate)
 * hold on what the old simulators counted.
 */

const FIXTURES = join(import.meta.dirname, "fixtures");
const FRAMES_V1 = join(FIXTURES, "migration-results-v1.json");
const QUERIES_V1 = join(FIXTURES, "llm-routing-results-v1.json");

const read = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

function violationsIdentity(jobs: JobCounts): void {
  expect(jobs.violations).toBe(jobs.late + jobs.dropped + jobs.refused + jobs.lost + jobs.unfinishedLate);
  const measured = jobs.completed + jobs.dropped + jobs.refused + jobs.lost + jobs.unfinishedLate;
  if (measured > 0) expect(jobs.violationRate).toBeCloseTo(jobs.violations / measured, 12);
}

describe("results@1 (frames) converted to results@2", () => {
  const old = read<ResultsV1>(FRAMES_V1);
  const converted = convertResultsV1(old);

  it("is a valid results@2 file, also after a JSON round trip", () => {
    expect(parseReportResults(JSON.parse(JSON.stringify(converted)), "converted")).toEqual(converted);
    expect(parseReportResults(read(FRAMES_V1), FRAMES_V1)).toEqual(converted);
  });

  it("every count is the old one under its new name; a full queue's 'dropped' is now 'refused'", () => {
    expect(converted.qos).toEqual({ frameDeadlineMs: old.qosDeadlineMs, ttftDeadlineMs: null, totalDeadlineMs: null });
    expect(converted.window).toEqual(old.window);
    old.runs.forEach((run, r) => {
      const now = converted.runs[r];
      expect(now.label).toBe(run.label);
      expect(now.policies).toEqual({ frames: run.scheduler, queries: null });
      expect(now.queries).toBeNull();
      expect(now.jobs).toEqual({
        generated: run.requests.generated,
        completed: run.requests.completed,
        dropped: 0,
        refused: run.requests.dropped,
        lost: run.requests.lost,
        unfinished: run.requests.unfinished,
        late: run.qos.late,
        unfinishedLate: run.qos.unfinishedLate,
        violations: run.qos.violations,
        violationRate: run.qos.violationRate,
      });
      violationsIdentity(now.jobs);
      expect(now.frames?.jobs).toEqual(now.jobs);
      expect(now.frames?.throughput).toBe(run.throughput);
      expect(now.frames?.latency).toEqual(run.latency);
      expect(now.migrations).toEqual(run.migrations);
      expect(now.timeInViolationMs).toBe(run.qos.timeInViolationMs);
      run.nodes.forEach((node, n) => {
        expect(now.nodes[n]).toMatchObject({ id: node.id, downMs: node.downMs, energyJ: node.energyJ, utilisation: node.utilisation, llm: null });
        expect(now.nodes[n].frames?.completed).toBe(node.completed);
      });
    });
    // The fixture has what the report draws from: a migration under the monitoring scheduler, and time in violation.
    expect(converted.runs.map((run) => run.migrations.length)).toEqual([0, 1]);
    expect(converted.runs[1].timeInViolationMs).toBeGreaterThan(0);
  });
});

describe("llm-results@1 (queries) converted to results@2", () => {
  const old = read<LlmResults>(QUERIES_V1);
  const converted = convertLlmResultsV1(old);

  it("is a valid results@2 file, also after a JSON round trip", () => {
    expect(parseReportResults(JSON.parse(JSON.stringify(converted)), "converted")).toEqual(converted);
  });

  it("every count is the old one under its new name; services and groups come from the old scenario and runs", () => {
    expect(converted.qos).toEqual({ frameDeadlineMs: null, ttftDeadlineMs: old.runs[0].qos.ttftDeadlineMs, totalDeadlineMs: old.runs[0].qos.totalDeadlineMs });
    expect(converted.scenario.nodes.map((node) => node.services.map((s) => s.type))).toEqual(old.scenario.nodes.map(() => ["llm"]));
    expect(converted.scenario.groups.map((g) => [g.id, g.devices])).toEqual(old.runs[0].groups.map((g) => [g.group, g.devices]));
    old.runs.forEach((run, r) => {
      const now = converted.runs[r];
      expect(now.policies).toEqual({ frames: null, queries: run.router });
      expect(now.frames).toBeNull();
      expect(now.jobs).toMatchObject({ ...run.queries, dropped: 0, late: run.qos.late, violations: run.qos.violations, violationRate: run.qos.violationRate });
      violationsIdentity(now.jobs);
      expect(now.queries?.cost).toEqual(run.cost);
      expect(now.queries?.latency).toEqual(run.latency);
      expect(now.policyStatistics).toEqual(run.routerStatistics);
      expect(now.learned).toBe(Array.isArray(run.routerStatistics.thresholdHistory));
      // A group's rate is copied; its counts are derived from it (the old file has no per-group late count).
      run.groups.forEach((group, g) => {
        expect(now.groups[g].jobs.violationRate).toBe(group.violationRate);
        violationsIdentity(now.groups[g].jobs);
      });
    });
    expect(converted.runs.filter((run) => run.learned).map((run) => run.label)).toEqual(["learned", "learned-federated"]);
  });
});

describe("simulate report on files of before results@2", () => {
  it.each([
    [FRAMES_V1, ["latency-cdf", "stage-breakdown", "latency-over-time", "violation-rate", "network-latency", "node-load", "migrations"]],
    [QUERIES_V1, ["llm-latency", "llm-tradeoffs", "llm-privacy-cost", "llm-over-time", "llm-learning"]],
  ])("%s still produces a report: exit 0, its family's charts, index.html", (file, charts) => {
    const dir = tempDir();
    const run = runCli(["report", file, "--out", dir, "--format", "svg,html"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain("warning");
    const drawn = readdirSync(join(dir, "charts"))
      .filter((f) => f.endsWith(".svg"))
      .map((f) => f.slice(0, -".svg".length))
      .sort();
    expect(drawn).toEqual([...charts].sort());
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect(html).toContain('id="results-table"');
  });

  it("an unknown schema is one clear message naming what was read and what is accepted: exit 2", () => {
    const dir = tempDir();
    const file = join(dir, "results.json");
    const json = read<Record<string, unknown>>(QUERIES_V1);
    json.schema = "continuum-sim/llm-results@2";
    writeFileSync(file, JSON.stringify(json));
    const run = runCli(["report", file, "--out", join(dir, "out")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `${file}: 1 problem\n  schema: "continuum-sim/llm-results@2" is not valid: expected "continuum-sim/results@2" (a results.json written by simulate), or "continuum-sim/results@1" or "continuum-sim/llm-results@1" (older results files, converted on read)\n`,
    );
  });
});
