import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { defineApplication } from "../../src/dag/application.js";
import { DagRunner } from "../../src/dag/dag-runner.js";
import { perStagePlacement } from "../../src/dag/placement.js";
import type { StageExecutorFactory } from "../../src/dag/stage-executor.js";
import { stationStages } from "../../src/dag/station-stages.js";
import { Stations } from "../../src/dag/stations.js";
import type { ApplicationSpec, QueryStageSpec } from "../../src/dag/types.js";
import { deviceName, harness, type KeptRecord, keep, uniformNetwork } from "./harness.js";

/**
 * Outcomes and retries in the runner, with a scripted executor in place of the query traffic:
 * each visit of a query stage takes a fixed time and passes or fails as its script says.
 * Timelines worked by hand.
 */

function querySpec(name: string, maxAttempts: number): QueryStageSpec {
  const outcome = { timeMs: 1, tokens: 1 };
  return { name, successProbability: 1, passed: outcome, failed: outcome, outputShare: 0.5, complexity: 0.5, maxAttempts, referenceNode: 0 };
}

/** Visits of stage s take `ms[s]` and pass as `script[s]` says, attempt by attempt (true once the script runs out). */
function scripted(sim: Simulator, ms: readonly number[], script: readonly (readonly boolean[])[]): StageExecutorFactory {
  return (_app, client) => {
    const seen = script.map(() => 0);
    return {
      reserve: () => 0,
      expectedWaitMs: () => 0,
      enter(_handle, s, _host, _job, token) {
        const passed = script[s][seen[s]++] ?? true;
        sim.schedule(ms[s], () => client.finished(token, ms[s], passed));
      },
    };
  };
}

interface Ended {
  completed: KeptRecord[];
  failed: { record: KeptRecord; stage: number }[];
}

function run(spec: ApplicationSpec, ms: readonly number[], script: readonly (readonly boolean[])[]): Ended & { runner: DagRunner } {
  const sim = new Simulator();
  const streams = new RandomStreams(1);
  const app = defineApplication(spec, ["n0"], streams);
  const ended: Ended = { completed: [], failed: [] };
  const runner = new DagRunner(sim, app, { station: stationStages(new Stations(sim), streams, deviceName), query: scripted(sim, ms, script) }, uniformNetwork(1, 1), perStagePlacement, {
    submitted: () => {},
    completed: (record) => ended.completed.push(keep(record)),
    failed: (record, stage) => ended.failed.push({ record: keep(record), stage }),
  });
  runner.submit(0);
  sim.run();
  return { ...ended, runner };
}

const chain = (maxAttempts: number): ApplicationSpec => ({
  id: "chain",
  stages: [
    { id: "a", query: querySpec("a", maxAttempts) },
    { id: "b", query: querySpec("b", maxAttempts) },
  ],
  edges: [
    { from: "device", to: "a", bytes: 0 },
    { from: "a", to: "b", bytes: 0 },
    { from: "b", to: "device", bytes: 0 },
  ],
});

describe("a failed visit is retried while attempts remain", () => {
  it("a fails twice then passes (3 attempts allowed), b passes: 3 + 1 visits, the stage's time the sum of its attempts", () => {
    // a: 0-2 fail, 2-4 fail, 4-6 pass; b (on the device too: the edge costs nothing) 6-9; back at 9.
    const { completed, failed, runner } = run(chain(3), [2, 3], [[false, false, true], []]);
    expect(failed).toEqual([]);
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ latencyMs: 9, attempts: [3, 1], serviceMs: [6, 3], waitMs: [0, 0], transferMs: [0, 0, 0] });
    expect(runner.inFlight).toBe(0);
  });

  it("b fails its 3 attempts: the job fails at b at 2 + 3 x 3 = 11 ms, never completes, and its slot is free", () => {
    const { completed, failed, runner } = run(chain(3), [2, 3], [[], [false, false, false]]);
    expect(completed).toEqual([]);
    expect(failed).toHaveLength(1);
    expect(failed[0].stage).toBe(1);
    expect(failed[0].record).toMatchObject({ endMs: 11, attempts: [1, 3], serviceMs: [2, 9] });
    expect(runner.inFlight).toBe(0);
    expect(runner.inFlightArrivalsMs()).toEqual([]);
  });

  it("maxAttempts 1: one failed visit fails the job", () => {
    const { failed } = run(chain(1), [2, 3], [[false], []]);
    expect(failed.map((f) => [f.stage, f.record.endMs, f.record.attempts])).toEqual([[0, 2, [1, 0]]]);
  });

  it("a fork whose one branch fails: the job fails once, the other branch's end is ignored", () => {
    // device -> {q (on the device: fails at 4), t on n0 (1 ms there, 10 ms, 1 ms back: 12)} -> device.
    const spec: ApplicationSpec = {
      id: "fork",
      stages: [
        { id: "q", query: querySpec("q", 1) },
        { id: "t", service: "T", hosts: [{ place: "n0", serviceTime: 10, slots: 1 }] },
      ],
      edges: [
        { from: "device", to: "q", bytes: 0 },
        { from: "device", to: "t", bytes: 0 },
        { from: "q", to: "device", bytes: 0 },
        { from: "t", to: "device", bytes: 0 },
      ],
    };
    const { completed, failed, runner } = run(spec, [4, 0], [[false], []]);
    expect(completed).toEqual([]);
    expect(failed.map((f) => [f.stage, f.record.endMs])).toEqual([[0, 4]]);
    expect(runner.inFlight).toBe(0);
  });
});

describe("device-side stations draw per device", () => {
  const onDevice: ApplicationSpec = {
    id: "local",
    stages: [{ id: "a", service: "A", hosts: [{ place: "device", serviceTime: { dist: "exponential", mean: 5 }, slots: 1 }] }],
    edges: [
      { from: "device", to: "a", bytes: 0 },
      { from: "a", to: "device", bytes: 0 },
    ],
  };

  it("device 0's service draws are the same whether or not device 1 sends jobs in between", () => {
    const draws = (withOther: boolean): number[] => {
      const h = harness(onDevice, [], uniformNetwork(0, 0), perStagePlacement);
      for (let i = 0; i < 5; i++) {
        h.sim.schedule(100 * i, () => h.runner.submit(0));
        if (withOther) h.sim.schedule(100 * i + 50, () => h.runner.submit(1));
      }
      h.sim.run();
      return h.records.filter((r) => r.device === 0).map((r) => r.serviceMs[0]);
    };
    const alone = draws(false);
    expect(new Set(alone).size).toBe(5);
    expect(draws(true)).toEqual(alone);
  });
});
