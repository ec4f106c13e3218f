/**
 * The emitted Slurm file against a real Slurm (Debian's slurm-wlm; .ci/slurm-start starts a
 * one-node cluster in CI): `bash FILE` submits the array and the dependent merge, and the merged
 * summary must equal, byte for byte, the summary of the same sweep run in one process. Where Slurm
 * is not running this skips, except in CI (CI=true), where a skipped round trip would hide a
 * broken cluster path: there it fails.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../cli/helpers.js";
import { TINY, TINY_RUNS } from "./sweep-helpers.js";

const SHARDS = 3;
/** The tiny sweep's shards take a few seconds each on 2 CPUs; Slurm schedules within seconds. */
const WAIT_MS = 120_000;

function slurmAnswers(): boolean {
  return spawnSync("sbatch", ["--version"]).status === 0 && spawnSync("sinfo", ["--noheader", "--responding"], { encoding: "utf8" }).stdout?.trim() !== "";
}

const available = slurmAnswers();
if (!available && process.env.CI === "true") {
  throw new Error("CI=true but no Slurm answers (sbatch, sinfo): .ci/run must start it with .ci/slurm-start");
}

interface JobState {
  state: string;
  exitCode: string;
}

/** The job's state and exit code from slurmctld (no accounting needed; it keeps ended jobs for MinJobAge, 300 s). */
function jobState(id: string): JobState | undefined {
  const shown = spawnSync("scontrol", ["--oneliner", "show", "job", id], { encoding: "utf8" });
  const state = /\bJobState=(\S+)/.exec(shown.stdout ?? "");
  const exitCode = /\bExitCode=(\S+)/.exec(shown.stdout ?? "");
  return state === null || exitCode === null ? undefined : { state: state[1], exitCode: exitCode[1] };
}

const ENDED = new Set(["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE"]);

/** Polls slurmctld until the job has ended; fails the test at the timeout. */
async function waitForJob(id: string): Promise<JobState> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const state = jobState(id);
    if (state !== undefined && ENDED.has(state.state)) return state;
    if (Date.now() > deadline) throw new Error(`Slurm job ${id} had not ended after ${WAIT_MS / 1000} s (last state ${state?.state ?? "unknown"})`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

/** Emits the Slurm file into `dir`, lets `edit` change it (to break a shard), submits it with bash, and returns the two job ids. */
function submit(dir: string, edit: (script: string) => string = (script) => script): { array: string; merge: string } {
  const emitted = runCli(["sweep", TINY, "--emit", "slurm", "--shards", String(SHARDS), "--no-charts"]);
  expect(emitted.code, emitted.stderr).toBe(0);
  writeFileSync(join(dir, "sweep.sh"), edit(emitted.stdout));
  const submitted = spawnSync("bash", ["sweep.sh"], { cwd: dir, encoding: "utf8" });
  expect(submitted.status, submitted.stderr).toBe(0);
  const ids = /job array (\d+) and the merge as job (\d+)/.exec(submitted.stdout);
  expect(ids, submitted.stdout).not.toBeNull();
  return { array: (ids as RegExpExecArray)[1], merge: (ids as RegExpExecArray)[2] };
}

describe.skipIf(!available)("the emitted Slurm job on a real Slurm", () => {
  it("bash FILE: the array and the dependent merge write the same summary as one process", async () => {
    const dir = tempDir("continuum-slurm-rt-");
    const jobs = submit(dir);
    expect(await waitForJob(jobs.merge)).toEqual({ state: "COMPLETED", exitCode: "0:0" });
    const oneProcess = runCli(["sweep", TINY, "--out", join(dir, "one-process"), "--no-charts", "--jobs", "2"]);
    expect(oneProcess.code, oneProcess.stderr).toBe(0);
    const merged = join(dir, "sweep-results", "tiny", "merged");
    for (const file of ["summary.json", "summary.csv"]) {
      expect(readFileSync(join(merged, file), "utf8"), file).toBe(readFileSync(join(dir, "one-process", file), "utf8"));
    }
    expect(readFileSync(join(dir, "tiny-merge.log"), "utf8")).toContain(`${TINY_RUNS} of ${TINY_RUNS} runs, 0 failed, 0 missing`);
  });

  it("a shard that dies: the merge still runs (afterany), names the shard, counts its runs missing, and fails", async () => {
    const dir = tempDir("continuum-slurm-rt-");
    // Task 1 exits before running, as a task killed at start would.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, literally as the script must hold it
    const dies = 'set -euo pipefail\n[ "${SLURM_ARRAY_TASK_ID:-}" = 1 ] && exit 3\n';
    const jobs = submit(dir, (script) => script.replace("set -euo pipefail\n", dies));
    const merge = await waitForJob(jobs.merge);
    expect(merge).toEqual({ state: "FAILED", exitCode: "1:0" });
    const log = readFileSync(join(dir, "tiny-merge.log"), "utf8");
    expect(log).toMatch(/no shard output in \S*sweep-results\/tiny\/shard-1 /);
    // Shard K of N holds runs K, K+N, …: shard 1 of 3 holds 4 of the 12.
    expect(log).toContain(`${TINY_RUNS - TINY_RUNS / SHARDS} of ${TINY_RUNS} runs, 0 failed, ${TINY_RUNS / SHARDS} missing`);
    expect(JSON.parse(readFileSync(join(dir, "sweep-results", "tiny", "merged", "summary.json"), "utf8"))).toMatchObject({ runs: { missing: TINY_RUNS / SHARDS } });
  });
});
