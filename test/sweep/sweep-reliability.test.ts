import { spawnSync } from "node:child_process";
import { readFileSync, truncateSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mountTmpfs, NO_MOUNT, runCli, tempDir, unmountAll } from "../cli/helpers.js";
import { runFiles, TINY, TINY_RUNS } from "./sweep-helpers.js";

/**
 * Issue 12, sweeps: a damaged run file (cut short by a full disk, edited, of another sweep) is
 * reported by name and run again, never read as results; a full disk stops the sweep with one
 * sentence, and once there is room again the same command finishes it.
 */

describe("sweep output folders that were damaged", () => {
  let dir: string;
  let reference: Buffer;

  beforeAll(() => {
    dir = tempDir("continuum-sweep-io-");
    const run = runCli(["sweep", TINY, "--jobs", "2", "--out", join(dir, "reference"), "--no-charts"]);
    expect(run.code, run.stderr).toBe(0);
    reference = readFileSync(join(dir, "reference", "summary.json"));
  });

  /** A finished sweep folder with two damaged run files: one cut short, one without schema/sweepHash. */
  function damagedCopy(name: string): { out: string; cut: string; foreign: string } {
    const out = join(dir, name);
    const run = runCli(["sweep", TINY, "--jobs", "2", "--out", out, "--no-charts"]);
    expect(run.code, run.stderr).toBe(0);
    const [first, second] = runFiles(out);
    const cut = join(out, "runs", first);
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    const foreign = join(out, "runs", second);
    writeFileSync(foreign, JSON.stringify({ id: second.slice(0, -".json".length), results: { runs: [] } }));
    return { out, cut, foreign };
  }

  it("resume reports each damaged run file on one line, runs those runs again and gives the same summary", () => {
    const { out, cut, foreign } = damagedCopy("resume");
    const resumed = runCli(["sweep", TINY, "--jobs", "2", "--out", out, "--no-charts"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`damaged file ${cut}: it is not valid JSON, perhaps cut short \\(.*\\); not trusted, its run is run again\\n`));
    expect(resumed.stderr).toContain(`damaged file ${foreign}: its schema is undefined, not "continuum-sim/sweep-run@2"; not trusted, its run is run again\n`);
    expect(resumed.stdout).toContain(`ran 2, skipped ${TINY_RUNS - 2} already done, 0 failed`);
    expect(readFileSync(join(out, "summary.json")).equals(reference)).toBe(true);
    JSON.parse(readFileSync(cut, "utf8"));
  });

  it("merge names a damaged run file and counts its run as missing (exit 1, no internal error)", () => {
    const { out, cut, foreign } = damagedCopy("merge");
    const merged = runCli(["merge", out, "--out", join(dir, "merged"), "--no-charts"]);
    expect(merged.code).toBe(1);
    expect(merged.stderr).not.toContain("internal error");
    expect(merged.stderr).toContain(`damaged file ${cut}: it is not valid JSON`);
    expect(merged.stderr).toContain(`damaged file ${foreign}: its schema is undefined`);
    expect(merged.stdout).toContain(`${TINY_RUNS - 2} of ${TINY_RUNS} runs, 0 failed, 2 missing`);
    expect(merged.stderr).toContain("2 are missing");
  });
});

describe("a sweep on a full disk", () => {
  afterAll(unmountAll);

  it("stops with one sentence (exit 1) and, once there is room, the same command finishes it", (ctx) => {
    const dir = tempDir("continuum-sweep-disk-");
    const mountPoint = join(dir, "disk");
    // About 4 of the 12 run files (13 kB each) fit beside sweep.json in 64 kB.
    if (!mountTmpfs(mountPoint, "64k")) return ctx.skip(NO_MOUNT);
    const out = join(mountPoint, "sweep");
    const full = runCli(["sweep", TINY, "--jobs", "2", "--out", out, "--no-charts"]);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(new RegExp(`output error: could not write ${join(out, "runs")}/[0-9a-f-r]+\\.json: no space left on the device \\(ENOSPC\\); the sweep stopped`));
    expect(full.stderr).not.toContain("internal error");
    expect(full.stderr).not.toMatch(/\n\s+at /);
    expect(runFiles(out).length).toBeLessThan(TINY_RUNS);
    for (const file of runFiles(out)) JSON.parse(readFileSync(join(out, "runs", file), "utf8"));

    expect(spawnSync("mount", ["-o", "remount,size=4m", mountPoint]).status).toBe(0);
    const resumed = runCli(["sweep", TINY, "--jobs", "2", "--out", out, "--no-charts"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(runFiles(out)).toHaveLength(TINY_RUNS);
    const reference = runCli(["sweep", TINY, "--jobs", "1", "--out", join(dir, "reference"), "--no-charts"]);
    expect(reference.code, reference.stderr).toBe(0);
    expect(readFileSync(join(out, "summary.json")).equals(readFileSync(join(dir, "reference", "summary.json")))).toBe(true);
  });
});
