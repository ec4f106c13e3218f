import type { TopLevelSpec } from "vega-lite";
import { type QueryRun, queryRuns, round, skipped, type ChartOutcome } from "../chart.js";
import { policyColourSubset } from "../policy-colours.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";

import type { ReportResults } from "../results-input.js";

export interface ThresholdPoint {
  router: string;
  /** 0 = the initial threshold, then the recorded updates in order. */
  update: number;
  /** update / recorded updates: 0 at the start, 1 at the last update. Routers record every k-th update with different k, so this, not `update`, is comparable across routers. */
  progress: number;
  threshold: number;
}

/** The recorded threshold history of a run (`policyStatistics.thresholdHistory`), or undefined. */
export function thresholdHistory(run: QueryRun): number[] | undefined {
  const history = run.policyStatistics.thresholdHistory;
  return Array.isArray(history) && history.length > 0 ? history : undefined;
}

/** Per learned router: the initial threshold (update 0, when recorded) and the threshold after each recorded update. */
export function thresholdPoints(results: ReportResults): ThresholdPoint[] {
  return queryRuns(results).flatMap((run) => {
    const history = thresholdHistory(run);
    if (history === undefined) return [];
    const initial = run.policyStatistics.initialThreshold;
    const start = typeof initial === "number" ? [{ router: run.label, update: 0, progress: 0, threshold: initial }] : [];
    const n = history.length;
    return [...start, ...history.map((threshold, i) => ({ router: run.label, update: i + 1, progress: round((i + 1) / n, 4), threshold: round(threshold, 4) }))];
  });
}

/** LLM chart 5: how a learned router's complexity threshold moves over its updates, one line per learned router. */
export function llmLearningChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const values = thresholdPoints(results);
  if (values.length === 0) return skipped("no run records a threshold history (`runs[].policyStatistics.thresholdHistory`), so no router learned");
  const learned = new Set(values.map((v) => v.router));
  const colour = policyColourSubset(results, learned);
  const twoThresholds = queryRuns(results).some((run) => learned.has(run.label) && typeof run.policyStatistics.finalUpperThreshold === "number");
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: CHART_WIDTHS[width] - 80,
    height: width === "column" ? 160 : 240,
    data: { values },
    mark: { type: "line", interpolate: "step-after", point: { size: 12, filled: true } },
    encoding: {
      x: {
        field: "progress",
        type: "quantitative",
        title: "share of the router's threshold updates (%)",
        scale: { domain: [0, 1] },
        axis: { format: ".0%", values: [0, 0.25, 0.5, 0.75, 1], tickCount: 5 },
      },
      y: {
        field: "threshold",
        type: "quantitative",
        title: `${twoThresholds ? "lower " : ""}complexity threshold`,
        scale: { domain: [0, 1] },
        axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1], tickCount: 6, format: ".1f" },
      },
      color: { field: "router", type: "nominal", title: null, scale: colour, legend: { orient: "bottom", direction: "horizontal", columns: 3, labelLimit: 120 } },
    },
  };
  const routing = twoThresholds
    ? "queries less complex than the lower threshold are answered on the device or an edge node, the others collaboratively or (above the upper threshold, not drawn) by the cloud"
    : "queries less complex than the threshold are answered on the device or an edge node, the others by the cloud";
  const caption =
    `The ${twoThresholds ? "lower " : ""}complexity threshold of each learned router over its updates (0%: where learning starts, 100%: its last update); ${routing}. ` +
    "Updates follow observed queries, so the axis is roughly the share of the run; a router with many updates records every k-th one (at most 50 points), and a per-device learner shows the mean over its devices.";
  return { kind: "chart", spec, caption };
}
