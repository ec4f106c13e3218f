import { describe, expect, it } from "vitest";
import { metricTitle } from "../../src/report/charts/sweep-input.js";

describe("sweep chart titles say what a metric is and its unit", () => {
  it("frame, query, job and node metrics of results@2", () => {
    expect(metricTitle("frames.latency.total.p95")).toBe("total latency p95 (ms)");
    expect(metricTitle("queries.latency.total.p95")).toBe("query total latency p95 (ms)");
    expect(metricTitle("queries.latency.ttft.p95")).toBe("time to first token p95 (ms)");
    expect(metricTitle("queries.cost.perDayUsd")).toBe("money per day (USD)");
    expect(metricTitle("queries.cost.apiUsd")).toBe("API money (USD)");
    expect(metricTitle("queries.privacy.shareOfQueriesToCloud")).toBe("share of queries sent to the cloud");
    expect(metricTitle("nodes.3.llm.decodeTokensPerSPerQuery.mean")).toBe("node 3 llm decode tokens/s per query mean");
    expect(metricTitle("nodes.0.utilisation")).toBe("node 0 busy share");
    expect(metricTitle("jobs.violationRate")).toBe("QoS violation rate (all jobs)");
    expect(metricTitle("frames.jobs.refused")).toBe("frames refused");
    expect(metricTitle("migrations")).toBe("migrations");
    expect(metricTitle("events")).toBe("events");
  });
});
