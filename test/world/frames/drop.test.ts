import { describe, expect, it } from "vitest";
import { simulate } from "../../../src/run/simulate.js";
import { resolveScenario } from "../../../src/scenario/resolve.js";
import { DROP, type Scheduler } from "../../../src/schedulers/types.js";

describe("a frame policy may drop a job (DROP)", () => {
  it("every other frame dropped: dropped counted per run, group and time bin, each a violation; the rest served", () => {
    // One camera, a frame every 10 ms from t = 0 for 1 s: 100 frames, sequences 0..99; the policy
    // drops the even ones (50) and serves the odd ones on an idle 1 ms server (never late).
    const scenario = resolveScenario(
      {
        name: "dropper",
        duration: "1 s",
        drain: "1 s",
        qos: { frames: "100 ms" },
        devices: [{ id: "cam", workloads: [{ type: "arrivals", model: "m", interarrival: "10 ms", startOffset: "0 ms" }] }],
        nodes: [{ id: "n", services: [{ type: "slots", inferenceTime: "1 ms" }] }],
        policies: [{ policy: "module", path: "unused.mjs", label: "every-other" }],
      },
      {},
    );
    const dropper: Scheduler = { name: "every-other", place: (task) => (task.sequence % 2 === 0 ? DROP : 0) };
    const run = simulate(scenario, { moduleFactories: { "every-other": () => dropper } }).runs[0];
    expect(run.jobs).toMatchObject({ generated: 100, completed: 50, dropped: 50, refused: 0, lost: 0, unfinished: 0, late: 0, violations: 50, violationRate: 0.5 });
    expect(run.frames?.jobs.dropped).toBe(50);
    expect(run.groups[0].jobs.dropped).toBe(50);
    expect(run.frames?.timeSeries.bins.reduce((sum, bin) => sum + bin.dropped, 0)).toBe(50);
    expect(run.nodes[0].frames?.completed).toBe(50);
  });
});
