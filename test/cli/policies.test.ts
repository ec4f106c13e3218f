import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Results } from "../../src/metrics/results-schema.js";
import { REPO, runCli, tempDir } from "./helpers.js";

const testbed = JSON.parse(readFileSync(join(REPO, "scenarios", "edge-ai-testbed.json"), "utf8")) as Record<string, unknown>;
const HAVE_PYTHON = spawnSync("python3", ["--version"]).status === 0;
if (!HAVE_PYTHON) console.warn("python3 not found: the Python client tests are skipped (the Node agent tests still run)");

function scenarioFile(schedulers: unknown[], extra: Record<string, unknown> = {}): { file: string; dir: string } {
  const dir = tempDir("policies-");
  const file = join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify({ ...testbed, duration: "1 min", policies: schedulers, ...extra }));
  return { file, dir };
}

/** Everything a run measured, without the fields that name the scheduler. */
function measured(run: Results["runs"][number]): unknown {
  const { policies: _p, label: _l, policyStatistics: _st, ...rest } = run;
  return rest;
}

function agentProcesses(marker: string): string[] {
  const ps = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" });
  return ps.stdout.split("\n").filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}

describe("external policies over the JSON-lines bridge", () => {
  it("an agent that answers as nearest-healthy gives byte-identical measurements to the built-in policy", () => {
    const agents: unknown[] = [
      { policy: "external", label: "node-agent", command: ["node", join(REPO, "examples/agents/nearest-agent.mjs")] },
      // The worker-thread transport (the fallback where named pipes are missing) must agree too.
      { policy: "external", label: "node-agent-worker", transport: "worker", command: ["node", join(REPO, "examples/agents/nearest-agent.mjs")] },
    ];
    if (HAVE_PYTHON) agents.push({ policy: "external", label: "python-agent", command: ["python3", join(REPO, "clients/python/examples/nearest_agent.py")] });
    const { file, dir } = scenarioFile(["nearest-healthy", ...agents]);
    const run = runCli([file, "--out", join(dir, "out"), "--quiet", "--allow-exec"]);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")) as Results;
    expect(results.runs.length).toBe(1 + agents.length);
    const reference = JSON.stringify(measured(results.runs[0]));
    for (const agentRun of results.runs.slice(1)) expect(JSON.stringify(measured(agentRun))).toBe(reference);
  });

  it.each([
    ["exit", "fifo"],
    ["hang", "fifo"],
    ["garbage", "fifo"],
    ["unknown-node", "fifo"],
    ["exit", "worker"],
    ["hang", "worker"],
  ])("an agent that does '%s' (over %s) stops the run: exit 1, a clear error, no results file, no process left", (fault, transport) => {
    const marker = `fault-marker-${fault}-${transport}-${process.pid}`;
    const { file, dir } = scenarioFile([{ policy: "external", transport, command: ["node", join(REPO, "examples/agents/nearest-agent.mjs"), fault, marker], timeoutMs: 1500 }]);
    const run = runCli([file, "--out", join(dir, "out"), "--allow-exec"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/decision 5 at t=[\d.]+ ms/);
    const expected: Record<string, RegExp> = {
      exit: /exited with code 3/,
      hang: /no answer within 1500 ms/,
      garbage: /"this is not JSON"/,
      "unknown-node": /node "atlantis" does not exist/,
    };
    expect(run.stderr, run.stderr).toMatch(expected[fault]);
    expect(existsSync(join(dir, "out", "results.json"))).toBe(false);
    expect(agentProcesses(marker)).toEqual([]);
  });

  it.skipIf(!HAVE_PYTHON)("a Python agent that hangs in a sleep is killed and reaped after the timeout", () => {
    // The marker is the scenario's own folder, which appears in no other process's arguments.
    const { file, dir } = scenarioFile([{ policy: "external", command: ["python3", join(REPO, "clients/python/examples/faulty_agent.py"), "hang"], timeoutMs: 1000 }]);
    const run = runCli([file, "--out", join(dir, "out"), "--allow-exec"], dir);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/decision 5 at t=[\d.]+ ms: no answer within 1000 ms/);
    expect(agentProcesses("faulty_agent.py hang")).toEqual([]);
  });

  it.skipIf(!HAVE_PYTHON)("the Python client's own unit tests pass", () => {
    const result = spawnSync("python3", ["-m", "unittest", "discover", "-s", join(REPO, "clients/python/tests")], { encoding: "utf8", cwd: REPO });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Ran \d+ tests/);
  });

  it.skipIf(!HAVE_PYTHON)("the Python bandit agent learns to beat random on the heterogeneous cluster", () => {
    const cluster = JSON.parse(readFileSync(join(REPO, "scenarios", "heterogeneous-cluster.json"), "utf8")) as Record<string, unknown>;
    const dir = tempDir("bandit-");
    const file = join(dir, "scenario.json");
    const schedulers = ["random", { policy: "external", label: "bandit", command: ["python3", join(REPO, "clients/python/examples/bandit_agent.py")] }];
    writeFileSync(file, JSON.stringify({ ...cluster, duration: "60 s", policies: schedulers }));
    const run = runCli([file, "--out", join(dir, "out"), "--quiet", "--allow-exec"]);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")) as Results;
    const [random, bandit] = results.runs;
    expect(bandit.jobs.violationRate as number).toBeLessThan((random.jobs.violationRate as number) / 5);
    expect(bandit.frames?.latency.total.mean as number).toBeLessThan(random.frames?.latency.total.mean as number);
  });
});

describe("policy modules", () => {
  it("a module loaded from a path is used and its options reach it", () => {
    const modulePath = join(REPO, "examples/policies/shortest-queue.mjs");
    const { file, dir } = scenarioFile(
      [
        { policy: "module", path: modulePath, label: "prefer-coral", options: { preferNode: "coral", bias: 100 } },
        { policy: "module", path: modulePath, label: "plain" },
        // No warm-up: every frame the policy places is one the results count as generated.
      ],
      { warmup: "0 s" },
    );
    const run = runCli([file, "--out", join(dir, "out"), "--quiet", "--allow-exec"]);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")) as Results;
    const [preferred, plain] = results.runs;
    // With a bias of 100 slots every request goes to the preferred node; without it the load spreads.
    expect(preferred.nodes.find((n) => n.id === "coral")?.frames?.completed).toBe(preferred.jobs.completed);
    expect(plain.nodes.filter((n) => (n.frames?.completed ?? 0) > 0).length).toBeGreaterThan(1);
    expect(preferred.policyStatistics.placements).toBe(preferred.jobs.generated);
  });

  it("a module path that does not load, or exports no factory, is bad input naming the entry", () => {
    const { file, dir } = scenarioFile([{ policy: "module", path: "./no-such-policy.mjs" }]);
    const missing = runCli([file, "--out", join(dir, "out"), "--allow-exec"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("policies[0].path");
    writeFileSync(join(dir, "empty.mjs"), "export const nothing = 1;\n");
    const { file: file2 } = scenarioFile([{ policy: "module", path: join(dir, "empty.mjs") }]);
    const empty = runCli([file2, "--out", join(dir, "out2"), "--allow-exec"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("scheduler factory");
  });
});

describe("a TypeScript policy", () => {
  it("written against the exported types type-checks (npm run typecheck) and runs as a module policy", async () => {
    const { resolveScenario } = await import("../../src/scenario/resolve.js");
    const { loadModulePolicies } = await import("../../src/schedulers/module-policy.js");
    const { simulate } = await import("../../src/run/simulate.js");
    const scenario = resolveScenario({ ...testbed, duration: "30 s", policies: [{ policy: "module", path: "test/fixtures/typed-policy.ts", label: "typed" }] }, {});
    const modules = await loadModulePolicies(scenario.policies, REPO);
    const results = simulate(scenario, modules);
    expect(results.runs[0].label).toBe("typed");
    expect(results.runs[0].jobs.completed).toBe(400);
  });
});
