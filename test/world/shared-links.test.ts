/**
 * Shared links in the one world (issue 15): frames from n cameras cross one uplink of capacity C,
 * a max-min fair flow each. With Poisson arrivals the link is a processor-sharing queue, whose
 * mean sojourn time is insensitive to the size distribution (Ben Fredj et al., SIGCOMM 2001):
 * E[T] = (b/C)/(1 - rho), rho = lambda b / C, here with constant sizes b (FIFO would give a
 * different mean: M/D/1's (b/C)(1 + rho/(2(1 - rho)))). Checked within 3 batch-means standard errors.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { LinkResults } from "../../src/metrics/network-results.js";
import { simulate } from "../../src/run/simulate.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";
import { batchMeans } from "../batch-means.js";

type Doc = Record<string, any>;

const CAMERAS = 5;
const BYTES = 10_000;
/** 8 Mbit/s = 1000 bytes/ms: b/C = 10 ms. */
const CAPACITY = "8 Mbit/s";
const SERVICE_MS = 10;

function uplinkScenario(rho: number, durationS: number): Doc {
  // Total arrival rate rho / (b/C) per ms, split over the cameras.
  const meanGapMs = (CAMERAS * SERVICE_MS) / rho;
  const cameras = Array.from({ length: CAMERAS }, (_, i) => `cam-${i}`);
  return {
    name: "shared-uplink",
    seed: 3,
    duration: `${durationS} s`,
    warmup: "20 s",
    qos: { frames: "10 s" },
    // 40 equal bins over the window [20 s, duration).
    metrics: { binWidth: `${(durationS - 20) / 40} s` },
    devices: cameras.map((id) => ({
      id,
      workloads: [{ type: "arrivals", model: "m", frameSizePx: 300, requestBytes: BYTES, resultBytes: 0, interarrival: { dist: "exponential", mean: `${meanGapMs} ms` } }],
    })),
    nodes: [{ id: "edge", services: [{ type: "slots", slots: 64, inferenceTime: "1 ms" }] }],
    network: {
      topology: "graph",
      vertices: [{ id: "sw", kind: "switch" }],
      // Zero latency everywhere: the upload time is the flow's alone.
      links: [...cameras.map((id) => ({ between: [id, "sw"], latency: "0 ms" })), { between: ["sw", "edge"], latency: "0 ms", capacity: CAPACITY }],
    },
    policies: ["round-robin"],
  };
}

function run(doc: Doc): { records: TaskRecord[]; links: LinkResults | null; results: ReturnType<typeof simulate> } {
  const records: TaskRecord[] = [];
  let links: LinkResults | null = null;
  const results = simulate(resolveScenario(doc, {}), {
    taskSink: () => (record) => records.push({ ...record }),
    onRunDone: (_entry, world) => {
      links = world.network.linkResults(world.sim.now);
    },
  });
  records.sort((a, b) => a.createdAt - b.createdAt || a.sequence - b.sequence);
  return { records, links, results };
}

describe("frames sharing one uplink: processor sharing, insensitive", () => {
  for (const [rho, durationS] of [
    [0.5, 2_000],
    [0.8, 2_500],
  ] as const) {
    it(`rho = ${rho}: mean upload time (b/C)/(1 - rho) and the link's utilisation rho, within 3 SE`, () => {
      const { records, links } = run(uplinkScenario(rho, durationS));
      expect(records.length).toBeGreaterThan(80_000);
      const upload = batchMeans(
        records.map((r) => r.networkUp),
        20,
      );
      const expected = SERVICE_MS / (1 - rho);
      expect(Math.abs(upload.mean - expected)).toBeLessThan(3 * upload.se);
      // FIFO (M/D/1) would be far off: the test tells the two apart.
      const fifo = SERVICE_MS * (1 + rho / (2 * (1 - rho)));
      expect(Math.abs(fifo - expected)).toBeGreaterThan(6 * upload.se);
      const link = links?.links[0];
      expect(link).toMatchObject({ id: "sw--edge", direction: "forward", capacityMbps: 8 });
      const utilisation = batchMeans(link?.series ?? [], 20);
      expect(Math.abs((link?.utilisation ?? 0) - rho)).toBeLessThan(3 * utilisation.se);
      // The series' mean is the window's utilisation (equal bins).
      expect(utilisation.mean).toBeCloseTo(link?.utilisation ?? 0, 9);
      // Little's law on the link: mean flows = lambda E[T] = rho / (1 - rho), within 3 SE of the sojourn.
      expect(Math.abs((link?.meanFlows ?? 0) - rho / (1 - rho))).toBeLessThan((3 * upload.se * rho) / SERVICE_MS);
    });
  }

  it("same seed, same bytes; the downlink (no bytes) and a star keep their fixed path", () => {
    const doc = uplinkScenario(0.5, 60);
    const hash = (): string =>
      createHash("sha256")
        .update(JSON.stringify(run(doc).results.runs))
        .digest("hex");
    expect(hash()).toBe(hash());
  });
});
