import type { TopLevelSpec } from "vega-lite";
import { queryRuns, round, skipped, type ChartOutcome } from "../chart.js";
import { CHART_CONFIG, PLOT_HEIGHT, PLOT_WIDTH, policyColourScale } from "../style.js";

import type { ReportResults } from "../results-input.js";

export interface OverTimePoint {
  router: string;
  /** Middle of the bin, in the axis unit. */
  t: number;
  panel: "TTFT p95 (s)" | "QoS violation rate" | "share sent to the cloud";
  value: number | null;
}

const PANELS = ["TTFT p95 (s)", "QoS violation rate", "share sent to the cloud"] as const;

/** Per router and creation-time bin: TTFT p95, violation rate and cloud share; an empty bin gives null (a gap, not a bridge). */
export function overTimePoints(results: ReportResults): { points: OverTimePoint[]; unit: "s" | "min" } {
  const unit = results.window.durationMs > 30 * 60_000 ? "min" : "s";
  const divisor = unit === "min" ? 60_000 : 1000;
  const points = queryRuns(results).flatMap((run) => {
    const series = run.queries.timeSeries;
    if (series === undefined) return [];
    return series.bins.flatMap((bin) => {
      const t = round((bin.startMs + series.binMs / 2) / divisor, 4);
      const empty = bin.completed === 0;
      return [
        { router: run.label, t, panel: PANELS[0], value: empty || bin.ttftP95 === null ? null : round(bin.ttftP95 / 1000, 4) },
        { router: run.label, t, panel: PANELS[1], value: bin.violationRate === null ? null : round(bin.violationRate, 4) },
        { router: run.label, t, panel: PANELS[2], value: bin.shareToCloud === null ? null : round(bin.shareToCloud, 4) },
      ];
    });
  });
  return { points, unit };
}

/** LLM chart: how each router's TTFT, violations and cloud share evolve over the run (saturation, learning). */
export function llmOverTimeChart(results: ReportResults): ChartOutcome {
  const { points, unit } = overTimePoints(results);
  if (points.length === 0) return skipped("the results have no time series (`runs[].queries.timeSeries`)");
  if (points.every((p) => p.value === null)) return skipped("no time bin has a finished query");
  const colour = policyColourScale(results);
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    data: { values: points },
    facet: { row: { field: "panel", type: "nominal", title: null, sort: [...PANELS], header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top" } } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: PLOT_WIDTH,
      height: Math.round(PLOT_HEIGHT * 0.55),
      mark: { type: "line", strokeWidth: 1.5, interpolate: "monotone" },
      encoding: {
        x: { field: "t", type: "quantitative", title: `query creation time (${unit})`, scale: { zero: false, nice: false } },
        y: { field: "value", type: "quantitative", title: null, scale: { zero: true } },
        color: { field: "router", type: "nominal", title: null, scale: colour, legend: { orient: "bottom", direction: "horizontal", columns: 3, labelLimit: 120 } },
      },
    },
  };
  const caption =
    "Per router, queries binned by creation time: the 95th percentile of time to first token (s), the share of queries that violated QoS, and the share whose prompt (or condensed prompt) reached the cloud. " +
    "Saturation shows as TTFT and violations climbing; a learned router as its cloud share settling. Bins with no finished query are gaps.";
  return { kind: "chart", spec, caption };
}
