import { InputError } from "../errors.js";

/* --replications, checked by the CLI before anything runs (kept apart from the worker pool, which only a replicated run loads). */

/** The fewest replications an interval can be computed from (a sample standard deviation needs two). */
export const MIN_REPLICATIONS = 2;

/** `--replications`, checked before anything runs or is written. */
export function checkReplications(count: unknown): number {
  if (typeof count === "number" && Number.isInteger(count) && count >= MIN_REPLICATIONS) return count;
  throw new InputError("--replications", [
    { path: "", value: count, expected: `a whole number of replications, at least ${MIN_REPLICATIONS} (a 95% interval needs two; for one run, leave --replications out)` },
  ]);
}
