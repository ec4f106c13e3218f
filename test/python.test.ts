import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, REPO, runCli, tempDir } from "./cli/helpers.js";

/*
 * The Python client (clients/python) from npm test: its unittest suite (protocol, router,
 * installation with pip offline, the Gymnasium environment against this simulator), and the
 * scenario entries its README shows, checked by the scenario loader.
 */

const PYTHON = "python3";
const python = spawnSync(PYTHON, ["-c", "import sys; print(sys.version_info >= (3, 11))"], { encoding: "utf8" });
const NO_PYTHON = python.error !== undefined || python.stdout.trim() !== "True" ? "python3 (3.11 or later) is not installed: the Python client's tests are skipped" : undefined;
const HAS_NUMPY = NO_PYTHON === undefined && spawnSync(PYTHON, ["-c", "import numpy"]).status === 0;
if (NO_PYTHON !== undefined) console.warn(NO_PYTHON);

describe.skipIf(NO_PYTHON !== undefined)(`Python client${NO_PYTHON === undefined ? "" : ` (skipped: ${NO_PYTHON})`}`, () => {
  it("python3 -m unittest passes every test of clients/python/tests", () => {
    const result = spawnSync(PYTHON, ["-m", "unittest", "discover", "-s", join("clients", "python", "tests"), "-v"], {
      cwd: REPO,
      encoding: "utf8",
      timeout: 600_000,
      // The environment drives this build of the simulator.
      env: { ...process.env, CONTINUUM_SIM_SIMULATE: JSON.stringify([process.execPath, BIN]) },
    });
    expect(result.status, result.stderr.slice(-4000)).toBe(0);
    expect(result.stderr).toMatch(/^OK( \(skipped=\d+\))?$/m);
    const ran = Number(/^Ran (\d+) tests? in/m.exec(result.stderr)?.[1]);
    expect(ran).toBeGreaterThanOrEqual(20);
    // With numpy the Gymnasium tests must have run, not been skipped.
    if (HAS_NUMPY) expect(result.stderr).toMatch(/test_passes_check_env \(test_gym_env\.GymEnvTest[^)]*\)[^\n]*\.\.\. ok/);
    else console.warn("numpy is not installed: the Gymnasium environment's tests were skipped");
  });

  it("pyproject.toml's version is the npm package's", () => {
    const pyproject = readFileSync(join(REPO, "clients", "python", "pyproject.toml"), "utf8");
    const version = /^version = "([^"]+)"$/m.exec(pyproject)?.[1];
    expect(version).toBe((JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version);
  });
});

/** The JSON blocks of the client README: a `"policies": [...]` member or one policy entry. */
function readmeEntries(): unknown[] {
  const text = readFileSync(join(REPO, "clients", "python", "README.md"), "utf8");
  const blocks = [...text.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => match[1].trim());
  return blocks.flatMap((block) => {
    if (block.startsWith('"policies"')) return (JSON.parse(`{${block}}`) as { policies: unknown[] }).policies;
    return [JSON.parse(block) as unknown];
  });
}

function commandOf(entry: unknown): string[] {
  if (typeof entry !== "object" || entry === null) return [];
  const record = entry as { command?: string[]; options?: { command?: string[] } };
  return record.command ?? record.options?.command ?? [];
}

describe("the Python client README's scenario entries", () => {
  const entries = readmeEntries();

  it("the README shows entries for both protocols", () => {
    expect(entries.some((entry) => commandOf(entry).some((part) => part.endsWith("_agent.py")))).toBe(true);
    expect(entries.some((entry) => commandOf(entry).some((part) => part.endsWith("_router.py")))).toBe(true);
  });

  it("each one, in a shipped scenario of its kind, passes simulate validate", () => {
    const dir = tempDir("python-readme-");
    entries.forEach((entry, index) => {
      const router = commandOf(entry).some((part) => part.endsWith("_router.py"));
      const scenario = JSON.parse(readFileSync(join(REPO, "scenarios", router ? "llm-routing.json" : "edge-ai-testbed.json"), "utf8")) as Record<string, unknown>;
      scenario.policies = [entry];
      const file = join(dir, `entry-${index}.json`);
      writeFileSync(file, JSON.stringify(scenario));
      const result = runCli(["validate", file]);
      expect(result.code, `${JSON.stringify(entry)}: ${result.stderr}`).toBe(0);
    });
  });

  it.skipIf(NO_PYTHON !== undefined)("the frame agent's entry runs from the repository root with --allow-exec", () => {
    const entry = entries.find((candidate) => commandOf(candidate).some((part) => part.endsWith("bandit_agent.py")));
    const scenario = JSON.parse(readFileSync(join(REPO, "scenarios", "edge-ai-testbed.json"), "utf8")) as Record<string, unknown>;
    scenario.policies = [entry];
    const dir = tempDir("python-readme-run-");
    const file = join(dir, "bandit.json");
    writeFileSync(file, JSON.stringify(scenario));
    const result = runCli([file, "--allow-exec", "--duration", "12 s", "--out", dir, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { runs: Array<{ label: string; frames: { jobs: { completed: number } } }> };
    // 4 cameras x 5 fps x the 2 s after the 10 s warm-up.
    expect(results.runs.map((run) => [run.label, run.frames.jobs.completed])).toEqual([["bandit", 40]]);
  });
});
