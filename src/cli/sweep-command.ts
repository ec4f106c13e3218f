import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { InputError, SimulationError } from "../errors.js";
import { kubernetesIndexedJob, slurmArrayScript } from "../sweep/emit-cluster.js";
import { setPointer } from "../sweep/json-pointer.js";
import { checkAllowExec, codeNamedIn, type NamedCode } from "../schedulers/named-code.js";
import { loadSweepFile } from "../sweep/load-sweep.js";
import { resolveMaxEvents } from "../run/work-estimate.js";
import { checkOutputTargets } from "../io/output-targets.js";
import { folderRunSource, readPlanFile, SUMMARY_FILES, SWEEP_FILES, SWEEP_FOLDERS } from "../sweep/output-folder.js";
import type { SweepPlan } from "../sweep/plan-types.js";
import { runSweep, writeSummaryFiles } from "../sweep/run-sweep.js";
import { parseShard } from "../sweep/shard.js";
import { buildSummary, type SweepSummary } from "../sweep/summary.js";
import { writeStdout } from "./stdout.js";

export interface SweepArgs {
  sweep: string;
  jobs?: number;
  out?: string;
  shard?: string;
  emit?: string;
  shards?: number;
  image?: string;
  "results-dir"?: string;
  charts?: boolean;
  allowExec?: boolean;
  maxEvents?: number;
  /** Print only the paths written (the summary files and chart folder, or a shard's folder). */
  quiet?: boolean;
}

export interface MergeArgs {
  dirs: string[];
  out?: string;
  charts?: boolean;
  quiet?: boolean;
}

export const EMIT_TARGETS = ["k8s", "slurm"] as const;

/** `simulate sweep`: run (or emit cluster jobs for) a sweep; exit 1 when any run failed, after all the others ran. */
export async function sweepCommand(args: SweepArgs): Promise<void> {
  const jobs = args.jobs ?? availableParallelism();
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new InputError("--jobs", [{ path: "", value: args.jobs, expected: "a whole number of worker threads, at least 1" }]);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  const maxEvents = resolveMaxEvents(args.maxEvents);
  if (args.emit !== undefined && !(EMIT_TARGETS as readonly string[]).includes(args.emit)) {
    throw new InputError("--emit", [{ path: "", value: args.emit, expected: `one of ${EMIT_TARGETS.join(", ")}` }]);
  }
  const plan = loadSweepFile(args.sweep);
  // Before emitting too: a cluster job would run the same agents, and passes the flag on.
  const code = codeInSweep(plan);
  checkAllowExec(code, args.allowExec, args.sweep);
  if (args.emit !== undefined) {
    await emitClusterJob(plan, { ...args, allowExec: code.length > 0 });
    return;
  }
  const outDir = resolve(args.out ?? join("reports", "sweeps", plan.name, ...(shard === undefined ? [] : [`shard-${shard.index}`])));
  checkOutputTargets({
    dir: outDir,
    flag: args.out === undefined ? "output folder" : "--out",
    files: SWEEP_FILES,
    folders: SWEEP_FOLDERS,
    inputs: [{ what: "sweep file", file: resolve(args.sweep) }],
  });
  const report = await runSweep(plan, { outDir, jobs, shard, progress: process.stderr, maxEvents });
  const failed = report.failed.length;
  if (!args.quiet) await writeStdout(`${plan.name}: ${report.total} runs: ran ${report.ran}, skipped ${report.skipped} already done, ${failed} failed\n`);
  if (report.summary !== undefined) await finishSummary(report.summary, outDir, args.charts !== false, args.quiet === true);
  else if (shard !== undefined)
    await writeStdout(args.quiet ? `${outDir}\n` : `shard ${shard.index}/${shard.count} written to ${outDir}; combine the shards with: simulate merge <shard folders...> --out DIR\n`);
  if (failed > 0)
    throw new SimulationError(
      `${failed} of ${report.ran} runs failed (coordinates, seed and error in ${join(outDir, "failed")}); the rest are in the summary. Run the sweep again to retry only them.`,
    );
}

/**
 * What the sweep's runs would execute (external agents; module entries are refused when the sweep
 * loads), over every cell, each entry once: the base with each cell's values written in.
 */
function codeInSweep(plan: SweepPlan): NamedCode[] {
  const found = new Map<string, NamedCode>();
  for (const cell of plan.cells) {
    const document = structuredClone(plan.base);
    for (const axis of plan.axes) setPointer(document, axis.tokens, cell.values[axis.name]);
    for (const code of codeNamedIn(document, plan.baseDir)) found.set(`${code.path} ${code.runs}`, code);
  }
  return [...found.values()];
}

/** `simulate merge`: one summary from shard folders of the same sweep. */
export async function mergeCommand(args: MergeArgs): Promise<void> {
  const dirs = args.dirs.map((dir) => resolve(dir));
  const plans = dirs.map(readPlanFile);
  const plan = plans[0];
  plans.forEach((other, i) => {
    if (other.hash !== plan.hash) {
      throw new InputError(dirs[i], [{ path: "sweep.json", value: other.hash, expected: `the same sweep as ${dirs[0]} (hash ${plan.hash})` }]);
    }
  });
  const outDir = resolve(args.out ?? dirs[0]);
  // merge writes only the summary and its charts; the shards' runs are its inputs.
  checkOutputTargets({ dir: outDir, flag: args.out === undefined ? "output folder" : "--out", files: SUMMARY_FILES, folders: ["charts"], inputs: [] });
  const source = folderRunSource(dirs, plan.hash);
  for (const damaged of source.damaged) process.stderr.write(`damaged file ${damaged.file}: ${damaged.reason}; not trusted, its run counts as missing\n`);
  const summary = buildSummary(plan, source);
  if (!args.quiet)
    await writeStdout(`${plan.name}: merged ${dirs.length} folder(s): ${summary.runs.completed} of ${summary.runs.planned} runs, ${summary.runs.failed} failed, ${summary.runs.missing} missing\n`);
  await finishSummary(summary, outDir, args.charts !== false, args.quiet === true);
  if (summary.runs.failed + summary.runs.missing > 0) {
    throw new SimulationError(`${summary.runs.failed} runs failed and ${summary.runs.missing} are missing: rerun the shards that lack them (finished runs are skipped), then merge again`);
  }
}

/** Writes the summary files and charts; quiet prints only their paths (the chart folder when charts were drawn). */
async function finishSummary(summary: SweepSummary, outDir: string, charts: boolean, quiet: boolean): Promise<void> {
  writeSummaryFiles(outDir, summary);
  const summaryFiles = [join(outDir, "summary.json"), join(outDir, "summary.csv")];
  await writeStdout(quiet ? summaryFiles.map((file) => `${file}\n`).join("") : `wrote ${summaryFiles[0]} and summary.csv\n`);
  if (!charts) return;
  // Loaded only when charts are drawn (see runCommand in main.ts).
  const { writeSweepCharts } = await import("../sweep/write-sweep-charts.js");
  const drawn = await writeSweepCharts(summary, outDir);
  if (quiet) {
    await writeStdout(`${join(outDir, "charts")}\n`);
    return;
  }
  await writeStdout(`${drawn.skipped.map((skip) => `skipped ${skip.id}: ${skip.reason}\n`).join("")}drew ${drawn.drawn.length} chart(s) into ${join(outDir, "charts")}\n`);
}

async function emitClusterJob(plan: SweepPlan, args: SweepArgs): Promise<void> {
  const shards = args.shards ?? 4;
  if (!(Number.isInteger(shards) && shards >= 1)) throw new InputError("--shards", [{ path: "", value: args.shards, expected: "a whole number of shards, at least 1" }]);
  const options = {
    name: plan.name,
    sweepPath: args.sweep,
    shards,
    image: args.image ?? "continuum-sim:latest",
    // Without --jobs, each shard uses one CPU: the cluster, not the pod, provides the parallelism.
    jobs: args.jobs ?? 1,
    resultsDir: args["results-dir"] ?? `/results/${plan.name}`,
    allowExec: args.allowExec,
    maxEvents: args.maxEvents,
  };
  await writeStdout(args.emit === "k8s" ? kubernetesIndexedJob(options) : slurmArrayScript(options));
}
