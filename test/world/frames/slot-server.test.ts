import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../src/engine/rng.js";
import { Simulator } from "../../../src/engine/simulator.js";
import { Network } from "../../../src/network/network.js";
import type { Scheduler } from "../../../src/schedulers/types.js";
import { FrameTraffic, type TaskRecord } from "../../../src/world/frames/frame-traffic.js";
import type { ComputeUnit, TrafficContext } from "../../../src/world/traffic-context.js";
import { runScenario } from "../run-scenario.js";
import { resolveScenario as __R } from "../../../src/scenario/resolve.js";

const resolveFrames = (doc: unknown) => __R(doc, {});

/** A compute unit whose speed the test sets; it records the busy transitions it is told. */
class FakeUnit implements ComputeUnit {
  speed = 1;
  readonly busyChanges: { at: number; busy: boolean }[] = [];
  private readonly listeners: (() => void)[] = [];
  private busy = false;
  constructor(private readonly sim: Simulator) {}
  speedOf(): number {
    return this.speed;
  }
  register(onSpeedChange: () => void): number {
    this.listeners.push(onSpeedChange);
    return this.listeners.length - 1;
  }
  setBusy(_service: number, busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.busyChanges.push({ at: this.sim.now, busy });
  }
  setSpeed(speed: number): void {
    this.speed = speed;
    for (const listener of this.listeners) listener();
  }
}

const toNode: Scheduler = { name: "to-node", place: () => 0 };

/** Runs frame traffic alone on a hand-made context whose one unit is `FakeUnit`; `speeds` schedules speed changes, `crashes` [down, up] intervals of node 0. */
function runWithUnit(doc: unknown, speeds: [number, number][], crashes: [number, number][] = []) {
  const scenario = resolveFrames(doc);
  const sim = new Simulator();
  const streams = new RandomStreams(scenario.seed);
  const unit = new FakeUnit(sim);
  const loads: { at: number; level: number }[] = [];
  const context: TrafficContext = {
    sim,
    streams,
    scenario,
    network: new Network(scenario, streams),
    knownHealthy: new Uint8Array(scenario.nodes.length).fill(1),
    up: new Uint8Array(scenario.nodes.length).fill(1),
    unit: () => unit,
    // The fake unit's speed changes are what these tests drive: the service must track them.
    contends: () => true,
    loadChanged: (_node, _family, level) => loads.push({ at: sim.now, level }),
    control: undefined,
  };
  const records: TaskRecord[] = [];
  const traffic = new FrameTraffic(context, toNode, { taskSink: (record) => records.push({ ...record }) });
  traffic.start();
  for (const [at, speed] of speeds) sim.schedule(at, () => unit.setSpeed(speed));
  // What the world does at a crash and a recovery: set `up`, then tell the traffic.
  for (const [down, back] of crashes) {
    sim.schedule(down, () => {
      context.up[0] = 0;
      traffic.crashNode(0);
    });
    sim.schedule(back, () => {
      context.up[0] = 1;
      traffic.recoverNode(0);
    });
  }
  const end = scenario.durationMs + scenario.drainMs;
  sim.run({ until: end });
  traffic.finish(end);
  records.sort((a, b) => a.sequence - b.sequence);
  return { records, unit, loads, results: traffic.results() };
}

describe("a frame in service progresses at the speed its compute unit gives it", () => {
  const singleSlot = (offsets: number[]) => ({
    name: "speed",
    duration: "100 ms",
    drain: "1 s",
    qosDeadline: "1 s",
    devices: offsets.map((offset, i) => ({ id: `d${i}`, workload: { type: "arrivals", model: "m", interarrival: "10 s", startOffset: offset } })),
    nodes: [{ id: "n", slots: 1, preprocessingTime: 4, inferenceTime: 6 }],
    schedulers: ["round-robin"],
  });

  it("single-stage: speed halves at 5 ms and is back at 9 ms; the slot's 10 ms of work ends at 12 ms, the next frame at 22 ms", () => {
    // Frame A (t = 0): 10 ms of work. By 5 ms, 5 done; 5-9 ms at half speed: 2 more; 3 left at
    // full speed: done at 12 ms. Frame B (t = 1 ms) waits 11 ms, then 10 ms at full speed: 22 ms.
    const { records, unit, loads } = runWithUnit(singleSlot([0, 1]), [
      [5, 0.5],
      [9, 1],
    ]);
    expect(records.map((r) => [r.createdAt, r.queueing, r.total])).toEqual([
      [0, 0, 12],
      [1, 11, 21],
    ]);
    // A's stages on the unit are stretched by 12/10 so that they still add up to its total.
    expect(records[0].preprocessing).toBeCloseTo(4.8, 12);
    expect(records[0].inference).toBeCloseTo(7.2, 12);
    expect([records[1].preprocessing, records[1].inference]).toEqual([4, 6]);
    // The unit is told busy once at 0 and idle once at 22 (B starts in the same instant A ends).
    expect(unit.busyChanges).toEqual([
      { at: 0, busy: true },
      { at: 22, busy: false },
    ]);
    expect(loads.filter((load, i) => i === 0 || load.level !== loads[i - 1].level)).toEqual([
      { at: 0, level: 1 },
      { at: 22, level: 0 },
    ]);
  });

  it("a frame starting on a slowed unit takes its work / speed; speed changes with nothing in service move nothing", () => {
    // Speed 0.25 from 50 ms (the unit is idle then); the frame at 60 ms takes 10 / 0.25 = 40 ms.
    const { records } = runWithUnit(singleSlot([0, 60]), [[50, 0.25]]);
    expect(records.map((r) => r.total)).toEqual([10, 40]);
  });

  it("a crash frees the unit at once; a later speed change does not revive the lost frame", () => {
    // Frame A (t = 0) is in service when the node crashes at 5 ms: the unit is idle from 5 ms and
    // A is lost when its slot would have ended (10 ms). The speed halves at 7 ms with nothing in
    // service. The node is back at 20 ms; frame B (t = 30 ms) takes 10 / 0.5 = 20 ms.
    const { records, unit, results } = runWithUnit(singleSlot([0, 30]), [[7, 0.5]], [[5, 20]]);
    expect(records.map((r) => [r.createdAt, r.total])).toEqual([[30, 20]]);
    expect(results.section.jobs).toMatchObject({ completed: 1, lost: 1 });
    expect(unit.busyChanges).toEqual([
      { at: 0, busy: true },
      { at: 5, busy: false },
      { at: 30, busy: true },
      { at: 50, busy: false },
    ]);
  });

  it("two-stage: only inference is on the unit; CPU preprocessing is not slowed", () => {
    // Preprocessing 4 ms on a CPU core (full speed despite the unit at 0.5 from 2 ms), then 6 ms of
    // inference at half speed: 12 ms; done at 16 ms.
    const doc = {
      name: "speed-two-stage",
      duration: "100 ms",
      drain: "1 s",
      qosDeadline: "1 s",
      devices: [{ id: "d", workload: { type: "arrivals", model: "mobilenet-ssd-v1", interarrival: "10 s", startOffset: 0 } }],
      nodes: [{ id: "coral", profile: "coral-dev-board", cpuSlots: 1, preprocessingTime: 4, inferenceTime: 6 }],
      schedulers: ["round-robin"],
    };
    const { records } = runWithUnit(doc, [[2, 0.5]]);
    expect(records.map((r) => [r.preprocessing, r.inference, r.total])).toEqual([[4, 12, 16]]);
  });
});

describe("queueCapacity bounds the frames waiting at a two-stage node, both queues together", () => {
  // One CPU core (10 ms preprocessing), one accelerator slot (30 ms inference), frames at 0, 12,
  // 24 and 36 ms.
  const doc = (queueCapacity: number) => ({
    name: "capacity",
    duration: "40 ms",
    drain: "1 s",
    qosDeadline: "1 s",
    devices: [{ id: "cam", workload: { type: "arrivals", model: "mobilenet-ssd-v1", interarrival: 12, startOffset: 0 } }],
    nodes: [{ id: "coral", profile: "coral-dev-board", cpuSlots: 1, preprocessingTime: 10, inferenceTime: 30, queueCapacity }],
    schedulers: ["round-robin"],
  });

  it("capacity 0: no frame ever waits; a preprocessed frame finding the accelerator busy is refused", () => {
    // f0: CPU [0, 10], accelerator [10, 40]. f1: CPU [12, 22], accelerator busy: refused. f2: CPU
    // [24, 34], refused. f3: CPU [36, 46], accelerator free since 40: [46, 76].
    // (Before the fix f1, f2, f3 waited 18, 36 and 54 ms for the accelerator.)
    const { results, records } = runScenario(doc(0));
    const frames = records["round-robin"].sort((a, b) => a.sequence - b.sequence);
    expect(frames.map((r) => [r.createdAt, r.queueing, r.total])).toEqual([
      [0, 0, 40],
      [36, 0, 40],
    ]);
    const run = results.runs[0];
    expect(run.jobs).toMatchObject({ generated: 4, completed: 2, refused: 2, dropped: 0 });
    expect(run.nodes[0].frames?.refused).toBe(2);
    expect(run.nodes[0].frames?.meanQueueLength).toBe(0);
    expect(run.frames?.timeSeries.bins.reduce((s, b) => s + b.refused, 0)).toBe(2);
  });

  it("capacity 1: at most one frame waits; the next one meeting a full node is refused", () => {
    // f0: CPU [0, 10], accelerator [10, 40]. f1: CPU [12, 22], waits (1 waiting), accelerator
    // [40, 70]. f2: CPU [24, 34], one already waits: refused. f3: CPU [36, 46], waits (f1 left at
    // 40), accelerator [70, 100].
    const { results, records } = runScenario(doc(1));
    const frames = records["round-robin"].sort((a, b) => a.sequence - b.sequence);
    expect(frames.map((r) => [r.createdAt, r.queueing, r.total])).toEqual([
      [0, 0, 40],
      [12, 18, 58],
      [36, 24, 64],
    ]);
    expect(results.runs[0].jobs).toMatchObject({ completed: 3, refused: 1 });
    // Time-average waiting over the 40 ms window: f1 waits over [22, 40) = 18 ms; 18 / 40.
    expect(results.runs[0].nodes[0].frames?.meanQueueLength).toBeCloseTo(18 / 40, 12);
  });
});

describe("nodes without a frame service", () => {
  it("look unusable to a frame policy, and placing a frame there is an error naming policy, node and time", () => {
    const base = resolveFrames({
      name: "mixed",
      duration: "1 s",
      qosDeadline: "1 s",
      devices: [{ id: "d", workload: { type: "arrivals", model: "m", interarrival: 100, startOffset: 5 } }],
      nodes: [
        { id: "llm-only", inferenceTime: 1 },
        { id: "detector", inferenceTime: 1 },
      ],
      schedulers: ["round-robin"],
    });
    const scenario = { ...base, nodes: base.nodes.map((node) => (node.index === 0 ? { ...node, frames: undefined, units: { frames: undefined, llm: "accelerator" as const } } : node)) };
    const sim = new Simulator();
    const streams = new RandomStreams(1);
    const context: TrafficContext = {
      sim,
      streams,
      scenario,
      network: new Network(scenario, streams),
      knownHealthy: new Uint8Array(2).fill(1),
      up: new Uint8Array(2).fill(1),
      unit: () => new FakeUnit(sim),
      contends: () => true,
      loadChanged: () => undefined,
      control: undefined,
    };
    const seen: [boolean, number][] = [];
    const traffic = new FrameTraffic(context, { name: "stubborn", place: (_task, view) => (seen.push([view.isHealthy(0), view.slots(0)]), 0) }, {});
    traffic.start();
    expect(() => sim.run({ until: 1000 })).toThrow("scheduler stubborn placed a frame on node llm-only at t=5 ms, which has no frame service");
    expect(seen).toEqual([[false, 0]]);
    expect(traffic.view.isHealthy(1)).toBe(true);
    expect(traffic.view.profileInferenceMs(0, 0)).toBe(Infinity);
  });
});
