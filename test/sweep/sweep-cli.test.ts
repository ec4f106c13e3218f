import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO, runCli, tempDir } from "../cli/helpers.js";
import { runFiles, TINY, TINY_RUNS } from "./sweep-helpers.js";

describe("simulate sweep", () => {
  let dir: string;
  let reference: Buffer;

  beforeAll(() => {
    dir = tempDir("continuum-sweep-");
    const run = runCli(["sweep", TINY, "--jobs", "1", "--out", join(dir, "one")]);
    expect(run.code, run.stderr).toBe(0);
    reference = readFileSync(join(dir, "one", "summary.json"));
  });

  it("one worker, two workers and three merged shards give byte-identical summary.json", () => {
    const two = runCli(["sweep", TINY, "--jobs", "2", "--out", join(dir, "two"), "--no-charts"]);
    expect(two.code, two.stderr).toBe(0);
    expect(readFileSync(join(dir, "two", "summary.json")).equals(reference)).toBe(true);
    expect(readFileSync(join(dir, "two", "summary.csv")).equals(readFileSync(join(dir, "one", "summary.csv")))).toBe(true);

    const shards = [0, 1, 2].map((k) => join(dir, `shard-${k}`));
    for (const [k, out] of shards.entries()) {
      const shard = runCli(["sweep", TINY, "--shard", `${k}/3`, "--jobs", "2", "--out", out]);
      expect(shard.code, shard.stderr).toBe(0);
      expect(existsSync(join(out, "summary.json"))).toBe(false);
      expect(runFiles(out)).toHaveLength(TINY_RUNS / 3);
    }
    const merged = runCli(["merge", ...shards, "--out", join(dir, "merged"), "--no-charts"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain(`${TINY_RUNS} of ${TINY_RUNS} runs`);
    expect(readFileSync(join(dir, "merged", "summary.json")).equals(reference)).toBe(true);

    // Two of three shards: the merge says what is missing and exits 1.
    const partial = runCli(["merge", shards[0], shards[1], "--out", join(dir, "partial"), "--no-charts"]);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain(`${TINY_RUNS / 3} are missing`);
  });

  it("the summary has every cell x scheduler with n, mean, sd and CI, and the charts exist", () => {
    const summary = JSON.parse(reference.toString()) as {
      runs: { planned: number; completed: number };
      cells: Array<{ values: Record<string, unknown>; label: string; metrics: Record<string, { n: number; mean: number; sd: number; ci95: number }> }>;
    };
    expect(summary.runs).toMatchObject({ planned: TINY_RUNS, completed: TINY_RUNS });
    expect(summary.cells.map((c) => `${String(c.values.devices)}/${String(c.values.fps)}/${c.label}`)).toEqual([
      "4/2/nearest-healthy",
      "4/2/round-robin",
      "4/5/nearest-healthy",
      "4/5/round-robin",
      "8/2/nearest-healthy",
      "8/2/round-robin",
      "8/5/nearest-healthy",
      "8/5/round-robin",
    ]);
    const latency = summary.cells[0].metrics["frames.latency.total.mean"];
    expect(latency.n).toBe(3);
    expect(latency.sd).toBeGreaterThan(0);
    expect(latency.ci95).toBeCloseTo((4.30265273 * latency.sd) / Math.sqrt(3), 8);
    const csv = readFileSync(join(dir, "one", "summary.csv"), "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe("cell,devices,fps,label,frames_policy,queries_policy,metric,n,missing,mean,sd,ci95_halfwidth,ci95_low,ci95_high");
    expect(csv[1]).toMatch(/^[0-9a-f]+,4,2,nearest-healthy,nearest-healthy,,jobs.violationRate,3,0,/);
    expect(csv).toHaveLength(1 + 8 * 3);
    for (const ext of ["vl.json", "svg", "png"]) {
      expect(existsSync(join(dir, "one", "charts", `sweep-jobs.violationRate-vs-devices.${ext}`))).toBe(true);
      expect(existsSync(join(dir, "one", "charts", `sweep-frames.throughput-heatmap.${ext}`))).toBe(true);
    }
  });

  it("--width and --dpi: checked before any run; charts at both print widths, PNGs at the dpi asked", () => {
    const bad = runCli(["sweep", TINY, "--jobs", "1", "--out", join(dir, "bad-width"), "--width", "colum"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--width");
    expect(existsSync(join(dir, "bad-width"))).toBe(false);
    const merged = runCli(["merge", join(dir, "one"), "--out", join(dir, "print"), "--width", "column,double", "--dpi", "150"]);
    expect(merged.code, merged.stderr).toBe(0);
    const charts = join(dir, "print", "charts");
    const id = "sweep-jobs.violationRate-vs-devices";
    for (const file of [`${id}.svg`, `${id}@double.svg`, `${id}.png`, `${id}@double.png`]) expect(existsSync(join(charts, file)), file).toBe(true);
    // PNG width = SVG width in px / 100 px per inch x 150 dpi (IHDR width at byte 16).
    for (const base of [id, `${id}@double`]) {
      const svgWidth = Number(/width="([0-9.]+)"/.exec(readFileSync(join(charts, `${base}.svg`), "utf8"))?.[1]);
      expect(readFileSync(join(charts, `${base}.png`)).readUInt32BE(16)).toBe(Math.round((svgWidth / 100) * 150));
    }
  });

  it("a sweep killed halfway and started again runs only the missing runs and gives the same summary", async () => {
    const out = join(dir, "killed");
    const child = spawn(process.execPath, [BIN, "sweep", TINY, "--jobs", "1", "--out", out, "--no-charts"], { cwd: REPO, stdio: "ignore" });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    // Kill it as soon as a few runs are on disk (SIGKILL: no chance to clean up).
    while (runFiles(out).length < 3) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await exited;
    const before = runFiles(out);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(TINY_RUNS);
    expect(existsSync(join(out, "summary.json"))).toBe(false);
    const mtimes = new Map(before.map((f) => [f, statSync(join(out, "runs", f)).mtimeMs]));

    const resumed = runCli(["sweep", TINY, "--jobs", "2", "--out", out, "--no-charts"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`ran ${TINY_RUNS - before.length}, skipped ${before.length} already done`);
    // The finished runs were not written again.
    for (const [file, mtime] of mtimes) expect(statSync(join(out, "runs", file)).mtimeMs).toBe(mtime);
    expect(runFiles(out)).toHaveLength(TINY_RUNS);
    expect(readFileSync(join(out, "summary.json")).equals(reference)).toBe(true);

    const again = runCli(["sweep", TINY, "--jobs", "2", "--out", out, "--no-charts"]);
    expect(again.stdout).toContain(`ran 0, skipped ${TINY_RUNS} already done`);
  });

  it("a run that throws is recorded with coordinates and seed, the others finish, exit 1", () => {
    const file = join(dir, "failing.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "failing",
        base: {
          name: "q",
          seed: 1,
          duration: "2 s",
          qosDeadline: 1000,
          devices: [{ id: "s", workload: { type: "arrivals", model: "job", interarrival: { dist: "normal", mean: 10, sd: 1 } } }],
          nodes: [{ id: "n", inferenceTime: { dist: "exponential", mean: 1 } }],
          schedulers: ["least-loaded"],
        },
        // sd 100 makes a negative interarrival draw: a simulation error at run time.
        axes: [{ name: "sd", path: "/devices/0/workload/interarrival/sd", values: [1, 100] }],
        replications: 2,
      }),
    );
    const out = join(dir, "failing");
    const run = runCli(["sweep", file, "--jobs", "2", "--out", out, "--no-charts"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/run [0-9a-f]{12}-r0 failed \(cell \{"sd":100\}, replication 0, seed \d+\): .*negative/);
    expect(run.stderr).toContain("2 of 4 runs failed");
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as {
      runs: { completed: number; failed: number };
      failures: Array<{ cell: { sd: number }; seed: number; error: string }>;
      cells: Array<{ values: { sd: number } }>;
    };
    expect(summary.runs).toMatchObject({ completed: 2, failed: 2 });
    expect(summary.failures.map((f) => f.cell.sd)).toEqual([100, 100]);
    expect(summary.failures[0].seed).toBeGreaterThan(0);
    expect(summary.cells.map((c) => c.values.sd)).toEqual([1]);
  });

  it("bad input is exit 2 with the JSON path: a bad axis path, an unknown key, a bad --shard", () => {
    const badAxis = runCli(["sweep", "test/sweep/fixtures/bad-axis.json"]);
    expect(badAxis.code).toBe(2);
    expect(badAxis.stderr).toContain('axes[1].path: "/healthCheck/interval" is not valid');
    expect(badAxis.stderr).toContain('key "healthCheck" not found');
    const file = join(dir, "typo.json");
    writeFileSync(file, JSON.stringify({ name: "t", base: "../scenarios/edge-ai-testbed.json", axes: [{ path: "/seed", values: [1] }], replicatons: 2 }));
    const typo = runCli(["sweep", file]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("replicatons");
    expect(runCli(["sweep", TINY, "--shard", "3/3"]).code).toBe(2);
    expect(runCli(["sweep", "no-such-sweep.json"]).code).toBe(2);
  });

  it("refuses to resume into the folder of another sweep", () => {
    const file = join(dir, "other.json");
    const tiny = JSON.parse(readFileSync(TINY, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...tiny, base: join(REPO, "scenarios/edge-ai-testbed.json"), seed: 8 }));
    const run = runCli(["sweep", file, "--out", join(dir, "one")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("holds another sweep");
  });
});
