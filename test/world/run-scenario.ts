import type { Results } from "../../src/metrics/results-schema.js";
import { type SimulateOptions, simulateWorld } from "../../src/run/simulate-world.js";
import { fromEdgeResolved } from "../../src/scenario/legacy-resolved.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ResolvedScenario as EdgeScenario } from "../../src/scenario/resolved.js";
import { SCHEDULER_NAMES } from "../../src/schedulers/registry.js";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";

/** Resolves a frame scenario document in the old format (until the one resolver lands). */
export function resolveFrames(doc: unknown): EdgeScenario {
  return resolveScenario(doc, { knownSchedulers: SCHEDULER_NAMES });
}

/** Simulates a resolved frame scenario on the one world (results@2). */
export function simulateFrames(scenario: EdgeScenario, options: SimulateOptions = {}): Results {
  return simulateWorld(fromEdgeResolved(scenario), options);
}

/** Resolves and simulates a scenario document, keeping every measured request per scheduler label. */
export function runScenario(doc: unknown): { results: Results; records: Record<string, TaskRecord[]> } {
  const records: Record<string, TaskRecord[]> = {};
  const results = simulateFrames(resolveFrames(doc), {
    taskSink: (label) => {
      records[label] = [];
      return (record) => records[label].push({ ...record });
    },
  });
  return { results, records };
}
