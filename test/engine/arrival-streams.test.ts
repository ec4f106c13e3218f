import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { compileDistribution } from "../../src/random/distributions.js";
import type { DistributionSpec } from "../../src/random/distribution-spec.js";
import { simulate } from "../../src/run/simulate.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";

const DURATION_MS = 3000;
const normalGap: DistributionSpec = { dist: "normal", mean: 40, sd: 4 };
const exponentialGap: DistributionSpec = { dist: "exponential", mean: 30 };
const doc = {
  name: "arrival-streams",
  seed: 5,
  duration: `${DURATION_MS} ms`,
  drain: "10 s",
  qosDeadline: "1 s",
  devices: [
    { id: "n", count: 3, workload: { type: "arrivals", model: "m", interarrival: normalGap } },
    { id: "e", count: 3, workload: { type: "arrivals", model: "m", interarrival: exponentialGap } },
  ],
  nodes: [{ id: "node", slots: 64, inferenceTime: 1 }],
  schedulers: ["round-robin"],
};

/** The oracle: the creation times of a device's frames from its own stream, seeded by seedrandom itself, first frame one gap after 0. */
function expectedTimes(spec: DistributionSpec, deviceId: string): number[] {
  const uniform = seedrandom.alea(new RandomStreams(doc.seed).seedFor(`device/${deviceId}/arrivals`));
  const gap = compileDistribution(spec, "gap").bind(uniform);
  const times: number[] = [];
  for (let t = gap(); t < DURATION_MS; t += gap()) times.push(t);
  return times;
}

describe("per-device arrival streams (one shared sampler where the distribution keeps no state)", () => {
  it("every device of a group draws its frames from its own stream device/<id>/arrivals, stateful (normal) and stateless (exponential) alike", () => {
    const records: TaskRecord[] = [];
    simulate(resolveScenario(doc, {}), { taskSink: () => (record) => records.push({ ...record }) });
    const created = (device: string) =>
      records
        .filter((r) => r.device === device)
        .map((r) => r.createdAt)
        .sort((a, b) => a - b);
    for (let i = 0; i < 3; i++) {
      // A normal sampler shared across the group would hand one device's spare normal to the next.
      expect(created(`n-${i}`)).toEqual(expectedTimes(normalGap, `n-${i}`));
      expect(created(`e-${i}`)).toEqual(expectedTimes(exponentialGap, `e-${i}`));
    }
    expect(created("n-0").length).toBeGreaterThan(50);
  });

  it("`stateless` is true exactly where one binding shared by two interleaved streams draws what a binding per stream draws", () => {
    const specs: DistributionSpec[] = [
      { dist: "constant", value: 3 },
      { dist: "uniform", low: 1, high: 4 },
      exponentialGap,
      normalGap,
      { dist: "lognormal", mean: 10, cv: 0.5 },
      { dist: "gamma", shape: 2, mean: 10 },
      { dist: "empirical", samples: [1, 2, 5] },
      { dist: "stable", alpha: 1.7, beta: 0.5, scale: 1, loc: 20, min: 0, max: 200 },
      { dist: "normal", mean: 40, sd: 4, min: 0 },
      { dist: "exponential", mean: 30, max: 60, truncation: "clamp" },
    ];
    for (const spec of specs) {
      const compiled = compileDistribution(spec, "x");
      const streams = new RandomStreams(1);
      const table = streams.table();
      const a = table.add("a");
      const b = table.add("b");
      const shared = compiled.bind(table.uniform);
      const own = [compiled.bind(seedrandom.alea(streams.seedFor("a"))), compiled.bind(seedrandom.alea(streams.seedFor("b")))];
      let same = true;
      for (let i = 0; i < 200; i++) {
        for (const [k, index] of [a, b].entries()) {
          table.select(index);
          if (shared() !== own[k]()) same = false;
        }
      }
      expect({ spec, same }).toEqual({ spec, same: compiled.stateless });
    }
  });
});
