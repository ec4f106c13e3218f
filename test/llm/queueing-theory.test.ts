import { describe, expect, it } from "vitest";
import { boardAndCloud, llmScenario, q, simulateQueries } from "./llm-helpers.js";

/**
 * The batched server against queueing theory. Every query needs 100 prompt tokens at 100 tok/s
 * and 10 output tokens at 10 tok/s: 2 s of service alone. Poisson arrivals every 2.5 s: load 0.8.
 */
function run(node: Record<string, unknown>, promptTokens: unknown = 100, drain = "0 s") {
  const doc = boardAndCloud({
    seed: 11,
    duration: "40 h",
    warmup: "1 h",
    drain,
    contextTokens: 1024,
    qos: { total: "1 h" },
    devices: [
      {
        id: "source",
        localNodes: ["server"],
        workload: { type: "queries", interarrival: { dist: "exponential", mean: "2.5 s" }, promptTokens, outputTokens: 10 },
      },
    ],
    nodes: [{ id: "server", serve: { model: "llama-3.2-1b", quantization: "Q4_0" }, ...node }],
    network: { default: { latency: 0 }, requestOverheadBytes: 0 },
    routers: ["local-only"],
  });
  return simulateQueries(llmScenario(doc)).runs[0];
}

describe("the LLM server against queueing theory (load 0.8)", () => {
  it("a batch of one is an M/D/1 queue: mean wait = rho S / (2 (1 - rho)) = 4 s (Pollaczek-Khinchine)", () => {
    const r = run({ profile: "test-board", maxBatch: 1 });
    expect(r.jobs.completed).toBeGreaterThan(50_000);
    expect(q(r).latency.queueing.mean! / 4000).toBeGreaterThan(0.93);
    expect(q(r).latency.queueing.mean! / 4000).toBeLessThan(1.07);
    expect(r.nodes[0].llm!.utilisation).toBeCloseTo(0.8, 1);
    // Little's law on the queue: mean queue length = arrival rate x mean wait.
    expect(r.nodes[0].llm!.meanQueueLength / ((r.jobs.completed / (39 * 3600)) * (q(r).latency.queueing.mean! / 1000))).toBeCloseTo(1, 1);
  });

  it("an unlimited batch that shares its rates is M/G/1 processor sharing: mean sojourn = S / (1 - rho) = 10 s", () => {
    const r = run({ profile: "test-shared-board" });
    expect(q(r).latency.total.mean! / 10_000).toBeGreaterThan(0.93);
    expect(q(r).latency.total.mean! / 10_000).toBeLessThan(1.07);
    expect(q(r).latency.queueing.max).toBe(0);
  });

  it("processor sharing is insensitive to the service distribution: variable prompts (same mean work) give the same mean", () => {
    // Prompts uniform on [1, 199] tokens: mean 100, so the mean work is 2 s as before.
    const r = run({ profile: "test-shared-board" }, { dist: "uniform", low: 0.5, high: 199.5 });
    expect(q(r).latency.total.mean! / 10_000).toBeGreaterThan(0.93);
    expect(q(r).latency.total.mean! / 10_000).toBeLessThan(1.07);
  });

  it("a long drain does not dilute rates or time averages: M/D/1 with a 39 h drain still shows rho = 0.8 and lambda = 0.4/s", () => {
    // The window is [warmup, duration) = 39 h whatever the drain; the old rule divided by
    // duration + drain - warmup and would show 0.4 and 0.2/s here.
    const r = run({ profile: "test-board", maxBatch: 1 }, 100, "39 h");
    const windowS = 39 * 3600;
    const lambda = 0.4;
    // Arrivals in the window are Poisson(lambda T): throughput's SE is sqrt(lambda T) / T, and
    // busy time is those arrivals' 2 s of work each (up to the backlog at the window's edges).
    const countSe = Math.sqrt(lambda * windowS) / windowS;
    expect(Math.abs(q(r).throughput.queriesPerS - lambda)).toBeLessThan(4 * countSe);
    expect(Math.abs(r.nodes[0].llm!.utilisation - 0.8)).toBeLessThan(4 * 2 * countSe);
    expect(q(r).throughput.outputTokensPerS).toBeCloseTo(10 * q(r).throughput.queriesPerS, 12);
    // The node's utilisation (any service busy) is the llm service's here: the world integrates the same load.
    expect(r.nodes[0].utilisation).toBeCloseTo(r.nodes[0].llm!.utilisation, 9);
    // Little's law on the queue over the same window: L_q = lambda W_q (= 0.4 x 4 s by Pollaczek-Khinchine).
    expect(r.nodes[0].llm!.meanQueueLength / (q(r).throughput.queriesPerS * (q(r).latency.queueing.mean! / 1000))).toBeCloseTo(1, 1);
    expect(r.jobs.unfinished).toBe(0);
  });
});
