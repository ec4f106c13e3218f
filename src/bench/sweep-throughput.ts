import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { INSTALLED_BIN } from "../sweep/emit-cluster.js";

/** The sweep the throughput benchmark runs: the shipped devices-vs-scheduler sweep, whole (140 runs). */
export const SWEEP_BENCH_FILE = "sweeps/devices-vs-scheduler.json";
export const SWEEP_BENCH_WORKERS = [1, 2] as const;

export interface SweepThroughput {
  workers: number;
  runs: number;
  wallSeconds: number;
  runsPerSecond: number;
}

/**
 * Runs the sweep with `workers` worker threads in a fresh process (start-up, planning and the
 * summary included, charts excluded), into an empty temp folder so nothing is skipped.
 */
export function measureSweep(workers: number): SweepThroughput {
  const repo = fileURLToPath(new URL("../..", import.meta.url));
  const bin = INSTALLED_BIN;
  const out = mkdtempSync(join(tmpdir(), "continuum-sweep-bench-"));
  try {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [bin, "sweep", SWEEP_BENCH_FILE, "--jobs", String(workers), "--out", out, "--no-charts"], { cwd: repo, encoding: "utf8" });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.status !== 0) throw new Error(`sweep benchmark with ${workers} worker(s) failed:\n${child.stderr}`);
    const match = /: (\d+) runs: ran (\d+)/.exec(child.stdout);
    const runs = match === null ? Number.NaN : Number(match[2]);
    return { workers, runs, wallSeconds, runsPerSecond: runs / wallSeconds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
