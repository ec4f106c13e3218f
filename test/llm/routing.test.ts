import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boardAndCloud, HERE, llmScenario, q, simulateQueries } from "./llm-helpers.js";

/** Three device groups with fixed complexities, 9 queries each (every 10 s for 100 s), each phone-like device running llama-3.2-1b itself. */
function crafted(routers: unknown[]): Record<string, unknown> {
  const group = (id: string, complexity: number) => ({
    id,
    profile: "test-board",
    localModel: { model: "llama-3.2-1b", quantization: "Q4_0" },
    workload: { type: "queries", interarrival: "10 s", promptTokens: 200, outputTokens: 50, complexity },
  });
  return boardAndCloud({
    duration: "100 s",
    devices: [group("easy", 0.2), group("middling", 0.55), group("hard", 0.9)],
    nodes: [{ id: "cloud", profile: "test-cloud", serve: { model: "big", quantization: "served" } }],
    routers,
  });
}

describe("routing policies send each query where their thresholds say", () => {
  const results = simulateQueries(
    llmScenario(
      crafted([
        "local-only",
        "cloud-only",
        { name: "complexity-threshold", label: "t0.5", options: { threshold: 0.5 } },
        { name: "complexity-threshold", label: "t0.95", options: { threshold: 0.95 } },
        { name: "gray-zone", label: "gz", options: { lower: 0.4, upper: 0.7 } },
      ]),
    ),
  );
  const run = (label: string) => results.runs.find((r) => r.label === label)!;

  it("every group generates 9 queries and all complete", () => {
    for (const r of results.runs) {
      expect(r.jobs.generated).toBe(27);
      expect(r.jobs.completed).toBe(27);
    }
  });

  it("local-only keeps everything on the device; cloud-only sends everything", () => {
    expect(q(run("local-only")).routes).toEqual({ local: 27, cloud: 0, collaborative: 0 });
    expect(q(run("local-only")).privacy.shareOfQueriesOffDevice).toBe(0);
    expect(q(run("local-only")).cost.apiUsd).toBe(0);
    expect(q(run("cloud-only")).routes).toEqual({ local: 0, cloud: 27, collaborative: 0 });
    expect(q(run("cloud-only")).privacy.shareOfTokensToCloud).toBe(1);
  });

  it("complexity-threshold: below the threshold local, at or above it cloud", () => {
    expect(q(run("t0.5")).routes).toEqual({ local: 9, cloud: 18, collaborative: 0 });
    expect(q(run("t0.95")).routes).toEqual({ local: 27, cloud: 0, collaborative: 0 });
    expect(q(run("t0.5")).privacy.shareOfQueriesToCloud).toBeCloseTo(18 / 27, 12);
  });

  it("gray-zone: local below lower, collaborative between, cloud from upper, with the condensed prompt's tokens and times", () => {
    const gz = run("gz");
    expect(q(gz).routes).toEqual({ local: 9, cloud: 9, collaborative: 9 });
    // Collaborative: the cloud sees round(0.25 x 200) + 50 = 100 prompt tokens instead of 200.
    expect(q(gz).privacy.promptTokensToCloud).toBe(9 * 200 + 9 * 100);
    expect(q(gz).cost.apiUsd).toBeCloseTo(9 * (200e-6 + 50 * 4e-6) + 9 * (100e-6 + 50 * 4e-6), 12);
    // A collaborative query: local prefill 2 s + draft 50 tokens at 10 tok/s = 7 s, then the cloud 5 + 200 + 100 + 5 ms to the first token and 1 s of decode.
    expect(q(gz).latency.ttft.max).toBeCloseTo(7310, 6);
    expect(q(gz).latency.total.max).toBeCloseTo(8310, 6);
  });

  it("per device group: each group's queries, routes and shares", () => {
    const t = run("t0.5");
    expect(t.groups.map((g) => g.group)).toEqual(["easy", "middling", "hard"]);
    for (const g of t.groups) expect(g.jobs.completed).toBe(9);
    expect(t.groups[0].queries!.shareLocal).toBe(1);
    expect(t.groups[1].queries!.shareToCloud).toBe(1);
    expect(t.groups[2].queries!.shareToCloud).toBe(1);
    expect(t.groups.reduce((sum, g) => sum + g.queries!.apiUsd, 0)).toBeCloseTo(q(t).cost.apiUsd, 15);
    // The easy group answers on the 1B model, the others on the 100B one.
    expect(t.groups[0].queries!.qualityMeanProbability!).toBeLessThan(t.groups[1].queries!.qualityMeanProbability!);
  });

  it("the time series bins every measured query by creation time, and its sums match the totals", () => {
    const t = run("t0.5");
    const bins = q(t).timeSeries.bins;
    expect(q(t).timeSeries.binMs).toBe(1000);
    expect(bins.length).toBe(100);
    expect(bins.reduce((sum, b) => sum + b.completed, 0)).toBe(27);
    expect(bins.reduce((sum, b) => sum + b.apiUsd, 0)).toBeCloseTo(q(t).cost.apiUsd, 15);
    // Queries arrive at 10, 20, ... 90 s: three per such bin, one of them local (the easy group).
    const busy = bins.filter((b) => b.completed > 0);
    expect(busy.map((b) => b.startMs)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90].map((s) => s * 1000));
    for (const b of busy) expect(b.shareLocal).toBeCloseTo(1 / 3, 12);
  });

  it("the quality proxy follows the model that answered", () => {
    // Cloud (100B) answers better than the 1B local model on the same queries.
    expect(q(run("cloud-only")).quality.meanProbability!).toBeGreaterThan(q(run("local-only")).quality.meanProbability! + 0.3);
  });
});

describe("edge-first spills to the cloud only when the local route is busy", () => {
  it("two simultaneous queries on a batch of one with maxOutstanding 1: one local, one cloud", () => {
    const doc = boardAndCloud({ routers: [{ name: "edge-first", options: { maxOutstanding: 1 } }] });
    (doc.devices as Array<Record<string, unknown>>)[0].count = 2;
    (doc.nodes as Array<Record<string, unknown>>)[0].maxBatch = 1;
    const run = simulateQueries(llmScenario(doc)).runs[0];
    expect(q(run).routes).toEqual({ local: 1, cloud: 1, collaborative: 0 });
    expect(run.policyStatistics.overflowToCloud).toBe(1);
  });
});

describe("money", () => {
  it("the cost of a fixed trace equals the hand computation", () => {
    const doc = boardAndCloud({
      duration: "10 s",
      devices: [{ id: "user", localNodes: ["board"], workload: { type: "query-trace", file: "../fixtures/llm/three-queries.csv" } }],
      routers: ["cloud-only", "local-only"],
    });
    const results = simulateQueries(llmScenario(doc));
    const cloud = results.runs[0];
    expect(cloud.jobs.completed).toBe(3);
    // $1 per million prompt tokens, $4 per million output tokens.
    const expected = (100 + 2000 + 50) * 1e-6 + (10 + 300 + 5) * 4e-6;
    expect(q(cloud).cost.apiUsd).toBeCloseTo(expected, 15);
    expect(q(cloud).cost.totalUsd).toBeCloseTo(expected, 15);
    expect(q(cloud).tokens.prompt).toBe(2150);
    expect(q(cloud).tokens.output).toBe(315);
    expect(q(results.runs[1]).cost.apiUsd).toBe(0);
  });

  it("the shipped synthetic Azure-format trace: cost = sum over rows", () => {
    const file = join(HERE, "..", "..", "traces", "azure-conv-synthetic.csv");
    const rows = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","));
    const hand = rows.reduce((sum, r) => sum + Number(r[1]) * 1e-6 + Number(r[2]) * 4e-6, 0);
    const doc = boardAndCloud({
      duration: "1 h",
      drain: "10 min",
      devices: [{ id: "user", localNodes: ["board"], workload: { type: "query-trace", file } }],
      routers: ["cloud-only"],
    });
    const run = simulateQueries(llmScenario(doc)).runs[0];
    expect(run.jobs.completed).toBe(rows.length);
    expect(q(run).cost.apiUsd).toBeCloseTo(hand, 12);
  });

  it("edge energy and hardware are charged at the stated prices", () => {
    const doc = boardAndCloud({ electricityUsdPerKWh: 0.5 });
    (doc.nodes as Array<Record<string, unknown>>)[0].costUsdPerHour = 0.36;
    const run = simulateQueries(llmScenario(doc)).runs[0];
    // The window is [warmup, duration) = 150 s (the 60 s drain is not part of it): board idle 2 W
    // all along, +8 W for the 7 s it served.
    const joules = 2 * 150 + 8 * 7;
    expect(run.nodes[0].energyJ).toBeCloseTo(joules, 6);
    expect(q(run).cost.energyUsd).toBeCloseTo((joules / 3.6e6) * 0.5, 12);
    expect(q(run).cost.hardwareUsd).toBeCloseTo(0.36 * (150 / 3600), 12);
  });
});
