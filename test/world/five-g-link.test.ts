import { describe, expect, it } from "vitest";
import type { FrameResults } from "../../src/metrics/results-schema.js";

import { resolveScenario as __R } from "../../src/scenario/resolve.js";
import { simulate as simulateFrames } from "../../src/run/simulate.js";

const resolveFrames = (doc: unknown) => __R(doc, {});

/**
 * The 5G link end to end: requests crossing links whose one-way latency is the calibrated preset
 * must show the published mean (13.405 ms) and sd (16.065 ms) within 10% in the network stages,
 * and the literal reading (scale 0.098 read in ms) must not (its sd is about 0.5 ms).
 */
function linkStages(preset: string) {
  const scenario = resolveFrames({
    name: "5g-link",
    seed: 8,
    duration: "100 s",
    qosDeadline: "200 ms",
    devices: [{ id: "ue", count: 20, workload: { type: "arrivals", model: "m", interarrival: { dist: "exponential", mean: "5 ms" } } }],
    nodes: [{ id: "mec", slots: 64, inferenceTime: 1 }],
    network: { default: { latency: 0, jitter: { preset }, bandwidth: null } },
    schedulers: ["nearest-healthy"],
  });
  return (simulateFrames(scenario).runs[0].frames as FrameResults).latency;
}

describe("5G link presets through the world", () => {
  it("calibrated: uplink and downlink reproduce the published mean and sd within 10% (400,000 transfers each)", () => {
    const latency = linkStages("5g-stable-calibrated");
    for (const stage of [latency.networkUp, latency.networkDown]) {
      expect(stage.count).toBeGreaterThan(390_000);
      expect(Math.abs((stage.mean as number) / 13.405 - 1)).toBeLessThan(0.1);
      expect(Math.abs((stage.sd as number) / 16.065 - 1)).toBeLessThan(0.1);
      expect(stage.min as number).toBeGreaterThanOrEqual(0);
      expect(stage.max as number).toBeLessThanOrEqual(1000);
    }
  });

  it("literal: the same mean but a spread under a millisecond", () => {
    const latency = linkStages("5g-stable-literal");
    expect(Math.abs((latency.networkUp.mean as number) / 13.405 - 1)).toBeLessThan(0.1);
    expect(latency.networkUp.sd as number).toBeLessThan(1.5);
  });
});
