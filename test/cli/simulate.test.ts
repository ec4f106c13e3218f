import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Results } from "../../src/metrics/results-schema.js";

/** A run's frame section (the testbed has frames only). */
const frames = (run: Results["runs"][number]) => {
  if (run.frames === null) throw new Error(`run ${run.label} has no frames`);
  return run.frames;
};
import { runCli, tempDir } from "./helpers.js";

const TESTBED = "scenarios/edge-ai-testbed.json";

describe("simulate <scenario>", () => {
  it("same scenario and seed give byte-identical results.json; another seed gives different numbers", () => {
    const dir = tempDir();
    const a = runCli([TESTBED, "--seed", "5", "--duration", "2 min", "--out", join(dir, "a")]);
    const b = runCli([TESTBED, "--seed", "5", "--duration", "2 min", "--out", join(dir, "b")]);
    const c = runCli([TESTBED, "--seed", "6", "--duration", "2 min", "--out", join(dir, "c")]);
    for (const run of [a, b, c]) expect(run.code, run.stderr).toBe(0);
    const bytesA = readFileSync(join(dir, "a", "results.json"));
    const bytesB = readFileSync(join(dir, "b", "results.json"));
    const bytesC = readFileSync(join(dir, "c", "results.json"));
    expect(bytesA.equals(bytesB)).toBe(true);
    const ra = JSON.parse(bytesA.toString()) as Results;
    const rc = JSON.parse(bytesC.toString()) as Results;
    expect(ra.seed).toBe(5);
    expect(rc.seed).toBe(6);
    expect(frames(rc.runs[0]).latency.total.mean).not.toBe(frames(ra.runs[0]).latency.total.mean);
    expect(rc.scenario.hash).not.toBe(ra.scenario.hash);
  });

  it("prints the per-stage table for every scheduler and writes a versioned results file", () => {
    const dir = tempDir();
    const run = runCli([TESTBED, "--duration", "1 min", "--out", dir]);
    expect(run.code, run.stderr).toBe(0);
    for (const label of ["nearest-healthy", "least-loaded", "round-robin"]) expect(run.stdout).toContain(`${label}:`);
    for (const stage of ["network up", "queueing", "preprocessing", "inference", "network down", "total"]) expect(run.stdout).toContain(stage);
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
    expect(results.schema).toBe("continuum-sim/results@2");
    expect(results.runs.map((r) => r.label)).toEqual(["nearest-healthy", "least-loaded", "round-robin"]);
    // Common random numbers: every scheduler sees the same arrivals.
    const generated = new Set(results.runs.map((r) => r.jobs.generated));
    expect(generated.size).toBe(1);
    for (const r of results.runs) {
      // Stage means add up to the total mean: the stages partition each request's latency.
      const stages = frames(r).latency;
      const sum = (stages.networkUp.mean ?? 0) + (stages.queueing.mean ?? 0) + (stages.preprocessing.mean ?? 0) + (stages.inference.mean ?? 0) + (stages.networkDown.mean ?? 0);
      expect(sum).toBeCloseTo(stages.total.mean as number, 6);
      expect(r.nodes.reduce((s, n) => s + (n.frames?.completed ?? 0), 0)).toBe(r.jobs.completed);
      // The CDF runs from the minimum to the maximum, never decreases, and agrees with the summary quantiles.
      const cdf = frames(r).latencyCdf;
      expect(cdf).toHaveLength(103);
      expect(cdf[0]).toEqual({ p: 0, ms: stages.total.min });
      expect(cdf[cdf.length - 1]).toEqual({ p: 1, ms: stages.total.max });
      for (let i = 1; i < cdf.length; i++) expect(cdf[i].ms).toBeGreaterThanOrEqual(cdf[i - 1].ms);
      expect(cdf.find((point) => point.p === 0.5)?.ms).toBe(stages.total.p50);
      expect(cdf.find((point) => point.p === 0.95)?.ms).toBe(stages.total.p95);
    }
    // No temp files left behind.
    expect(readdirSync(dir)).toEqual(["results.json"]);
  });

  it("--tasks streams one CSV row per measured request of every scheduler", () => {
    const dir = tempDir();
    const csv = join(dir, "tasks.csv");
    const run = runCli([TESTBED, "--duration", "30 s", "--out", dir, "--tasks", csv, "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
    expect(lines[0]).toBe("label,sequence,device,node,createdAt,networkUp,queueing,preprocessing,inference,networkDown,total,violatedQos");
    expect(lines.length - 1).toBe(results.runs.reduce((s, r) => s + r.jobs.completed, 0));
    const totals = lines
      .slice(1)
      .filter((l) => l.split(",")[0] === "nearest-healthy")
      .map((l) => Number(l.split(",")[10]));
    const mean = totals.reduce((s, v) => s + v, 0) / totals.length;
    expect(mean).toBeCloseTo(frames(results.runs[0]).latency.total.mean as number, 6);
  });
});

describe("simulate on a mixed scenario (frames and queries on one node)", () => {
  it("runs, prints both families, writes one results@2 with both sections, draws both chart families and a per-job CSV with a family column", () => {
    const dir = tempDir();
    const csv = join(dir, "jobs.csv");
    const run = runCli(["scenarios/shared-jetson.json", "--duration", "2 min", "--out", dir, "--tasks", csv, "--report"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("frames/s");
    expect(run.stdout).toContain("TTFT");
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
    expect(results.schema).toBe("continuum-sim/results@2");
    for (const r of results.runs) {
      expect(r.frames?.jobs.completed).toBeGreaterThan(0);
      expect(r.queries?.jobs.completed).toBeGreaterThan(0);
    }
    const charts = readdirSync(join(dir, "charts"));
    expect(charts).toContain("stage-breakdown.svg");
    expect(charts).toContain("llm-latency.svg");
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    expect(lines[0].startsWith("family,label,")).toBe(true);
    const families = lines.slice(1).map((line) => line.split(",")[0]);
    // One row per measured job of either family, every row with the header's cells.
    expect(families.filter((f) => f === "frames").length).toBe(results.runs.reduce((s, r) => s + (r.frames?.jobs.completed ?? 0), 0));
    expect(families.filter((f) => f === "queries").length).toBe(results.runs.reduce((s, r) => s + (r.queries?.jobs.completed ?? 0) + (r.queries?.jobs.refused ?? 0) + (r.queries?.jobs.lost ?? 0), 0));
  });
});

describe("simulate validate / sample / profiles / help", () => {
  it("validate accepts the shipped scenario", () => {
    const run = runCli(["validate", TESTBED]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ok: .*4 devices \(frames\), 3 nodes/);
  });

  it("sample prints N draws, one a line, reproducible by seed", () => {
    const spec = '{"dist":"exponential","mean":"20 ms"}';
    const a = runCli(["sample", spec, "-n", "2000", "--seed", "3"]);
    const b = runCli(["sample", spec, "-n", "2000", "--seed", "3"]);
    const c = runCli(["sample", spec, "-n", "2000", "--seed", "4"]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    const values = a.stdout.trim().split("\n").map(Number);
    expect(values).toHaveLength(2000);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    // 2000 exponential draws of mean 20: standard error 0.45 ms; allow 5 SE.
    expect(Math.abs(mean - 20)).toBeLessThan(2.3);
    expect(runCli(["sample", "13 ms", "-n", "2"]).stdout).toBe("13\n13\n");
  });

  it("sample rejects a bad spec with exit code 2 and the path", () => {
    const run = runCli(["sample", '{"dist":"exponential","mean":"fast"}']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("mean");
    expect(runCli(["sample", '{"dist":"weibull"}']).code).toBe(2);
  });

  it("profiles lists the shipped hardware", () => {
    const run = runCli(["profiles"]);
    expect(run.code, run.stderr).toBe(0);
    for (const id of ["coral-dev-board", "jetson-nano", "up-squared-ai-edge-x", "raspberry-pi-3b"]) expect(run.stdout).toContain(id);
  });

  it("--help works on every command and shows an example", () => {
    for (const args of [["--help"], ["run", "--help"], ["validate", "--help"], ["sample", "--help"], ["profiles", "--help"]]) {
      const run = runCli(args);
      expect(run.code, args.join(" ")).toBe(0);
      expect(run.stdout).toContain("Examples:");
    }
  });

  it("unknown options and missing arguments are usage errors (exit 2)", () => {
    expect(runCli([TESTBED, "--sed", "3"]).code).toBe(2);
    expect(runCli(["validate"]).code).toBe(2);
  });

  it("an impossible draw during the run (a negative interarrival) is a simulation error: exit 1, no results file", () => {
    const dir = tempDir();
    const file = join(dir, "scenario.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "bad-draws",
        duration: "1 s",
        qosDeadline: "1 s",
        devices: [{ id: "d", workload: { type: "arrivals", model: "m", interarrival: { dist: "normal", mean: 1, sd: 5 } } }],
        nodes: [{ id: "n", inferenceTime: 1 }],
        schedulers: ["random"],
      }),
    );
    const run = runCli([file, "--out", join(dir, "out")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/negative/);
    expect(existsSync(join(dir, "out", "results.json"))).toBe(false);
  });
});
