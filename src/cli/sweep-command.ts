import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError, SimulationError } from "../errors.js";
import { type ClusterJobOptions, DEFAULT_SHARD_JOBS, EMIT_TARGETS, DEFAULT_SHARDS, EXAMPLE_IMAGE, INSTALLED_BIN, pathInImage, safeName } from "../sweep/emit-cluster.js";
import { SLURM_CONTAINERS, type SlurmContainer, slurmArrayScript, slurmResultsDir } from "../sweep/emit-slurm.js";
import { setPointer } from "../sweep/json-pointer.js";
import { checkAllowExec, codeNamedIn, type NamedCode } from "../schedulers/named-code.js";
import { loadSweepFile } from "../sweep/load-sweep.js";
import { resolveMaxEvents } from "../run/work-estimate.js";
import { checkOutputTargets } from "../io/output-targets.js";
import { folderRunSource, PLAN_FILE, readPlanFile, SUMMARY_FILES, SWEEP_FILES, SWEEP_FOLDERS } from "../sweep/output-folder.js";
import type { SweepPlan } from "../sweep/plan-types.js";
import { runSweep, writeSummaryFiles } from "../sweep/run-sweep.js";
import { resolveJobs } from "../sweep/jobs.js";
import { parseShard } from "../sweep/shard.js";
import { buildSummary, type SweepSummary } from "../sweep/summary.js";
import { printOptions, type PrintOptions } from "../report/print.js";
import { loadChartStack } from "./chart-stack.js";
import { writeStdout } from "./stdout.js";

export interface SweepArgs {
  sweep: string;
  jobs?: number;
  out?: string;
  shard?: string;
  emit?: string;
  shards?: number;
  image?: string;
  container?: string;
  "results-dir"?: string;
  charts?: boolean;
  /** --width and --dpi of the sweep charts (src/report/print.ts). */
  width?: string;
  dpi?: number;
  allowExec?: boolean;
  maxEvents?: number;
  /** Print only the paths written (the summary files and chart folder, or a shard's folder). */
  quiet?: boolean;
}

export interface MergeArgs {
  dirs: string[];
  out?: string;
  charts?: boolean;
  width?: string;
  dpi?: number;
  quiet?: boolean;
}

/** `simulate sweep`: run (or emit cluster jobs for) a sweep; exit 1 when any run failed, after all the others ran. */
export async function sweepCommand(args: SweepArgs): Promise<void> {
  const jobs = resolveJobs(args.jobs);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  const maxEvents = resolveMaxEvents(args.maxEvents);
  // Checked before any run: a bad --width must not cost the whole sweep first.
  const print = printOptions(args);
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
  if (report.summary !== undefined) await finishSummary(report.summary, outDir, args.charts !== false ? print : null, args.quiet === true);
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
  // A shard that never started leaves no folder (or one without its plan): it is named and its runs
  // count as missing, so a cluster's merge step reports the lost shard instead of refusing to merge.
  const print = printOptions(args);
  const given = args.dirs.map((dir) => resolve(dir));
  const empty = given.filter((dir) => !existsSync(join(dir, PLAN_FILE)));
  const dirs = given.filter((dir) => !empty.includes(dir));
  if (dirs.length === 0) readPlanFile(given[0]);
  const plans = dirs.map(readPlanFile);
  const plan = plans[0];
  plans.forEach((other, i) => {
    if (other.hash !== plan.hash) {
      throw new InputError(dirs[i], [{ path: "sweep.json", value: other.hash, expected: `the same sweep as ${dirs[0]} (hash ${plan.hash})` }]);
    }
  });
  for (const dir of empty) process.stderr.write(`no shard output in ${dir} (no ${PLAN_FILE}): that shard did not run; its runs count as missing\n`);
  const outDir = resolve(args.out ?? dirs[0]);
  // merge writes only the summary and its charts; the shards' runs are its inputs.
  checkOutputTargets({ dir: outDir, flag: args.out === undefined ? "output folder" : "--out", files: SUMMARY_FILES, folders: ["charts"], inputs: [] });
  const source = folderRunSource(dirs, plan.hash);
  for (const damaged of source.damaged) process.stderr.write(`damaged file ${damaged.file}: ${damaged.reason}; not trusted, its run counts as missing\n`);
  const summary = buildSummary(plan, source);
  if (!args.quiet)
    await writeStdout(`${plan.name}: merged ${dirs.length} folder(s): ${summary.runs.completed} of ${summary.runs.planned} runs, ${summary.runs.failed} failed, ${summary.runs.missing} missing\n`);
  await finishSummary(summary, outDir, args.charts !== false ? print : null, args.quiet === true);
  if (summary.runs.failed + summary.runs.missing > 0) {
    const lost = empty.length === 0 ? "" : ` (no output at all in ${empty.join(", ")})`;
    throw new SimulationError(`${summary.runs.failed} runs failed and ${summary.runs.missing} are missing${lost}: rerun the shards that lack them (finished runs are skipped), then merge again`);
  }
}

/** Writes the summary files and the charts (unless `charts` is null: --no-charts); quiet prints only their paths (the chart folder when charts were drawn). */
async function finishSummary(summary: SweepSummary, outDir: string, charts: PrintOptions | null, quiet: boolean): Promise<void> {
  writeSummaryFiles(outDir, summary);
  const summaryFiles = [join(outDir, "summary.json"), join(outDir, "summary.csv")];
  await writeStdout(quiet ? summaryFiles.map((file) => `${file}\n`).join("") : `wrote ${summaryFiles[0]} and summary.csv\n`);
  if (charts === null) return;
  // Loaded only when charts are drawn (see runCommand in main.ts).
  await loadChartStack();
  const { writeSweepCharts } = await import("../sweep/write-sweep-charts.js");
  const drawn = await writeSweepCharts(summary, outDir, charts);
  // A chart drawn with warnings is drawn, but the user should know (as `simulate fit` and `report` say).
  for (const warning of drawn.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (quiet) {
    await writeStdout(`${join(outDir, "charts")}\n`);
    return;
  }
  await writeStdout(`${drawn.skipped.map((skip) => `skipped ${skip.id}: ${skip.reason}\n`).join("")}drew ${drawn.drawn.length} chart(s) into ${join(outDir, "charts")}\n`);
}

async function emitClusterJob(plan: SweepPlan, args: SweepArgs): Promise<void> {
  const shards = args.shards ?? DEFAULT_SHARDS;
  if (!(Number.isInteger(shards) && shards >= 1)) throw new InputError("--shards", [{ path: "", value: args.shards, expected: "a whole number of shards, at least 1" }]);
  if (args.container !== undefined && !(args.emit === "slurm" && (SLURM_CONTAINERS as readonly string[]).includes(args.container))) {
    throw new InputError("--container", [{ path: "", value: args.container, expected: `with --emit slurm, one of ${SLURM_CONTAINERS.join(", ")} (Kubernetes always runs the image)` }]);
  }
  const containerised = args.emit === "k8s" || args.container !== undefined;
  if (containerised && args.image === undefined) {
    throw new InputError("--image", [{ path: "", value: undefined, expected: `the image built from the Dockerfile and pushed where the cluster pulls from, e.g. --image ${EXAMPLE_IMAGE}` }]);
  }
  if (!containerised && args.image !== undefined) {
    throw new InputError("--image", [{ path: "", value: args.image, expected: "no image without --container: the Slurm job runs this installation's node and dist/cli/bin.cjs" }]);
  }
  const options: Omit<ClusterJobOptions, "sweepPath" | "resultsDir"> = {
    name: plan.name,
    shards,
    jobs: args.jobs ?? DEFAULT_SHARD_JOBS,
    allowExec: args.allowExec,
    maxEvents: args.maxEvents,
    charts: args.charts !== false,
  };
  // In an image the sweep is the image's copy (refused when the image has none); otherwise this file, by absolute path.
  const sweepPath = containerised ? pathInImage(args.sweep, plan, `--emit ${args.emit}`) : resolve(args.sweep);
  if (args.emit === "k8s") {
    // Loaded only here: the YAML writer is no start-up cost for the other commands.
    const { kubernetesManifests, kubernetesName, kubernetesResultsDir } = await import("../sweep/emit-k8s.js");
    const image = args.image as string;
    await writeStdout(kubernetesManifests({ ...options, image, sweepPath, resultsDir: args["results-dir"] ?? kubernetesResultsDir(kubernetesName(plan.name)) }));
    return;
  }
  const runner = args.container === undefined ? { node: process.execPath, bin: INSTALLED_BIN } : { container: args.container as SlurmContainer, image: args.image as string };
  await writeStdout(slurmArrayScript({ ...options, sweepPath, runner, resultsDir: args["results-dir"] ?? slurmResultsDir(safeName(plan.name)) }));
}
