import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { Network } from "../../src/network/network.js";
import { DISTRIBUTION_PRESETS } from "../../src/random/presets.js";
import { resolveScenario } from "../../src/scenario/resolve.js";

/*
 * A link whose jitter is a preset has the nominal latency latency + the preset's stated mean
 * (src/random/presets.ts), the same double on every link of that law: nothing is estimated by
 * drawing. Before, each distinct link estimated the jitter's mean from 20,000 draws of its own
 * stream, so links of one law differed by about 0.1 ms and this check failed.
 */
describe("a preset's stated mean in the nominal latencies", () => {
  it("every link is its latency plus the preset's mean, exactly", () => {
    const jitter = "5g-stable-calibrated";
    const latencies = [
      ["0 ms", "4 ms"],
      ["6 ms", "0 ms"],
    ];
    const scenario = resolveScenario(
      {
        name: "preset-mean",
        seed: 3,
        duration: "1 s",
        qosDeadline: "200 ms",
        devices: [
          { id: "d0", workload: { type: "arrivals", model: "job", interarrival: 100 } },
          { id: "d1", workload: { type: "arrivals", model: "job", interarrival: 100 } },
        ],
        nodes: [
          { id: "a", inferenceTime: 1 },
          { id: "b", inferenceTime: 1 },
        ],
        network: { default: { jitter: { preset: jitter } }, latencyMatrix: { rows: ["d0", "d1"], columns: ["a", "b"], values: latencies } },
        schedulers: ["nearest-healthy"],
      },
      {},
      "preset-mean",
    );
    const network = new Network(scenario, new RandomStreams(3), new Simulator());
    const mean = DISTRIBUTION_PRESETS[jitter].mean;
    expect(mean).toBeCloseTo(13.4055, 4);
    for (let device = 0; device < 2; device++) {
      for (let node = 0; node < 2; node++) expect(network.nominalLatencyMs(device, node)).toBe(Number.parseFloat(latencies[device][node]) + mean);
    }
  });
});
