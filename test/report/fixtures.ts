import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LlmResults } from "../../src/llm/llm-results.js";
import { convertLlmResultsV1, convertResultsV1 } from "../../src/metrics/legacy-results.js";
import type { Results as ResultsV1 } from "../../src/metrics/results.js";
import type { JobCounts } from "../../src/metrics/results-schema.js";
import { parseReportResults, type ReportResults } from "../../src/report/results-input.js";

/** A 1-minute run of scenarios/edge-ai-testbed.json (seed 1), with time series and the network table: a results@1 file, converted on read. */
export const FIXTURE_FILE = fileURLToPath(new URL("./fixtures/testbed-1min-results.json", import.meta.url));

/** scenarios/node-overload-migration.json (5 min) as results@1, and scenarios/llm-routing.json (6 min) as llm-results@1, written by simulate before results@2. */
export const MIGRATION_FILE = fileURLToPath(new URL("./fixtures/migration-results-v1.json", import.meta.url));
export const LLM_FILE = fileURLToPath(new URL("./fixtures/llm-routing-results-v1.json", import.meta.url));

export function fixtureJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(FIXTURE_FILE, "utf8")) as Record<string, unknown>;
}

export function fixture(): ReportResults {
  return parseReportResults(fixtureJson(), FIXTURE_FILE);
}

/** A run's frame section (every run of the frame fixture has one). */
export function frames(run: ReportResults["runs"][number]): NonNullable<ReportResults["runs"][number]["frames"]> {
  if (run.frames === null) throw new Error(`run ${run.label} has no frames`);
  return run.frames;
}

/** The fixture without the parts the charts can do without: no time bins, an empty network matrix. */
export function withoutTimeSeriesAndNetwork(): ReportResults {
  const results = fixture();
  results.network = { devices: [], nodes: [], nominalLatencyMs: [] };
  for (const run of results.runs) frames(run).timeSeries.bins = [];
  return results;
}

/** The fixture with a learned scheduler, a migration and a fault on its first run, and a coarser recorded CDF on its second. */
export function withFutureFields(): ReportResults {
  const results = fixture();
  const [first, second] = results.runs;
  first.learned = true;
  first.migrations = [{ timeMs: 30_000, device: "rpi3-0", from: "coral", to: "jetson-nano", reason: "load", switchMs: 500, requestsDuringSwitch: 2 }];
  first.faults = [{ startMs: 40_000, endMs: 45_000, kind: "crash", target: "coral" }];
  frames(second).latencyCdf = [
    { p: 0.1, ms: 40 },
    { p: 0.5, ms: 80 },
    { p: 0.9, ms: 120 },
  ];
  return results;
}

/**
 * A mixed results@2 file (frames and queries in every run), made by hand from two old files so
 * that its counts have an oracle independent of the world (the raw files): the migration fixture's two frame runs, each with the queries of one run of the llm
 * fixture, on the nodes of both (frame bins get an idle entry for the language-model nodes). The
 * run's job counts are the sum of its two families'.
 */
export function mixedFixture(): ReportResults {
  const frameFile = convertResultsV1(JSON.parse(readFileSync(MIGRATION_FILE, "utf8")) as ResultsV1);
  const queryFile = convertLlmResultsV1(JSON.parse(readFileSync(LLM_FILE, "utf8")) as LlmResults);
  const llmNodes = queryFile.scenario.nodes.length;
  return {
    ...frameFile,
    scenario: {
      ...frameFile.scenario,
      devices: frameFile.scenario.devices + queryFile.scenario.devices,
      groups: [...frameFile.scenario.groups, ...queryFile.scenario.groups],
      nodes: [...frameFile.scenario.nodes, ...queryFile.scenario.nodes],
    },
    qos: { ...queryFile.qos, frameDeadlineMs: frameFile.qos.frameDeadlineMs },
    runs: frameFile.runs.map((run, r) => {
      const queries = queryFile.runs[r];
      const f = frames(run);
      const sum = (key: keyof JobCounts): number => (run.jobs[key] ?? 0) + (queries.jobs[key] ?? 0);
      const measured = sum("completed") + sum("dropped") + sum("refused") + sum("lost") + sum("unfinishedLate");
      return {
        ...run,
        policies: { frames: run.policies.frames, queries: queries.policies.queries },
        policyStatistics: { ...run.policyStatistics, ...queries.policyStatistics },
        jobs: {
          generated: sum("generated"),
          completed: sum("completed"),
          dropped: sum("dropped"),
          refused: sum("refused"),
          lost: sum("lost"),
          unfinished: sum("unfinished"),
          late: sum("late"),
          unfinishedLate: sum("unfinishedLate"),
          violations: sum("violations"),
          violationRate: measured === 0 ? null : sum("violations") / measured,
        },
        nodes: [...run.nodes, ...queries.nodes],
        groups: [...run.groups, ...queries.groups],
        frames: {
          ...f,
          timeSeries: {
            ...f.timeSeries,
            bins: f.timeSeries.bins.map((bin) => ({ ...bin, nodes: [...bin.nodes, ...Array.from({ length: llmNodes }, () => ({ utilisation: 0, meanQueueLength: 0 }))] })),
          },
        },
        queries: queries.queries,
      };
    }),
  };
}
