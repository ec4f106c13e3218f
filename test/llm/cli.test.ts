import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "../cli/helpers.js";
import { boardAndCloud } from "./llm-helpers.js";

/** A temp folder with the round-number test profiles beside a scenario file. */
function scenarioFile(doc: Record<string, unknown>): { dir: string; file: string } {
  const dir = tempDir();
  mkdirSync(join(dir, "hardware-profiles"));
  for (const id of ["test-board", "test-cloud"]) {
    writeFileSync(join(dir, "hardware-profiles", `${id}.json`), readFileSync(join(REPO, "test", "fixtures", "llm-profiles", `${id}.json`)));
  }
  const file = join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify({ kind: "llm", ...doc }));
  return { dir, file };
}

describe("simulate on a language-model scenario", () => {
  it("validate names the nodes' models and the routers", () => {
    const { file } = scenarioFile(boardAndCloud({ routers: ["local-only", "cloud-only"] }));
    const result = runCli(["validate", file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("board (llama-3.2-1b Q4_0 on cpu)");
    expect(result.stdout).toContain("policies local-only, cloud-only");
  });

  it("run prints the table, writes results.json and, with --tasks, one CSV row per measured query whose costs add up", () => {
    const doc = boardAndCloud({ duration: "20 min", routers: ["cloud-only", { name: "complexity-threshold", label: "t, with comma", options: { threshold: 0.5 } }] });
    (doc.devices as Array<Record<string, unknown>>)[0].workload = {
      type: "queries",
      interarrival: { dist: "exponential", mean: "30 s" },
      promptTokens: { dist: "uniform", low: 10, high: 400 },
      outputTokens: { dist: "uniform", low: 5, high: 80 },
    };
    const { dir, file } = scenarioFile(doc);
    const result = runCli([file, "--out", join(dir, "out"), "--tasks", join(dir, "queries.csv"), "--seed", "3"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/queries\s+done\s+TTFT p50/);
    const results = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8"));
    expect(results.schema).toBe("continuum-sim/results@2");
    expect(results.seed).toBe(3);
    const lines = readFileSync(join(dir, "queries.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe("label,device,purpose,route,createdAt,promptTokens,outputTokens,complexity,refused,lost,ttft,total,network,queueing,prefill,decode,costUsd,quality,good,violated");
    const rows = lines.slice(1);
    const cloudRows = rows.filter((row) => row.startsWith("cloud-only,"));
    expect(cloudRows.length).toBe(results.runs[0].queries.jobs.completed + results.runs[0].queries.jobs.refused + results.runs[0].queries.jobs.lost);
    const cost = cloudRows.reduce((sum, row) => sum + Number(row.split(",")[16]), 0);
    expect(cost).toBeCloseTo(results.runs[0].queries.cost.apiUsd, 12);
    expect(rows.some((row) => row.startsWith('"t, with comma",'))).toBe(true);
    expect(existsSync(join(dir, `queries.csv.tmp-${process.pid}`))).toBe(false);
  });

  it("--report draws the llm charts and index.html beside results.json", () => {
    const { dir, file } = scenarioFile(boardAndCloud({ duration: "10 min", routers: ["local-only", "cloud-only"] }));
    const result = runCli([file, "--out", join(dir, "out"), "--report"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("report: ");
    for (const name of ["index.html", "charts/llm-latency.svg", "charts/llm-tradeoffs.png", "charts/llm-privacy-cost.vl.json"]) expect(existsSync(join(dir, "out", name)), name).toBe(true);
  });
});

describe("a router written as an ES module", () => {
  it("loads from a path relative to the scenario, gets its options, routes, and reports statistics", () => {
    const doc = boardAndCloud({
      routers: [{ policy: "module", path: join(REPO, "examples", "routers", "prompt-length-router.mjs"), options: { maxLocalPromptTokens: 150 } }],
    });
    (doc.devices as Array<Record<string, unknown>>)[0].count = 3;
    const { dir, file } = scenarioFile(doc);
    const result = runCli([file, "--out", join(dir, "out"), "--quiet", "--allow-exec"]);
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(dir, "out", "results.json"), "utf8")).runs[0];
    expect(run.label).toBe("prompt-length-router");
    // 200-token prompts exceed 150: all three to the cloud.
    expect(run.queries.routes).toEqual({ local: 0, cloud: 3, collaborative: 0 });
    expect(run.policyStatistics.longPrompts).toBe(3);
  });

  it("a module that does not load is bad input naming the entry", () => {
    const { dir, file } = scenarioFile(boardAndCloud({ routers: [{ policy: "module", path: "./missing.mjs" }] }));
    const result = runCli([file, "--out", join(dir, "out"), "--allow-exec"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("routers[0].path");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("a router written in TypeScript against the exported types", () => {
  it("type-checks in CI (test/fixtures/typed-router.ts) and runs through the library API", async () => {
    const { loadModulePolicies, simulate } = await import("../../src/index.js");
    const { llmScenario } = await import("./llm-helpers.js");
    const scenario = llmScenario(boardAndCloud({ routers: [{ policy: "module", path: join(REPO, "test", "fixtures", "typed-router.ts"), label: "typed" }] }));
    const run = simulate(scenario, await loadModulePolicies(scenario.policies, REPO)).runs[0];
    expect(run.label).toBe("typed");
    expect(run.queries?.routes.local).toBe(1);
    expect(run.policyStatistics.lateLocal).toBe(0);
  });
});
