/**
 * What the Slurm and Kubernetes job files of a sharded sweep share: the options, the shard command
 * (`simulate sweep <file> --shard K/N --out <results>/shard-K`), the merge command over every shard
 * folder K = 0..N-1 (listed one by one, so `simulate merge` names a shard that wrote nothing), and
 * where a sweep file lies inside the container image.
 */
import { relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../errors.js";
import { SIMULATOR_VERSION } from "../version.js";
import type { SweepPlan } from "./plan-types.js";

/** The cluster job files `simulate sweep --emit` can print (here, not in the command, so the CLI's option list needs no sweep code). */
export const EMIT_TARGETS = ["k8s", "slurm"] as const;
/** Shards when --shards is not given. */
export const DEFAULT_SHARDS = 4;
/** Worker threads (and CPUs) per shard when --jobs is not given: the cluster, not the pod, provides the parallelism. */
export const DEFAULT_SHARD_JOBS = 1;

/** The package's root: two levels above this module in src/sweep/, dist/sweep/ and the bundled CLI's dist/cli/ (scripts/bundle.mjs). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

/** Where the Dockerfile puts the package inside the image (its WORKDIR). */
export const IMAGE_ROOT = "/app";

/**
 * The package's folders the Dockerfile copies into the image (besides dist/): a sweep file and its
 * base scenario must lie in one of them for a container to find them (test/sweep/emit-dockerfile.test.ts
 * checks the Dockerfile copies each).
 */
export const IMAGE_FOLDERS = ["clients", "examples", "hardware-profiles", "scenarios", "schemas", "sweeps", "traces"] as const;

/** An example image name for messages: the package version as the tag, never `latest`. */
export const EXAMPLE_IMAGE = `registry.example.org/continuum-sim:${SIMULATOR_VERSION}`;

export interface ClusterJobOptions {
  /** Sweep name: names the jobs and the results folder. */
  name: string;
  /** The sweep file as the job sees it: an absolute host path (Slurm without a container) or a path under the image's /app. */
  sweepPath: string;
  shards: number;
  /** Worker threads per shard (= CPUs requested per pod / array task). */
  jobs: number;
  /** Where the shard folders go: relative to the submit folder (Slurm) or on the mounted volume (Kubernetes). */
  resultsDir: string;
  /** The sweep starts external agents and the user allowed it (--allow-exec): each shard passes the flag on. */
  allowExec?: boolean;
  /** --max-events as the user gave it to --emit: each shard must run under the same limit. */
  maxEvents?: number;
  /** false (--no-charts at emit time): the merge draws no charts either. */
  charts: boolean;
}

/** sh single-quoting: a path or name reaches the shell verbatim. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The sweep name reduced to what job names, file names and log names accept everywhere. */
export const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "sweep";

/**
 * The arguments after `<simulate> ` that run shard `index` (a shell word: "$SLURM_ARRAY_TASK_ID"
 * or "$JOB_COMPLETION_INDEX") into `<resultsDir>/shard-<index>`; `jobs` is a shell word too.
 */
export function shardArguments(options: ClusterJobOptions, index: string, jobs: string): string {
  const passedOn = `${options.allowExec === true ? " --allow-exec" : ""}${options.maxEvents === undefined ? "" : ` --max-events ${options.maxEvents}`}`;
  return `sweep ${shellQuote(options.sweepPath)} --shard "${index}/${options.shards}" --jobs ${jobs} --out ${shellQuote(options.resultsDir)}/shard-"${index}" --no-charts${passedOn}`;
}

/** The shard folders, one per index, in order. */
export const shardFolders = (options: ClusterJobOptions): string[] => Array.from({ length: options.shards }, (_, k) => `${options.resultsDir}/shard-${k}`);

/** The folder the merge writes summary.json|csv (and charts) into. */
export const mergedFolder = (options: ClusterJobOptions): string => `${options.resultsDir}/merged`;

/** The arguments after `<simulate> ` that merge every shard folder into <resultsDir>/merged. */
export function mergeArguments(options: ClusterJobOptions): string {
  return `merge ${shardFolders(options).map(shellQuote).join(" ")} --out ${shellQuote(mergedFolder(options))}${options.charts ? "" : " --no-charts"}`;
}

/** The executable, relative to the package root: package.json's `bin` (built by scripts/bundle.mjs; test/package.test.ts checks the two agree). */
export const CLI_BIN = "dist/cli/bin.cjs";

/** CLI_BIN of this installation (the real path: PACKAGE_ROOT comes from this module's URL). */
export const INSTALLED_BIN = `${PACKAGE_ROOT}/${CLI_BIN}`;

/**
 * The sweep file's absolute path inside the image (under /app), or an InputError (exit 2) when the
 * sweep or its base scenario lies outside the folders the image holds: the pods would not find it.
 */
export function pathInImage(sweepFile: string, plan: SweepPlan, flag: string): string {
  const inside = (path: string): string | undefined => {
    const rel = relative(PACKAGE_ROOT, resolve(path));
    const top = rel.split(sep)[0];
    return (IMAGE_FOLDERS as readonly string[]).includes(top) && !rel.startsWith("..") ? rel.split(sep).join("/") : undefined;
  };
  const sweepInImage = inside(sweepFile);
  const issues = [
    ...(sweepInImage === undefined ? [{ path: "", value: resolve(sweepFile), expected: imageExpectation("the sweep file") }] : []),
    ...(inside(plan.baseDir) === undefined ? [{ path: "base", value: plan.baseDir, expected: imageExpectation("the base scenario") }] : []),
  ];
  if (issues.length > 0 || sweepInImage === undefined) throw new InputError(`${sweepFile} (${flag})`, issues);
  return `${IMAGE_ROOT}/${sweepInImage}`;
}

const imageExpectation = (what: string): string =>
  `${what} inside the image: under one of the package's folders ${IMAGE_FOLDERS.map((f) => `${f}/`).join(", ")} (the image holds ${PACKAGE_ROOT}'s copy of them at ${IMAGE_ROOT}); put it there and rebuild the image`;
