import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, timeAxisUnit, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, PLOT_HEIGHT, PLOT_WIDTH, policyColourScale } from "../style.js";

export interface LearningPoint {
  scheduler: string;
  t: number;
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

/** Chart 7: learning curve — QoS violation rate per time bin for each learned scheduler. */
export function learningCurveChart(results: ReportResults): ChartOutcome {
  const values = learningPoints(results);
  if (values.length === 0) return skipped("no learned frame scheduler with a time series in these results (`runs[].learned`, `runs[].frames.timeSeries`)");
  const { unit } = timeAxisUnit(results);
  // Only the learned schedulers in the legend, each keeping its report-wide colour.
  const all = policyColourScale(results);
  const learned = new Set(values.map((v) => v.scheduler));
  const colour = { domain: all.domain.filter((label) => learned.has(label)), range: all.range.filter((_, i) => learned.has(all.domain[i])) };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values },
    mark: { type: "line", point: { size: 12, filled: true } },
    encoding: {
      x: { field: "t", type: "quantitative", title: `simulated time (${unit})`, scale: { zero: false, nice: false } },
      y: { field: "rate", type: "quantitative", title: "QoS violation rate (%)", axis: { format: ".0%" } },
      color: { field: "scheduler", type: "nominal", title: "scheduler", scale: colour, legend: { orient: "bottom", direction: "horizontal" } },
    },
  };
  return { kind: "chart", spec, caption: "QoS violation rate of the requests created in each time bin, per learned scheduler: how fast the policy learns." };
}
