import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Results, SchedulerResults } from "../metrics/results.js";
import type { LlmResults, LlmRunResults } from "../llm/llm-results.js";
import type { JsonValue } from "./plan-types.js";

export const RUN_SCHEMA = "continuum-sim/sweep-run@1";

/**
 * What runs/<id>.json holds: the run's coordinates and seed, and its results without the time
 * series and the CDF (a sweep of thousands of runs would otherwise write 200 kB per run for
 * fields no sweep metric reads).
 */
export interface RunRecord {
  schema: typeof RUN_SCHEMA;
  sweepHash: string;
  id: string;
  cell: Record<string, JsonValue>;
  replication: number;
  seed: number;
  results: CompactResults | CompactLlmResults;
}

export type CompactSchedulerResults = Omit<SchedulerResults, "timeSeries" | "latencyCdf">;
export type CompactResults = Omit<Results, "runs"> & { runs: CompactSchedulerResults[] };

/** A language-model run as the sweep summary reads it: the router's name also under `scheduler`, the summary's policy column. */
export type CompactLlmRunResults = Omit<LlmRunResults, "timeSeries"> & { scheduler: string };
export type CompactLlmResults = Omit<LlmResults, "runs"> & { runs: CompactLlmRunResults[] };

/** The entry of one policy in either kind of results, as the summary sees it. */
export type CompactPolicyResults = CompactSchedulerResults | CompactLlmRunResults;

/** What failed/<id>.json holds; the run is tried again when the sweep restarts. */
export interface FailureRecord {
  id: string;
  cell: Record<string, JsonValue>;
  replication: number;
  seed: number;
  error: string;
}

export function compactResults(results: Results): CompactResults {
  return {
    ...results,
    runs: results.runs.map((run) => {
      const { timeSeries: _series, latencyCdf: _cdf, ...rest } = run;
      return rest;
    }),
  };
}

export function compactLlmResults(results: LlmResults): CompactLlmResults {
  return {
    ...results,
    runs: results.runs.map((run) => {
      const { timeSeries: _series, ...rest } = run;
      return { ...rest, scheduler: run.router };
    }),
  };
}

export const runsDir = (outDir: string): string => join(outDir, "runs");
export const failedDir = (outDir: string): string => join(outDir, "failed");

/** Ids of the finished runs in an output folder (complete files only: temp files are ignored). */
export function finishedRunIds(outDir: string): Set<string> {
  const dir = runsDir(outDir);
  if (!existsSync(dir)) return new Set();
  return new Set(readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -".json".length)));
}

export function readRunRecord(outDir: string, id: string): RunRecord {
  return JSON.parse(readFileSync(join(runsDir(outDir), `${id}.json`), "utf8")) as RunRecord;
}

export function readFailures(outDir: string): FailureRecord[] {
  const dir = failedDir(outDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as FailureRecord);
}
