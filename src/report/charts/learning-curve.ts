import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, timeAxisUnit, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, type ChartWidth } from "../style.js";
import { policyColourSubset } from "../policy-colours.js";
import { bottomLegend, formatNumber, NUMBER_FORMAT, percent, percentScale, PLOT_SIZES } from "./layout.js";

export interface LearningPoint {
  scheduler: string;
  t: number;
  /** Violation rate of the bin, 0-1. */
  rate: number | null;
}

/** Violation rate per time bin of each learned scheduler (`runs[].learned === true`). */
export function learningPoints(results: ReportResults): LearningPoint[] {
  const { divisor } = timeAxisUnit(results);
  return frameRuns(results)
    .filter((run) => run.learned && run.policies.queries === null)
    .flatMap((run) => {
      const series = run.frames.timeSeries;
      // Bins after the last arrival (the drain) hold no created request: not drawn.
      return series.bins.filter((bin) => bin.startMs < results.window.durationMs).map((bin) => ({ scheduler: run.label, t: (bin.startMs + series.binMs / 2) / divisor, rate: bin.violationRate }));
    });
}

/** Chart 7: learning curve — QoS violation rate per time bin for each learned scheduler, in % (the "%" in the axis title only). */
export function learningCurveChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const points = learningPoints(results);
  if (points.length === 0) return skipped("no learned frame scheduler with a time series in these results (`runs[].learned`, `runs[].frames.timeSeries`)");
  const { divisor, unit } = timeAxisUnit(results);
  const plot = PLOT_SIZES[width];
  const values = points.map((p) => ({ ...p, percent: p.rate === null ? null : percent(p.rate) }));
  // Only the learned schedulers in the legend, each keeping its report-wide colour.
  const colour = policyColourSubset(results, new Set(points.map((v) => v.scheduler)));
  const y = percentScale(Math.max(0, ...values.map((v) => v.percent ?? 0)));
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: plot.width,
    height: plot.height,
    data: { values },
    mark: { type: "line", point: { size: 12, filled: true } },
    encoding: {
      // From 0 (a 0 tick) to the end of the window: a policy that learns late is seen against the whole run.
      x: { field: "t", type: "quantitative", title: `simulated time (${unit})`, scale: { domain: [0, results.window.durationMs / divisor], nice: false }, axis: { format: NUMBER_FORMAT } },
      y: { field: "percent", type: "quantitative", title: "QoS violation rate (%)", scale: y, axis: { format: NUMBER_FORMAT, tickCount: 5 } },
      color: { field: "scheduler", type: "nominal", title: null, scale: colour, legend: bottomLegend(colour.domain, width) },
    },
  };
  const binSeconds = (frameRuns(results).find((run) => run.learned)?.frames.timeSeries.binMs ?? 0) / 1000;
  return { kind: "chart", spec, caption: `QoS violation rate of the frames created in each ${formatNumber(binSeconds)} s bin, per learned scheduler: how fast the policy learns.` };
}
