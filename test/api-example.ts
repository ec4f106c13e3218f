import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { FrameResults, Results } from "../src/index.js";
import { REPO, runCli } from "./cli/helpers.js";

/* docs/library.md's example, extracted and run (test/api.test.ts in the repository, test/package.test.ts from an installed tarball). */

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

/** Checks the example's output against the CLI's results for the same scenario and duration: the library and the command must compute the same run. */
export function checkExampleOutput(stdout: string, dir: string): void {
  const cli = runCli(["scenarios/edge-ai-testbed.json", "--duration", "1 min", "--out", join(dir, "cli"), "--quiet"]);
  expect(cli.code, cli.stderr).toBe(0);
  const results = JSON.parse(readFileSync(join(dir, "cli", "results.json"), "utf8")) as Results;
  const lines = stdout.trim().split("\n");
  const expected = results.runs.map((run) => {
    const frames = run.frames as FrameResults;
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
