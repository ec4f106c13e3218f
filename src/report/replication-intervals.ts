import type { ReportResults } from "./results-input.js";

/*
 * The intervals a chart draws when the results carry replications (`simulate --replications N`,
 * results.json `replications.summary`): a figure's mean over the replications and its Student-t
 * 95% interval, looked up by run label and sweep metric path ("frames.jobs.violationRate").
 */

export interface FigureInterval {
  mean: number;
  low: number;
  high: number;
  /** Replications with a value. */
  n: number;
}

/** How many replications the results carry (undefined: one run, no intervals to draw). */
export function replicationCount(results: Pick<ReportResults, "replications">): number | undefined {
  return results.replications?.seeds.length;
}

/** The mean and 95% interval of one figure of one run label; undefined without replications or with fewer than two values. */
export function figureInterval(results: Pick<ReportResults, "replications">, label: string, path: string): FigureInterval | undefined {
  const figure = results.replications?.summary.find((entry) => entry.label === label)?.figures[path];
  if (figure === undefined || figure.mean === null || figure.ciLow === null || figure.ciHigh === null) return undefined;
  return { mean: figure.mean, low: figure.ciLow, high: figure.ciHigh, n: figure.n };
}

/** The caption's sentence for a chart drawn with intervals. */
export function intervalCaption(count: number): string {
  return `mean over ${count} replications, with the Student-t 95% interval of the mean as error bars`;
}
