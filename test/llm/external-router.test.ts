import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResults } from "../../src/metrics/results-schema.js";
import { REPO, runCli, tempDir } from "../cli/helpers.js";
import { boardAndCloud, llmScenario, phonesAndCloud, q, simulateQueries } from "./llm-helpers.js";

const HAVE_PYTHON = spawnSync("python3", ["--version"]).status === 0;
const NODE_AGENT = join(REPO, "examples", "agents", "threshold-router.mjs");
const PYTHON_AGENT = join(REPO, "clients", "python", "examples", "threshold_router.py");

function scenarioDoc(routers: unknown[]): Record<string, unknown> {
  const doc = boardAndCloud({ duration: "20 min", routers });
  (doc.devices as Array<Record<string, unknown>>)[0] = {
    id: "user",
    count: 4,
    localNodes: ["board"],
    workload: { type: "queries", interarrival: { dist: "exponential", mean: "20 s" }, promptTokens: { dist: "uniform", low: 20, high: 300 }, outputTokens: 40 },
  };
  return doc;
}

/** A run's measurements without what names the router. */
function measured(run: RunResults): string {
  const { label: _l, policies: _p, policyStatistics: _s, ...rest } = run;
  return JSON.stringify(rest);
}

describe("a router in another process (protocol continuum-sim/router@1)", () => {
  const agents: unknown[] = [{ policy: "external", label: "node-agent", command: ["node", NODE_AGENT], agentOptions: { threshold: 0.4 } }];
  if (HAVE_PYTHON) agents.push({ policy: "external", label: "python-agent", command: ["python3", PYTHON_AGENT], agentOptions: { threshold: 0.4 } });

  it("an agent answering as complexity-threshold gives byte-identical measurements (Node, and Python when present)", () => {
    const results = simulateQueries(llmScenario(scenarioDoc([{ name: "complexity-threshold", options: { threshold: 0.4 } }, ...agents])));
    const reference = results.runs[0];
    expect(q(reference).routes.local).toBeGreaterThan(0);
    expect(q(reference).routes.cloud).toBeGreaterThan(0);
    for (const run of results.runs.slice(1)) {
      expect(measured(run), run.label).toBe(measured(reference));
      expect(run.policyStatistics.decisions).toBe(reference.jobs.generated);
    }
  });

  for (const fault of ["exit", "garbage", "bad-route"]) {
    it(`an agent that does '${fault}' stops the run: exit 1, the decision named, no results file`, () => {
      const dir = tempDir();
      mkdirSync(join(dir, "hardware-profiles"));
      for (const id of ["test-board", "test-cloud"]) {
        writeFileSync(join(dir, "hardware-profiles", `${id}.json`), readFileSync(join(REPO, "test", "fixtures", "llm-profiles", `${id}.json`)));
      }
      const file = join(dir, "scenario.json");
      writeFileSync(file, JSON.stringify({ kind: "llm", ...scenarioDoc([{ policy: "external", command: ["node", NODE_AGENT, fault], timeoutMs: 5000 }]) }));
      const result = runCli([file, "--out", join(dir, "out"), "--allow-exec"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("router external, decision 3");
      expect(existsSync(join(dir, "out", "results.json"))).toBe(false);
    });
  }
});

describe.skipIf(!HAVE_PYTHON)("an RL router in Python (RouterEnv)", () => {
  it("the epsilon-greedy bandit learns to beat keeping everything local on the simulator's own reward", () => {
    const doc = phonesAndCloud([
      "local-only",
      { policy: "external", label: "bandit", command: ["python3", join(REPO, "clients", "python", "examples", "bandit_router.py")], reward: { usdPerGoodAnswer: 0.0005 } },
    ]);
    const [local, bandit] = simulateQueries(llmScenario(doc)).runs;
    const utility = (run: RunResults) => (q(run).quality.meanProbability! * run.jobs.completed - run.jobs.violations - q(run).cost.apiUsd / 0.0005) / run.jobs.generated;
    expect(utility(bandit)).toBeGreaterThan(utility(local) + 0.05);
    // It learned a split: easy queries stay local, hard ones go to the cloud.
    expect(q(bandit).routes.local).toBeGreaterThan(0.2 * bandit.jobs.generated);
    expect(q(bandit).routes.cloud).toBeGreaterThan(0.2 * bandit.jobs.generated);
  });

  it("a bad reward weight is bad input naming its path", () => {
    expect(() => llmScenario(boardAndCloud({ routers: [{ policy: "external", command: ["node", NODE_AGENT], reward: { usdPerGoodAnswer: -1 } }] }))).toThrow(/routers\[0\]\.reward\.usdPerGoodAnswer/);
  });
});
