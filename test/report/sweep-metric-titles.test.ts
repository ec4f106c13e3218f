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

  it("shared links and moving devices (issue 15), by their index in the run's list", () => {
    expect(metricTitle("frames.latency.networkUp.mean")).toBe("network up mean (ms)");
    expect(metricTitle("links.links.0.utilisation")).toBe("link direction 0 utilisation");
    expect(metricTitle("links.meanFlowsInFlight")).toBe("transfers in flight on shared links");
    expect(metricTitle("mobility.groups.1.handoversPerDeviceHour")).toBe("group 1 handovers per device-hour");
    expect(metricTitle("mobility.devices.3.waitMs")).toBe("moving device 3 transfer wait (ms)");
  });

  it("the control plane (issue 17): the catalog's counts, and a deployment by its index in the run's list", () => {
    expect(metricTitle("control.catalog.staleRejected")).toBe("jobs rejected by a stale catalog view");
    expect(metricTitle("control.deployments.0.coldStarts.meanWaitMs")).toBe("deployment 0 mean cold-start wait (ms)");
    expect(metricTitle("control.deployments.1.scaleEvents")).toBe("deployment 1 scaling decisions");
    expect(metricTitle("control.deployments.0.provisioning")).toBe("deployment 0 replicas provisioned");
  });
});
