import { describe, expect, it } from "vitest";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";

import { resolveScenario as resolveDocument } from "../../src/scenario/resolve.js";
import { simulate } from "../../src/run/simulate.js";

const resolveScenario = (doc: unknown) => resolveDocument(doc, {});

describe("accelerator nodes: preprocessing on CPU cores, then inference on the accelerator", () => {
  it("four simultaneous frames on 2 CPU slots and 1 accelerator slot follow the hand-computed schedule", () => {
    const scenario = resolveScenario({
      name: "two-stage",
      duration: "1 s",
      drain: "1 s",
      qosDeadline: "1 s",
      devices: [{ id: "cam", count: 4, workload: { type: "arrivals", model: "mobilenet-ssd-v1", interarrival: "10 s", startOffset: 0 } }],
      nodes: [{ id: "coral", profile: "coral-dev-board", cpuSlots: 2, preprocessingTime: 10, inferenceTime: 5 }],
      schedulers: ["round-robin"],
    });
    expect(scenario.nodes[0].frames).toMatchObject({ path: "accelerator", slots: 1, cpuSlots: 2 });
    const records: TaskRecord[] = [];
    const results = simulate(scenario, { taskSink: () => (record) => records.push({ ...record }) });
    records.sort((a, b) => a.sequence - b.sequence);
    // Frames 0 and 1 preprocess over [0, 10] ms, 2 and 3 wait for a core and preprocess over [10, 20];
    // the accelerator then serves 0 over [10, 15], 1 over [15, 20], 2 over [20, 25], 3 over [25, 30].
    expect(records.map((r) => r.queueing)).toEqual([0, 5, 10, 15]);
    expect(records.map((r) => r.total)).toEqual([15, 20, 25, 30]);
    expect(records.every((r) => r.preprocessing === 10 && r.inference === 5)).toBe(true);
    // Utilisation is the accelerator's: 20 ms busy over the 1 s measurement window [0, duration)
    // (the drain does not dilute it).
    expect(results.runs[0].nodes[0].frames?.utilisation).toBeCloseTo(20 / 1000, 12);
  });

  it("CPU-path nodes keep one serving slot for preprocessing and inference together", () => {
    const scenario = resolveScenario({
      name: "cpu-path",
      duration: "1 s",
      qosDeadline: "1 s",
      devices: [{ id: "cam", count: 2, workload: { type: "arrivals", model: "mobilenet-ssd-v1", interarrival: "10 s", startOffset: 0 } }],
      nodes: [{ id: "coral", profile: "coral-dev-board", path: "cpu", preprocessingTime: 10, inferenceTime: 5 }],
      schedulers: ["round-robin"],
    });
    expect(scenario.nodes[0].frames).toMatchObject({ path: "cpu", slots: 1, cpuSlots: 0 });
    const records: TaskRecord[] = [];
    simulate(scenario, { taskSink: () => (record) => records.push({ ...record }) });
    records.sort((a, b) => a.sequence - b.sequence);
    expect(records.map((r) => r.total)).toEqual([15, 30]);
  });
});
