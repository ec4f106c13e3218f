import { rmSync } from "node:fs";
import { join } from "node:path";
import { simulateScenarioDocument } from "../run/run-scenario.js";
import { writeFileAtomic } from "../io/atomic-file.js";
import { OutputError } from "../io/output-error.js";
import { setPointer } from "./json-pointer.js";
import type { JsonValue, RunSpec } from "./plan-types.js";
import { compactResults, failedDir, RUN_SCHEMA, runsDir, type CompactResults, type FailureRecord, type RunRecord } from "./run-record.js";

/** What a worker needs to run any run of a sweep (sent once, when the worker starts). */
export interface RunContext {
  /** Where each run writes runs/<id>.json (or failed/<id>.json); absent: nothing is written and the outcome carries the results (a scenario's --replications). */
  outDir?: string;
  sweepHash: string;
  base: Record<string, JsonValue>;
  profileDirs: string[];
  /** Folder relative paths in the base scenario are read from (absent in plans written before it existed: the working directory). */
  baseDir?: string;
  axes: Array<{ name: string; tokens: string[] }>;
  /** --max-events: a run estimated above it is refused (a failed run with the estimate); absent: the default. */
  maxEvents?: number;
}

/**
 * `output` is set when the run's file could not be written (disk full, file size limit...): not
 * the run's fault, and every next run would fail the same way, so the sweep stops.
 */
export type RunOutcome = { id: string; ok: true; results?: CompactResults } | { id: string; ok: false; error: string; output?: { file: string; reason: string; code?: string } };

/** The scenario document of a run: the base with the cell's values written in and the run's seed. */
export function runScenarioDocument(context: RunContext, run: RunSpec): Record<string, JsonValue> {
  const document = structuredClone(context.base);
  for (const axis of context.axes) setPointer(document, axis.tokens, run.cell[axis.name]);
  document.seed = run.seed;
  return document;
}

/** The files a run writes: its record, or its failure. */
export function runFiles(outDir: string, id: string): { record: string; failure: string } {
  return { record: join(runsDir(outDir), `${id}.json`), failure: join(failedDir(outDir), `${id}.json`) };
}

/**
 * Simulates one run and writes runs/<id>.json atomically; a throw is written to failed/<id>.json
 * instead. Without an output folder nothing is written: the outcome carries the results or the error.
 */
export function executeRun(context: RunContext, run: RunSpec): RunOutcome {
  if (context.outDir === undefined) {
    try {
      return { id: run.id, ok: true, results: simulateRun(context, run) };
    } catch (error) {
      return { id: run.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
  const { record: recordFile, failure: failedFile } = runFiles(context.outDir, run.id);
  try {
    const results = simulateRun(context, run);
    const record: RunRecord = {
      schema: RUN_SCHEMA,
      sweepHash: context.sweepHash,
      id: run.id,
      cell: run.cell,
      replication: run.replication,
      seed: run.seed,
      results,
    };
    writeFileAtomic(recordFile, `${JSON.stringify(record)}\n`);
    rmSync(failedFile, { force: true });
    return { id: run.id, ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const output = error instanceof OutputError ? { file: error.file, reason: error.reason, code: error.code } : undefined;
    const failure: FailureRecord = { id: run.id, cell: run.cell, replication: run.replication, seed: run.seed, error: message };
    try {
      writeFileAtomic(failedFile, `${JSON.stringify(failure, null, 2)}\n`);
    } catch {
      // On a full disk this fails too; the outcome still carries the error, and a run without a file is run again on resume.
    }
    return { id: run.id, ok: false, error: message, output };
  }
}

function simulateRun(context: RunContext, run: RunSpec): CompactResults {
  const where = { profileDirs: context.profileDirs, baseDir: context.baseDir };
  return compactResults(simulateScenarioDocument(runScenarioDocument(context, run), where, `run ${run.id}`, context.maxEvents));
}
