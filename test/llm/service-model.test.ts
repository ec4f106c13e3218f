import { describe, expect, it } from "vitest";
import { boardAndCloud, llmScenario, q, simulateQueries } from "./llm-helpers.js";

describe("LLM service model: time to first token and total time by hand", () => {
  it("one query alone: TTFT = uplink + prefill + downlink; total = TTFT + output / decode rate", () => {
    const results = simulateQueries(llmScenario(boardAndCloud()));
    const run = results.runs[0];
    expect(run.jobs.completed).toBe(1);
    // 5 ms up + 200 tokens / 100 tok/s + 5 ms down
    expect(q(run).latency.ttft.mean).toBeCloseTo(2010, 6);
    // + 50 tokens / 10 tok/s
    expect(q(run).latency.total.mean).toBeCloseTo(7010, 6);
    expect(q(run).latency.prefill.mean).toBeCloseTo(2000, 6);
    expect(q(run).latency.decode.mean).toBeCloseTo(5000, 6);
    expect(q(run).latency.network.mean).toBeCloseTo(10, 6);
    expect(run.nodes[0].llm!.decodeTokensPerSPerQuery.mean).toBeCloseTo(10, 6);
  });

  it("two queries in one batch share prefill and decode as the profile's speedups say", () => {
    const doc = boardAndCloud();
    (doc.devices as Array<Record<string, unknown>>)[0].count = 2;
    const run = simulateQueries(llmScenario(doc)).runs[0];
    expect(run.jobs.completed).toBe(2);
    // Prefill: two prompts share 100 tok/s (prefillSpeedup [1]): 200 tokens at 50 tok/s = 4 s each.
    expect(q(run).latency.ttft.max).toBeCloseTo(4010, 6);
    expect(q(run).latency.ttft.min).toBeCloseTo(4010, 6);
    // Decode: aggregate 1.5 x 10 tok/s, 7.5 tok/s each: 50 tokens take 6.667 s.
    expect(q(run).latency.total.mean).toBeCloseTo(5 + 4000 + (50 / 7.5) * 1000 + 5, 6);
  });

  it("a batch of one makes the second query wait for the first", () => {
    const doc = boardAndCloud();
    (doc.devices as Array<Record<string, unknown>>)[0].count = 2;
    (doc.nodes as Array<Record<string, unknown>>)[0].maxBatch = 1;
    const run = simulateQueries(llmScenario(doc)).runs[0];
    expect(q(run).latency.ttft.min).toBeCloseTo(2010, 6);
    // Waits 7 s (prefill 2 s + decode 5 s of the first), then 2 s of prefill.
    expect(q(run).latency.ttft.max).toBeCloseTo(9010, 6);
    expect(q(run).latency.queueing.max).toBeCloseTo(7000, 6);
    expect(q(run).latency.total.max).toBeCloseTo(14010, 6);
    // The second misses the 3 s TTFT deadline.
    expect(run.jobs.violations).toBe(1);
  });

  it("the cloud: overhead + prefill + decode at full rate for every query, and the bill", () => {
    const doc = boardAndCloud({ routers: ["cloud-only"] });
    (doc.devices as Array<Record<string, unknown>>)[0].count = 3;
    const run = simulateQueries(llmScenario(doc)).runs[0];
    expect(run.jobs.completed).toBe(3);
    // 5 + 200 overhead + 200 / 1000 s + 5 ; total adds 50 / 50 s.
    expect(q(run).latency.ttft.max).toBeCloseTo(410, 6);
    expect(q(run).latency.total.max).toBeCloseTo(1410, 6);
    expect(q(run).cost.apiUsd).toBeCloseTo(3 * (200 * 1e-6 + 50 * 4e-6), 12);
    expect(q(run).privacy.shareOfQueriesToCloud).toBe(1);
  });
});

describe("the context window", () => {
  it("a query longer than the context a batch slot holds is refused (a violation), while the cloud takes it", () => {
    const doc = boardAndCloud({ routers: ["local-only", "cloud-only"] });
    const device = (doc.devices as Array<Record<string, unknown>>)[0];
    device.workload = { type: "queries", interarrival: "100 s", promptTokens: 4000, outputTokens: 200, complexity: 0.3 };
    const [local, cloud] = simulateQueries(llmScenario(doc)).runs;
    expect(local.jobs.refused).toBe(1);
    expect(local.nodes[0].llm!.refusedContext).toBe(1);
    expect(local.jobs.violations).toBe(1);
    expect(local.jobs.violationRate).toBe(1);
    expect(cloud.jobs.completed).toBe(1);
  });
});

describe("refused queries", () => {
  it("are not charged: a cloud node with a stated context refuses a longer query and bills nothing", () => {
    const doc = boardAndCloud({ routers: ["cloud-only"] });
    (doc.nodes as Array<Record<string, unknown>>)[1].contextTokens = 1000;
    (doc.devices as Array<Record<string, unknown>>)[0].workload = { type: "queries", interarrival: "100 s", promptTokens: 4000, outputTokens: 200 };
    const run = simulateQueries(llmScenario(doc)).runs[0];
    expect(run.jobs.refused).toBe(1);
    expect(q(run).cost.apiUsd).toBe(0);
    // The prompt did leave the device (it was sent), so privacy counts it.
    expect(q(run).privacy.queriesToCloud).toBe(1);
  });
});

describe("daily active users", () => {
  it("users x requests per day arrive over the day, shared by a group's devices", () => {
    const generated = (count: number) => {
      const doc = boardAndCloud({ duration: "24 h", drain: "1 h", routers: ["cloud-only"] });
      (doc.devices as Array<Record<string, unknown>>)[0] = {
        id: "users",
        count,
        localNodes: ["board"],
        workload: { type: "queries", dailyActiveUsers: 200, requestsPerUserPerDay: 15, promptTokens: 10, outputTokens: 10 },
      };
      return simulateQueries(llmScenario(doc)).runs[0].jobs.generated;
    };
    // 3,000 a day, Poisson: within 4 standard deviations (4 x sqrt(3000) = 219), whatever the count.
    for (const count of [1, 4]) expect(Math.abs(generated(count) - 3000)).toBeLessThan(219);
  });
});

describe("a diurnal profile (hourlyWeights)", () => {
  it("shapes the day's arrivals by hour and keeps the day's total", () => {
    const doc = boardAndCloud({ duration: "48 h", drain: "1 h", routers: ["cloud-only"], metrics: { binWidth: "1 h" } });
    // Nothing from 00:00 to 12:00, then 1x, and 3x from 18:00: rates 0, 1, 3 relative.
    const weights = [...Array(12).fill(0), ...Array(6).fill(1), ...Array(6).fill(3)];
    (doc.devices as Array<Record<string, unknown>>)[0] = {
      id: "users",
      localNodes: ["board"],
      workload: { type: "queries", dailyActiveUsers: 200, requestsPerUserPerDay: 15, hourlyWeights: weights, promptTokens: 10, outputTokens: 10 },
    };
    const run = simulateQueries(llmScenario(doc)).runs[0];
    // Two days of 3,000 queries (Poisson): within 4 standard deviations.
    expect(Math.abs(run.jobs.generated - 6000)).toBeLessThan(4 * Math.sqrt(6000));
    const perHour = q(run).timeSeries.bins.map((b) => b.completed + b.refused);
    for (const day of [0, 24]) {
      expect(perHour.slice(day, day + 12).every((n) => n === 0)).toBe(true);
      const afternoon = perHour.slice(day + 12, day + 18).reduce((a, b) => a + b, 0);
      const evening = perHour.slice(day + 18, day + 24).reduce((a, b) => a + b, 0);
      // 3,000 a day split 1:3 between the two halves of the active hours: 750 and 2,250.
      expect(Math.abs(afternoon - 750)).toBeLessThan(4 * Math.sqrt(750));
      expect(Math.abs(evening - 2250)).toBeLessThan(4 * Math.sqrt(2250));
    }
  });

  it("needs dailyActiveUsers and a positive weight", () => {
    const doc = boardAndCloud();
    (doc.devices as Array<Record<string, unknown>>)[0].workload = { type: "queries", interarrival: "10 s", hourlyWeights: Array(24).fill(1), promptTokens: 10, outputTokens: 10 };
    expect(() => llmScenario(doc)).toThrow(/hourlyWeights/);
  });
});
