import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "simple-statistics";
import { INSTALLED_BIN, PACKAGE_ROOT } from "../sweep/emit-cluster.js";

/**
 * `npm run bench -- startup [--pairs N] [--json]`: issue 16's start-up target, "a run of a 1-second
 * scenario <= 2x `node -e 0`". Each side is a fresh whole process, interleaved A B A B … so both
 * see the same machine load (2 shared cores move an absolute time by ±50%).
 */

/** Pairs run unless `--pairs` says otherwise, and the fewest it accepts (issue 16 asks for at least 7 for this target). */
export const STARTUP_PAIRS = 7;
/** The issue's target: the run's wall time over `node -e 0`'s. */
export const STARTUP_TARGET_RATIO = 2;
/** The scenario timed: the flagship testbed, cut to 1 s of simulated time (warm-up 0 so it stays valid). */
export const STARTUP_SCENARIO = "scenarios/edge-ai-testbed.json";

export interface StartupSummary {
  pairs: number;
  runMedianSeconds: number;
  nodeMedianSeconds: number;
  /** Median over pairs of run / `node -e 0`: 2 = twice a bare Node start. */
  ratioMedian: number;
  ratios: number[];
}

/** The medians and the per-pair ratio (a pair shares the machine's load, so its ratio is the fair one). */
export function summariseStartup(pairs: readonly { runSeconds: number; nodeSeconds: number }[]): StartupSummary {
  if (pairs.length === 0) throw new Error("start-up: no pairs to summarise");
  const ratios = pairs.map((p) => p.runSeconds / p.nodeSeconds);
  return {
    pairs: pairs.length,
    runMedianSeconds: median(pairs.map((p) => p.runSeconds)),
    nodeMedianSeconds: median(pairs.map((p) => p.nodeSeconds)),
    ratioMedian: median(ratios),
    ratios,
  };
}

/** Writes the timed scenario (STARTUP_SCENARIO for 1 s) into `dir` and returns its path; test/cli/startup-imports.test.ts runs the same file. */
export function writeOneSecondScenario(dir: string): string {
  const scenario = JSON.parse(readFileSync(join(PACKAGE_ROOT, STARTUP_SCENARIO), "utf8")) as Record<string, unknown>;
  // The copy lives elsewhere: its $schema path would point nowhere.
  delete scenario.$schema;
  const file = join(dir, "one-second.json");
  writeFileSync(file, JSON.stringify({ ...scenario, duration: "1 s", warmup: "0 s" }));
  return file;
}

function timeProcess(args: string[], what: string): number {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`${what} failed (exit ${child.status ?? child.signal}):\n${child.stderr}`);
  return seconds;
}

/** The `--pairs N` of the arguments, or the message of what is wrong with it. */
export function parseStartupPairs(args: readonly string[]): number | { error: string } {
  const at = args.indexOf("--pairs");
  if (at < 0) return STARTUP_PAIRS;
  const pairs = Number(args[at + 1]);
  return Number.isInteger(pairs) && pairs >= STARTUP_PAIRS ? pairs : { error: `--pairs: ${args[at + 1] ?? "(missing)"} is not a whole number of at least ${STARTUP_PAIRS}` };
}

/** Runs the pairs, prints the summary (text, or one JSON line) and returns the exit code. */
export function runStartup(pairs: number, asJson: boolean): number {
  const bin = INSTALLED_BIN;
  const work = mkdtempSync(join(tmpdir(), "continuum-startup-"));
  try {
    // As a user runs it: the summary tables are printed (to a pipe here).
    const run = [bin, "run", writeOneSecondScenario(work), "--out", join(work, "out")];
    const loadBefore = loadavg()[0];
    const timed: { runSeconds: number; nodeSeconds: number }[] = [];
    for (let i = 0; i < pairs; i++) timed.push({ runSeconds: timeProcess(run, "simulate run"), nodeSeconds: timeProcess(["-e", "0"], "node -e 0") });
    const s = summariseStartup(timed);
    const load = Math.round(loadavg()[0] * 100) / 100;
    if (asJson) process.stdout.write(`${JSON.stringify({ name: "startup", ...s, loadAverage1m: load })}\n`);
    else {
      process.stdout.write(
        `\nstart-up: simulate run of ${STARTUP_SCENARIO} for 1 s against node -e 0, ${s.pairs} interleaved pairs\n` +
          `  run ${s.runMedianSeconds.toFixed(3)} s, node -e 0 ${s.nodeMedianSeconds.toFixed(3)} s, ratio ${s.ratioMedian.toFixed(2)} (median of pairs, range ${Math.min(...s.ratios).toFixed(2)}-${Math.max(...s.ratios).toFixed(2)}; target <= ${STARTUP_TARGET_RATIO})\n` +
          `  1-minute load average ${loadBefore.toFixed(2)} before, ${load.toFixed(2)} after\n`,
      );
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
