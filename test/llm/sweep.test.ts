import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { planSweep } from "../../src/sweep/load-sweep.js";
import { REPO, runCli, tempDir } from "../cli/helpers.js";
import { boardAndCloud } from "./llm-helpers.js";

function folder(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "hardware-profiles"));
  for (const id of ["test-board", "test-cloud"]) {
    writeFileSync(join(dir, "hardware-profiles", `${id}.json`), readFileSync(join(REPO, "test", "fixtures", "llm-profiles", `${id}.json`)));
  }
  const doc = boardAndCloud({ duration: "30 min", routers: ["local-only", "cloud-only"] });
  (doc.devices as Array<Record<string, unknown>>)[0].workload = { type: "queries", interarrival: { dist: "exponential", mean: "20 s" }, promptTokens: 200, outputTokens: 50 };
  writeFileSync(join(dir, "base.json"), JSON.stringify({ kind: "llm", loadScale: 1, ...doc }));
  return dir;
}

function problems(dir: string, sweep: Record<string, unknown>): string {
  try {
    planSweep({ name: "s", base: "base.json", axes: [{ path: "/loadScale", values: [1, 2] }], ...sweep }, join(dir, "sweep.json"));
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  return "";
}

describe("sweeps over language-model scenarios", () => {
  it("accept query metrics (and node fields by index), refuse frame metrics of a scenario without frames, unknown paths and module routers", () => {
    const dir = folder();
    expect(problems(dir, { metrics: ["queries.cost.perDayUsd", "queries.latency.ttft.p95", "nodes.0.utilisation", "nodes.0.llm.outputTokensPerS"] })).toBe("");
    expect(problems(dir, { metrics: ["frames.latency.preprocessing.mean"] })).toContain(
      'metrics[0]: "frames.latency.preprocessing.mean" is not valid: expected a metric of a family the scenario has: it has no frame workload',
    );
    expect(problems(dir, { metrics: ["nodes.0.nonsense"] })).toContain("metrics[0]");
    const withModule = problems(dir, { set: { "/routers": [{ policy: "module", path: "x.mjs" }] } });
    expect(withModule).toContain("cannot run");
  });

  it("run end to end: the summary holds each router's metrics per cell, and money grows with the load", () => {
    const dir = folder();
    writeFileSync(
      join(dir, "sweep.json"),
      JSON.stringify({
        name: "load",
        base: "base.json",
        axes: [{ name: "load", path: "/loadScale", values: [1, 3] }],
        replications: 2,
        metrics: ["queries.cost.apiUsd", "queries.jobs.completed", "nodes.0.utilisation"],
      }),
    );
    const result = runCli(["sweep", join(dir, "sweep.json"), "--out", join(dir, "out"), "--jobs", "1", "--no-charts"]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, "out", "summary.json"), "utf8"));
    const cell = (load: number, label: string) => summary.cells.find((c: { values: { load: number }; label: string }) => c.values.load === load && c.label === label);
    expect(cell(1, "cloud-only").metrics["queries.cost.apiUsd"].n).toBe(2);
    expect(cell(1, "cloud-only").policies).toEqual({ frames: null, queries: "cloud-only" });
    expect(cell(3, "cloud-only").metrics["queries.cost.apiUsd"].mean).toBeGreaterThan(2 * cell(1, "cloud-only").metrics["queries.cost.apiUsd"].mean);
    expect(cell(1, "local-only").metrics["queries.cost.apiUsd"].mean).toBe(0);
    expect(cell(3, "local-only").metrics["nodes.0.utilisation"].mean).toBeGreaterThan(cell(1, "local-only").metrics["nodes.0.utilisation"].mean);
  });
});
