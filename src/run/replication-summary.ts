import type { ReplicationSummary } from "../metrics/replication-results.js";
import { metricValue } from "../sweep/metric-paths.js";
import type { CompactRunResults } from "../sweep/run-record.js";
import { summarize } from "../sweep/statistics.js";

/*
 * Every summary figure of a run label over the replications: each number of its runs as a sweep
 * keeps them (src/sweep/run-record.ts), named by its sweep metric path (src/sweep/metric-paths.ts:
 * "frames.latency.total.p95", "nodes.0.utilisation"), and each array's length ("migrations").
 * An array's entries are figures only when the array has the same length in every replication:
 * nodes, groups and links are the same entities in each, while the 3rd migration of one
 * replication has no counterpart in another.
 */

/** For each run label, in the order of replication 0's runs: the mean and Student-t 95% interval of every figure, values taken in replication order. */
export function replicationSummary(replications: readonly (readonly CompactRunResults[])[]): ReplicationSummary[] {
  const labels = (replications[0] ?? []).map((run) => run.label);
  return labels.map((label) => {
    const runs = replications.map((runsOfOne) => runsOfOne.find((run) => run.label === label));
    const paths: string[] = [];
    const seen = new Set<string>();
    collectPaths(runs, "", paths, seen);
    const figures: ReplicationSummary["figures"] = {};
    for (const path of paths) figures[path] = summarize(runs.map((run) => (run === undefined ? null : metricValue(run, path))));
    return { label, figures };
  });
}

/** The figure paths under `prefix` of the given values (one per replication, undefined where absent), first-seen order. */
function collectPaths(values: readonly unknown[], prefix: string, paths: string[], seen: Set<string>): void {
  const add = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    paths.push(path);
  };
  const at = (segment: string): string => (prefix === "" ? segment : `${prefix}.${segment}`);
  if (values.some((value) => typeof value === "number")) add(prefix);
  const arrays = values.filter((value): value is unknown[] => Array.isArray(value));
  if (arrays.length > 0) {
    add(prefix);
    const length = arrays[0].length;
    if (arrays.length === values.length && arrays.every((array) => array.length === length)) {
      for (let i = 0; i < length; i++)
        collectPaths(
          arrays.map((array) => array[i]),
          at(String(i)),
          paths,
          seen,
        );
    }
  }
  const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
  // Keys in first-seen order over the replications (the results are built in a fixed order, so this is replication 0's order).
  const keys = [...new Set(values.filter(isObject).flatMap((object) => Object.keys(object)))];
  for (const key of keys)
    collectPaths(
      values.map((value) => (isObject(value) ? value[key] : undefined)),
      at(key),
      paths,
      seen,
    );
}
