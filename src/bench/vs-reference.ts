import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { median } from "simple-statistics";
import { suggestName } from "../text/nearest-name.js";

/**
 * `npm run bench -- --vs-reference [mm1 edge-offload] [--pairs N] [--json]`: each model against its
 * hand-written reference loop (bench/reference/<model>.mjs), interleaved A B A B … so both see the
 * same machine load, each a fresh whole process (start-up included for both).
 */

/** The models that have a reference loop, in the order they run. */
export const REFERENCE_MODELS = ["mm1", "edge-offload"] as const;
/** Pairs run per model unless `--pairs` says otherwise. */
export const DEFAULT_PAIRS = 7;
/** Fewer pairs give a median that one disturbed run can move (issue 16 asks for at least 5). */
export const MIN_PAIRS = 5;

export interface VsReferenceOptions {
  models: string[];
  pairs: number;
  json: boolean;
}

/** The options, or the message of what is wrong with the arguments. */
export function parseVsReferenceArgs(args: readonly string[]): VsReferenceOptions | { error: string } {
  let pairs = DEFAULT_PAIRS;
  const models: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--vs-reference" || arg === "--json") continue;
    if (arg === "--pairs") {
      const value = args[++i];
      pairs = Number(value);
      if (!Number.isInteger(pairs) || pairs < MIN_PAIRS) return { error: `--pairs: ${value ?? "(missing)"} is not a whole number of at least ${MIN_PAIRS}` };
      continue;
    }
    if (arg.startsWith("--")) return { error: `--vs-reference: unknown option ${arg}; known: --pairs N, --json` };
    if (!(REFERENCE_MODELS as readonly string[]).includes(arg)) return { error: `--vs-reference: no reference loop for model "${arg}"; ${suggestName(arg, REFERENCE_MODELS)}` };
    if (!models.includes(arg)) models.push(arg);
  }
  return { models: models.length > 0 ? models : [...REFERENCE_MODELS], pairs, json: args.includes("--json") };
}

/** One pair's whole-process wall times, seconds. */
export interface PairTiming {
  continuumSeconds: number;
  referenceSeconds: number;
}

export interface VsReferenceSummary {
  model: string;
  pairs: number;
  continuumMedianSeconds: number;
  referenceMedianSeconds: number;
  /** Median over pairs of reference / continuum: 1 = as fast as the loop, 0.5 = twice its time. */
  ratioMedian: number;
  ratioMin: number;
  ratioMax: number;
  ratios: number[];
}

/** The medians and the per-pair ratio reference / continuum (a pair shares the machine's load, so its ratio is the fair one). */
export function summarisePairs(model: string, pairs: readonly PairTiming[]): VsReferenceSummary {
  if (pairs.length === 0) throw new Error(`${model}: no pairs to summarise`);
  const ratios = pairs.map((p) => p.referenceSeconds / p.continuumSeconds);
  return {
    model,
    pairs: pairs.length,
    continuumMedianSeconds: median(pairs.map((p) => p.continuumSeconds)),
    referenceMedianSeconds: median(pairs.map((p) => p.referenceSeconds)),
    ratioMedian: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    ratios,
  };
}

/** What a timed child printed last (its JSON line) and how long its whole process took. */
interface Timed {
  seconds: number;
  line: Record<string, unknown>;
}

function timeProcess(args: string[], what: string): Timed {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`${what} failed (exit ${child.status ?? child.signal}):\n${child.stderr}`);
  return { seconds, line: JSON.parse(child.stdout.trim().split("\n").pop() as string) as Record<string, unknown> };
}

const benchOne = fileURLToPath(new URL("./bench-one.js", import.meta.url));
const referenceDir = new URL("../../bench/reference/", import.meta.url);

/** Runs the pairs of every model, prints the summary (a table, or one JSON line a model) and returns the exit code. */
export function runVsReference(options: VsReferenceOptions): number {
  const out = (text: string) => process.stdout.write(text);
  const loadBefore = loadavg()[0];
  const summaries: VsReferenceSummary[] = [];
  for (const model of options.models) {
    const reference = fileURLToPath(new URL(`${model}.mjs`, referenceDir));
    const pairs: PairTiming[] = [];
    let requests: [unknown, unknown] = [undefined, undefined];
    try {
      for (let i = 0; i < options.pairs; i++) {
        const a = timeProcess([benchOne, model], `continuum-sim ${model}`);
        const b = timeProcess([reference], `reference ${model} (its theory check fails, or it crashed)`);
        pairs.push({ continuumSeconds: a.seconds, referenceSeconds: b.seconds });
        requests = [a.line.tasks, b.line.requests];
      }
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 1;
    }
    const summary = summarisePairs(model, pairs);
    summaries.push(summary);
    // Both count the requests generated before the end: a difference means the two no longer run the same model.
    if (requests[0] !== requests[1]) process.stderr.write(`warning: ${model}: continuum-sim generated ${String(requests[0])} requests, the reference ${String(requests[1])}\n`);
    if (options.json) out(`${JSON.stringify({ name: "vs-reference", ...summary, requests: requests[0], loadAverage1m: Math.round(loadavg()[0] * 100) / 100 })}\n`);
  }
  if (!options.json) out(formatSummaries(summaries, loadBefore, loadavg()[0]));
  return 0;
}

/** The table `--vs-reference` prints. */
export function formatSummaries(summaries: readonly VsReferenceSummary[], loadBefore: number, loadAfter: number): string {
  const header = ["model", "pairs", "continuum s", "reference s", "ratio (ref/continuum)", "range"];
  const rows = summaries.map((s) => [
    s.model,
    String(s.pairs),
    s.continuumMedianSeconds.toFixed(3),
    s.referenceMedianSeconds.toFixed(3),
    s.ratioMedian.toFixed(2),
    `${s.ratioMin.toFixed(2)}-${s.ratioMax.toFixed(2)}`,
  ]);
  const widths = header.map((_, c) => Math.max(header[c].length, ...rows.map((r) => r[c].length)));
  const lines = [header, ...rows].map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  return `${lines.join("\n")}\n\nwhole process, medians of interleaved pairs (continuum, reference, continuum, …); ratio 1.00 = as fast as the hand-written loop (issue 16's target: >= 0.66)\n1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after\n`;
}
