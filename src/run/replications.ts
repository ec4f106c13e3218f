import { dirname, join, resolve } from "node:path";
import { InputError, SimulationError } from "../errors.js";
import type { ReplicationResults } from "../metrics/replication-results.js";
import type { Results } from "../metrics/results-schema.js";
import { BUILTIN_PROFILE_DIR } from "../scenario/profiles.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";
import type { JsonValue, RunSpec } from "../sweep/plan-types.js";
import { executeRun, type RunContext } from "../sweep/run-one.js";
import { cellId, runId, runSeed } from "../sweep/run-identity.js";
import { compactResults, type CompactRunResults } from "../sweep/run-record.js";
import { runOnWorkers } from "../sweep/worker-pool.js";
import { replicationSummary } from "./replication-summary.js";

/*
 * `simulate <scenario> --replications N`: the scenario's N replications are the runs of a sweep
 * with no axis (the empty cell), so they reuse the sweep's seed rule (runSeed), its worker pool
 * and its statistics; replication r of a scenario is replication r of any axis-less sweep of it.
 */

/** The empty cell: a scenario run has no sweep coordinates. */
const NO_COORDINATES = {};

/** Replications 0..count-1 of the master seed, each with its derived seed (the sweep rule, src/sweep/run-identity.ts). */
export function replicationRuns(masterSeed: number | string, count: number): RunSpec[] {
  const cell = cellId(NO_COORDINATES);
  return Array.from({ length: count }, (_, r) => ({ id: runId(cell, r), cellId: cell, cell: {}, replication: r, seed: runSeed(masterSeed, NO_COORDINATES, r) }));
}

/** Replications run the way sweep workers run: built-in policies only (a module is imported by the CLI's own thread). */
export function checkReplicable(scenario: ResolvedScenario, source: string): void {
  const modules = scenario.policies.filter((entry) => entry.frames?.name === "module" || entry.queries?.name === "module");
  if (modules.length === 0) return;
  throw new InputError(source, [
    { path: "policies", value: "module", expected: 'built-in policies only with --replications: replications run on worker threads, which cannot import {"policy": "module"} entries' },
  ]);
}

/** What a scenario run with --replications runs: its replications, the context the workers share, and replication 0's document. */
export interface ReplicationPlan {
  context: RunContext;
  masterSeed: number | string;
  runs: RunSpec[];
  jobs: number;
  /** The scenario document with replication 0's seed: what this thread simulates in full. */
  firstDocument: Record<string, JsonValue>;
}

/** Plans the replications of the scenario read from `file` (`document`: its JSON, --seed and --duration applied; `scenario`: it resolved). */
export function planReplications(file: string, document: unknown, scenario: ResolvedScenario, options: { count: number; jobs: number; maxEvents: number | undefined }): ReplicationPlan {
  checkReplicable(scenario, file);
  const runs = replicationRuns(scenario.seed, options.count);
  const base = document as Record<string, JsonValue>;
  const folder = dirname(resolve(file));
  // The profile folders and base folder a scenario file resolves against (as resolveScenarioFile and a sweep's base file);
  // no output folder and so no sweep hash: the workers post their results back.
  const context: RunContext = { sweepHash: "", base, profileDirs: [join(folder, "hardware-profiles"), BUILTIN_PROFILE_DIR], baseDir: folder, axes: [], maxEvents: options.maxEvents };
  return { context, masterSeed: scenario.seed, runs, jobs: options.jobs, firstDocument: { ...base, seed: runs[0].seed } };
}

/**
 * Runs replication 0 in this thread (`first`: the full results, what `runs[]` holds, with --tasks
 * and everything a plain run does) while `jobs - 1` worker threads run the others, then returns
 * `first`'s results with the `replications` section. With `jobs` 1 every replication runs here, one
 * after the other. The section is built in replication order, never completion order, so its
 * bytes do not depend on `jobs`.
 */
export async function runReplications(plan: ReplicationPlan, first: () => Results): Promise<Results> {
  const { context, masterSeed, runs, jobs } = plan;
  const others = runs.slice(1);
  const compact = new Map<number, CompactRunResults[]>();
  let failure: string | undefined;
  const keep = (outcome: ReturnType<typeof executeRun>, run: RunSpec): "stop" | undefined => {
    if (outcome.ok && outcome.results !== undefined) {
      compact.set(run.replication, outcome.results.runs);
      // Once anything failed, no further replication is started.
      return failure === undefined ? undefined : "stop";
    }
    failure ??= `replication ${run.replication} (seed ${run.seed}) failed: ${outcome.ok ? "no results" : outcome.error}`;
    return "stop";
  };
  let results: Results;
  if (jobs === 1) {
    results = first();
    for (const run of others) if (keep(executeRun(context, run), run) === "stop") break;
  } else {
    // The pool posts the first runs before this thread starts simulating replication 0.
    const pool = runOnWorkers(context, others, jobs - 1, keep);
    try {
      results = first();
    } catch (error) {
      failure ??= "replication 0 failed";
      await pool;
      throw error;
    }
    await pool;
  }
  if (failure !== undefined) throw new SimulationError(failure);
  compact.set(0, compactResults(results).runs);
  const perReplication = runs.map((run) => compact.get(run.replication) ?? []);
  const section: ReplicationResults = {
    masterSeed,
    seeds: runs.map((run) => run.seed),
    runs: perReplication,
    summary: replicationSummary(perReplication),
  };
  return { ...results, replications: section };
}
