import { dirname, join, resolve } from "node:path";
import { writeFileAtomic } from "../io/atomic-file.js";
import { CsvFileWriter } from "../io/csv-write.js";
import { checkOutputTargets, runOutputTargets } from "../io/output-targets.js";
import type { Results } from "../metrics/results-schema.js";
import { resolveScenario, resolveScenarioFile } from "../scenario/resolve.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";
import { loadModulePolicies, policyListKey } from "../schedulers/module-policy.js";
import { checkAllowExec, codeNamedIn } from "../schedulers/named-code.js";
import { jobColumns } from "./job-csv.js";
import { simulate } from "./simulate.js";
import { checkWork } from "./work-estimate.js";

/* Scenario -> results@2, the one place that knows how, for the CLI run path and sweep runs. */

/** Where a scenario document's relative paths and hardware profiles are looked up. */
export interface ScenarioPlace {
  profileDirs: string[];
  baseDir?: string;
}

/** Simulates a scenario document (built-in policies only, as a sweep run) and returns results@2. */
export function simulateScenarioDocument(document: unknown, where: ScenarioPlace, source: string, maxEvents: number | undefined): Results {
  const scenario = resolveScenario(document, where, source);
  checkWork(scenario, { maxEvents, source });
  return simulate(scenario);
}

export interface RunFileOptions {
  out?: string;
  /** Also stream one CSV row per measured job to this file. */
  tasks?: string;
  allowExec?: boolean;
  maxEvents?: number;
  /** --replications N (checked, N >= 2) on --jobs threads: runs[] is replication 0's and results gain `replications`. */
  replications?: { count: number; jobs: number };
}

export interface ScenarioRun {
  results: Results;
  outDir: string;
  resultsFile: string;
}

/** Resolves the scenario read from `file` (document: its parsed JSON, --seed and --duration applied) and refuses it if it cannot finish. */
export function resolveAndCheck(file: string, document: unknown, maxEvents: number | undefined): ResolvedScenario {
  const scenario = resolveScenarioFile(file, document);
  checkWork(scenario, { maxEvents, source: file });
  return scenario;
}

/**
 * `simulate <scenario>`: resolves the scenario, checks the work, --allow-exec and the output
 * targets, runs every policy entry, writes `<out>/results.json` (results@2) and, with --tasks,
 * the per-job CSV (committed only after results.json is written).
 */
export async function runScenarioFile(file: string, document: unknown, options: RunFileOptions): Promise<ScenarioRun> {
  const baseDir = dirname(resolve(file));
  let scenario = resolveAndCheck(file, document, options.maxEvents);
  checkAllowExec(codeNamedIn(document, baseDir), options.allowExec, file);
  const outDir = resolve(options.out ?? join("reports", scenario.name));
  checkOutputTargets(runOutputTargets(file, outDir, options));
  // Loaded only for --replications: the worker pool is no part of a plain run's start-up.
  const { replications } = options;
  const replicas = replications === undefined ? undefined : await import("./replications.js");
  const replication = replications === undefined ? undefined : replicas?.planReplications(file, document, scenario, { ...replications, maxEvents: options.maxEvents });
  if (replication !== undefined) scenario = resolveAndCheck(file, replication.firstDocument, options.maxEvents);
  let writer: CsvFileWriter | undefined;
  try {
    const columns = jobColumns(scenario.families);
    if (options.tasks !== undefined) writer = new CsvFileWriter(resolve(options.tasks), columns.header);
    const sink = writer;
    const listKey = policyListKey(document);
    const modules = await loadModulePolicies(scenario.policies, baseDir, listKey);
    const simulateFirst = (): Results =>
      simulate(scenario, {
        ...modules,
        taskSink: sink === undefined ? undefined : (label) => (record) => sink.row(columns.frameRow(label, record)),
        querySink: sink === undefined ? undefined : (label) => (record) => sink.row(columns.queryRow(label, record)),
      });
    const results = replicas === undefined || replication === undefined ? simulateFirst() : await replicas.runReplications(replication, simulateFirst);
    const resultsFile = join(outDir, "results.json");
    writeFileAtomic(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    writer?.commit();
    writer = undefined;
    return { results, outDir, resultsFile };
  } finally {
    writer?.abort();
  }
}
