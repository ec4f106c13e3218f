import { describe, expect, it } from "vitest";
import { simulate } from "../../src/run/simulate.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";
import { twoBoardsDoc } from "./two-boards-doc.js";

/**
 * Issue 17's stale-discovery check through the whole stack (resolver, the real control plane and
 * catalog, the world, nearest-healthy): a camera sends a frame every 100 ms from t = 0 to a zero-
 * latency `near` board (one slot, 10 ms per frame) or, 1 ms away, `far`. `near`'s service is a
 * replica of a deployment; `near` leaves at 1,050 ms (a graceful leave: deregistered at once in
 * the catalog's servers). The views see the catalog `propagationDelay` late, and a device sees the
 * answer of its last discovery query (a fresh query at every frame with TTL 0).
 */
function scenario(catalog: Record<string, string>) {
  return resolveScenario(
    twoBoardsDoc({
      control: {
        images: [{ id: "detector", layers: [{ digest: "runtime", size: 1000 }] }],
        deployments: [{ id: "detector", family: "frames", nodes: ["near"], image: "detector" }],
        catalog,
        timeline: [{ at: "1050 ms", node: "near", event: "leave" }],
      },
    }),
  );
}

function run(catalog: Record<string, string>) {
  const records: TaskRecord[] = [];
  const results = simulate(scenario(catalog), { taskSink: () => (record) => records.push({ ...record }) });
  const [run0] = results.runs;
  const createdOn = (node: string) => records.filter((r) => r.node === node).map((r) => r.createdAt);
  return { run: run0, near: createdOn("near"), far: createdOn("far") };
}

const range = (from: number, to: number) => Array.from({ length: (to - from) / 100 + 1 }, (_, k) => from + k * 100);

describe("stale discovery through the real control plane: exactly the frames routed in the stale window fail", () => {
  it("propagation delay d = 200 ms, a fresh query per frame: the frames of (1050, 1250) ms, 1100 and 1200, are rejected", () => {
    const { run: r, near, far } = run({ propagationDelay: "200 ms" });
    // Served on near before the leave (the frame of 1,000 ms is done at 1,010); on far once the view has it gone (1,250 ms).
    expect(near).toEqual(range(0, 1000));
    expect(far).toEqual(range(1300, 1900));
    expect(r.control?.catalog.staleRejected).toBe(2);
    expect(r.frames?.jobs.lost).toBe(2);
    expect(r.frames?.jobs.completed).toBe(18);
  });

  it("with no propagation delay nothing is rejected: the frame of 1,100 ms already goes to far", () => {
    const { run: r, far } = run({ propagationDelay: "0 ms" });
    expect(far).toEqual(range(1100, 1900));
    expect(r.control?.catalog.staleRejected).toBe(0);
  });

  it("a cached answer (TTL 500 ms) stretches the window: the answers of 1,000 ms serve until 1,500 ms, which sees the leave", () => {
    // Queries at 0, 500, 1,000 and 1,500 ms (an answer is fresh while younger than the TTL). The answer of 1,000 ms lists
    // near; the one of 1,500 ms is the catalog as of 1,500 - 200 = 1,300 ms: near gone. Rejected: 1,100 to 1,400 ms.
    const { run: r, far } = run({ propagationDelay: "200 ms", discoveryTtl: "500 ms" });
    expect(far).toEqual(range(1500, 1900));
    expect(r.control?.catalog.staleRejected).toBe(4);
    expect(r.control?.catalog.discoveryQueries).toBe(4);
  });
});
