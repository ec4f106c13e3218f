import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { simulate } from "../../src/run/simulate.js";
import { runCli, tempDir, REPO } from "../cli/helpers.js";
import { boardAndCloud, llmScenario } from "./llm-helpers.js";

function problems(document: Record<string, unknown>): string {
  try {
    llmScenario(document);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error("expected the scenario to be refused");
}

describe("a model that does not fit is refused at validation", () => {
  it("Llama 3.1 8B at Q4_0 (4346 MiB of weights) on a 4096 MiB board: the path, the sizes and what to change", () => {
    const doc = boardAndCloud();
    (doc.nodes as Array<Record<string, unknown>>)[0].serve = { model: "llama-3.1-8b", quantization: "Q4_0" };
    const message = problems(doc);
    expect(message).toContain("nodes[0].serve");
    expect(message).toContain("4096 MiB usable on test-board");
    expect(message).toMatch(/needs \d+ MiB \(weights 4346 \+ KV cache/);
    expect(message).toContain("smaller model or quantization");
  });

  it("the KV cache counts: a 1B model fits at batch 2 x 4096 tokens but not at 2 x 131072", () => {
    expect(() => llmScenario(boardAndCloud())).not.toThrow();
    const message = problems(boardAndCloud({ contextTokens: 131072 }));
    expect(message).toContain("KV cache 8192 for 2 x 131072 tokens");
  });

  it("an on-device model is checked against the device's profile too", () => {
    const doc = boardAndCloud();
    (doc.devices as Array<Record<string, unknown>>)[0] = {
      id: "phone",
      profile: "test-board",
      localModel: { model: "llama-3.1-8b", quantization: "Q4_0" },
      workload: { type: "queries", interarrival: "10 s", promptTokens: 10, outputTokens: 10 },
    };
    expect(problems(doc)).toContain("devices[0].localModel");
  });

  it("the CLI exits 2 naming the path, and writes no results", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "hardware-profiles"));
    for (const id of ["test-board", "test-cloud"]) {
      writeFileSync(join(dir, "hardware-profiles", `${id}.json`), readFileSync(join(REPO, "test", "fixtures", "llm-profiles", `${id}.json`)));
    }
    const doc: Record<string, unknown> = { kind: "llm", ...boardAndCloud() };
    (doc.nodes as Array<Record<string, unknown>>)[0].serve = { model: "llama-3.1-8b", quantization: "Q4_0" };
    writeFileSync(join(dir, "too-big.json"), JSON.stringify(doc));
    const result = runCli([join(dir, "too-big.json"), "--out", join(dir, "out")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("nodes[0].serve");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("other bad input names its path", () => {
  it("unknown model, quantization, router, node; missing deadlines; a router that needs the cloud without one", () => {
    const doc = boardAndCloud({ routers: ["local-only", "gray-zones"] });
    (doc.nodes as Array<Record<string, unknown>>)[0].serve = { model: "llama-3.2-1b", quantization: "Q5_K" };
    const message = problems(doc);
    expect(message).toContain("nodes[0].serve.quantization");
    expect(message).toContain("routers[1]");
    expect(problems(boardAndCloud({ qos: {} }))).toContain("qos.queries");
    expect(problems(boardAndCloud({ nodes: [{ id: "board", profile: "test-board", serve: { model: "llama-3.2-1b", quantization: "Q4_0" } }], routers: ["cloud-only"] }))).toContain("role cloud");
    const badOption = problems(boardAndCloud({ routers: [{ name: "gray-zone", options: { lower: 0.8, upper: 0.2 } }] }));
    expect(badOption).toContain("routers[0].options.upper");
  });
});

describe("checks the frame scenarios always had, now for queries too", () => {
  it('"drain": "-30 s" is refused at drain (it was accepted and run before)', () => {
    expect(problems(boardAndCloud({ drain: "-30 s" }))).toMatch(/\n {2}drain: -30000 is not valid: expected a non-negative duration$/);
  });

  it("a negative constant link latency is refused at its path (it was clamped to 0 before)", () => {
    expect(problems(boardAndCloud({ network: { default: { latency: "-5 ms" }, requestOverheadBytes: 0 } }))).toMatch(/\n {2}network\.default\.latency: .*non-negative/);
  });
});

describe("determinism", () => {
  it("same scenario and seed: byte-identical results; another seed: different", () => {
    const doc = boardAndCloud({
      duration: "30 min",
      routers: ["local-only", { name: "learned-router", options: { modes: ["local", "collaborative", "cloud"], initialThresholds: [0.5, 0.9] } }],
    });
    (doc.devices as Array<Record<string, unknown>>)[0] = {
      id: "user",
      count: 5,
      localNodes: ["board"],
      workload: {
        type: "queries",
        interarrival: { dist: "exponential", mean: "20 s" },
        promptTokens: { dist: "lognormal", mu: 5, sigma: 0.8 },
        outputTokens: { dist: "lognormal", mu: 4, sigma: 0.6 },
      },
    };
    const a = JSON.stringify(simulate(llmScenario(doc)));
    const b = JSON.stringify(simulate(llmScenario(doc)));
    expect(a).toBe(b);
    const c = JSON.stringify(simulate(llmScenario({ ...doc, seed: 2 })));
    expect(c).not.toBe(a);
  });
});
