import type { ScenarioInput } from "../scenario/schema.js";
import { mobileModel } from "./mobile-model.js";

/**
 * The benchmark models, as ordinary scenario documents: they run through the same loader,
 * world and metrics as a user's scenario, with no special fast path.
 */
export interface BenchModel {
  name: string;
  description: string;
  /** A scenario file may be run shorter, and (an llm scenario) at another number of daily users. */
  scenario: ScenarioInput | { file: string; duration: string; dailyActiveUsers?: number };
}

function queue(name: string, arrivalRatePerMs: number, slots: number, requests: number): BenchModel {
  return {
    name,
    description: `M/M/${slots}: arrival rate ${arrivalRatePerMs}, service rate 1, ${slots} slot(s), ${requests} requests`,
    scenario: {
      name,
      seed: 1,
      duration: requests / arrivalRatePerMs,
      qosDeadline: 1000,
      devices: [{ id: "source", workload: { type: "arrivals", model: "job", interarrival: { dist: "exponential", rate: arrivalRatePerMs } } }],
      nodes: [{ id: "server", slots, inferenceTime: { dist: "exponential", mean: 1 } }],
      schedulers: ["least-loaded"],
    },
  };
}

function edge(name: string, serviceMeanMs: number): BenchModel {
  return {
    name,
    description: `1000 devices (exponential gaps, mean 100 ms), uplink/downlink exponential mean 10 ms, 10 nodes x 2 slots, service mean ${serviceMeanMs} ms, least-loaded, 60 s`,
    scenario: {
      name,
      seed: 1,
      duration: "60 s",
      qosDeadline: "200 ms",
      devices: [{ id: "device", count: 1000, workload: { type: "arrivals", model: "detector", interarrival: { dist: "exponential", mean: "100 ms" } } }],
      nodes: Array.from({ length: 10 }, (_, i) => ({ id: `edge-${i}`, slots: 2, inferenceTime: { dist: "exponential" as const, mean: serviceMeanMs } })),
      network: { default: { latency: { dist: "exponential", mean: "10 ms" } } },
      schedulers: ["least-loaded"],
    },
  };
}

/** Decisions through the JSON-lines policy bridge: one request per ms, each placed by the agent. */
function bridge(name: string, command: string[]): BenchModel {
  return {
    name,
    description: `100,000 decisions through the policy bridge to ${command.join(" ")} (nearest-healthy answers)`,
    scenario: {
      name,
      seed: 1,
      duration: 100_000,
      qosDeadline: 1000,
      devices: [{ id: "source", workload: { type: "arrivals", model: "job", interarrival: 1, startOffset: 0 } }],
      nodes: [
        { id: "a", inferenceTime: 0.5 },
        { id: "b", inferenceTime: 0.5 },
      ],
      schedulers: [{ policy: "external", command, timeoutMs: 10_000 }],
    },
  };
}

export const BENCH_MODELS: readonly BenchModel[] = [
  queue("mm1", 0.9, 1, 1_000_000),
  queue("mm4", 3.2, 4, 1_000_000),
  edge("edge-offload", 1.6),
  edge("edge-backlog", 20),
  {
    name: "heterogeneous-1h",
    description: "scenarios/heterogeneous-cluster.json (100 devices, 12 edge nodes, a cloud) for one simulated hour, its five schedulers",
    scenario: { file: "scenarios/heterogeneous-cluster.json", duration: "1 h" },
  },
  bridge("bridge-node", ["node", "examples/agents/nearest-agent.mjs"]),
  bridge("bridge-python", ["python3", "clients/python/examples/nearest_agent.py"]),
  {
    name: "llm-cost-20k",
    description: "scenarios/cost-at-scale.json at 20,000 daily users (300,000 queries) for one simulated day, three routers (batched servers, edge fleet, cloud)",
    scenario: { file: "scenarios/cost-at-scale.json", duration: "24 h", dailyActiveUsers: 20000 },
  },
  {
    name: "testbed-1h",
    description: "scenarios/edge-ai-testbed.json for one simulated hour (three schedulers)",
    scenario: { file: "scenarios/edge-ai-testbed.json", duration: "1 h" },
  },
  {
    name: "mobile-10k",
    description:
      "10,000 devices moving by random waypoint (1-15 m/s, pauses 0-30 s) over 100 APs (4 Mbit/s of air each, shared) and 20 edge nodes, one request of 20 kB every 10 s per device, nearest-healthy, one simulated hour",
    scenario: mobileModel("mobile-10k"),
  },
];
