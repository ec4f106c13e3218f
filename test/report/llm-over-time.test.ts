import { describe, expect, it } from "vitest";
import { simulate } from "../../src/run/simulate.js";
import { compileChart } from "../../src/report/render.js";
import { parseReportResults } from "../../src/report/results-input.js";
import { llmOverTimeChart, overTimePoints, PANELS } from "../../src/report/llm/llm-over-time.js";
import { boardAndCloud, llmScenario } from "../llm/llm-helpers.js";

describe("llm-over-time chart", () => {
  const doc = boardAndCloud({ duration: "20 min", routers: ["local-only", "cloud-only"] });
  (doc.devices as Array<Record<string, unknown>>)[0].workload = { type: "queries", interarrival: { dist: "exponential", mean: "15 s" }, promptTokens: 200, outputTokens: 50 };
  const results = parseReportResults(JSON.parse(JSON.stringify(simulate(llmScenario(doc)))), "test");

  it("draws one point per router, bin and panel, from the time series, with no compile warnings", () => {
    const outcome = llmOverTimeChart(results);
    expect(outcome.kind).toBe("chart");
    if (outcome.kind !== "chart") return;
    expect(compileChart(outcome.spec).warnings).toEqual([]);
    const { points } = overTimePoints(results);
    const bins = results.runs[0].queries!.timeSeries.bins;
    expect(points.length).toBe(2 * bins.length * 3);
    const cloudShare = points.filter((p) => p.router === "cloud-only" && p.panel === PANELS[2] && p.value !== null);
    expect(cloudShare.every((p) => p.value === 1)).toBe(true);
    const firstBusy = bins.findIndex((b) => b.completed > 0);
    // TTFT in ms, like every other latency in the report.
    const ttft = points.filter((p) => p.router === "local-only" && p.panel === PANELS[0])[firstBusy];
    expect(ttft.value).toBeCloseTo(bins[firstBusy].ttftP95!, 0);
  });

  it("is skipped, with the reason, for results without a time series", () => {
    const without = { ...results, runs: results.runs.map((run) => ({ ...run, queries: run.queries && { ...run.queries, timeSeries: { ...run.queries.timeSeries, bins: [] } } })) };
    const outcome = llmOverTimeChart(without);
    expect(outcome.kind).toBe("skipped");
    if (outcome.kind === "skipped") expect(outcome.reason).toContain("time series");
  });
});
