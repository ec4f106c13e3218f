import { describe, expect, it } from "vitest";
import { boardAndCloud, llmScenario, q, simulateQueries } from "./llm-helpers.js";

/**
 * One user asking every 10 s (7 s of service on the board: 2 s prefill, 5 s decode); the board
 * crashes at 52 s and is back at 92 s; health checks every 7 s with a 1 s timeout, so the crash
 * is known at 57 s (the probe at 56 s times out) and the recovery at 98 s.
 */
/** The hand-computed base with one query every 10 s (10, 20, ... 140 s). */
function everyTenSeconds(overrides: Record<string, unknown>): Record<string, unknown> {
  const doc = boardAndCloud(overrides);
  (doc.devices as Array<{ workload: Record<string, unknown> }>)[0].workload.interarrival = "10 s";
  return doc;
}

function crashed(routers: unknown[]) {
  return simulateQueries(
    llmScenario(
      everyTenSeconds({
        routers,
        healthCheck: { interval: "7 s", timeout: "1 s" },
        faults: [{ type: "crash", node: "board", at: "52 s", recoverAfter: "40 s" }],
      }),
    ),
  );
}

describe("node crashes in language-model runs", () => {
  const [local, edgeFirst] = crashed(["local-only", { name: "edge-first", options: { maxOutstanding: 5 } }]).runs;

  it("the query in service at the crash is lost, and so is every one sent to the board while it is down", () => {
    // 50 s: in service at 52 s. 60-90 s: local-only keeps sending to the board (no failover): lost.
    expect(local.jobs.lost).toBe(5);
    expect(local.jobs.lost).toBe(5);
    expect(local.jobs.violations).toBeGreaterThanOrEqual(5);
    expect(local.nodes[0].llm!.lost).toBe(5);
    expect(local.jobs.completed).toBe(14 - 5);
  });

  it("a router that asks the view fails over: edge-first sends to the cloud while the board is known down", () => {
    expect(edgeFirst.jobs.lost).toBe(1);
    expect(q(edgeFirst).routes.cloud).toBe(4);
    expect(q(edgeFirst).cost.apiUsd).toBeCloseTo(4 * (200e-6 + 50 * 4e-6), 12);
  });

  it("records the crash with its health-check detection, and the down time; a down node draws no power", () => {
    expect(local.faults).toEqual([{ kind: "crash", target: "board", startMs: 52_000, endMs: 92_000, detectedAtMs: 57_000, recoveryDetectedAtMs: 98_000 }]);
    expect(local.nodes[0].downMs).toBe(40_000);
    // 150 s measured (the window [warmup, duration): the drain is not part of it), 40 s down: idle 2 W for 110 s, +8 W while serving (9 queries x 7 s, and the
    // lost one from 50.005 s, after its 5 ms uplink, to the crash at 52 s).
    expect(local.nodes[0].energyJ).toBeCloseTo(2 * 110 + 8 * (9 * 7 + 1.995), 6);
  });

  it("random crashes (MTBF/MTTR) are reproducible per seed and lose queries", () => {
    const doc = boardAndCloud({
      duration: "2 h",
      routers: ["local-only"],
      faults: [{ type: "crashes", node: "board", mtbf: { dist: "exponential", mean: "10 min" }, mttr: { dist: "exponential", mean: "1 min" } }],
    });
    const a = simulateQueries(llmScenario(doc)).runs[0];
    const b = simulateQueries(llmScenario(doc)).runs[0];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.faults.length).toBeGreaterThan(3);
    expect(a.jobs.lost).toBeGreaterThan(0);
    // About 1/11 of the time down.
    expect(a.nodes[0].downMs / (2 * 3_600_000)).toBeGreaterThan(0.03);
    expect(a.nodes[0].downMs / (2 * 3_600_000)).toBeLessThan(0.2);
  });

  it("a link degradation adds its latency to every transfer while it lasts", () => {
    const doc = everyTenSeconds({
      routers: ["local-only"],
      faults: [{ type: "link-degradation", node: "board", from: "15 s", to: "35 s", addedLatency: "100 ms" }],
    });
    const run = simulateQueries(llmScenario(doc)).runs[0];
    // Queries at 20 and 30 s: uplink, first token and last token each +100 ms.
    expect(q(run).latency.network.max).toBeCloseTo(10 + 200, 6);
    expect(q(run).latency.ttft.max).toBeCloseTo(2010 + 200, 6);
    expect(q(run).latency.network.mean! * run.jobs.completed).toBeCloseTo(10 * 14 + 2 * 200, 6);
  });
});
