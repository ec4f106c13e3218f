import type { JobCounts, Results } from "../metrics/results-schema.js";

/**
 * What `simulate <scenario> --json` prints instead of the tables: one JSON object, small and stable
 * (results.json, at `results`, has everything). Per run: its label, policies, job counts, and the
 * headline figures of each family it has (null for a family it has not). Times in ms, rates per s.
 */
export interface RunSummaryJson {
  scenario: string;
  hash: string;
  seed: number | string;
  results: string;
  runs: {
    label: string;
    policies: { frames: string | null; queries: string | null };
    jobs: JobCounts;
    frames: { throughput: number; latencyMs: { mean: number | null; p50: number | null; p95: number | null; p99: number | null } } | null;
    queries: {
      throughput: number;
      ttftMs: { mean: number | null; p50: number | null; p95: number | null; p99: number | null };
      totalMs: { mean: number | null; p50: number | null; p95: number | null; p99: number | null };
      costUsd: number;
    } | null;
  }[];
}

export function runSummaryJson(results: Results, resultsFile: string): RunSummaryJson {
  const headline = (s: { mean: number | null; p50: number | null; p95: number | null; p99: number | null }) => ({ mean: s.mean, p50: s.p50, p95: s.p95, p99: s.p99 });
  return {
    scenario: results.scenario.name,
    hash: results.scenario.hash,
    seed: results.seed,
    results: resultsFile,
    runs: results.runs.map((run) => ({
      label: run.label,
      policies: run.policies,
      jobs: run.jobs,
      frames: run.frames === null ? null : { throughput: run.frames.throughput, latencyMs: headline(run.frames.latency.total) },
      queries:
        run.queries === null
          ? null
          : {
              throughput: run.queries.throughput.queriesPerS,
              ttftMs: headline(run.queries.latency.ttft),
              totalMs: headline(run.queries.latency.total),
              costUsd: run.queries.cost.totalUsd,
            },
    })),
  };
}
