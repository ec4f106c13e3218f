import { describe, expect, it } from "vitest";
import { boardAndCloud, llmScenario, q, simulateQueries } from "../../llm/llm-helpers.js";

/**
 * Queries and their exchanges are pooled and reused (src/world/queries/query-runs.ts,
 * exchange.ts). A first token still on its way when its query has ended (here: lost to a crash
 * while decoding) must reach neither the query that reuses the freed record nor an exchange
 * reusing its own.
 *
 * Hand-worked timeline, one-way latency 1 s, the board at 100 prompt and 10 output tokens/s:
 *   10 s    user's query A (200 prompt, 50 output) leaves; submitted at 11 s;
 *   13 s    A's prefill ends: its first token leaves the board (arrives at 14 s); A decodes;
 *   13.5 s  the board crashes: A is lost (its record is free, its first token still travelling);
 *   13.8 s  phone's query P (1000 prompt tokens) starts on the phone's own model (no network):
 *           10 s of prefill, so no first token before the run ends at 17.5 s;
 *   14 s    A's first token arrives: A has ended, nothing is told.
 * At the end P is in flight 3.7 s with no first token: past the 3 s time-to-first-token deadline,
 * so it counts as unfinished and late. Had A's first token reached P (which reuses A's record),
 * P would have seen a first token and, 3.7 s old against a 20 s total deadline, not be late.
 */
describe("pooled query records", () => {
  it("a first token arriving after its query was lost tells nobody: the query reusing the record stays without one", () => {
    const doc = boardAndCloud({
      duration: "17.5 s",
      drain: "0 s",
      network: { default: { latency: "1 s" }, requestOverheadBytes: 0 },
      faults: [{ type: "crash", node: "board", at: "13.5 s", recoverAfter: "2 s" }],
    });
    const devices = doc.devices as Array<Record<string, unknown>>;
    (devices[0].workload as Record<string, unknown>).interarrival = "10 s";
    devices.push({
      id: "phone",
      profile: "test-board",
      localModel: { model: "llama-3.2-1b", quantization: "Q4_0" },
      workload: { type: "queries", interarrival: "13.8 s", promptTokens: 1000, outputTokens: 50, complexity: 0.3 },
    });
    const run = simulateQueries(llmScenario(doc)).runs[0];
    expect(run.jobs).toMatchObject({ generated: 2, completed: 0, lost: 1, unfinished: 1, unfinishedLate: 1 });
    expect(q(run).latency.ttft.count).toBe(0);
  });
});
