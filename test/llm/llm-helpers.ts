import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILTIN_PROFILE_DIR } from "../../src/scenario/profiles.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";
import type { QueryResults, Results, RunResults } from "../../src/metrics/results-schema.js";
import { type SimulateOptions, simulate } from "../../src/run/simulate.js";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const LLM_FIXTURE_PROFILES = join(HERE, "..", "fixtures", "llm-profiles");

/** Resolves a query scenario document against the test profiles (round numbers) and the built-in ones. */
export function llmScenario(document: Record<string, unknown>, baseDir = HERE): ResolvedScenario {
  return resolveScenario(document, { profileDirs: [LLM_FIXTURE_PROFILES, BUILTIN_PROFILE_DIR], baseDir });
}

/** A board serving llama-3.2-1b (100 prompt tok/s, 10 output tok/s, batch of 2 with 1.5x aggregate decode) and a cloud endpoint (1000 / 50 tok/s, 200 ms overhead, $1 / $4 per M tokens). */
export function boardAndCloud(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "hand",
    duration: "150 s",
    drain: "60 s",
    qos: { ttft: "3 s", total: "20 s" },
    devices: [
      {
        id: "user",
        localNodes: ["board"],
        workload: { type: "queries", interarrival: "100 s", promptTokens: 200, outputTokens: 50, complexity: 0.3 },
      },
    ],
    nodes: [
      { id: "board", profile: "test-board", serve: { model: "llama-3.2-1b", quantization: "Q4_0" } },
      { id: "cloud", profile: "test-cloud", serve: { model: "big", quantization: "served" } },
    ],
    network: { default: { latency: "5 ms" }, requestOverheadBytes: 0 },
    routers: ["local-only"],
    ...overrides,
  };
}

/**
 * Ten phones running llama-3.2-1b themselves and the cloud endpoint, three hours of queries of
 * 200 prompt and 50 output tokens: the routing-learning case. With money at $0.0005 per good
 * answer the best fixed complexity threshold is interior (0.4).
 */
export function phonesAndCloud(routers: unknown[]): Record<string, unknown> {
  return boardAndCloud({
    duration: "3 h",
    drain: "2 min",
    devices: [
      {
        id: "phone",
        count: 10,
        profile: "test-board",
        localModel: { model: "llama-3.2-1b", quantization: "Q4_0" },
        workload: { type: "queries", interarrival: { dist: "exponential", mean: "30 s" }, promptTokens: 200, outputTokens: 50 },
      },
    ],
    nodes: [{ id: "cloud", profile: "test-cloud", serve: { model: "big", quantization: "served" } }],
    routers,
  });
}

/** Runs a query scenario on the one world: results@2. */
export function simulateQueries(scenario: ResolvedScenario, options: SimulateOptions = {}): Results {
  return simulate(scenario, options);
}

/** A run's query section (present in every run of a scenario with query workloads). */
export function q(run: RunResults): QueryResults {
  if (run.queries === null) throw new Error(`run ${run.label} has no query section`);
  return run.queries;
}

/**
 * retrieve (a station on an edge node, 10 ms) -> generate (a language-model query stage issued by
 * the device, `generate` its figures, routed cloud-only to the test profiles' cloud endpoint): one
 * job at 1 s, every link 5 ms one way, 0 bytes on the edges (test/world/dag-query-stages.test.ts
 * works its figures by hand). `overrides` replace top-level keys.
 */
export function ragScenario(generate: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "rag",
    duration: "10 s",
    drain: "2 min",
    qos: { queries: { total: "1 h" } },
    devices: [{ id: "phone", workloads: [{ type: "dag", application: "rag", interarrival: "1000 s", startOffset: "1 s" }] }],
    nodes: [
      { id: "edge", services: [] },
      { id: "cloud", profile: "test-cloud", serve: { model: "big", quantization: "served" } },
    ],
    network: { default: { latency: "5 ms" }, requestOverheadBytes: 0 },
    applications: [
      {
        id: "rag",
        stages: [
          { id: "retrieve", service: "vector-db", hosts: [{ place: "edge", serviceTime: "10 ms", slots: 1 }] },
          { id: "generate", query: { referenceNode: "cloud", outputShare: 0.1, ...generate } },
        ],
        edges: [
          { from: "device", to: "retrieve", bytes: 0 },
          { from: "retrieve", to: "generate", bytes: 0 },
          { from: "generate", to: "device", bytes: 0 },
        ],
      },
    ],
    policies: [{ applications: "per-stage", queries: "cloud-only" }],
    ...overrides,
  };
}
