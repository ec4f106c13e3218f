/**
 * The world's side of issue 15's wiring, on timelines written by hand: a wireless camera attached
 * by hand (no mobility: the world builds no mobility driver, so the test decides when it is out of
 * coverage), whose frames wait while it is out of coverage; and a migration whose state crosses a
 * node-node link.
 */
import { withHandAttachedDevice } from "../network/hand-wireless.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";
import { World } from "../../src/world/world.js";
import { REPO } from "../cli/helpers.js";
import { boardAndCloud, llmScenario } from "../llm/llm-helpers.js";
import { runScenario } from "./run-scenario.js";

type Doc = Record<string, any>;

/** cam (wireless, by hand) reaches edge through ap-a (1 + 2 ms) or ap-b (1 + 5 ms); airs of 1000 and 2000 bytes/ms. */
function wirelessCamera(deadline: string): ResolvedScenario {
  const s = resolveScenario(
    {
      name: "waits",
      duration: "1 s",
      qos: { frames: deadline },
      devices: [{ id: "cam", workloads: [{ type: "arrivals", model: "m", frameSizePx: 300, requestBytes: 1000, resultBytes: 0, interarrival: "10 ms", startOffset: "0 ms" }] }],
      nodes: [{ id: "edge", services: [{ type: "slots", slots: 1, inferenceTime: "5 ms" }] }],
      network: {
        topology: "graph",
        vertices: [
          { id: "ap-a", kind: "access-point" },
          { id: "ap-b", kind: "access-point" },
        ],
        links: [
          { between: ["cam", "ap-a"], latency: "1 ms" },
          { between: ["ap-a", "edge"], latency: "2 ms" },
          { between: ["ap-b", "edge"], latency: "5 ms" },
        ],
      },
      policies: ["round-robin"],
    },
    {},
  );
  return withHandAttachedDevice(
    s,
    ["ap-a", "ap-b"],
    [
      [1000, 1000],
      [2000, 2000],
    ],
    2,
  );
}

describe("jobs whose transfers waited for coverage", () => {
  it("frames created while the camera is out of range wait; waited counts them, and those that missed the deadline", () => {
    const scenario = wirelessCamera("100 ms");
    const totals = new Map<number, number>();
    const world = new World(scenario, { frames: { name: "edge", place: () => 0 }, queries: undefined }, { frames: { taskSink: (r) => totals.set(r.createdAt, r.total) } });
    world.network.attach(0, 0, 0);
    // Out of range at 100 ms, back (on ap-b) at 200 ms, ready 2 ms later.
    world.sim.schedule(100, () => world.network.attach(0, null, Infinity));
    world.sim.schedule(200, () => world.network.attach(0, 1, 202));
    world.run();
    // Waited: the frame of 90 ms (its answer, 0 bytes, was in its 3 ms latency phase at 100) and
    // every frame created in [100, 200] (held from creation). Nothing else waited.
    const waited = [...totals.keys()].filter((t) => t >= 90 && t <= 200);
    expect(waited).toHaveLength(12);
    const late = waited.filter((t) => (totals.get(t) as number) > 100);
    expect(late.length).toBeGreaterThan(0);
    expect(late.length).toBeLessThan(12);
    expect(world.frames?.results().waited).toEqual([{ group: "cam", jobsDelayed: 12, jobsLateAfterWait: late.length }]);
    // The frame of 90 ms: answer held 100..202, then 1 + 5 ms over ap-b.
    expect(totals.get(90)).toBe(208 - 90);
    expect(world.network.waitsOf(0)).toEqual({ transfers: 12, waitMs: 102 + [...Array(11).keys()].reduce((sum, k) => sum + (202 - (100 + 10 * k)), 0) });
  });
});

describe("jobs still waiting when the run ends", () => {
  it("frames held at the end count as waited (unfinished-late past the deadline), and their wait so far in waitsOf", () => {
    const scenario = wirelessCamera("100 ms");
    const world = new World(scenario, { frames: { name: "edge", place: () => 0 }, queries: undefined });
    world.network.attach(0, 0, 0);
    // Out of range from 900 ms to the end.
    world.sim.schedule(900, () => world.network.attach(0, null, Infinity));
    world.run();
    const end = scenario.durationMs + scenario.drainMs;
    // Held: the answer of the frame of 890 ms (in its latency phase at 900) and the frames of 900..990 ms.
    const created = [890, ...Array.from({ length: 10 }, (_, k) => 900 + 10 * k)];
    const late = created.filter((t) => end - t > 100).length;
    expect(world.frames?.results().waited).toEqual([{ group: "cam", jobsDelayed: 11, jobsLateAfterWait: late }]);
    const heldSince = [900, ...created.slice(1)];
    expect(world.network.waitsOf(0).transfers).toBe(11);
    expect(world.network.waitsOf(0).waitMs).toBeCloseTo(
      heldSince.reduce((sum, t) => sum + (end - t), 0),
      9,
    );
  });
});

describe("migration state over a node-node link", () => {
  const demo = JSON.parse(readFileSync(join(REPO, "scenarios", "node-overload-migration.json"), "utf8")) as Doc;

  /** The demo's crash case, on a graph: the camera reaches each node directly; jetson-nano -> router -> coral carries the state. */
  function crashOnGraph(stateBytes: number): Doc {
    const doc = structuredClone(demo);
    delete doc.nodes[0].backgroundLoad;
    doc.healthCheck = { interval: "10 s", timeout: "1 s" };
    doc.faults = [{ type: "crash", node: "jetson-nano", at: "95 s" }];
    doc.migration = { preloaded: true, stateBytes };
    doc.network = {
      topology: "graph",
      vertices: [{ id: "router", kind: "router" }],
      links: [
        { between: ["camera", "jetson-nano"], latency: "1 ms" },
        { between: ["camera", "coral"], latency: "4 ms" },
        { between: ["camera", "up-squared"], latency: "6 ms" },
        { between: ["jetson-nano", "router"], latency: "1 ms" },
        { between: ["router", "coral"], latency: "1.5 ms", capacity: "8 Mbit/s" },
      ],
    };
    return doc;
  }

  it("switch time = the route's latency + stateBytes / capacity (preloaded model), hand-worked", () => {
    const { results } = runScenario(crashOnGraph(50_000));
    const [m] = results.runs[1].migrations;
    expect(m).toMatchObject({ from: "jetson-nano", to: "coral", reason: "node unhealthy" });
    // 1 + 1.5 ms, then 50,000 bytes at 1000 bytes/ms alone on router -> coral.
    expect(m.switchMs).toBeCloseTo(2.5 + 50, 9);
  });

  it("no state: the switch is immediate, as before", () => {
    const { results } = runScenario(crashOnGraph(0));
    expect(results.runs[1].migrations[0].switchMs).toBe(0);
  });
});

/** boardAndCloud's user, wireless by hand: its link to ap-a is its access link (no air capacity). */
function wirelessUser(): ResolvedScenario {
  const s = llmScenario(
    boardAndCloud({
      network: {
        topology: "graph",
        vertices: [{ id: "ap-a", kind: "access-point" }],
        links: [
          { between: ["user", "ap-a"], latency: "1 ms" },
          { between: ["ap-a", "board"], latency: "1 ms" },
          { between: ["ap-a", "cloud"], latency: "20 ms" },
        ],
        requestOverheadBytes: 0,
      },
    }),
  );
  return withHandAttachedDevice(s, ["ap-a"], [[Infinity, Infinity]], 0);
}

describe("queries whose transfers waited for coverage", () => {
  const router = { name: "local", route: () => "local" as const };

  it("a user out of range until after the last query is created: every query waits, and misses its deadline", () => {
    const scenario = wirelessUser();
    const world = new World(scenario, { frames: undefined, queries: router }, {});
    world.network.attach(0, 0, 0);
    world.sim.schedule(0, () => world.network.attach(0, null, Infinity));
    // Back 10 s after the last creation (150 s): every query waited at least 10 s, over its 3 s time to first token.
    world.sim.schedule(160_000, () => world.network.attach(0, 0, 160_000));
    world.run();
    const results = world.queries?.results();
    const created = results?.groups[0].jobs.generated ?? 0;
    expect(created).toBeGreaterThan(0);
    expect(results?.waited).toEqual([{ group: "user", jobsDelayed: created, jobsLateAfterWait: created }]);
    expect(world.network.waitsOf(0).transfers).toBe(created);
  });

  it("a user out of range to the end: its queries still held count as waited and late (unfinished past the deadline)", () => {
    const world = new World(wirelessUser(), { frames: undefined, queries: router }, {});
    world.network.attach(0, 0, 0);
    world.sim.schedule(0, () => world.network.attach(0, null, Infinity));
    world.run();
    const results = world.queries?.results();
    const created = results?.groups[0].jobs.generated ?? 0;
    expect(created).toBeGreaterThan(0);
    expect(results?.groups[0].jobs.completed).toBe(0);
    expect(results?.waited).toEqual([{ group: "user", jobsDelayed: created, jobsLateAfterWait: created }]);
  });
});
