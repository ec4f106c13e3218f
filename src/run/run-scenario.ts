import { dirname, join, resolve } from "node:path";
import { loadLlmScenario, QUERY_COLUMNS, queryRow } from "../cli/llm-command.js";
import { AtomicLineWriter, writeFileAtomic } from "../io/atomic-file.js";
import { checkOutputTargets, runOutputTargets } from "../io/output-targets.js";
import { isLlmScenario, resolveLlmScenario } from "../llm/resolve.js";
import { loadModuleRouters } from "../llm/routers/module-router.js";
import { simulateLlm } from "../llm/simulate-llm.js";
import { convertLlmResultsV1, convertResultsV1 } from "../metrics/legacy-results.js";
import type { Results } from "../metrics/results-schema.js";
import { resolveScenario, resolveScenarioFile } from "../scenario/resolve.js";
import { loadModulePolicies } from "../schedulers/module-policy.js";
import { checkAllowExec, codeNamedIn } from "../schedulers/named-code.js";
import { SCHEDULER_NAMES, SCHEDULER_OPTIONS } from "../schedulers/registry.js";
import type { TaskRecord } from "../world/edge-world.js";
import { simulate } from "./simulate.js";

/*
 * Scenario -> results@2, the one place that knows how. Until the one World lands (issue 13), a
 * scenario is run by the simulator of its kind (frames: src/run/simulate.ts; `"kind": "llm"`:
 * src/llm/simulate-llm.ts) and the results converted with the same pure functions that convert
 * old files on read (src/metrics/legacy-results.ts). The CLI run path and sweep runs call only
 * this file, so the one simulate replaces only it.
 */

/** Where a scenario document's relative paths and hardware profiles are looked up. */
export interface ScenarioPlace {
  profileDirs: string[];
  baseDir?: string;
}

/** Simulates a scenario document (built-in policies only, as a sweep run) and returns results@2. */
export function simulateScenarioDocument(document: unknown, where: ScenarioPlace, source: string, maxEvents: number | undefined): Results {
  if (isLlmScenario(document)) return convertLlmResultsV1(simulateLlm(resolveLlmScenario(document, where, source), { maxEvents }));
  return convertResultsV1(simulate(resolveScenario(document, { knownSchedulers: SCHEDULER_NAMES, ...where }, source), { maxEvents }));
}

export interface RunFileOptions {
  out?: string;
  /** Also stream one CSV row per measured job to this file. */
  tasks?: string;
  allowExec?: boolean;
  maxEvents?: number;
}

export interface ScenarioRun {
  results: Results;
  outDir: string;
  resultsFile: string;
}

const TASK_COLUMNS = ["sequence", "scheduler", "device", "node", "createdAt", "networkUp", "queueing", "preprocessing", "inference", "networkDown", "total", "violatedQos"];

/**
 * `simulate <scenario>`: resolves the scenario read from `file` (document: its parsed JSON, with
 * --seed and --duration applied), checks --allow-exec and the output targets, runs every policy
 * entry, writes `<out>/results.json` (results@2) and, with --tasks, the per-job CSV (committed
 * only after results.json is written).
 */
export async function runScenarioFile(file: string, document: unknown, options: RunFileOptions): Promise<ScenarioRun> {
  const baseDir = dirname(resolve(file));
  const llm = isLlmScenario(document);
  const scenario = llm ? loadLlmScenario(file, document as Record<string, unknown>) : resolveScenarioFile(file, document, { knownSchedulers: SCHEDULER_NAMES, schedulerOptions: SCHEDULER_OPTIONS });
  checkAllowExec(codeNamedIn(document, baseDir), options.allowExec, file);
  const outDir = resolve(options.out ?? join("reports", scenario.name));
  checkOutputTargets(runOutputTargets(file, outDir, options));
  let writer: AtomicLineWriter | undefined;
  try {
    if (options.tasks !== undefined) {
      writer = new AtomicLineWriter(resolve(options.tasks));
      writer.writeLine((llm ? QUERY_COLUMNS : TASK_COLUMNS).join(","));
    }
    const sink = writer;
    let results: Results;
    if ("routers" in scenario) {
      const moduleRouters = await loadModuleRouters(scenario.routers, baseDir);
      const querySink = sink === undefined ? undefined : (label: string) => (record: Parameters<typeof queryRow>[1]) => sink.writeLine(queryRow(label, record));
      results = convertLlmResultsV1(simulateLlm(scenario, { moduleRouters, maxEvents: options.maxEvents, source: file, querySink }));
    } else {
      const moduleFactories = await loadModulePolicies(scenario.schedulers, baseDir);
      const taskSink = sink === undefined ? undefined : (label: string) => (record: TaskRecord) => sink.writeLine(taskRow(label, record));
      results = convertResultsV1(simulate(scenario, { moduleFactories, maxEvents: options.maxEvents, source: file, taskSink }));
    }
    const resultsFile = join(outDir, "results.json");
    writeFileAtomic(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    writer?.commit();
    writer = undefined;
    return { results, outDir, resultsFile };
  } finally {
    writer?.abort();
  }
}

function taskRow(label: string, r: TaskRecord): string {
  return `${r.sequence},${label},${r.device},${r.node},${r.createdAt},${r.networkUp},${r.queueing},${r.preprocessing},${r.inference},${r.networkDown},${r.total},${r.violatedQos ? 1 : 0}`;
}
