import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic-file.js";
import { OutputError } from "../io/output-error.js";
import { folderRunSource, preparePlanFile } from "./output-folder.js";
import type { RunSpec, SweepPlan } from "./plan-types.js";
import { Progress, type ProgressStream } from "./progress.js";
import type { RunContext, RunOutcome } from "./run-one.js";
import { failedDir, type FailureRecord } from "./run-record.js";
import { shardRuns, type Shard } from "./shard.js";
import { buildSummary, summaryCsv, summaryJson, type SweepSummary } from "./summary.js";
import { runOnWorkers } from "./worker-pool.js";

export interface SweepRunOptions {
  outDir: string;
  jobs: number;
  shard?: Shard;
  progress: ProgressStream;
  /** Each run is refused when estimated above this many events (default DEFAULT_MAX_EVENTS). */
  maxEvents?: number;
}

export interface SweepRunReport {
  /** Runs of this sweep (or shard). */
  total: number;
  /** Found finished on disk and not run again. */
  skipped: number;
  /** Simulated by this invocation. */
  ran: number;
  failed: FailureRecord[];
  /** The summary, when the whole sweep (not a shard) was run. */
  summary?: SweepSummary;
}

/** Runs what is not finished yet of a sweep (or of one shard), then writes the summary files when the sweep is whole. */
export async function runSweep(plan: SweepPlan, options: SweepRunOptions): Promise<SweepRunReport> {
  preparePlanFile(options.outDir, plan);
  const mine = shardRuns(plan.runs, options.shard);
  const found = folderRunSource([options.outDir], plan.hash);
  const todo = mine.filter((run) => !found.has(run.id));
  const label = options.shard === undefined ? plan.name : `${plan.name} shard ${options.shard.index}/${options.shard.count}`;
  const progress = new Progress(todo.length, options.progress, label);
  for (const damaged of found.damaged) progress.note(`damaged file ${damaged.file}: ${damaged.reason}; not trusted, its run is run again`);
  progress.note(`${label}: ${mine.length} runs, ${mine.length - todo.length} already done, running ${todo.length} on ${Math.min(options.jobs, Math.max(todo.length, 1))} worker(s)`);
  const failed: FailureRecord[] = [];
  let outputFailure: { file: string; reason: string; code?: string } | undefined;
  const context: RunContext = {
    outDir: options.outDir,
    sweepHash: plan.hash,
    base: plan.base,
    profileDirs: plan.profileDirs,
    baseDir: plan.baseDir,
    axes: plan.axes.map((axis) => ({ name: axis.name, tokens: axis.tokens })),
    maxEvents: options.maxEvents,
  };
  /** Records a failed run; "stop" when its file could not be written: the disk is full or the like, and every next run would fail the same way. */
  const recordFailure = (outcome: Extract<RunOutcome, { ok: false }>, run: RunSpec): "stop" | undefined => {
    if (outcome.output !== undefined) {
      outputFailure ??= outcome.output;
      return "stop";
    }
    const failure: FailureRecord = { id: run.id, cell: run.cell, replication: run.replication, seed: run.seed, error: outcome.error };
    failed.push(failure);
    progress.note(`run ${run.id} failed (cell ${JSON.stringify(run.cell)}, replication ${run.replication}, seed ${run.seed}): ${outcome.error}`);
    if (!outcome.error.startsWith("worker died")) return undefined;
    // A worker that died could not write its own failure record.
    try {
      writeFileAtomic(join(failedDir(options.outDir), `${run.id}.json`), `${JSON.stringify(failure, null, 2)}\n`);
    } catch (error) {
      if (!(error instanceof OutputError)) throw error;
      outputFailure ??= error;
      return "stop";
    }
    return undefined;
  };
  await runOnWorkers(context, todo, options.jobs, (outcome, run: RunSpec) => {
    const verdict = outcome.ok ? undefined : recordFailure(outcome, run);
    progress.tick(outcome.ok);
    return verdict;
  });
  progress.finish();
  if (outputFailure !== undefined) {
    const { file, reason, code } = outputFailure;
    throw new OutputError(`could not write ${file}: ${reason}; the sweep stopped, its finished runs are kept, and running it again finishes it`, "write", file, reason, code);
  }
  const report: SweepRunReport = { total: mine.length, skipped: mine.length - todo.length, ran: todo.length, failed };
  if (options.shard === undefined) {
    report.summary = buildSummary(plan, folderRunSource([options.outDir], plan.hash));
    writeSummaryFiles(options.outDir, report.summary);
  }
  return report;
}

export function writeSummaryFiles(outDir: string, summary: SweepSummary): void {
  writeFileAtomic(join(outDir, "summary.json"), summaryJson(summary));
  writeFileAtomic(join(outDir, "summary.csv"), summaryCsv(summary));
}
