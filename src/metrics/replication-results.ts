import type { CompactRunResults } from "../sweep/run-record.js";
import type { MetricSummary } from "../sweep/statistics.js";

/**
 * `results.json` `replications` (a run with `--replications N`, docs/results.md): the seeds, each
 * replication's runs as a sweep keeps them, and the interval of every figure. `runs[]` holds
 * replication 0 in full, so every reader of a plain run reads it unchanged.
 */
export interface ReplicationResults {
  /** The scenario's seed (or --seed): each replication's seed is derived from it by the sweep rule. */
  masterSeed: number | string;
  /** seeds[r]: the seed replication r was simulated with (replication 0's is `seed`). */
  seeds: number[];
  /** runs[r]: replication r's runs, in the order of `runs[]`, without time series and CDF. */
  runs: CompactRunResults[][];
  /** One entry per run label, in the order of `runs[]`. */
  summary: ReplicationSummary[];
}

/** Every figure of one run label over the replications, keyed by its sweep metric path. */
export interface ReplicationSummary {
  label: string;
  figures: Record<string, MetricSummary>;
}
