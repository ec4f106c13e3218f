import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { formatSummary } from "../../src/cli/summary.js";
import type { ChartOutcome } from "../../src/report/chart.js";
import { CHARTS } from "../../src/report/charts/index.js";
import { parseReportResults, type ReportResults } from "../../src/report/results-input.js";
import { policyColourScale } from "../../src/report/policy-colours.js";
import { type ReportSummary, writeReport } from "../../src/report/write-report.js";
import { tempDir } from "../cli/helpers.js";
import { LLM_FILE, MIGRATION_FILE, mixedFixture } from "./fixtures.js";
import { join } from "node:path";

/*
 * A scenario with camera frames and language-model queries gets both halves of the report and of
 * the summary, and a policy label keeps one colour across the frame and the query charts. The
 * oracle for the counts is the two old files the mixed results are made of (read raw here).
 */

/** Every colour scale on a label field ("scheduler" in frame charts, "router" in query charts) in a spec. */
function labelScales(spec: unknown): Array<{ domain: string[]; range: string[] }> {
  const found: Array<{ domain: string[]; range: string[] }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const record = node as Record<string, unknown>;
      const colour = record.color as { field?: string; scale?: { domain?: string[]; range?: string[] } } | undefined;
      if ((colour?.field === "scheduler" || colour?.field === "router") && colour.scale?.domain !== undefined && colour.scale.range !== undefined) {
        found.push({ domain: colour.scale.domain, range: colour.scale.range });
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(spec);
  return found;
}

describe("a mixed results file (frames and queries)", () => {
  let results: ReportResults;
  let dir: string;
  let summary: ReportSummary;

  beforeAll(async () => {
    results = parseReportResults(JSON.parse(JSON.stringify(mixedFixture())), "mixed");
    dir = tempDir();
    summary = await writeReport(results, dir, ["svg", "html"]);
  });

  it("draws the charts of both families, and every label has one colour in all of them", () => {
    for (const id of ["latency-cdf", "stage-breakdown", "latency-over-time", "violation-rate", "node-load", "llm-latency", "llm-tradeoffs", "llm-privacy-cost", "llm-over-time"]) {
      expect(summary.drawn, id).toContain(id);
    }
    expect(summary.warnings).toEqual([]);
    // The report-wide scale (one colour per label, docs/reports.md); every chart must agree with it.
    const all = policyColourScale(results);
    const colour = new Map(all.domain.map((label, i) => [label, all.range[i]]));
    expect(new Set(all.range).size).toBe(all.domain.length);
    let checked = 0;
    for (const chart of CHARTS) {
      const outcome: ChartOutcome = chart.build(results);
      if (outcome.kind !== "chart") continue;
      for (const scale of labelScales(outcome.spec)) {
        scale.domain.forEach((label, i) => {
          expect(scale.range[i], `${chart.id} ${label}`).toBe(colour.get(label));
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it("index.html has the job counts of every run, the frame table and the query tables", () => {
    const html = readFileSync(join(dir, "index.html"), "utf8");
    for (const id of ["results-table", "frames-table", "llm-results-table", "llm-cost-table"]) expect(html).toContain(`id="${id}"`);
    expect(html).toContain("frames: nearest-healthy-qos, queries: cloud-only");
  });

  it("the summary prints every run's job counts (the sum of both families), the frame lines and the query lines", () => {
    const frameFile = JSON.parse(readFileSync(MIGRATION_FILE, "utf8")) as { runs: Array<{ label: string; requests: { generated: number; completed: number } }> };
    const queryFile = JSON.parse(readFileSync(LLM_FILE, "utf8")) as { runs: Array<{ queries: { generated: number; completed: number } }> };
    const text = formatSummary(results);
    frameFile.runs.forEach((run, r) => {
      const generated = run.requests.generated + queryFile.runs[r].queries.generated;
      const completed = run.requests.completed + queryFile.runs[r].queries.completed;
      expect(text).toMatch(new RegExp(`^\\s+${run.label}\\s+${generated}\\s+${completed}\\s`, "m"));
      expect(text).toMatch(new RegExp(`^${run.label}: ${run.requests.completed} completed, `, "m"));
    });
    expect(text).toContain("all jobs");
    expect(text).toMatch(/queries\s+done\s+TTFT p50/);
    expect(text).toContain("QoS deadlines frames 200 ms, TTFT 3 s, query total 20 s");
  });
});
