import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "./helpers.js";

const base = JSON.parse(readFileSync(join(REPO, "scenarios", "edge-ai-testbed.json"), "utf8")) as Record<string, unknown>;

function mutate(change: (doc: any) => void): string {
  const doc = structuredClone(base);
  change(doc);
  return JSON.stringify(doc, null, 2);
}

/** Each case: the file text, and what the error message must contain (the JSON path, the value, what was expected). */
const CASES: { name: string; text: string; mentions: string[] }[] = [
  { name: "empty file", text: "", mentions: ["empty"] },
  { name: "broken JSON", text: '{ "name": "x", ', mentions: ["valid JSON", "line"] },
  { name: "not an object", text: "[1, 2]", mentions: ["object"] },
  { name: "unknown top-level key (typo)", text: mutate((d) => (d.qosDeadlin = "200 ms")), mentions: ["qosDeadlin", "no such key"] },
  { name: "unknown nested key", text: mutate((d) => (d.devices[0].workloads[0].fsp = 5)), mentions: ["devices[0].workloads[0].fsp"] },
  { name: "missing required key", text: mutate((d) => delete d.qos), mentions: ["qos.frames", "required"] },
  { name: "wrong type", text: mutate((d) => (d.devices[0].workloads[0].fps = "five")), mentions: ["devices[0].workloads[0].fps", '"five"', "number"] },
  { name: "negative rate", text: mutate((d) => (d.devices[0].workloads[0].fps = -5)), mentions: ["devices[0].workloads[0].fps", "-5"] },
  {
    name: "unknown hardware profile",
    text: mutate((d) => (d.nodes[1].profile = "jetson-nan0")),
    mentions: ["nodes[1].profile", '"jetson-nan0"', "known hardware profile", "jetson-nano"],
  },
  { name: "bad duration", text: mutate((d) => (d.duration = "10 parsecs")), mentions: ["duration", "10 parsecs"] },
  { name: "unknown scheduler", text: mutate((d) => (d.policies = ["nearest-healty"])), mentions: ["policies[0]", "nearest-healty", "nearest-healthy"] },
  { name: "unknown distribution", text: mutate((d) => (d.network.default.jitter = { dist: "weibull", shape: 2 })), mentions: ["network.default.jitter.dist", "weibull"] },
  { name: "inconsistent distribution", text: mutate((d) => (d.network.default.jitter = { dist: "uniform", low: 5, high: 1 })), mentions: ["network.default.jitter.high"] },
  { name: "link to an unknown node", text: mutate((d) => (d.network.latencyMatrix.columns[2] = "up-squard")), mentions: ["network.latencyMatrix.columns[2]", "up-squard"] },
  { name: "model the profile cannot serve", text: mutate((d) => (d.devices[0].workloads[0].model = "yolo-v8")), mentions: ["devices[0].workloads[0].model", "yolo-v8"] },
  { name: "bad bandwidth", text: mutate((d) => (d.network.default.bandwidth = "fast")), mentions: ["network.default.bandwidth", "fast"] },
  { name: "warm-up longer than the run", text: mutate((d) => (d.warmup = "1 h")), mentions: ["warmup"] },
  { name: "duplicate node id", text: mutate((d) => (d.nodes[1].id = "coral")), mentions: ["nodes[1].id", "coral"] },
];

describe("malformed scenarios", () => {
  it.each(CASES)("$name: exit code 2, a message naming the path, no results file", ({ text, mentions }) => {
    const dir = tempDir();
    const file = join(dir, "scenario.json");
    writeFileSync(file, text);
    const out = join(dir, "out");
    const run = runCli([file, "--out", out]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    for (const mention of mentions) expect(run.stderr).toContain(mention);
    expect(run.stderr).not.toContain("internal error");
    expect(existsSync(join(out, "results.json"))).toBe(false);
    expect(existsSync(out)).toBe(false);
    const validate = runCli(["validate", file]);
    expect(validate.code).toBe(2);
  });

  it("a missing file is bad input too", () => {
    const run = runCli(["/nonexistent/scenario.json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("ENOENT");
  });
});
