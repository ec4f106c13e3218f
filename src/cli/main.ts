import { resolve } from "node:path";
import yargs from "yargs";
import { InputError, SimulationError } from "../errors.js";
import { parseDuration, TIME_UNIT_LIST } from "../random/duration.js";
import { readScenarioJson } from "../scenario/resolve.js";
import { commandLineProblem, explainUsageError } from "./command-line.js";
import { DEFAULT_MAX_EVENTS } from "../run/work-estimate.js";
import { SIMULATOR_VERSION } from "../version.js";
import { loadChartStack } from "./chart-stack.js";
import type { FitArgs } from "./fit-command.js";
import { OutputError, describeCause, isSystemError } from "../io/output-error.js";
import { printOptions } from "../report/print.js";
import type { ReportArgs } from "./report-command.js";
import type { Results } from "../metrics/results-schema.js";
import { runScenarioFile } from "../run/run-scenario.js";
import { checkReplications, MIN_REPLICATIONS } from "../run/replication-count.js";
import { resolveJobs } from "../sweep/jobs.js";
import { runSummaryJson } from "./run-json.js";
import { writeStdout } from "./stdout.js";
import type { MergeArgs, SweepArgs } from "./sweep-command.js";
import { DEFAULT_SHARD_JOBS, DEFAULT_SHARDS, EMIT_TARGETS } from "../sweep/emit-cluster.js";
import { formatSummary } from "./summary.js";

/** Exit codes: 0 ok, 1 simulation error, 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_SIMULATION_ERROR = 1;
export const EXIT_BAD_INPUT = 2;

interface RunArgs {
  scenario: string;
  seed?: number | string;
  duration?: string;
  out?: string;
  tasks?: string;
  quiet?: boolean;
  json?: boolean;
  report?: boolean;
  /** --width and --dpi of the --report charts (see PRINT_OPTIONS). */
  width?: string;
  dpi?: number;
  /** Run module and external policies named in the scenario (a scenario that names code is code). */
  allowExec?: boolean;
  /** Refuse a run whose estimated event count is above this (default DEFAULT_MAX_EVENTS). */
  maxEvents?: number;
  /** --replications N: N seeds derived from the master seed, on --jobs threads (src/run/replications.ts). */
  replications?: number;
  jobs?: number;
}

/** --max-events, the same for a run, a sweep and validate (the default is stated once, in work-estimate.ts). */
const MAX_EVENTS_OPTION = { type: "number", describe: `Refuse a run estimated to need more events than this (default ${DEFAULT_MAX_EVENTS.toExponential()}, about an hour)` } as const;

/** --quiet, one meaning for every command: print only what a script needs, the paths written or the ids listed. */
const QUIET_OPTION = {
  type: "boolean",
  describe: "Print only what a script needs: the paths written (run, sweep, merge, report, fit), the ids (profiles), nothing on success (validate)",
} as const;

/** --width and --dpi, the same for `report` and a run's --report (defaults and checks in src/report/print.ts). */
const WIDTH_OPTION = {
  type: "string",
  describe: "Print width to lay the charts out for: column (3.3 in), double (7 in) or column,double (default column; double-width files are named <id>@double.*)",
} as const;
const DPI_OPTION = { type: "number", describe: "PNG resolution in dots per inch of the printed size, written into the PNG (default 300: a 3.3 in chart is 990 px wide)" } as const;

/** --json, for the commands a script reads (run, validate, profiles): one JSON value on stdout in place of the text; the shapes are in README "Commands". */
const JSON_OPTION = { type: "boolean", describe: "Print one JSON value on stdout instead of the text (for scripts)" } as const;

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const early = commandLineProblem(argv);
  if (early !== undefined) return usageFailure(early);
  // Handlers only record what to do: yargs checks unknown options after a command's handler has
  // run, so nothing may start (or write) until the whole command line has been checked.
  let pending: (() => void | Promise<void>) | undefined;
  const guard = (action: () => void | Promise<void>): void => {
    pending = action;
  };
  let usageError: string | undefined;
  let knownOptions: string[] = [];
  const parser = yargs(argv)
    .scriptName("simulate")
    .usage("$0 <scenario.json> [options]\n\nDeterministic discrete-event simulation of edge-AI inference on the edge-to-cloud continuum.")
    .command<RunArgs>(
      ["$0 <scenario>", "run <scenario>"],
      "Simulate a scenario (frames, queries or both) with every policy entry it lists; print the tables and write results.json.",
      (y) =>
        y
          .positional("scenario", { type: "string", describe: "Scenario JSON file", demandOption: true })
          .option("seed", { type: "string", describe: "Master seed (overrides the scenario's seed)" })
          .option("duration", { type: "string", describe: 'Simulated time (overrides the scenario), e.g. "10 min"' })
          .option("out", { type: "string", describe: "Output folder (default reports/<scenario name>)" })
          .option("tasks", { type: "string", describe: "Also stream one CSV row per measured job (frames and queries) to this file" })
          .option("quiet", QUIET_OPTION)
          .option("json", JSON_OPTION)
          .option("report", { type: "boolean", describe: "Also draw the charts and index.html into the output folder (see 'simulate report')" })
          .option("width", WIDTH_OPTION)
          .option("dpi", DPI_OPTION)
          .option("allow-exec", { type: "boolean", describe: "Allow the scenario to run code it names (module and external policies); see docs/reliability.md" })
          .option("max-events", MAX_EVENTS_OPTION)
          .option("replications", {
            type: "number",
            describe: `Run N replications (N >= ${MIN_REPLICATIONS}), seeds derived from the master seed as a sweep's; results.json gains every figure's mean and 95% interval, runs[] is replication 0's`,
          })
          .option("jobs", { type: "number", describe: "With --replications: threads that simulate (default: all cores)" })
          .example("$0 scenarios/edge-ai-testbed.json", "Run the published testbed with all its policies")
          .example("$0 scenarios/edge-ai-testbed.json --seed 7 --duration '2 min' --out out/", "Another seed, shorter, elsewhere")
          .example("$0 scenarios/edge-ai-testbed.json --report", "Run, then write charts/ and index.html beside results.json")
          .example("$0 scenarios/edge-ai-testbed.json --replications 10 --jobs 2", "Ten replications on two cores, with 95% intervals"),
      (args) => guard(() => blameOverrides(args, () => runCommand(args))),
    )
    .command<{ scenario: string; maxEvents?: number; quiet?: boolean; json?: boolean }>(
      "validate <scenario>",
      "Check a scenario file and its hardware profiles without simulating.",
      (y) =>
        y
          .positional("scenario", { type: "string", describe: "Scenario JSON file", demandOption: true })
          .option("max-events", MAX_EVENTS_OPTION)
          .option("quiet", QUIET_OPTION)
          .option("json", JSON_OPTION)
          .example("$0 validate scenarios/edge-ai-testbed.json", "Prints 'ok' or every problem with its JSON path"),
      (args) => guard(async () => (await import("./info-commands.js")).validateCommand(args.scenario, () => readScenarioDocument(args.scenario), args.maxEvents, args)),
    )
    .command<{ spec: string; n: number; seed: string; quiet?: boolean }>(
      "sample <spec>",
      "Print N draws of a distribution spec, one per line, in milliseconds.",
      (y) =>
        y
          .positional("spec", { type: "string", describe: "Distribution spec as JSON (or a duration)", demandOption: true })
          .option("n", { type: "number", default: 10, describe: "Number of draws" })
          .option("seed", { type: "string", default: "1", describe: "Seed" })
          .option("quiet", QUIET_OPTION)
          .example(`$0 sample '{"dist":"exponential","mean":"20 ms"}' -n 5`, "Five exponential draws")
          .example(`$0 sample '{"preset":"5g-stable-calibrated"}' -n 100000 --seed 3`, "The calibrated 5G link jitter"),
      (args) => guard(async () => (await import("./info-commands.js")).sampleCommand(args.spec, args.n, args.seed)),
    )
    .command<ReportArgs>(
      "report <results>",
      "Draw the charts (Vega-Lite, SVG, PNG) and a self-contained index.html from a results file, without simulating.",
      (y) =>
        y
          .positional("results", { type: "string", describe: "results.json written by a run", demandOption: true })
          .option("out", { type: "string", describe: "Output folder (default: the results file's folder)" })
          .option("format", { type: "string", describe: "Comma-separated: svg, png, pdf, html (default svg,png,html; .vl.json is always written)" })
          .option("width", WIDTH_OPTION)
          .option("dpi", DPI_OPTION)
          .option("quiet", QUIET_OPTION)
          .example("$0 report reports/edge-ai-testbed/results.json", "Writes charts/*.vl.json|svg|png and index.html next to it")
          .example("$0 report results.json --out figs/ --format svg", "Only the SVGs, into figs/charts/")
          .example("$0 report results.json --format pdf --width column,double", "Vector PDFs at one and two column widths: charts/<id>.pdf and charts/<id>@double.pdf"),
      (args) =>
        guard(async () => {
          await loadChartStack();
          return (await import("./report-command.js")).reportCommand(args);
        }),
    )
    .command<SweepArgs>(
      "sweep <sweep>",
      "Run a parameter sweep (cells x replications) on worker threads; resumable; writes runs/, summary.json|csv and charts. See docs/sweeps.md.",
      (y) =>
        y
          .positional("sweep", { type: "string", describe: "Sweep JSON file", demandOption: true })
          .option("jobs", { type: "number", describe: "Worker threads (default: all cores)" })
          .option("out", { type: "string", describe: "Output folder (default reports/sweeps/<name>[/shard-K])" })
          .option("shard", { type: "string", describe: "Run only slice K of N, written K/N, K 0-based (0/3, 1/3, 2/3); combine with 'simulate merge'" })
          .option("emit", { type: "string", choices: [...EMIT_TARGETS], describe: "Print a cluster job instead of running: k8s (Indexed Job) or slurm (job array)" })
          .option("shards", { type: "number", describe: `With --emit: number of shards (default ${DEFAULT_SHARDS}; each runs --jobs workers, default ${DEFAULT_SHARD_JOBS})` })
          .option("image", { type: "string", describe: "With --emit k8s or --container: the image built from the Dockerfile (required there)" })
          .option("container", { type: "string", describe: "With --emit slurm: run each shard in the image through apptainer or singularity (default: this installation's node and dist/cli/bin.cjs)" })
          .option("results-dir", { type: "string", describe: "With --emit: results folder (default: slurm sweep-results/<name> under the submit folder; k8s /results/<job> on the volume)" })
          .option("charts", { type: "boolean", default: true, describe: "Draw the sweep charts (--no-charts to skip)" })
          .option("width", WIDTH_OPTION)
          .option("dpi", DPI_OPTION)
          .option("allow-exec", { type: "boolean", describe: "Allow the sweep's scenario to run code it names; see docs/reliability.md" })
          .option("max-events", MAX_EVENTS_OPTION)
          .option("quiet", QUIET_OPTION)
          .example("$0 sweep sweeps/devices-vs-scheduler.json --jobs 2", "Run on 2 cores; run it again after an interruption to finish it")
          .example("$0 sweep sweeps/devices-vs-scheduler.json --shard 0/3 --out out/shard-0", "The first of three slices")
          .example("$0 sweep sweeps/devices-vs-scheduler.json --emit slurm --shards 8 > sweep.sh && bash sweep.sh", "A Slurm job array of 8 shards and its merge")
          .example(
            "$0 sweep sweeps/devices-vs-scheduler.json --emit k8s --shards 8 --image REGISTRY/continuum-sim:VERSION > sweep.yaml",
            "Kubernetes: the volume claim, an Indexed Job of 8 shards, the merge Job",
          ),
      (args) => guard(async () => (await import("./sweep-command.js")).sweepCommand(args)),
    )
    .command<MergeArgs>(
      "merge <dirs...>",
      "Combine the output folders of a sweep's shards into one summary.json|csv and charts.",
      (y) =>
        y
          .positional("dirs", { type: "string", array: true, describe: "Shard output folders", demandOption: true })
          .option("out", { type: "string", describe: "Output folder (default: the first folder)" })
          .option("charts", { type: "boolean", default: true, describe: "Draw the sweep charts (--no-charts to skip)" })
          .option("width", WIDTH_OPTION)
          .option("dpi", DPI_OPTION)
          .option("quiet", QUIET_OPTION)
          .example("$0 merge out/shard-0 out/shard-1 out/shard-2 --out out/merged", "One summary from three shards"),
      (args) => guard(async () => (await import("./sweep-command.js")).mergeCommand(args)),
    )
    .command<FitArgs>(
      "fit <file>",
      "Fit stable, lognormal, gamma, exponential and empirical laws to measured latencies; print AIC and KS, write fit.json and CDF/QQ charts. See docs/fitting.md.",
      (y) =>
        y
          .positional("file", { type: "string", describe: "CSV or whitespace table with a header, or raw ping output (column time)", demandOption: true })
          .option("column", { type: "string", demandOption: true, describe: "Column to fit (a header name; delay matches delay(ms))" })
          .option("unit", { type: "string", describe: "Unit of the column's numbers (default ms; ping output carries its own)" })
          .option("dist", { type: "string", describe: "Comma-separated families (default stable,lognormal,gamma,exponential,empirical)" })
          .option("out", { type: "string", describe: "Output folder (default reports/fit/<file name>)" })
          .option("max-samples", { type: "number", describe: "Samples used for the likelihoods, a seeded subset beyond it (default 20000)" })
          .option("quiet", QUIET_OPTION)
          .example("$0 fit ping.txt --column time", "Fit the round-trip times of a ping log")
          .example("$0 fit trace.txt --column delay --dist stable,lognormal --out fits/", "Two families, into fits/"),
      (args) =>
        guard(async () => {
          await loadChartStack();
          return (await import("./fit-command.js")).fitCommand(args);
        }),
    )
    .command<{ quiet?: boolean; json?: boolean }>(
      "profiles",
      "List the hardware profiles shipped with the simulator.",
      (y) =>
        y
          .option("quiet", QUIET_OPTION)
          .option("json", JSON_OPTION)
          .example("$0 profiles", "One line per profile: id, role, accelerator, models")
          .example("$0 profiles --json", "The list as JSON: id, name, role, accelerator, models, llm paths and their models"),
      (args) => guard(async () => (await import("./info-commands.js")).profilesCommand(args)),
    )
    .strict()
    .help()
    .alias("help", "h")
    .version("version", "Print the version (continuum-sim <version>)", `continuum-sim ${SIMULATOR_VERSION}`)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error, usage) => {
      if (error !== undefined && error !== null) throw error;
      usageError = message;
      knownOptions = Object.keys((usage as unknown as { getDescriptions(): Record<string, unknown> }).getDescriptions());
    });
  skipHelpCache(parser);
  await parser.parseAsync();
  if (usageError !== undefined) return usageFailure(explainUsageError(usageError, knownOptions, argv));
  return pending === undefined ? EXIT_OK : runGuarded(pending);
}

/** What skipHelpCache reaches inside yargs (18.x; not in its published types). */
interface YargsUsageInternals {
  getInternalMethods?: () => { getUsageInstance(): { cacheHelpMessage?: () => void } };
}

/**
 * yargs renders a named command's whole help text (cliui, string-width: some 50-90 ms of a 0.5 s
 * run) after its handler, only so that a later showHelp() can print it. This CLI never does: its
 * fail() prints one line and points at --help, which yargs renders afresh. So the cache is skipped.
 */
function skipHelpCache(parser: object): void {
  const usage = (parser as YargsUsageInternals).getInternalMethods?.().getUsageInstance();
  if (usage?.cacheHelpMessage !== undefined) usage.cacheHelpMessage = () => {};
}

/**
 * A scenario made invalid by --duration or --seed is reported against the file, so say which
 * option changed it: `--duration "5 s"` can make the file's warm-up longer than the run.
 */
async function blameOverrides(args: RunArgs, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const given = [args.duration === undefined ? "" : `--duration ${JSON.stringify(args.duration)}`, args.seed === undefined ? "" : `--seed ${JSON.stringify(String(args.seed))}`].filter(Boolean);
    if (!(error instanceof InputError) || given.length === 0 || error.source !== args.scenario) throw error;
    throw new InputError(`${args.scenario} with ${given.join(" and ")} in place of the file's value${given.length > 1 ? "s" : ""}`, error.issues);
  }
}

function usageFailure(message: string): number {
  process.stderr.write(`simulate: ${message}\nRun 'simulate --help' for usage.\n`);
  return EXIT_BAD_INPUT;
}

async function runGuarded(action: () => void | Promise<void>): Promise<number> {
  try {
    await action();
    return EXIT_OK;
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof SimulationError) {
      process.stderr.write(`simulation error: ${error.message}\n`);
      return EXIT_SIMULATION_ERROR;
    }
    // An output refused before the work is bad input (exit 2); one that failed while writing means the run could not complete (exit 1).
    if (error instanceof OutputError) {
      process.stderr.write(error.kind === "target" ? `${error.message}\n` : `output error: ${error.message}\n`);
      return error.kind === "target" ? EXIT_BAD_INPUT : EXIT_SIMULATION_ERROR;
    }
    // A file-system failure outside the writers (reading, removing a stale chart) is the system's, not a bug: one line, no stack.
    if (isSystemError(error)) {
      process.stderr.write(`file-system error: ${error.syscall}${error.path === undefined ? "" : ` ${error.path}`}: ${describeCause(error)}\n`);
      return EXIT_SIMULATION_ERROR;
    }
    process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_SIMULATION_ERROR;
  }
}

interface Overrides {
  seed?: number | string;
  duration?: string;
}

/**
 * The scenario file, read and parsed once for everything a command does with it (which kind it is,
 * what code it names, resolving it), with --seed and --duration written into it; a bad --duration
 * is bad input under its own name.
 */
function readScenarioDocument(file: string, overrides: Overrides = {}): unknown {
  const document = readScenarioJson(file);
  if (overrides.duration !== undefined && parseDuration(overrides.duration) === undefined) {
    throw new InputError("--duration", [{ path: "", value: overrides.duration, expected: `a duration such as "10 min" or "500 s" (units: ${TIME_UNIT_LIST})` }]);
  }
  if (document !== null && typeof document === "object" && !Array.isArray(document)) {
    const fields = document as Record<string, unknown>;
    if (overrides.seed !== undefined) fields.seed = /^-?\d+$/.test(String(overrides.seed)) ? Number(overrides.seed) : overrides.seed;
    if (overrides.duration !== undefined) fields.duration = overrides.duration;
  }
  return document;
}

/** Under the tables of a replicated run: whose they are, and where the intervals went. */
function replicationNote(results: Results): string {
  const section = results.replications;
  if (section === undefined) return "";
  return `${section.seeds.length} replications of master seed ${section.masterSeed}: the tables are replication 0's (seed ${results.seed}); every figure's mean and 95% interval are in results.json "replications"\n`;
}

async function runCommand(args: RunArgs): Promise<void> {
  // Checked before simulating: a bad --width must not cost a whole run first.
  if (!args.report && (args.width !== undefined || args.dpi !== undefined)) {
    throw new InputError(args.width !== undefined ? "--width" : "--dpi", [
      { path: "", value: args.width ?? args.dpi, expected: "to be given with --report (it sets how the report's charts are drawn)" },
    ]);
  }
  const print = printOptions(args);
  if (args.jobs !== undefined && args.replications === undefined) {
    throw new InputError("--jobs", [{ path: "", value: args.jobs, expected: "to be given with --replications (one run simulates on one thread)" }]);
  }
  const replications = args.replications === undefined ? undefined : { count: checkReplications(args.replications), jobs: resolveJobs(args.jobs) };
  const document = readScenarioDocument(args.scenario, { seed: args.seed, duration: args.duration });
  const { results, outDir, resultsFile } = await runScenarioFile(args.scenario, document, { ...args, replications });
  // The files are written: a reader that has gone (EPIPE) only means nothing more is printed, and the report is still drawn.
  if (args.json) await writeStdout(`${JSON.stringify(runSummaryJson(results, resultsFile))}\n`);
  else if (args.quiet) await writeStdout(`${[resultsFile, ...(args.tasks ? [resolve(args.tasks)] : [])].join("\n")}\n`);
  else await writeStdout(`${formatSummary(results)}\n\n${replicationNote(results)}wrote ${resultsFile}${args.tasks ? ` and ${resolve(args.tasks)}` : ""}\n`);
  if (args.report) {
    // The chart stack (vega, vega-lite, resvg) is loaded only when charts are drawn: it costs a few hundred ms of every start.
    await loadChartStack();
    const [{ reportOutput }, { writeReport }] = await Promise.all([import("./report-command.js"), import("../report/write-report.js")]);
    const printed = reportOutput(await writeReport(results, outDir, undefined, print), outDir, args.quiet === true);
    // --quiet: the report's files after results.json, as `simulate report --quiet` prints them.
    if (!args.json) await writeStdout(printed);
  }
}
