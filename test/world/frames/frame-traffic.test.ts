import { describe, expect, it } from "vitest";
import { simulate } from "../../../src/run/simulate.js";
import type { FrameWorkload, ResolvedScenario } from "../../../src/scenario/resolved-scenario.js";
import type { TaskRecord } from "../../../src/world/frames/frame-traffic.js";

import { resolveScenario as __R } from "../../../src/scenario/resolve.js";

const resolveFrames = (doc: unknown) => __R(doc, {});

const doc = {
  name: "workloads",
  seed: 9,
  duration: "10 s",
  warmup: "1 s",
  drain: "1 s",
  qosDeadline: "1 s",
  devices: [
    { id: "cam", workload: { type: "arrivals", model: "m", interarrival: { dist: "exponential", mean: "50 ms" } } },
    { id: "other", count: 2, workload: { type: "arrivals", model: "m", interarrival: { dist: "exponential", mean: "80 ms" } } },
  ],
  nodes: [{ id: "n", slots: 4, inferenceTime: { dist: "exponential", mean: 5 } }],
  schedulers: ["round-robin"],
};

function run(scenario: ResolvedScenario) {
  const records: TaskRecord[] = [];
  const results = simulate(scenario, { taskSink: () => (record) => records.push({ ...record }) });
  return { results, records };
}

/** The scenario with a second frame workload on device "cam": a frame every 7 ms (the first at 7 ms: no start offset). */
function withSecondWorkload(scenario: ResolvedScenario): ResolvedScenario {
  const first = scenario.devices[0].workloads[0] as FrameWorkload;
  const second: FrameWorkload = { ...first, interarrival: undefined, periodMs: 7, startOffset: undefined, jitter: undefined };
  return { ...scenario, devices: scenario.devices.map((device) => (device.index === 0 ? { ...device, workloads: [first, second] } : device)) };
}

describe("a device with several frame workloads", () => {
  it("each workload arrives on its own streams: adding one leaves the other's arrivals and every other device's unchanged", () => {
    const one = run(resolveFrames(doc));
    const two = run(withSecondWorkload(resolveFrames(doc)));
    const created = (records: TaskRecord[], device: string) =>
      records
        .filter((r) => r.device === device)
        .map((r) => r.createdAt)
        .sort((a, b) => a - b);
    // The periodic workload's frames in the window [1 s, 10 s): 7k ms for k = 143 ... 1428.
    const periodic = Array.from({ length: 1428 - 143 + 1 }, (_, i) => 7 * (143 + i));
    const expected = [...created(one.records, "cam"), ...periodic].sort((a, b) => a - b);
    expect(created(two.records, "cam")).toEqual(expected);
    for (const device of ["other-0", "other-1"]) expect(created(two.records, device)).toEqual(created(one.records, device));
    expect(two.results.runs[0].jobs.generated).toBe(one.results.runs[0].jobs.generated + periodic.length);
  });

  it("groups count the jobs of their devices created in the window; the groups add up to the family", () => {
    const { results, records } = run(withSecondWorkload(resolveFrames(doc)));
    const r = results.runs[0];
    expect(r.groups.map((g) => [g.group, g.devices])).toEqual([
      ["cam", 1],
      ["other", 2],
    ]);
    const completed = (group: string) => records.filter((rec) => rec.device.startsWith(group)).length;
    expect(r.groups.map((g) => g.jobs.completed)).toEqual([completed("cam"), completed("other")]);
    expect(r.groups[0].jobs.generated + r.groups[1].jobs.generated).toBe(r.jobs.generated);
    expect(r.groups[0].frames?.latency.total.count).toBe(completed("cam"));
    // Every record is of a frame created in [warmup, duration).
    expect(records.every((rec) => rec.createdAt >= 1000 && rec.createdAt < 10_000)).toBe(true);
    expect(r.jobs.completed).toBe(records.length);
  });
});
