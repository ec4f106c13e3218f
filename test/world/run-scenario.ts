import { resolveScenario } from "../../src/scenario/resolve.js";
import { simulate } from "../../src/run/simulate.js";
import type { Results } from "../../src/metrics/results.js";
import type { TaskRecord } from "../../src/world/edge-world.js";

/** Resolves and simulates a scenario document, keeping every measured request per scheduler label. */
export function runScenario(doc: unknown): { results: Results; records: Record<string, TaskRecord[]> } {
  const records: Record<string, TaskRecord[]> = {};
  const results = simulate(resolveScenario(doc, {}), {
    taskSink: (label) => {
      records[label] = [];
      return (record) => records[label].push({ ...record });
    },
  });
  return { results, records };
}
