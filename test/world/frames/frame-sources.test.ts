import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../src/engine/rng.js";
import type { DistributionSpec } from "../../../src/random/distribution-spec.js";
import { compileDistribution } from "../../../src/random/distributions.js";
import { simulate } from "../../../src/run/simulate.js";
import { resolveScenario } from "../../../src/scenario/resolve.js";
import { streamPrefix } from "../../../src/scenario/resolved-scenario.js";
import type { TaskRecord } from "../../../src/world/frames/frame-traffic.js";

/**
 * The members of a device group share their workload objects (issue 16: a copy per device to carry
 * its stream prefix was about 200 bytes a device), so each device's streams are named from its id
 * and the workload's position. The names must stay those every scenario's draws came from.
 */
const DURATION_MS = 2000;
const first: DistributionSpec = { dist: "exponential", mean: 30 };
const second: DistributionSpec = { dist: "normal", mean: 50, sd: 5 };
const secondStart: DistributionSpec = { dist: "uniform", low: 100, high: 300 };
const doc = {
  name: "frame-sources",
  seed: 11,
  duration: `${DURATION_MS} ms`,
  drain: "10 s",
  qosDeadline: "1 s",
  devices: [
    {
      id: "cam",
      count: 3,
      workloads: [
        { type: "arrivals", model: "m", interarrival: first },
        { type: "arrivals", model: "m", interarrival: second, startOffset: secondStart },
      ],
    },
  ],
  nodes: [{ id: "node", slots: 64, inferenceTime: 1 }],
  schedulers: ["round-robin"],
};

/** The oracle: a workload's creation times from seedrandom's Alea on the stream names written out by hand. */
function expectedTimes(spec: DistributionSpec, arrivals: string, start?: { spec: DistributionSpec; stream: string }): number[] {
  const seedOf = (name: string): string => new RandomStreams(doc.seed).seedFor(name);
  const gap = compileDistribution(spec, "gap").bind(seedrandom.alea(seedOf(arrivals)));
  const times: number[] = [];
  let t = start === undefined ? gap() : compileDistribution(start.spec, "start").bind(seedrandom.alea(seedOf(start.stream)))();
  for (; t < DURATION_MS; t += gap()) times.push(t);
  return times;
}

describe("a device group's shared workloads", () => {
  const scenario = resolveScenario(doc, {});

  it("every member holds the same workload objects (one array for the group)", () => {
    const [a, b, c] = scenario.devices;
    expect(b.workloads).toBe(a.workloads);
    expect(c.workloads).toBe(a.workloads);
    expect(a.workloads.map((w) => w.family)).toEqual(["frames", "frames"]);
  });

  it("stream prefixes: device/<id> for the first workload, device/<id>/workload-<k> after it", () => {
    expect(streamPrefix("cam-2", 0)).toBe("device/cam-2");
    expect(streamPrefix("cam-2", 1)).toBe("device/cam-2/workload-1");
    expect(streamPrefix("cam-2", 12)).toBe("device/cam-2/workload-12");
  });

  it("each member draws each workload's frames from its own streams, by those names", () => {
    const records: TaskRecord[] = [];
    simulate(scenario, { taskSink: () => (record) => records.push({ ...record }) });
    for (const id of ["cam-0", "cam-1", "cam-2"]) {
      const created = records
        .filter((r) => r.device === id)
        .map((r) => r.createdAt)
        .sort((x, y) => x - y);
      const expected = [
        ...expectedTimes(first, `device/${id}/arrivals`),
        ...expectedTimes(second, `device/${id}/workload-1/arrivals`, { spec: secondStart, stream: `device/${id}/workload-1/start` }),
      ].sort((x, y) => x - y);
      expect(created.length).toBeGreaterThan(80);
      expect(created).toEqual(expected);
    }
  });
});
