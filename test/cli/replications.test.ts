import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Results } from "../../src/metrics/results-schema.js";
import { compactResults } from "../../src/sweep/run-record.js";
import { REPO, runCli, tempDir } from "./helpers.js";

/* `simulate <scenario> --replications N [--jobs J]` as a user runs it (docs/results.md, "replications"). */

const SCENARIO = "scenarios/edge-ai-testbed.json";
/** Short enough for a test (the file's warm-up is 10 s), long enough that replications differ. */
const SHORT = ["--duration", "15 s"];

function run(out: string, args: string[]): { results: Results; text: string } {
  const result = runCli([SCENARIO, ...SHORT, "--out", out, "--quiet", ...args], undefined, 240_000);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const text = readFileSync(join(out, "results.json"), "utf8");
  return { results: JSON.parse(text) as Results, text };
}

describe("simulate --replications", () => {
  const root = tempDir("continuum-sim-replications-");
  const byJobs = [1, 2, 3].map((jobs) => run(join(root, `jobs-${jobs}`), ["--replications", "5", "--jobs", String(jobs)]));

  it("writes the same bytes whatever --jobs is (1, 2 and 3 threads, 5 replications)", () => {
    expect(byJobs[1].text).toBe(byJobs[0].text);
    expect(byJobs[2].text).toBe(byJobs[0].text);
  });

  it("carries the master seed, the 5 seeds, each replication's runs and every label's figures", () => {
    const { results } = byJobs[0];
    const section = results.replications;
    expect(section).toBeDefined();
    if (section === undefined) return;
    expect(section.masterSeed).toBe(1);
    expect(section.seeds).toHaveLength(5);
    expect(new Set(section.seeds).size).toBe(5);
    expect(results.seed).toBe(section.seeds[0]);
    expect(section.runs.map((runs) => runs.map((r) => r.label))).toEqual(Array(5).fill(results.runs.map((r) => r.label)));
    expect(section.summary.map((s) => s.label)).toEqual(results.runs.map((r) => r.label));
    const p95 = section.summary[0].figures["frames.latency.total.p95"];
    const values = section.runs.map((runs) => runs[0].frames?.latency.total.p95 as number);
    // The oracle: the mean of the five replications' own p95, and t(0.975, 4) = 2.776 from a table.
    const mean = values.reduce((a, b) => a + b, 0) / 5;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 4);
    expect(p95.n).toBe(5);
    expect(p95.mean).toBeCloseTo(mean, 9);
    // The table's 3 decimals bound the relative error by 0.0005 / 2.776.
    expect((p95.ci95 as number) / ((2.776 * sd) / Math.sqrt(5))).toBeCloseTo(1, 3);
    // Replications with different seeds differ (else the interval would say nothing).
    expect(new Set(values).size).toBeGreaterThan(1);
  });

  it("replication k is a plain run with seed k derived from the master seed (runs[] is replication 0 in full)", () => {
    const { results } = byJobs[0];
    const section = results.replications;
    if (section === undefined) throw new Error("no replications section");
    for (const k of [0, 3]) {
      const plain = run(join(root, `plain-${k}`), ["--seed", String(section.seeds[k])]).results;
      expect(plain.replications).toBeUndefined();
      expect(compactResults(plain).runs).toEqual(section.runs[k]);
      if (k === 0) {
        const { replications: _section, ...rest } = results;
        expect(rest).toEqual(plain);
      }
    }
  });

  it("prints whose tables it shows", () => {
    const out = join(root, "text");
    const result = runCli([SCENARIO, ...SHORT, "--out", out, "--replications", "2", "--jobs", "1"], undefined, 240_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2 replications of master seed 1: the tables are replication 0's \(seed \d+\)/);
  });

  it("refuses a scenario with a module policy (exit 2, nothing written): replications run on workers, as sweep runs", () => {
    const file = join(root, "module.json");
    const testbed = JSON.parse(readFileSync(join(REPO, SCENARIO), "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...testbed, policies: [{ policy: "module", path: join(REPO, "examples/policies/shortest-queue.mjs"), label: "mine" }] }));
    const out = join(root, "module-out");
    const result = runCli([file, ...SHORT, "--out", out, "--allow-exec", "--replications", "2"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("built-in policies only with --replications");
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [["--replications", "1"], "--replications"],
    [["--replications", "0"], "--replications"],
    [["--replications", "2.5"], "--replications"],
    [["--replications", "many"], "--replications"],
    [["--replications", "3", "--jobs", "0"], "--jobs"],
    [["--jobs", "2"], "--jobs"],
  ])("%j is bad input (exit 2) naming %s, with nothing written", (args, named) => {
    const out = join(root, `bad-${args.join("_")}`);
    const tasks = join(root, `bad-${args.join("_")}.csv`);
    const result = runCli([SCENARIO, ...SHORT, "--out", out, "--tasks", tasks, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(named);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(tasks)).toBe(false);
  });
});
