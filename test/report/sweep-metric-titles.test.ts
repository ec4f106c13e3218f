import { describe, expect, it } from "vitest";
import { metricTitle } from "../../src/report/charts/sweep-input.js";

describe("sweep chart titles say what a metric is and its unit", () => {
  it("edge and language-model metrics", () => {
    expect(metricTitle("latency.total.p95")).toBe("total latency p95 (ms)");
    expect(metricTitle("latency.ttft.p95")).toBe("time to first token p95 (ms)");
    expect(metricTitle("cost.perDayUsd")).toBe("money per day (USD)");
    expect(metricTitle("cost.apiUsd")).toBe("API money (USD)");
    expect(metricTitle("privacy.shareOfQueriesToCloud")).toBe("share of queries sent to the cloud");
    expect(metricTitle("nodes.3.decodeTokensPerSPerQuery.mean")).toBe("node 3 decode tokens/s per query mean");
    expect(metricTitle("nodes.0.utilisation")).toBe("node 0 busy share");
    expect(metricTitle("requests.dropped")).toBe("requests.dropped");
  });
});
