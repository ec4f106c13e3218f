import { InputError } from "../errors.js";

/** `--jobs` of a sweep or of a run's replications: the threads that simulate, by default one per core. */
export function resolveJobs(jobs: number | undefined): number {
  // os is loaded where it is used (process.getBuiltinModule): a plain run, which imports this module, does not load it (issue 16, start-up).
  const value = jobs ?? process.getBuiltinModule("node:os").availableParallelism();
  if (Number.isInteger(value) && value >= 1) return value;
  throw new InputError("--jobs", [{ path: "", value: jobs, expected: "a whole number of worker threads, at least 1" }]);
}
