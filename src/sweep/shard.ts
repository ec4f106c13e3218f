import { InputError } from "../errors.js";
import type { RunSpec } from "./plan-types.js";

/** A slice of a sweep. K is 0-based, like Kubernetes' JOB_COMPLETION_INDEX and a Slurm array 0..N-1. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match === null ? Number.NaN : Number(match[1]);
  const count = match === null ? Number.NaN : Number(match[2]);
  if (!(count >= 1 && index >= 0 && index < count)) {
    throw new InputError("--shard", [{ path: "", value: text, expected: "K/N with 0 <= K < N (K is 0-based), e.g. 0/3, 1/3, 2/3" }]);
  }
  return { index, count };
}

/**
 * The runs of shard K of N: every N-th run of the plan's fixed order, starting at K. The slices are
 * disjoint, cover every run, and are balanced across cells (each shard gets about the same mix of
 * small and large cells).
 */
export function shardRuns(runs: readonly RunSpec[], shard: Shard | undefined): RunSpec[] {
  if (shard === undefined) return [...runs];
  return runs.filter((_, i) => i % shard.count === shard.index);
}
