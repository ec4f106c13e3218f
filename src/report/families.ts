import type { Results } from "../metrics/results-schema.js";

/** The workload families some run of the results has: which half of the report, the summary and the sweep defaults apply. */
export function familiesOf(results: Pick<Results, "runs">): { frames: boolean; queries: boolean } {
  return { frames: results.runs.some((run) => run.frames !== null), queries: results.runs.some((run) => run.queries !== null) };
}
