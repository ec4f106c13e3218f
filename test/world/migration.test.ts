import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../cli/helpers.js";
import type { FrameNodeResults } from "../../src/metrics/results-schema.js";
import { runScenario } from "./run-scenario.js";

type Doc = Record<string, any>;
const demo = JSON.parse(readFileSync(join(REPO, "scenarios", "node-overload-migration.json"), "utf8")) as Doc;

const run = runScenario;

describe("Algorithm 1: QoS monitoring and migration", () => {
  it("the published demo: the overloaded Jetson's session migrates to the Coral board within two monitor ticks, and QoS recovers", () => {
    const { results, records } = run(demo);
    const [stay, migrate] = results.runs;
    expect(stay.migrations).toHaveLength(0);
    expect(migrate.migrations).toHaveLength(1);
    const m = migrate.migrations[0];
    expect(m).toMatchObject({ device: "camera", from: "jetson-nano", to: "coral", switchMs: 1000 });
    // Overload starts at 120 s; the monitor runs every second.
    expect(m.timeMs).toBeGreaterThan(120_000);
    expect(m.timeMs).toBeLessThanOrEqual(122_000);
    // Make-before-break: the frames of the 1 s switch (5 fps) still went to the Jetson.
    expect(m.requestsDuringSwitch).toBe(5);
    const qos = records["nearest-healthy-qos"];
    const switching = qos.filter((r) => r.createdAt >= m.timeMs && r.createdAt < m.timeMs + m.switchMs);
    expect(switching.every((r) => r.node === "jetson-nano")).toBe(true);
    expect(qos.filter((r) => r.createdAt >= m.timeMs + m.switchMs).every((r) => r.node === "coral")).toBe(true);
    // Violation before, recovery after: late requests only around the overload onset. After it only
    // the 5G jitter's tail makes a frame late on the Coral: 3.5 of about 870 frames on average over
    // seeds 1-16 (either link-stream rule; at most 8 when no spurious second migration), against
    // 62% of all frames when the session stays; 2% bounds the tail with a wide margin.
    const after = qos.filter((r) => r.createdAt > m.timeMs + 5000);
    expect(after.filter((r) => r.violatedQos).length).toBeLessThan(0.02 * after.length);
    expect(migrate.jobs.violationRate as number).toBeLessThan(0.05);
    expect(stay.jobs.violationRate as number).toBeGreaterThan(0.4);
    expect(migrate.timeInViolationMs as number).toBeGreaterThan(0);
    expect(stay.timeInViolationMs).toBeNull();
  });

  it("does not migrate when nothing degrades (a network without heavy-tailed jitter)", () => {
    // With the 5G jitter, a cluster of tail spikes can push a window's p95 over the deadline and
    // trigger a migration by itself: that is Algorithm 1's rule, documented, not tested away here.
    const calm = structuredClone(demo);
    delete calm.nodes[0].backgroundLoad;
    calm.network.default.jitter = { dist: "uniform", low: "5 ms", high: "25 ms" };
    const { results } = run(calm);
    expect(results.runs[1].migrations).toHaveLength(0);
    expect((results.runs[1].nodes[0].frames as FrameNodeResults).completed).toBe(results.runs[1].jobs.completed);
  });

  it("a crashed node's sessions migrate at the first monitor tick after the crash is detected", () => {
    const crash = structuredClone(demo);
    delete crash.nodes[0].backgroundLoad;
    crash.healthCheck = { interval: "10 s", timeout: "1 s" };
    crash.faults = [{ type: "crash", node: "jetson-nano", at: "95 s" }];
    const { results } = run(crash);
    const detected = results.runs[1].faults[0].detectedAtMs as number;
    // Node 0 is checked at 0, 10, ... s: the 100 s check times out at 101 s.
    expect(detected).toBe(101_000);
    const m = results.runs[1].migrations;
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ from: "jetson-nano", to: "coral", reason: "node unhealthy", requestsDuringSwitch: 0 });
    expect(m[0].timeMs).toBeGreaterThanOrEqual(detected);
    expect(m[0].timeMs).toBeLessThanOrEqual(detected + 1000);
  });

  it("cool-down: a session never migrates twice within it, even when every node struggles", () => {
    const busy = structuredClone(demo);
    busy.nodes = busy.nodes.map((node: Doc) => ({ ...node, backgroundLoad: [{ from: "1 min", slowdown: 12 }] }));
    busy.monitor.cooldown = "20 s";
    const { results } = run(busy);
    const times = results.runs[1].migrations.map((m) => m.timeMs);
    expect(times.length).toBeGreaterThan(1);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(20_000);
  });
});

describe("background load", () => {
  it("a step multiplies service times in its interval; a ramp interpolates linearly; a trace is a staircase", () => {
    const { records } = run({
      name: "load",
      duration: "30 s",
      qosDeadline: "1 s",
      devices: [{ id: "d", workload: { type: "arrivals", model: "m", interarrival: 500, startOffset: 0 } }],
      nodes: [
        {
          id: "n",
          inferenceTime: 10,
          preprocessingTime: 2,
          backgroundLoad: [
            { from: "5 s", to: "10 s", slowdown: 3 },
            { from: "20 s", to: "30 s", slowdown: 1, rampTo: 3 },
            {
              trace: [
                ["12 s", 2],
                ["14 s", 4],
                ["16 s", 1],
              ],
            },
          ],
        },
      ],
      schedulers: ["round-robin"],
    });
    for (const r of records["round-robin"]) {
      const t = r.createdAt;
      const traced = t >= 12_000 && t < 14_000 ? 2 : t >= 14_000 && t < 16_000 ? 4 : 1;
      const expected = (t >= 5000 && t < 10_000 ? 3 : t >= 20_000 ? 1 + (2 * (t - 20_000)) / 10_000 : 1) * traced;
      expect(r.inference).toBeCloseTo(10 * expected, 9);
      expect(r.preprocessing).toBeCloseTo(2 * expected, 9);
    }
  });
});
