import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-file.js";
import type { SweepPlan } from "./plan-types.js";
import { FAILED_FOLDER, readFailures, readRunRecord, RUNS_FOLDER, scanRunFolder, type DamagedFile, type FailureRecord, type RunRecord } from "./run-record.js";
import type { RunSource } from "./summary.js";

export const PLAN_SCHEMA = "continuum-sim/sweep-plan@1";
export const PLAN_FILE = "sweep.json";

/**
 * Writes <out>/sweep.json, the resolved plan (base scenario, cells, run ids and seeds), or checks
 * that the one already there is the same sweep: resuming into a folder of another sweep would
 * mix results. `merge` reads the plan back from here, so it needs no sweep file.
 */
export function preparePlanFile(outDir: string, plan: SweepPlan): void {
  const file = join(outDir, PLAN_FILE);
  if (existsSync(file)) {
    const existing = readPlanFile(outDir);
    if (existing.hash !== plan.hash) {
      throw new InputError(outDir, [
        { path: "sweep.json", value: existing.hash, expected: `the plan of this sweep (hash ${plan.hash}): the folder holds another sweep's runs; use another --out or delete it` },
      ]);
    }
  } else {
    writeFileAtomic(file, `${JSON.stringify({ schema: PLAN_SCHEMA, ...plan }, null, 2)}\n`);
  }
}

/** What a sweep writes into its output folder, for the checks before it starts (src/io/output-targets.ts). */
export const SUMMARY_FILES = ["summary.json", "summary.csv"] as const;
export const SWEEP_FILES = [PLAN_FILE, ...SUMMARY_FILES] as const;
export const SWEEP_FOLDERS = [RUNS_FOLDER, FAILED_FOLDER, "charts"] as const;

export function readPlanFile(outDir: string): SweepPlan {
  const file = join(outDir, PLAN_FILE);
  let json: { schema?: unknown } & SweepPlan;
  try {
    json = JSON.parse(readFileSync(file, "utf8")) as { schema?: unknown } & SweepPlan;
  } catch (error) {
    throw new InputError(outDir, [{ path: PLAN_FILE, value: file, expected: `a sweep output folder with a readable ${PLAN_FILE} (${(error as Error).message})` }]);
  }
  if (json.schema !== PLAN_SCHEMA) throw new InputError(file, [{ path: "schema", value: json.schema, expected: `"${PLAN_SCHEMA}"` }]);
  const { schema: _schema, ...plan } = json;
  return plan;
}

/** A RunSource that also says which files it could not trust. */
export interface FolderRunSource extends RunSource {
  damaged: DamagedFile[];
}

/**
 * Run records spread over one or more output folders (shards); the first folder holding a whole
 * record of a run wins. Damaged files are listed, not read: their runs count as missing.
 */
export function folderRunSource(outDirs: readonly string[], sweepHash: string): FolderRunSource {
  const where = new Map<string, string>();
  const damaged: DamagedFile[] = [];
  const failures: FailureRecord[] = [];
  for (const dir of outDirs) {
    const scan = scanRunFolder(dir, sweepHash);
    damaged.push(...scan.damaged);
    for (const id of scan.finished) if (!where.has(id)) where.set(id, dir);
    const failed = readFailures(dir);
    damaged.push(...failed.damaged);
    failures.push(...failed.failures);
  }
  return {
    has: (id) => where.has(id),
    read: (id): RunRecord => readRunRecord(where.get(id) as string, id, sweepHash),
    failures: () => failures,
    damaged,
  };
}
