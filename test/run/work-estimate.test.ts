import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { simulate } from "../../src/run/simulate.js";
import { checkWork, estimateWork } from "../../src/run/work-estimate.js";
import { loadScenarioFile, resolveScenario } from "../../src/scenario/resolve.js";
import { REPO } from "../cli/helpers.js";
import { llmScenario, ragScenario } from "../llm/llm-helpers.js";

/**
 * The estimate that refuses runs must be honest: for every shipped scenario it lies within
 * FACTOR of the events the engine actually processes (measured 1.01-1.19 when written).
 */
const FACTOR = 1.5;
const DIR = join(REPO, "scenarios");

describe("the work estimate against the events the shipped scenarios process", () => {
  for (const name of readdirSync(DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()) {
    it(`${name}: estimate / actual events within a factor ${FACTOR}`, () => {
      const scenario = loadScenarioFile(join(DIR, name));
      const estimated = estimateWork(scenario).events;
      const actual = simulate(scenario).runs.reduce((sum, run) => sum + run.events, 0);
      expect(actual).toBeGreaterThan(0);
      expect(estimated / actual).toBeGreaterThan(1 / FACTOR);
      expect(estimated / actual).toBeLessThan(FACTOR);
    });
  }
});

describe("an application's query stages", () => {
  // retrieve (a station on an edge node) -> generate (a query stage: passes with probability 0.5, at most 3 attempts),
  // a job a second for 5 min, routed to the test profiles' cloud endpoint. Each attempt is a language-model query
  // (about 7 events) where a station visit is one: counting a query stage as one event, the estimate was 0.3x the events.
  const rag = ragScenario(
    { successProbability: 0.5, maxAttempts: 3, passed: { time: "4 s", tokens: 1000 }, failed: { time: "5 s", tokens: 1000 } },
    { name: "rag-work", duration: "5 min", devices: [{ id: "phone", workloads: [{ type: "dag", application: "rag", interarrival: "1 s" }] }] },
  );

  it(`counts each expected attempt of a query stage as a query: estimate / actual events within a factor ${FACTOR}`, () => {
    const scenario = llmScenario(rag);
    const estimated = estimateWork(scenario).events;
    const actual = simulate(scenario).runs.reduce((sum, run) => sum + run.events, 0);
    // 300 jobs x (1 + 1 station + 1.75 expected attempts x 7 + 3 edges) = 300 x 17.25
    expect(estimated).toBeCloseTo(300 * (1 + 1 + 1.75 * 7 + 3), 6);
    expect(estimated / actual).toBeGreaterThan(1 / FACTOR);
    expect(estimated / actual).toBeLessThan(FACTOR);
  });
});

describe("one estimate for both families", () => {
  // Hand count: 4 cameras x 5 fps x 100 s x 5 events = 10,000; 2 phones x 1 query/s x 100 s x 7 events = 1,400;
  // the QoS monitor ticks once a second for 100 s = 100. Two policy runs: 2 x 11,500.
  const mixed = {
    name: "mixed",
    duration: "100 s",
    qos: { frames: "200 ms", queries: { total: "10 s" } },
    devices: [
      { id: "cam", count: 4, workloads: [{ type: "video", model: "mobilenet-ssd-v1", fps: 5, frameSizePx: 300 }] },
      { id: "phone", count: 2, workloads: [{ type: "queries", interarrival: "1 s", promptTokens: 100, outputTokens: 20 }] },
    ],
    nodes: [
      { id: "orin", profile: "jetson-orin-nano", services: [{ type: "slots" }, { type: "llm", model: "llama-3.2-1b", quantization: "Q4_K_M" }] },
      { id: "cloud", profile: "cloud-llm-endpoint", services: [{ type: "llm", model: "gpt-4o-mini", quantization: "served" }] },
    ],
    policies: [
      { frames: "nearest-healthy", queries: { name: "edge-first", options: { maxOutstanding: 4 } } },
      { frames: "round-robin", queries: "cloud-only" },
    ],
  };

  it("counts every workload of every group, per policy run, with the monitor's ticks", () => {
    let scenario: ReturnType<typeof resolveScenario>;
    try {
      scenario = resolveScenario(mixed);
    } catch (error) {
      throw new Error(error instanceof InputError ? error.message : String(error));
    }
    const estimate = estimateWork(scenario);
    expect(estimate.runs).toBe(2);
    expect(estimate.events).toBeCloseTo(2 * (10_000 + 1_400 + 100), 6);
    expect(estimate.contributions.map((c) => c.path)).toEqual(["devices[0].workloads[0].fps", "devices[1].workloads[0]", "monitor.interval"]);
  });

  it("checkWork refuses above --max-events, naming the largest source", () => {
    const scenario = resolveScenario(mixed);
    expect(() => checkWork(scenario, { maxEvents: 1000, source: "mixed.json" })).toThrow(/devices\[0\]\.workloads\[0\]\.fps/);
    expect(() => checkWork(scenario, { maxEvents: 1e6 })).not.toThrow();
  });
});
