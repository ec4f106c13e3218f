import { join } from "node:path";
import type { Results } from "../../src/metrics/results-schema.js";
import type { ChartOutcome, DrawnChart } from "../../src/report/chart.js";
import { CHARTS } from "../../src/report/charts/index.js";
import { simulate as simulateScenario } from "../../src/run/simulate.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { REPO } from "../cli/helpers.js";

/*
 * The LLM report is tested on results the simulator makes here (5 simulated minutes of a small
 * version of scenarios/llm-routing.json), not on a stored file: a clean clone has everything.
 */

const queries = (mean: string) => ({
  type: "queries",
  interarrival: { dist: "exponential", mean },
  promptTokens: { dist: "lognormal", mu: 5.52, sigma: 0.8, max: 4000 },
  outputTokens: { dist: "lognormal", mu: 5.01, sigma: 0.7, max: 1024 },
  complexity: { dist: "uniform", low: 0, high: 1 },
});

const PIPELINE_DEVICE = {
  id: "agent",
  count: 2,
  localNodes: ["edge-orin"],
  workload: {
    type: "pipeline",
    interarrival: { dist: "exponential", mean: "40 s" },
    referenceNode: "cloud",
    stages: [
      { name: "plan", successProbability: 0.9, passed: { time: "15 s", tokens: 1200 }, failed: { time: "12 s", tokens: 1000 }, complexity: 0.3, maxAttempts: 2 },
      { name: "code", successProbability: 0.6, passed: { time: "40 s", tokens: 3000 }, failed: { time: "35 s", tokens: 2800 }, complexity: 0.7, maxAttempts: 3 },
      { name: "test", successProbability: 0.8, passed: { time: "20 s", tokens: 1500 }, failed: { time: "18 s", tokens: 1400 }, complexity: 0.5 },
    ],
  },
};

export function scenario(options: { pipelines: boolean; learned: boolean }): Record<string, unknown> {
  return {
    kind: "llm",
    name: "llm-report-test",
    description: "Phones with a local model, laptops using an edge node, a cloud endpoint; 5 simulated minutes.",
    seed: 1,
    duration: "5 min",
    warmup: "0 s",
    drain: "1 min",
    qos: { ttft: "3 s", total: "20 s" },
    devices: [
      { id: "phone", count: 4, profile: "phone-snapdragon-8-gen-3", localModel: { model: "llama-3.2-1b", quantization: "Q4_K_M" }, workload: queries("20 s") },
      { id: "laptop", count: 2, localNodes: ["edge-orin"], workload: queries("15 s") },
      ...(options.pipelines ? [PIPELINE_DEVICE] : []),
    ],
    nodes: [
      { id: "edge-orin", profile: "jetson-agx-orin-64gb", serve: { model: "llama-3.1-8b", quantization: "Q4_K_M", path: "gpu" } },
      { id: "cloud", profile: "cloud-llm-endpoint", serve: { model: "gpt-4o-mini", quantization: "served" } },
    ],
    network: {
      default: { latency: "8 ms", bandwidth: "50 Mbit/s" },
      links: ["phone", "laptop", ...(options.pipelines ? ["agent"] : [])].map((group) => ({ between: [group, "cloud"], latency: "35 ms" })),
    },
    electricityUsdPerKWh: 0.3,
    routers: [
      "local-only",
      "cloud-only",
      { name: "complexity-threshold", label: "threshold-0.5", options: { threshold: 0.5 } },
      { name: "gray-zone", label: "gray-zone-0.4-0.7", options: { lower: 0.4, upper: 0.7 } },
      ...(options.learned ? [{ name: "learned-router", label: "learned", options: { initialThresholds: [1], updateEvery: 5 } }] : []),
    ],
  };
}

/** A run's query section (every run of these results has one). */
export function q(run: Results["runs"][number]): NonNullable<Results["runs"][number]["queries"]> {
  if (run.queries === null) throw new Error(`run ${run.label} has no queries`);
  return run.queries;
}

/** The query charts of the one chart list. */
export const LLM_CHARTS = CHARTS.filter((chart) => chart.family === "queries");

/** A query scenario's results@2. */
export function simulate(options: { pipelines: boolean; learned: boolean }): Results {
  return simulateScenario(resolveScenario(scenario(options), { baseDir: join(REPO, "scenarios") }));
}

export function drawn(outcome: ChartOutcome): DrawnChart {
  if (outcome.kind !== "chart") throw new Error(`expected a chart, got skipped: ${outcome.reason}`);
  return outcome;
}

/** The data rows of a spec and of every view nested in it. */
export function dataRows(spec: unknown): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const record = node as Record<string, unknown>;
      const data = record.data as { values?: unknown } | undefined;
      if (Array.isArray(data?.values)) rows.push(...(data.values as Array<Record<string, unknown>>));
      for (const [key, value] of Object.entries(record)) if (key !== "data") visit(value);
    }
  };
  visit(spec);
  return rows;
}

/** Every colour scale on a `router` field in a spec. */
export function routerColourScales(spec: unknown): Array<{ domain: string[]; range: string[] }> {
  const found: Array<{ domain: string[]; range: string[] }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const record = node as Record<string, unknown>;
      const colour = record.color as { field?: string; scale?: { domain: string[]; range: string[] } } | undefined;
      if (colour?.field === "router" && colour.scale !== undefined) found.push(colour.scale);
      Object.values(record).forEach(visit);
    }
  };
  visit(spec);
  return found;
}

export function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (match === null) throw new Error("svg without width/height");
  return { width: Number(match[1]), height: Number(match[2]) };
}
