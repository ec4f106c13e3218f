import { describe, expect, it } from "vitest";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { createNearestHealthy } from "../../src/schedulers/nearest-healthy.js";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";
import { World } from "../../src/world/world.js";
import { FakeControl, withControl } from "./control-fake.js";
import { twoBoardsDoc as doc } from "./two-boards-doc.js";

type Doc = Record<string, unknown>;

function run(document: Doc, setup: (fake: FakeControl) => void, absentAtStart: readonly string[] = []) {
  const scenario = withControl(resolveScenario(document, {}), absentAtStart);
  const fake = new FakeControl(scenario.nodes.length);
  setup(fake);
  const records: TaskRecord[] = [];
  const world = new World(scenario, { frames: createNearestHealthy(), queries: undefined }, { frames: { taskSink: (record) => records.push({ ...record }) }, controlPlane: fake.build });
  world.run();
  const frames = world.frames?.results().section;
  if (frames === undefined) throw new Error("no frame traffic");
  return { fake, world, records, frames };
}

const created = (records: readonly TaskRecord[], node: string) => records.filter((r) => r.node === node).map((r) => r.createdAt);
const stageSum = (r: TaskRecord) => r.networkUp + r.queueing + r.preprocessing + r.inference + r.networkDown;
const range = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);

describe("frame traffic under a control plane (a fake one)", () => {
  it("a stale view: frames placed after the service stopped and before the view learnt it are rejected and lost; then the policy goes elsewhere", () => {
    // The service on `near` stops at 1050 ms; the view lists it until 1250 ms. Frames are
    // created (and, at zero latency, reach the node) at 0, 100, ..., 1900 ms.
    const viewers = new Set<number>();
    const { fake, records, frames } = run(doc(), (fake) => {
      fake.onStart = () =>
        fake.at(1050, () => {
          fake.accepting.frames[0] = 0;
        });
      fake.listed = (viewer, node) => {
        viewers.add(viewer);
        return !(node === 0 && (fake.world as World).sim.now >= 1250);
      };
    });
    expect(created(records, "near")).toEqual(range(0, 1000, 100));
    // Exactly those in [1050, 1250): 1100 and 1200.
    expect(fake.rejections).toEqual([
      { node: 0, family: "frames", at: 1100 },
      { node: 0, family: "frames", at: 1200 },
    ]);
    expect(frames.jobs.lost).toBe(2);
    expect(created(records, "far")).toEqual(range(1300, 1900, 100));
    expect(frames.jobs.generated).toBe(20);
    // The policy saw the catalog as the placing device (index 0) does.
    expect([...viewers]).toEqual([0]);
  });

  it("a discovery wait delays the frame's placement; its latency includes it, as queueing", () => {
    let calls = 0;
    const { records } = run(doc(), (fake) => {
      fake.discoverWait = () => (calls++ === 0 ? 5 : 0);
    });
    expect(records).toHaveLength(20);
    expect(records[0]).toMatchObject({ createdAt: 0, node: "near", networkUp: 0, queueing: 5, inference: 10, total: 15 });
    for (const r of records.slice(1)) expect(r).toMatchObject({ node: "near", queueing: 0, total: 10 });
    for (const r of records) expect(stageSum(r)).toBe(r.total);
  });

  it("a discovery wait on a transfer the network delivers (a capacity link) is queueing, not network time", () => {
    // A capacity link from the camera's switch to near: the uplink is a flow the network delivers.
    const shared = doc({
      network: {
        topology: "graph",
        vertices: [{ id: "sw", kind: "switch" }],
        links: [
          { between: ["cam", "sw"], latency: "0 ms" },
          { between: ["sw", "near"], latency: "0 ms", capacity: "1 Gbit/s" },
          { between: ["sw", "far"], latency: "1 ms" },
        ],
      },
    });
    let calls = 0;
    const { records } = run(shared, (fake) => {
      fake.discoverWait = () => (calls++ === 0 ? 5 : 0);
    });
    const [first, second] = records;
    expect(first.networkUp).toBeGreaterThan(0);
    // The same transfer on an idle link: the same uplink time; the first frame waited 5 ms more.
    expect(first.networkUp).toBeCloseTo(second.networkUp, 9);
    expect(first.queueing).toBeCloseTo(5, 9);
    expect(first.total - second.total).toBeCloseTo(5, 9);
    for (const r of records) expect(stageSum(r)).toBeCloseTo(r.total, 9);
  });

  it("held frames (scale to zero) are placed at the release, in arrival order", () => {
    let jobsDuringRelease = Number.NaN;
    const { records, fake } = run(doc(), (fake) => {
      fake.holding = () => (fake.world as World).sim.now < 350;
      fake.onStart = () => {
        fake.at(350, () => fake.releaseAll());
        fake.at(355, () => {
          jobsDuringRelease = (fake.host as NonNullable<FakeControl["host"]>).jobsAt(0, "frames");
        });
      };
    });
    expect(fake.held).toHaveLength(0);
    // Frames of 0, 100, 200, 300 ms: placed at 350 in that order, one slot of 10 ms: done at 360, 370, 380, 390.
    const held = records.filter((r) => r.createdAt < 350);
    expect(held.map((r) => r.createdAt)).toEqual([0, 100, 200, 300]);
    expect(held.map((r) => r.createdAt + r.total)).toEqual([360, 370, 380, 390]);
    expect(held.map((r) => r.queueing)).toEqual([350, 260, 170, 80]);
    for (const r of records) expect(stageSum(r)).toBe(r.total);
    for (const r of records.filter((r) => r.createdAt >= 400)) expect(r.total).toBe(10);
    // At 355 ms one frame is in service and three wait.
    expect(jobsDuringRelease).toBe(4);
  });

  it("frames held to the end of the run are generated and unfinished", () => {
    const { frames, fake } = run(doc(), (fake) => {
      fake.holding = () => true;
    });
    expect(fake.held).toHaveLength(20);
    expect(frames.jobs.generated).toBe(20);
    expect(frames.jobs.unfinished).toBe(20);
  });

  it("the busy integral the autoscaler reads is the slot service's level integrated since 0", () => {
    const { fake } = run(doc(), () => undefined);
    const host = fake.host as NonNullable<FakeControl["host"]>;
    // 20 frames of 10 ms on one slot (level 1 while busy), unclipped by any window.
    expect(host.busyIntegralMs(0, "frames")).toBe(200);
    expect(host.busyIntegralMs(1, "frames")).toBe(0);
  });

  it("a crash's detection reaches the catalog at the check time, and the crash and recovery reach the control plane", () => {
    // Node 0 of 2 is checked at 0, 10, 20, ... s: the check at 40 s times out at 41 s; the 70 s check sees it back.
    const faulty = doc({
      duration: "100 s",
      healthCheck: { interval: "10 s", timeout: "1 s" },
      faults: [{ type: "crash", node: "near", at: "35 s", recoverAfter: "35 s" }],
    });
    const { fake } = run(faulty, () => undefined);
    expect(fake.passing).toEqual([
      { node: 0, passing: false, at: 41_000 },
      { node: 0, passing: true, at: 70_000 },
    ]);
    expect(fake.downUp).toEqual([
      { node: 0, down: true, at: 35_000 },
      { node: 0, down: false, at: 70_000 },
    ]);
  });

  it("a node absent at start takes nothing until its join; its leave loses what it holds and tells the control plane nothing back", () => {
    const { records, fake, world } = run(
      doc(),
      (fake) => {
        fake.onStart = () => {
          fake.at(450, () => fake.join(0));
          // A frame of 1000 ms is in service on near (1000 to 1010 ms) when it leaves.
          fake.at(1005, () => fake.leave(0));
        };
      },
      ["near"],
    );
    expect(created(records, "far")).toEqual([0, 100, 200, 300, 400, ...range(1100, 1900, 100)]);
    expect(created(records, "near")).toEqual(range(500, 900, 100));
    expect(world.frames?.results().section.jobs.lost).toBe(1);
    expect(fake.downUp).toEqual([]);
    expect(fake.passing).toEqual([]);
  });

  it("faults and the timeline: a join during a crash waits for the recovery; a recovery after a leave waits for the join", () => {
    const faulty = (extra: Doc) => doc({ duration: "100 s", healthCheck: { interval: "10 s", timeout: "1 s" }, faults: [{ type: "crash", node: "near", at: "35 s", recoverAfter: "35 s" }], ...extra });
    const upAt = (times: number[], timeline: [number, "leave" | "join"][]) => {
      const seen: number[] = [];
      const { fake } = run(faulty({}), (fake) => {
        fake.onStart = () => {
          for (const [at, event] of timeline) fake.at(at, () => (event === "leave" ? fake.leave(0) : fake.join(0)));
          for (const at of times) fake.at(at, () => seen.push((fake.world as World).nodes.up[0]));
        };
      });
      return { seen, fake };
    };
    // Crash at 35 s, leave at 50 s, join at 60 s: still crashed; the recovery at 70 s brings it up and is told.
    const a = upAt(
      [55_000, 65_000, 75_000],
      [
        [50_000, "leave"],
        [60_000, "join"],
      ],
    );
    expect(a.seen).toEqual([0, 0, 1]);
    expect(a.fake.downUp).toEqual([
      { node: 0, down: true, at: 35_000 },
      { node: 0, down: false, at: 70_000 },
    ]);
    // Leave at 30 s: the crash at 35 s finds it down (nothing happens), its recovery at 70 s leaves it out; the join at 80 s brings it up.
    const b = upAt(
      [75_000, 85_000],
      [
        [30_000, "leave"],
        [80_000, "join"],
      ],
    );
    expect(b.seen).toEqual([0, 1]);
    expect(b.fake.downUp).toEqual([]);
    // No probe passes the absent node: its health stays known down until the join.
    expect(b.fake.passing).toEqual([]);
  });
});
