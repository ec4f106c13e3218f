import { describe, expect, it } from "vitest";
import type { FrameResults } from "../../src/metrics/results-schema.js";
import { World } from "../../src/world/world.js";

import { resolveScenario as __R } from "../../src/scenario/resolve.js";
import { simulate as simulateFrames } from "../../src/run/simulate.js";

const resolveFrames = (doc: unknown) => __R(doc, {});

describe("an overloaded run", () => {
  it("counts the backlog already past the deadline as violations instead of looking good", () => {
    // Arrivals every 1 ms, service 2 ms, one slot: the queue grows by about 500 requests a second.
    const scenario = resolveFrames({
      name: "overload",
      duration: "10 s",
      qosDeadline: "100 ms",
      devices: [{ id: "d", workload: { type: "arrivals", model: "m", interarrival: 1, startOffset: 0 } }],
      nodes: [{ id: "n", inferenceTime: 2 }],
      schedulers: ["round-robin"],
    });
    const run = simulateFrames(scenario).runs[0];
    // 10,000 created, 5,000 served in 10 s; requests waiting then are mostly far past 100 ms.
    expect(run.jobs.completed).toBe(5000);
    expect(run.jobs.unfinished).toBe(5000);
    // A request created at t is still waiting at 10 s when t > 5 s; it is over the deadline if t < 9.9 s.
    expect(run.jobs.unfinishedLate).toBe(4900);
    expect(run.jobs.violations).toBe(run.jobs.late + run.jobs.unfinishedLate);
    expect(run.jobs.violationRate as number).toBeCloseTo(run.jobs.violations / (5000 + 4900), 12);
    expect(run.jobs.violationRate as number).toBeGreaterThan(0.95);
    expect((run.frames as FrameResults).timeSeries.bins.reduce((s, b) => s + b.unfinishedLate, 0)).toBe(4900);
  });
});

describe("queue delay and overload as schedulers see them", () => {
  it("the oldest waiting request's age grows as the backlog does; overload is that age over the deadline", () => {
    const scenario = resolveFrames({
      name: "queue-delay",
      duration: "2 s",
      qosDeadline: "100 ms",
      devices: [{ id: "d", workload: { type: "arrivals", model: "m", interarrival: 1, startOffset: 0 } }],
      nodes: [{ id: "n", inferenceTime: 2 }],
      schedulers: ["round-robin"],
    });
    const seen: { now: number; delay: number; overloaded: boolean }[] = [];
    const world = new World(scenario, {
      frames: {
        name: "probe",
        place: (_task, view) => {
          seen.push({ now: view.now, delay: view.queueDelay(0), overloaded: view.isOverloaded(0) });
          return 0;
        },
      },
      queries: undefined,
    });
    world.run();
    // Serving one request per 2 ms while one arrives per ms: at time t the oldest waiting request
    // was created at about t/2, so it has waited about t/2.
    for (const probe of seen.filter((p) => p.now >= 100 && p.now % 250 === 0)) {
      expect(Math.abs(probe.delay - probe.now / 2)).toBeLessThanOrEqual(2);
      expect(probe.overloaded).toBe(probe.delay > 100);
    }
    expect(seen.find((p) => p.now === 0)?.delay).toBe(0);
    expect(seen.some((p) => p.overloaded)).toBe(true);
  });
});
