import type { TopLevelSpec } from "vega-lite";
import { frameRuns, nice125, skipped, type ChartOutcome, type FrameRun } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, type ChartWidth } from "../style.js";
import { policyColourScale } from "../policy-colours.js";
import { bottomLegend, formatNumber, logAxis, NUMBER_FORMAT, percent, PLOT_SIZES } from "./layout.js";

export interface CdfPoint {
  scheduler: string;
  ms: number;
  /** Share of the run's completed frames at or below `ms`, 0-1. */
  p: number;
}

export interface LatencyCdfOptions {
  /** Log-scaled latency axis; by default chosen when the tail (max) is over 10 times the median. */
  logX?: boolean;
  /** Print width to lay the chart out for (default one column). */
  width?: ChartWidth;
}

/**
 * CDF points of one run's total frame latency: the recorded `frames.latencyCdf` (every
 * percentile), or, when a file has none (converted from an old version), the curve through min,
 * p50, p95, p99 and max. The last point is always (max, 1).
 */
export function cdfPoints(run: FrameRun): CdfPoint[] {
  const total = run.frames.latency.total;
  if (total.count === 0 || total.min === null || total.max === null) return [];
  if (run.frames.latencyCdf.length > 0) {
    const points = [...run.frames.latencyCdf].sort((a, b) => a.p - b.p).map((point) => ({ scheduler: run.label, ms: point.ms, p: point.p }));
    const last = points[points.length - 1];
    if (last.p < 1) points.push({ scheduler: run.label, ms: total.max, p: 1 });
    return points;
  }
  const known: Array<[number, number | null]> = [
    [0, total.min],
    [0.5, total.p50],
    [0.95, total.p95],
    [0.99, total.p99],
    [1, total.max],
  ];
  return known.filter((entry): entry is [number, number] => entry[1] !== null).map(([p, ms]) => ({ scheduler: run.label, ms, p }));
}

const P_TICKS = [0, 25, 50, 75, 100];

/** Runs that completed under 99% of their measured frames: their curve describes a minority, which the caption must say. */
function partialRuns(results: ReportResults): string[] {
  return frameRuns(results).flatMap((run) => {
    const jobs = run.frames.jobs;
    const measured = jobs.completed + jobs.dropped + jobs.refused + jobs.lost + jobs.unfinished;
    if (measured === 0 || jobs.completed === 0 || jobs.completed >= 0.99 * measured) return [];
    return [
      `${run.label} completed ${formatNumber(Math.round((100 * jobs.completed) / measured))}% of its measured frames (${formatNumber(jobs.unfinished)} unfinished, ${formatNumber(jobs.dropped + jobs.refused + jobs.lost)} dropped, refused or lost)`,
    ];
  });
}

function labelBeside(leftOfRule: boolean) {
  return { type: "text" as const, align: leftOfRule ? ("right" as const) : ("left" as const), baseline: "bottom" as const, dx: leftOfRule ? -3 : 3, dy: -2, fontSize: 9, color: "#333333" };
}

/** Chart 1: cumulative distribution of total latency per scheduler, with the QoS deadline as a labelled rule. */
export function latencyCdfChart(results: ReportResults, options: LatencyCdfOptions = {}): ChartOutcome {
  const width = options.width ?? "column";
  const plot = PLOT_SIZES[width];
  const runs = frameRuns(results);
  const points = runs.flatMap(cdfPoints);
  if (points.length === 0) return skipped("no scheduler completed a measured request, so there is no latency distribution to draw");
  const values = points.map((point) => ({ ...point, percent: percent(point.p) }));
  const minMs = Math.min(...points.map((v) => v.ms));
  const maxMs = Math.max(...points.map((v) => v.ms));
  const medians = runs.map((run) => run.frames.latency.total.p50).filter((v): v is number => v !== null);
  const logX = options.logX ?? (minMs > 0 && maxMs > 10 * Math.min(...medians));
  const deadline = results.qos.frameDeadlineMs;
  // Without a frame deadline the axis ends at the data and no rule is drawn.
  const [low, high] = deadline === null ? [minMs, maxMs] : [Math.min(minMs, deadline), Math.max(maxMs, deadline)];
  const logDomain: [number, number] = [nice125(low, "floor"), nice125(high, "ceil")];
  const xScale = logX ? { type: "log" as const, domain: logDomain, nice: false } : { type: "linear" as const, domain: [0, high], nice: true };
  const xAxis = logX ? logAxis(logDomain, plot.width, "x") : { format: NUMBER_FORMAT };
  const colour = policyColourScale(results);
  const fromFine = runs.some((run) => run.frames.latencyCdf.length > 0);
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: plot.width,
    height: plot.height,
    layer: [
      {
        data: { values },
        // Markers show where the curve is known; with a fine CDF they would only hide the line.
        mark: fromFine ? { type: "line", strokeWidth: 1.5 } : { type: "line", point: { size: 18, filled: true } },
        encoding: {
          x: { field: "ms", type: "quantitative", title: `total latency (ms${logX ? ", log scale" : ""})`, scale: xScale, axis: xAxis },
          y: {
            field: "percent",
            type: "quantitative",
            title: "completed frames (%)",
            scale: { domain: [0, 100], nice: false },
            axis: { values: P_TICKS, tickCount: P_TICKS.length, format: NUMBER_FORMAT },
          },
          color: { field: "scheduler", type: "nominal", title: null, scale: colour, legend: bottomLegend(colour.domain, width) },
          order: { field: "p", type: "quantitative" },
        },
      },
      ...(deadline === null
        ? []
        : [
            {
              data: { values: [{ ms: deadline, label: `deadline ${formatNumber(deadline)} ms` }] },
              layer: [
                { mark: { type: "rule" as const, strokeDash: [4, 3], color: "#555555", strokeWidth: 1 }, encoding: { x: { field: "ms", type: "quantitative" as const } } },
                {
                  // Low on the plot, right of the rule (the curves are steep there, so the label stays clear of them); left of it when
                  // the deadline ends the axis (no completion past it), where a label on the right would leave the chart.
                  mark: labelBeside(deadline >= maxMs),
                  encoding: { x: { field: "ms", type: "quantitative" as const }, y: { datum: 2 }, text: { field: "label" } },
                },
              ],
            },
          ]),
    ],
  };
  const shape = fromFine
    ? "Cumulative distribution of total latency (creation to result) of the completed frames per scheduler, at every percentile and p99.5, p99.9"
    : "Cumulative distribution of total latency of the completed frames per scheduler through the recorded quantiles (min, p50, p95, p99, max; " +
      "the results file keeps no finer distribution), so segments between points are interpolated";
  const notes = [deadline === null ? "no frame deadline" : `dashed: the QoS deadline (${formatNumber(deadline)} ms)`, ...partialRuns(results)];
  return { kind: "chart", spec, caption: `${shape}; ${notes.join("; ")}.` };
}
