import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import * as api from "../src/index.js";
import { REPO, runCli, tempDir } from "./cli/helpers.js";

/*
 * The library API (src/index.ts) as a user calls it, and docs/library.md's example, extracted and
 * run as written so the document cannot go stale.
 */

/** The one ```js block of docs/library.md. */
export function libraryExample(): string {
  const text = readFileSync(join(REPO, "docs", "library.md"), "utf8");
  const blocks = [...text.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  expect(blocks, "docs/library.md has exactly one js example").toHaveLength(1);
  return blocks[0];
}

/**
 * Runs the example in `dir` as `example.mjs`; "continuum-sim" resolves to the package that
 * contains `dir` (a package may import itself by name), or to `dir`'s node_modules.
 */
export function runLibraryExample(dir: string): { code: number | null; stdout: string; stderr: string } {
  writeFileSync(join(dir, "example.mjs"), libraryExample());
  const result = spawnSync(process.execPath, ["example.mjs"], { cwd: dir, encoding: "utf8", timeout: 240_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Checks the example's output against the CLI's results for the same scenario and duration (an independent run of the same model). */
export function checkExampleOutput(stdout: string, dir: string): void {
  const cli = runCli(["scenarios/edge-ai-testbed.json", "--duration", "1 min", "--out", join(dir, "cli"), "--quiet"]);
  expect(cli.code, cli.stderr).toBe(0);
  const results = JSON.parse(readFileSync(join(dir, "cli", "results.json"), "utf8")) as api.Results;
  const lines = stdout.trim().split("\n");
  const expected = results.runs.map((run) => {
    const frames = run.frames as api.FrameResults;
    return `${run.label}: ${(100 * (frames.jobs.violationRate ?? Number.NaN)).toFixed(2)}% late, p95 ${(frames.latency.total.p95 ?? Number.NaN).toFixed(1)} ms`;
  });
  expect(lines.slice(0, expected.length)).toEqual(expected);
  expect(lines[expected.length]).toMatch(/^\d+ charts drawn, \d+ skipped$/);
  expect(lines).toContain("sweep: 4 runs, 0 failed");
  // 2 cells x the scenario's 3 policy labels, each with n = 2 replications.
  const rows = lines.filter((line) => line.startsWith("devices "));
  expect(rows).toHaveLength(2 * results.runs.length);
  for (const row of rows) expect(row).toMatch(/^devices (4|8), [a-z-]+: \d+\.\d\d% late \(n = 2\)$/);
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("library API", () => {
  const scenario = join(REPO, "scenarios", "edge-ai-testbed.json");

  it("loadScenarioFile takes a path alone, or a file: URL (the URL threw a TypeError before)", () => {
    const fromPath = api.loadScenarioFile(scenario);
    const fromUrl = api.loadScenarioFile(pathToFileURL(scenario));
    expect(fromPath.name).toBe("edge-ai-testbed");
    expect(fromUrl.hash).toBe(fromPath.hash);
    // Policies, profiles and all: the same resolved scenario either way.
    expect(JSON.stringify(fromUrl)).toBe(JSON.stringify(fromPath));
  });

  it("loadSweepFile takes a path or a file: URL", () => {
    const file = join(REPO, "sweeps", "devices-vs-scheduler.json");
    expect(api.loadSweepFile(pathToFileURL(file)).hash).toBe(api.loadSweepFile(file).hash);
  });

  it("a bad file is an InputError (exported, so a caller can tell bad input from a failed run)", () => {
    expect(() => api.loadScenarioFile(join(REPO, "no-such.json"))).toThrow(api.InputError);
  });

  it("readResultsFile reads what simulate writes", () => {
    const dir = tempDir("api-");
    made.push(dir);
    const run = runCli([scenario, "--duration", "20 s", "--out", dir, "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const results = api.readResultsFile(join(dir, "results.json"));
    expect(results.runs.map((r) => r.label)).toEqual(api.loadScenarioFile(scenario).policies.map((p) => p.label));
  });

  it("no exported function takes or returns `any` (checked by npm run typecheck)", () => {
    type IsAny<T> = 0 extends 1 & T ? true : false;
    type AnyIn<F> = F extends (...args: infer A) => infer R ? (IsAny<R> extends true ? true : true extends { [K in keyof A]: IsAny<A[K]> }[number] ? true : false) : IsAny<F>;
    type Offenders = { [K in keyof typeof api]: AnyIn<(typeof api)[K]> extends true ? K : never }[keyof typeof api];
    expectTypeOf<Offenders>().toEqualTypeOf<never>();
    // The check can fail:
    expectTypeOf<AnyIn<(x: any) => void>>().toEqualTypeOf<true>();
    expectTypeOf<AnyIn<() => any>>().toEqualTypeOf<true>();
    expectTypeOf(api.runSweep).returns.resolves.toEqualTypeOf<api.SweepRunReport>();
    expectTypeOf(api.writeReport).parameter(0).toEqualTypeOf<api.Results>();
  });

  it("docs/library.md's example runs as written and prints what the CLI computes", () => {
    // Inside the repository, so "continuum-sim" resolves to this package (self-reference by name).
    mkdirSync(join(REPO, "reports"), { recursive: true });
    const dir = mkdtempSync(join(REPO, "reports", ".library-example-"));
    made.push(dir);
    const result = runLibraryExample(dir);
    expect(result.code, result.stderr).toBe(0);
    checkExampleOutput(result.stdout, dir);
    expect(readFileSync(join(dir, "out", "edge-ai-testbed", "index.html"), "utf8")).toContain("<svg");
    const summary = JSON.parse(readFileSync(join(dir, "out", "devices-sweep", "summary.json"), "utf8")) as api.SweepSummary;
    expect(summary.runs).toEqual({ planned: 4, completed: 4, failed: 0, missing: 0 });
  });
});
