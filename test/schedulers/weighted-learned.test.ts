import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { createWeighted } from "../../src/schedulers/weighted.js";
import type { ClusterView, TaskRequest } from "../../src/schedulers/types.js";

import { simulate } from "../../src/run/simulate.js";
import type { InputError } from "../../src/errors.js";
import { REPO } from "../cli/helpers.js";

/** A cluster of three nodes whose features are known by hand (profile times, load, latency). */
function view(outstanding: number[]): ClusterView {
  const preprocessing = [10, 20, 5];
  const inference = [60, 15, 40];
  const latency = [2, 10, 30];
  return {
    now: 0,
    nodeCount: 3,
    deviceCount: 1,
    qosDeadlineMs: 200,
    nodeId: (n) => `n${n}`,
    deviceId: () => "d",
    isHealthy: () => true,
    slots: () => 1,
    busySlots: () => 0,
    queueLength: () => 0,
    queueDelay: () => 0,
    isOverloaded: () => false,
    outstanding: (n) => outstanding[n],
    latency: (_d, n) => latency[n],
    recentLatency: () => NaN,
    isCloud: () => false,
    canRunLocally: () => false,
    profilePreprocessingMs: (_d, n) => preprocessing[n],
    profileInferenceMs: (_d, n) => inference[n],
  };
}

const task: TaskRequest = { sequence: 0, device: 0, deviceId: "d", model: "m", frameSizePx: 300, requestBytes: 0, createdAt: 0 };
const place = (options: Record<string, unknown>, outstanding = [0, 0, 0]) =>
  createWeighted({
    random: () => 0.5,
    options,
    nodeCount: 3,
    deviceCount: 1,
    label: "weighted",
    scenario: { name: "hand", seed: 1, qosDeadlineMs: 200, nodes: [], devices: [] },
    monitorCooldownMs: 0,
  }).place(task, view(outstanding));

describe("weighted: W = alpha W_cpu + beta W_ai + gamma W_nl", () => {
  it("each weight alone picks the best node on its own term", () => {
    expect(place({ alpha: 1, beta: 0, gamma: 0 })).toBe(2); // preprocessing 5 ms
    expect(place({ alpha: 0, beta: 1, gamma: 0 })).toBe(1); // inference 15 ms
    expect(place({ alpha: 0, beta: 0, gamma: 1 })).toBe(0); // round trip 4 ms
  });

  it("normalises each term by its maximum and the weights by their sum (hand computation)", () => {
    // cpu/max = [0.5, 1, 0.25], ai/max = [1, 0.25, 0.667], nl/max = [0.067, 0.333, 1].
    // Equal weights: [0.522, 0.528, 0.639] / 1 -> node 0, barely ahead of node 1.
    expect(place({ alpha: 1, beta: 1, gamma: 1 })).toBe(0);
    // Scaling all weights changes nothing (renormalised).
    expect(place({ alpha: 5, beta: 5, gamma: 5 })).toBe(0);
    // beta 2: node 1 = (1 + 0.5 + 0.333)/4 = 0.458 beats node 0 = (0.5 + 2 + 0.067)/4 = 0.642.
    expect(place({ alpha: 1, beta: 2, gamma: 1 })).toBe(1);
  });

  it("follows load: outstanding requests inflate a node's time terms", () => {
    expect(place({ alpha: 1, beta: 1, gamma: 1 }, [3, 0, 0])).toBe(1);
  });
});

describe("heterogeneous cluster (100 devices, 12 edge nodes, a cloud)", () => {
  const doc = JSON.parse(readFileSync(join(REPO, "scenarios", "heterogeneous-cluster.json"), "utf8"));
  doc.duration = "90 s";
  const results = simulate(resolveScenario(doc, {}));
  const byLabel = Object.fromEntries(results.runs.map((r) => [r.label, r]));

  it("weighted and learned beat nearest-healthy on QoS violations", () => {
    const nearest = byLabel["nearest-healthy"].jobs.violationRate as number;
    expect(nearest).toBeGreaterThan(0.5);
    for (const label of ["weighted", "learned", "learned-federated"]) expect(byLabel[label].jobs.violationRate as number).toBeLessThan(nearest / 10);
  });

  it("learned improves over its own first time bins (from network-only weights)", () => {
    for (const label of ["learned", "learned-federated"]) {
      const run = byLabel[label];
      expect(run.learned).toBe(true);
      const rates = (run.frames?.timeSeries.bins ?? []).map((b) => b.violationRate).filter((v): v is number => v !== null);
      const later = rates.slice(rates.length / 2);
      const laterMean = later.reduce((s, v) => s + v, 0) / later.length;
      expect(rates[0]).toBeGreaterThan(3 * laterMean);
    }
    expect(byLabel.weighted.learned).toBe(false);
  });

  it("federated averaging counts the bytes exchanged: 2 x devices x 4 parameters x 8 bytes per round", () => {
    const stats = byLabel["learned-federated"].policyStatistics;
    expect(stats.federatedRounds).toBe(9);
    expect(stats.federatedBytes).toBe((stats.federatedRounds as number) * 2 * 100 * 4 * 8);
    expect(byLabel.learned.policyStatistics.federatedBytes).toBe(0);
  });
});

describe("scheduler options are validated when the scenario loads", () => {
  const base = {
    name: "opts",
    duration: "1 s",
    qosDeadline: "1 s",
    devices: [{ id: "d", workload: { type: "arrivals", model: "m", interarrival: 100 } }],
    nodes: [{ id: "n", inferenceTime: 1 }],
  };
  const load = (schedulers: unknown[]) => resolveScenario({ ...base, schedulers }, {});
  const issues = (schedulers: unknown[]) => {
    try {
      load(schedulers);
    } catch (error) {
      return (error as InputError).issues.map((i) => i.path);
    }
    return [];
  };

  it("names an unknown option, a wrong type, and options given to a policy that takes none", () => {
    expect(issues([{ name: "weighted", options: { delta: 1 } }])).toEqual(["schedulers[0].options.delta"]);
    expect(issues([{ name: "learned", options: { learningRate: "fast" } }])).toEqual(["schedulers[0].options.learningRate"]);
    expect(issues([{ name: "round-robin", options: { alpha: 1 } }])).toEqual(["schedulers[0].options.alpha"]);
    expect(load([{ name: "weighted", options: { alpha: 2 } }]).policies[0].frames?.options).toEqual({ alpha: 2, beta: 1, gamma: 1 });
  });
});
