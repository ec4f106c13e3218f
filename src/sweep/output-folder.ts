import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { TEMP_FILE, writeFileAtomic } from "../io/atomic-file.js";
import type { SweepPlan } from "./plan-types.js";
import { failedDir, finishedRunIds, readFailures, readRunRecord, runsDir, type RunRecord } from "./run-record.js";
import type { RunSource } from "./summary.js";

export const PLAN_SCHEMA = "continuum-sim/sweep-plan@1";
const PLAN_FILE = "sweep.json";

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
  // A process killed mid-write leaves temp files; they are never complete, so they go.
  for (const dir of [runsDir(outDir), failedDir(outDir)]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (TEMP_FILE.test(name)) rmSync(join(dir, name), { force: true });
  }
}

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

/** Run records spread over one or more output folders (shards); the first folder holding a run wins. */
export function folderRunSource(outDirs: readonly string[]): RunSource {
  const where = new Map<string, string>();
  for (const dir of outDirs) for (const id of finishedRunIds(dir)) if (!where.has(id)) where.set(id, dir);
  return {
    has: (id) => where.has(id),
    read: (id): RunRecord => readRunRecord(where.get(id) as string, id),
    failures: () => outDirs.flatMap(readFailures),
  };
}
