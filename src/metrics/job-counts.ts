import type { JobCounts } from "./results-schema.js";

/** The counts a family keeps while it runs: JobCounts without the violations, derived at the end. */
export type JobTally = Omit<JobCounts, "violations" | "violationRate">;

export function newJobTally(): JobTally {
  return { generated: 0, completed: 0, dropped: 0, refused: 0, lost: 0, unfinished: 0, late: 0, unfinishedLate: 0 };
}

/** A tally as results@2 counts (violations by the one rule). */
export function jobCountsOf(tally: JobTally): JobCounts {
  return withViolations({ ...tally, violations: 0, violationRate: null });
}

/** Sums job counts of the families (violation rate recomputed from the sums). */
export function addJobCounts(parts: readonly JobCounts[]): JobCounts {
  const sum: JobCounts = { ...newJobTally(), violations: 0, violationRate: null };
  for (const part of parts) {
    sum.generated += part.generated;
    sum.completed += part.completed;
    sum.dropped += part.dropped;
    sum.refused += part.refused;
    sum.lost += part.lost;
    sum.unfinished += part.unfinished;
    sum.late += part.late;
    sum.unfinishedLate += part.unfinishedLate;
  }
  return withViolations(sum);
}

/** Fills violations and violationRate from the counts: the one rule for every family. */
export function withViolations(counts: JobCounts): JobCounts {
  const violations = counts.late + counts.dropped + counts.refused + counts.lost + counts.unfinishedLate;
  const attempts = counts.completed + counts.dropped + counts.refused + counts.lost + counts.unfinishedLate;
  return { ...counts, violations, violationRate: attempts === 0 ? null : violations / attempts };
}
