import { describe, expect, it } from "vitest";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";

import { resolveScenario as __R } from "../../src/scenario/resolve.js";
import { simulate } from "../../src/run/simulate.js";

const resolveFrames = (doc: unknown) => __R(doc, {});

function scenario(extraDevice: boolean, seed = 11) {
  const devices: unknown[] = [
    { id: "cam", count: 3, workload: { type: "video", model: "m", fps: 10, frameSizePx: 300, jitter: { dist: "exponential", mean: "3 ms" } } },
    { id: "phone", workload: { type: "arrivals", model: "m", interarrival: { dist: "exponential", mean: "150 ms" } } },
  ];
  if (extraDevice) devices.splice(1, 0, { id: "newcomer", workload: { type: "arrivals", model: "m", interarrival: { dist: "exponential", mean: "40 ms" } } });
  return resolveFrames({
    name: "crn",
    seed,
    duration: "20 s",
    drain: "2 s",
    qosDeadline: "100 ms",
    devices,
    nodes: [
      { id: "a", slots: 2, inferenceTime: { dist: "lognormal", mean: 12, cv: 0.3 } },
      { id: "b", inferenceTime: { dist: "exponential", mean: 8 } },
    ],
    network: { default: { latency: "5 ms", jitter: { preset: "5g-stable-calibrated" }, bandwidth: "20 Mbit/s" } },
    schedulers: ["nearest-healthy", "least-loaded", "random", "round-robin"],
  });
}

function collect(extraDevice: boolean, seed?: number) {
  const records: Record<string, TaskRecord[]> = {};
  const results = simulate(scenario(extraDevice, seed), {
    taskSink: (label) => {
      records[label] = [];
      return (record) => records[label].push({ ...record });
    },
  });
  return { records, results };
}

describe("determinism and common random numbers", () => {
  it("adding a device does not change another device's arrivals or its link draws", () => {
    const without = collect(false).records;
    const withNewcomer = collect(true).records;
    for (const device of ["cam-0", "cam-1", "cam-2", "phone"]) {
      // Records come in completion order, which routing may change; creation times are what must not.
      const before = without["round-robin"]
        .filter((r) => r.device === device)
        .map((r) => r.createdAt)
        .sort((x, y) => x - y);
      const after = withNewcomer["round-robin"]
        .filter((r) => r.device === device)
        .map((r) => r.createdAt)
        .sort((x, y) => x - y);
      expect(before.length).toBeGreaterThan(20);
      expect(after).toEqual(before);
    }
    // nearest-healthy sends every request of a device to the same node whatever the others do,
    // so its uplink draws (one stream per device, node and direction) must be identical too.
    const uplinks = (records: Record<string, TaskRecord[]>) =>
      records["nearest-healthy"]
        .filter((r) => r.device === "cam-1")
        .map((r) => [r.createdAt, r.networkUp])
        .sort((x, y) => x[0] - y[0]);
    expect(uplinks(withNewcomer)).toEqual(uplinks(without));
  });

  it("every scheduler sees the same arrivals", () => {
    const { records } = collect(false);
    const arrivals = (label: string) => records[label].map((r) => `${r.device}@${r.createdAt}`).sort();
    const reference = arrivals("nearest-healthy");
    for (const label of ["least-loaded", "random", "round-robin"]) expect(arrivals(label)).toEqual(reference);
  });

  it("the same seed reproduces every record exactly; another seed does not", () => {
    const a = collect(false, 5);
    const b = collect(false, 5);
    const c = collect(false, 6);
    expect(JSON.stringify(b.results)).toBe(JSON.stringify(a.results));
    expect(b.records).toEqual(a.records);
    expect(c.records.random.map((r) => r.total)).not.toEqual(a.records.random.map((r) => r.total));
  });

  it("stages add up to the total for every request", () => {
    const { records } = collect(false);
    for (const record of records["least-loaded"]) {
      const sum = record.networkUp + record.queueing + record.preprocessing + record.inference + record.networkDown;
      expect(Math.abs(sum - record.total)).toBeLessThan(1e-9 * Math.max(1, record.total));
    }
  });

  it("memory does not grow with the number of requests: a 10x longer run holds the same request storage", () => {
    const footprint = (duration: string) => {
      const doc = scenario(false);
      let bytes = 0;
      simulate(
        { ...doc, durationMs: doc.durationMs * (duration === "long" ? 10 : 1), policies: [doc.policies[1]] },
        {
          onRunDone: (_entry, world) => {
            bytes = world.frames?.requestMemoryBytes ?? 0;
          },
        },
      );
      return bytes;
    };
    const short = footprint("short");
    expect(short).toBeGreaterThan(0);
    expect(footprint("long")).toBe(short);
  });
});
