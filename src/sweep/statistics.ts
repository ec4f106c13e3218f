import { studentTQuantile } from "./student-t.js";

/** Summary of one metric over a cell's replications. */
export interface MetricSummary {
  /** Replications with a value (a metric can be null, e.g. a violation rate with no measured request). */
  n: number;
  /** Replications whose value was null. */
  missing: number;
  mean: number | null;
  /** Sample standard deviation (n - 1 in the denominator); null for n < 2. */
  sd: number | null;
  /** Half-width of the 95% confidence interval of the mean: t(0.975, n-1) * sd / sqrt(n); null for n < 2. */
  ci95: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/**
 * Mean, sd and Student-t 95% CI of `values`, which the caller passes in replication order so that
 * floating-point sums come out the same in every process, whatever order the runs finished in.
 */
export function summarize(values: ReadonlyArray<number | null>): MetricSummary {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = present.length;
  const missing = values.length - n;
  if (n === 0) return { n, missing, mean: null, sd: null, ci95: null, ciLow: null, ciHigh: null };
  let sum = 0;
  for (const v of present) sum += v;
  const mean = sum / n;
  if (n < 2) return { n, missing, mean, sd: null, ci95: null, ciLow: null, ciHigh: null };
  let squares = 0;
  for (const v of present) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const ci95 = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, missing, mean, sd, ci95, ciLow: mean - ci95, ciHigh: mean + ci95 };
}
