import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { compileDistribution, meanOf } from "../../src/random/distributions.js";
import type { DistributionSpec } from "../../src/random/distribution-spec.js";
import { resolveScenario } from "../../src/scenario/resolve.js";

/*
 * A link's nominal latency is the mean of its latency plus that of its jitter, estimated (when the
 * law's mean is not known: no closed form, no preset stating it) by meanOf on the stream `latency/<key>` or `jitter/<key>` of the
 * generator seeded "nominal-latency", <key> the JSON of [latency, jitter, bandwidth]. The resolver
 * binds a stateless law once for all its streams (start-up); these pin that it draws what a binding
 * per stream draws, for a stateless law (a truncated stable law: the calibrated 5G jitter's parameters
 * written out, since the preset itself states its mean, test/scenario/preset-mean.test.ts) and one with state between draws
 * (a normal: Box–Muller's spare), truncated so that some draws are redrawn.
 */

const LATENCIES = ["0 ms", "4 ms", "6 ms"];

function nominalLatencies(jitter: DistributionSpec): readonly number[] {
  const scenario = resolveScenario(
    {
      name: "nominal",
      duration: "1 s",
      qos: { frames: "200 ms" },
      devices: [{ id: "cam", workloads: [{ type: "arrivals", model: "m", frameSizePx: 300, requestBytes: 1000, interarrival: { dist: "exponential", mean: "100 ms" } }] }],
      nodes: LATENCIES.map((_, i) => ({ id: `n${i}`, services: [{ type: "slots", slots: 1, inferenceTime: "5 ms" }] })),
      network: { default: { latency: "0 ms", jitter, bandwidth: "50 Mbit/s" }, latencyMatrix: { rows: ["cam"], columns: LATENCIES.map((_, i) => `n${i}`), values: [LATENCIES] } },
      policies: ["round-robin"],
    },
    {},
  );
  return scenario.network.nominalLatencyMs[0];
}

/** The definition: meanOf with its own binding, on each key's own stream. */
function perStream(jitter: DistributionSpec): number[] {
  const streams = new RandomStreams("nominal-latency");
  return LATENCIES.map((latency) => {
    // A latency matrix's entry counts in ms.
    const key = JSON.stringify([Number.parseFloat(latency), jitter, "50 Mbit/s"]);
    return Number.parseFloat(latency) + meanOf(compileDistribution(jitter, "jitter"), streams.stream(`jitter/${key}`));
  });
}

describe("nominal latencies: one binding of a stateless law draws what one per stream draws", () => {
  const jitters: [string, DistributionSpec][] = [
    [
      "a truncated stable law, the calibrated 5G jitter's parameters (stateless)",
      { dist: "stable", alpha: 1.6878, beta: 1, scale: "5.97 ms", loc: "11.695 ms", parameterization: "S1", min: "0 ms", max: "1000 ms" },
    ],
    ["a truncated normal (Box–Muller keeps a spare: state)", { dist: "normal", mean: "3 ms", sd: "2 ms", min: "0 ms" }],
  ];
  for (const [name, jitter] of jitters) {
    it(name, () => {
      const resolved = nominalLatencies(jitter);
      expect(resolved).toEqual(perStream(jitter));
      // Three streams, three estimates: equal values would mean one stream drawn three times.
      expect(new Set(resolved.map((value, i) => value - Number.parseFloat(LATENCIES[i]))).size).toBe(3);
    });
  }
});
