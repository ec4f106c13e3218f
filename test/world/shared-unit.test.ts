import { describe, expect, it } from "vitest";
import { simulate } from "../../src/run/simulate.js";
import { LLM_FIXTURE_PROFILES } from "../llm/llm-helpers.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { BUILTIN_PROFILE_DIR } from "../../src/scenario/profiles.js";

/**
 * One board, one CPU, two services on it: a detector (one slot, 10 ms per frame) and a language
 * model (test-board: 100 prompt tokens/s, 10 output tokens/s). One frame and one query arrive
 * together at t = 100 s over instantaneous links. Hand-worked timeline under time-slicing (each
 * busy service gets 1/2 of the unit):
 * - [100 s, 100.020 s): both busy; the frame's 10 ms of work at speed 1/2 ends at 100.020 s.
 *   The query's prefill has done 0.020 s x 1/2 x 100 tok/s = 1 token.
 * - then the query is alone: 199 tokens / 100 tok/s = 1.99 s, so its first token is at
 *   102.010 s (TTFT 2.010 s), and 50 tokens / 10 tok/s = 5 s later it is done (total 7.010 s).
 * Isolated: the frame takes 10 ms, TTFT 2.000 s, total 7.000 s.
 */
function sharedBoard(sharing: "time-slicing" | "isolated", frameAt = "100 s"): Record<string, unknown> {
  return {
    name: "shared-unit",
    duration: "150 s",
    drain: "60 s",
    qos: { frames: "1 s", queries: { ttft: "10 s", total: "60 s" } },
    devices: [
      { id: "cam", workloads: [{ type: "arrivals", model: "det", interarrival: "100 s", startOffset: frameAt }] },
      { id: "user", localNodes: ["board"], workloads: [{ type: "queries", interarrival: "100 s", promptTokens: 200, outputTokens: 50, complexity: 0.3 }] },
    ],
    nodes: [
      {
        id: "board",
        profile: "test-board",
        sharing,
        services: [
          { type: "slots", path: "cpu", inferenceTime: "10 ms" },
          { type: "llm", model: "llama-3.2-1b", quantization: "Q4_0" },
        ],
      },
    ],
    network: { default: { latency: "0 ms", bandwidth: null }, requestOverheadBytes: 0 },
    policies: [{ label: "both", frames: "nearest-healthy", queries: "local-only" }],
  };
}

function run(sharing: "time-slicing" | "isolated", frameAt?: string) {
  const scenario = resolveScenario(sharedBoard(sharing, frameAt), { profileDirs: [LLM_FIXTURE_PROFILES, BUILTIN_PROFILE_DIR] });
  return simulate(scenario).runs[0];
}

describe("a detector and a language model time-slice one compute unit", () => {
  it("time-slicing: the frame takes 20 ms instead of 10, the query's first token comes 10 ms later (hand-worked timeline)", () => {
    const r = run("time-slicing");
    expect(r.frames?.jobs.completed).toBe(1);
    expect(r.queries?.jobs.completed).toBe(1);
    expect(r.frames?.latency.total.mean).toBeCloseTo(20, 6);
    expect(r.queries?.latency.ttft.mean).toBeCloseTo(2010, 6);
    expect(r.queries?.latency.total.mean).toBeCloseTo(7010, 6);
    // The node is busy while either service is: [100, 107.010) s of the 150 s window.
    expect(r.nodes[0].utilisation).toBeCloseTo(7.01 / 150, 9);
  });

  it("time-slicing, the frame arriving while the query is in prefill (t = 101 s): same 20 ms and 2.010 s TTFT", () => {
    // By 101 s the prefill has done 100 tokens at full speed; [101, 101.020) s at 1/2 adds 1; the
    // other 99 take 0.99 s alone: first token at 102.010 s.
    const r = run("time-slicing", "101 s");
    expect(r.frames?.latency.total.mean).toBeCloseTo(20, 6);
    expect(r.queries?.latency.ttft.mean).toBeCloseTo(2010, 6);
    expect(r.queries?.latency.total.mean).toBeCloseTo(7010, 6);
  });

  it("isolated (the optimistic bound): each service runs as if alone", () => {
    const r = run("isolated");
    expect(r.frames?.latency.total.mean).toBeCloseTo(10, 6);
    expect(r.queries?.latency.ttft.mean).toBeCloseTo(2000, 6);
    expect(r.queries?.latency.total.mean).toBeCloseTo(7000, 6);
    expect(r.nodes[0].utilisation).toBeCloseTo(7 / 150, 9);
  });
});
