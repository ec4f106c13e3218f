import type { Results } from "../../src/metrics/results-schema.js";
import { simulate } from "../../src/run/simulate.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { TaskRecord } from "../../src/world/frames/frame-traffic.js";

/** Resolves and simulates a scenario document, keeping every measured request per policy label. */
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
