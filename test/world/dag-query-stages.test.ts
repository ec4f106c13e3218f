import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import type { RunResults } from "../../src/metrics/results-schema.js";
import { formatSummary } from "../../src/cli/summary.js";
import { parseReportResults } from "../../src/report/results-input.js";
import { simulate } from "../../src/run/simulate.js";
import { llmScenario, ragScenario } from "../llm/llm-helpers.js";

/**
 * An application with a query stage (issue 17, "an LLM query through retrieve -> generate"):
 * retrieve is a station on an edge node, generate a language-model query issued by the device and
 * routed (cloud-only) to the cloud endpoint of the test profiles (1 prompt token/ms, 1 output
 * token per 20 ms, 200 ms overhead per request). One job, every link 5 ms one way, no bandwidth
 * limit and 0 bytes on the edges: every number below is worked by hand from those.
 */

/** Passed/failed attempt figures of generate: 1,000 tokens, 10% output = 900 prompt + 100 output tokens. */
const TOKENS = 1000;
/** The exchange alone on the reference (cloud) model: 200 + 900 / 1 + 100 * 20 = 3,100 ms; with 5 ms each way, 3,110 ms. */
const EXCHANGE_MS = 200 + 900 + 100 * 20;
const QUERY_MS = EXCHANGE_MS + 2 * 5;

function run(generate: Record<string, unknown>): RunResults {
  return simulate(llmScenario(ragScenario(generate))).runs[0];
}

describe("retrieve (a station) -> generate (a query stage)", () => {
  it("one job: up 5, retrieve 10, down 5, then the query (3,110 ms) and its tool time: the stage takes its measured 4 s", () => {
    // Tool time = measured time - exchange on the reference - 2 x 5 ms = 4,000 - 3,100 - 10 = 890 ms; the query alone on
    // the endpoint takes exactly the reference exchange, so the stage takes 3,110 + 890 = 4,000 ms and the job 20 + 4,000.
    const results = run({ passed: { time: "4 s", tokens: TOKENS }, failed: { time: "5 s", tokens: TOKENS } });
    const app = (results.applications ?? [])[0];
    expect(app.jobs.generated).toBe(1);
    expect(app.jobs.completed).toBe(1);
    expect(app.failed).toBe(0);
    expect(app.latency.mean).toBeCloseTo(5 + 10 + 5 + 4000, 9);
    const [retrieve, generate] = app.stages;
    expect(retrieve.serviceTime.mean).toBe(10);
    expect(generate.service).toBe("llm");
    expect(generate.serviceTime.mean).toBeCloseTo(4000, 9);
    expect(generate.wait.max).toBe(0);
    expect(generate.places).toEqual([{ place: "device", runs: 1, share: 1 }]);
    // The attempt's query is one query of the query results, with its own end-to-end time.
    const queries = results.queries;
    expect(queries?.jobs.completed).toBe(1);
    expect(queries?.latency.total.mean).toBeCloseTo(QUERY_MS, 9);
    expect(queries?.latency.tool.count ?? 0).toBe(0);
    // No pipeline workload: the pipeline section stays empty.
    expect(queries?.pipelines).toBeNull();
  });

  it("successProbability 0 with maxAttempts 3: exactly three attempts (three queries), then the job fails", () => {
    const results = run({ successProbability: 0, maxAttempts: 3, passed: { time: "4 s", tokens: TOKENS }, failed: { time: "5 s", tokens: TOKENS } });
    const app = (results.applications ?? [])[0];
    expect(app.jobs.generated).toBe(1);
    expect(app.jobs.completed).toBe(0);
    expect(app.jobs.unfinished).toBe(0);
    expect(app.failed).toBe(1);
    expect(results.queries?.jobs.completed).toBe(3);
    expect(results.queries?.jobs.generated).toBe(3);
  });

  it("a results file read back (simulate report) keeps the failed count", () => {
    const results = simulate(llmScenario(ragScenario({ successProbability: 0, passed: { time: "4 s", tokens: TOKENS }, failed: { time: "5 s", tokens: TOKENS } })));
    const read = parseReportResults(JSON.parse(JSON.stringify(results)), "test");
    expect(read.runs[0].applications?.[0].failed).toBe(1);
  });

  it("maxAttempts 1 (the default): one attempt, and the job fails", () => {
    const results = run({ successProbability: 0, passed: { time: "4 s", tokens: TOKENS }, failed: { time: "5 s", tokens: TOKENS } });
    expect((results.applications ?? [])[0].failed).toBe(1);
    expect(results.queries?.jobs.generated).toBe(1);
  });
});

describe("the text summary of an application scenario", () => {
  it("states the applications' deadlines in its header (not 'none') and the failed jobs of an application that can fail", () => {
    const doc = ragScenario({ successProbability: 0, passed: { time: "4 s", tokens: TOKENS }, failed: { time: "5 s", tokens: TOKENS } });
    (doc.applications as Record<string, unknown>[])[0].deadline = "6 s";
    const text = formatSummary(simulate(llmScenario(doc)));
    expect(text.split("\n")[0]).toMatch(/; QoS deadlines query total 60 min, application rag 6 s$/);
    expect(text).toContain("application rag: 0/1 jobs, 1 failed, 0 lost");
  });
});

describe("a query stage's input errors", () => {
  function issues(doc: Record<string, unknown>): string[] {
    try {
      llmScenario(doc);
    } catch (error) {
      if (error instanceof InputError) return error.issues.map((issue) => issue.path);
      throw error;
    }
    return [];
  }
  const figures = { passed: { time: "4 s", tokens: TOKENS }, failed: { time: "5 s", tokens: TOKENS } };

  it("a reference node without a language-model service (here none in the scenario) is refused at its path", () => {
    const doc = ragScenario({ ...figures, referenceNode: "edge" });
    doc.nodes = [{ id: "edge", services: [] }];
    doc.policies = [{ applications: "per-stage", queries: "local-only" }];
    expect(issues(doc)).toContain("applications[0].stages[1].query.referenceNode");
  });

  it("a measured time shorter than the exchange on the reference node is refused at the stage", () => {
    expect(issues(ragScenario({ ...figures, passed: { time: "3 s", tokens: TOKENS } }))).toEqual(["applications[0].stages[1].query.passed.time"]);
  });

  it("service or hosts beside query are refused", () => {
    const doc = ragScenario(figures);
    const stages = (doc.applications as { stages: Record<string, unknown>[] }[])[0].stages;
    stages[1].service = "llm";
    expect(issues(doc)).toEqual(["applications[0].stages[1].service"]);
  });
});
