import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LinkResult, LinkResults, MobilityResults } from "../metrics/network-results.js";
import type { FrameResults, QueryResults, Results, RunResults } from "../metrics/results-schema.js";
import type { JsonValue } from "./plan-types.js";
import { InputError } from "../errors.js";
import { describeCause } from "../io/output-error.js";

/** @2: the results are results@2 (a folder of @1 records is run again, its records listed as damaged). */
export const RUN_SCHEMA = "continuum-sim/sweep-run@2";

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
  results: CompactResults;
}

/** One run of results@2 as a sweep keeps it: without the time series (links' series and device tracks included) and the latency CDF. */
export type CompactRunResults = Omit<RunResults, "frames" | "queries" | "links" | "mobility"> & {
  frames: Omit<FrameResults, "timeSeries" | "latencyCdf"> | null;
  queries: Omit<QueryResults, "timeSeries"> | null;
  links: (Omit<LinkResults, "links"> & { links: Omit<LinkResult, "series">[] }) | null;
  mobility: Omit<MobilityResults, "tracks"> | null;
};
export type CompactResults = Omit<Results, "runs"> & { runs: CompactRunResults[] };

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
      const frames = run.frames === null ? null : (({ timeSeries: _series, latencyCdf: _cdf, ...rest }) => rest)(run.frames);
      const queries = run.queries === null ? null : (({ timeSeries: _series, ...rest }) => rest)(run.queries);
      const links = run.links === null ? null : { ...run.links, links: run.links.links.map(({ series: _series, ...rest }) => rest) };
      const mobility = run.mobility === null ? null : (({ tracks: _tracks, ...rest }) => rest)(run.mobility);
      return { ...run, frames, queries, links, mobility };
    }),
  };
}

export const RUNS_FOLDER = "runs";
export const FAILED_FOLDER = "failed";
export const runsDir = (outDir: string): string => join(outDir, RUNS_FOLDER);
export const failedDir = (outDir: string): string => join(outDir, FAILED_FOLDER);

/** A file of an output folder that cannot be trusted: it is reported by name, and its run is run again (or counted missing). */
export interface DamagedFile {
  file: string;
  reason: string;
}

/**
 * The finished runs of an output folder: the runs/<id>.json that parse and are records of this
 * sweep and of that id. Anything else there — cut short by a full disk or a killed writer of an
 * older version, edited, of another sweep — is damaged: listed with why, never read as results.
 */
export function scanRunFolder(outDir: string, sweepHash: string): { finished: Set<string>; damaged: DamagedFile[] } {
  const dir = runsDir(outDir);
  const finished = new Set<string>();
  const damaged: DamagedFile[] = [];
  if (!existsSync(dir)) return { finished, damaged };
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const id = name.slice(0, -".json".length);
    const file = join(dir, name);
    const record = parseRunRecord(file, id, sweepHash);
    if (typeof record === "string") damaged.push({ file, reason: record });
    else finished.add(id);
  }
  return { finished, damaged };
}

/** The record of run `id` in an output folder (one scanRunFolder found whole); throws if it was damaged since. */
export function readRunRecord(outDir: string, id: string, sweepHash: string): RunRecord {
  const file = join(runsDir(outDir), `${id}.json`);
  const record = parseRunRecord(file, id, sweepHash);
  if (typeof record === "string") throw new InputError(file, [{ path: "", value: file, expected: `a whole run record (${record})` }]);
  return record;
}

/** The record in `file`, or why it is not a record of run `id` of this sweep. */
function parseRunRecord(file: string, id: string, sweepHash: string): RunRecord | string {
  const json = parseJsonFile(file);
  if (!json.ok) return json.reason;
  const record = json.value as Partial<RunRecord> | null;
  if (record === null || typeof record !== "object" || Array.isArray(record)) return "it is not a JSON object";
  if (record.schema !== RUN_SCHEMA) return `its schema is ${JSON.stringify(record.schema)}, not "${RUN_SCHEMA}"`;
  if (record.sweepHash !== sweepHash) return `its sweepHash ${JSON.stringify(record.sweepHash)} is not this sweep's (${sweepHash})`;
  if (record.id !== id) return `its id ${JSON.stringify(record.id)} is not the file's name`;
  if (!Array.isArray(record.results?.runs)) return "it has no results";
  return record as RunRecord;
}

/** The failure records of an output folder; a damaged one is listed, not trusted (its run is tried again anyway). */
export function readFailures(outDir: string): { failures: FailureRecord[]; damaged: DamagedFile[] } {
  const dir = failedDir(outDir);
  const failures: FailureRecord[] = [];
  const damaged: DamagedFile[] = [];
  if (!existsSync(dir)) return { failures, damaged };
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const file = join(dir, name);
    const json = parseJsonFile(file);
    const record = (json.ok ? json.value : null) as Partial<FailureRecord> | null;
    if (!json.ok) damaged.push({ file, reason: json.reason });
    else if (record === null || typeof record !== "object" || record.id !== name.slice(0, -".json".length) || typeof record.error !== "string") {
      damaged.push({ file, reason: "it is not a failure record of the run its name says" });
    } else failures.push(record as FailureRecord);
  }
  return { failures, damaged };
}

function parseJsonFile(file: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, reason: `it cannot be read: ${describeCause(error)}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `it is not valid JSON, perhaps cut short (${(error as Error).message})` };
  }
}
