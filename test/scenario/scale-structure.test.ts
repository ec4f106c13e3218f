import { describe, expect, it } from "vitest";
import { scaleModel } from "../../src/bench/scale-model.js";
import { resolveScenario } from "../../src/scenario/resolve.js";

type Doc = Record<string, any>;

/**
 * Issue 16: per-device memory independent of the node count. Memory itself is a benchmark
 * (`npm run bench -- scale`); what can be tested is the structure: a star of direct links only
 * resolves to no link object per (device, node) pair, one row per distinct naming.
 */
describe("the star's direct links at scale", () => {
  it("100,000 devices x 100 nodes resolve to no link object, one row of 100 links, one shared latency row", () => {
    const s = resolveScenario(scaleModel(100_000), {});
    expect(s.devices).toHaveLength(100_000);
    expect(s.nodes).toHaveLength(100);
    expect(s.network.links).toHaveLength(0);
    expect(s.network.direct?.rows).toHaveLength(1);
    expect(s.network.direct?.rows[0]).toHaveLength(100);
    // Exponential latency, mean 5 ms (scale-model.ts): the nominal latency is the mean.
    expect(s.network.direct?.rows[0][42].nominalLatencyMs).toBe(5);
    expect(s.network.nominalLatencyMs[0]).toBe(s.network.nominalLatencyMs[99_999]);
  });

  const doc = (network: Doc): Doc => ({
    name: "rows",
    duration: "10 s",
    qosDeadline: "200 ms",
    devices: [
      { id: "cam", count: 3, workload: { type: "arrivals", model: "m", interarrival: "100 ms" } },
      { id: "phone", workload: { type: "arrivals", model: "m", interarrival: "100 ms" } },
    ],
    nodes: [
      { id: "a", inferenceTime: 5 },
      { id: "b", inferenceTime: 5 },
    ],
    network,
    schedulers: ["round-robin"],
  });

  it("devices named alike by links entries and matrix rows share a row; a later entry wins its cell", () => {
    const s = resolveScenario(
      doc({
        default: { latency: "1 ms" },
        latencyMatrix: { rows: ["phone"], columns: ["a", "b"], values: [[7, 8]] },
        links: [
          { between: ["cam", "b"], latency: "3 ms" },
          { between: ["cam-1", "b"], latency: "4 ms" },
          { between: ["phone", "a"], latency: "9 ms" },
        ],
      }),
      {},
    );
    const direct = s.network.direct;
    expect(s.network.links).toHaveLength(0);
    // cam-0 and cam-2 (group entry), cam-1 (group entry, then its own), phone (matrix, then an entry).
    expect(direct?.rows).toHaveLength(3);
    expect(Array.from(direct?.rowOf ?? [])).toEqual([0, 1, 0, 2]);
    // Hand-worked: a links entry beats the matrix, which beats the default.
    expect(s.network.nominalLatencyMs).toEqual([
      [1, 3],
      [1, 4],
      [1, 3],
      [9, 8],
    ]);
  });

  it("a star with a capacity on a direct link, or another vertex, keeps its links as objects (routes may differ)", () => {
    const capacity = resolveScenario(doc({ links: [{ between: ["cam", "a"], latency: "2 ms", capacity: "10 Mbit/s" }] }), {});
    expect(capacity.network.direct).toBeUndefined();
    expect(capacity.network.links).toHaveLength(4 * 2);
    const withRouter = resolveScenario(doc({ vertices: [{ id: "r", kind: "router" }], links: [{ between: ["a", "r"], latency: "1 ms" }] }), {});
    expect(withRouter.network.direct).toBeUndefined();
    expect(withRouter.network.links).toHaveLength(4 * 2 + 1);
  });
});
