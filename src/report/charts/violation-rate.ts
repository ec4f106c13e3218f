import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, PLOT_HEIGHT, policyColourScale } from "../style.js";

export interface ViolationBar {
  scheduler: string;
  rate: number;
}

/** The violation rate of each run's frame jobs (`runs[].frames.jobs.violationRate`). */
export function violationBars(results: ReportResults): ViolationBar[] {
  return frameRuns(results).flatMap((run) => {
    const rate = run.frames.jobs.violationRate;
    return rate === null ? [] : [{ scheduler: run.label, rate }];
  });
}

/** Chart 4: QoS violation rate of the frame jobs per scheduler (replications are a sweep's business: `simulate sweep` draws their confidence intervals). */
export function violationRateChart(results: ReportResults): ChartOutcome {
  const values = violationBars(results);
  if (values.length === 0) return skipped("no scheduler has a measured frame (completed, refused or lost), so there is no violation rate");
  const top = Math.max(...values.map((v) => v.rate));
  const colour = policyColourScale(results);
  const x = { field: "scheduler", type: "nominal" as const, title: "scheduler", sort: colour.domain, axis: { labelAngle: 0, labelLimit: 90 } };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: { step: Math.max(40, Math.min(80, Math.floor(260 / values.length))) },
    height: PLOT_HEIGHT,
    data: { values },
    layer: [
      {
        mark: { type: "bar", width: { band: 0.7 } },
        encoding: {
          x,
          // Headroom above the tallest bar for its value label; 0% everywhere still gets a visible axis.
          y: { field: "rate", type: "quantitative", title: "QoS violation rate (%)", axis: { format: ".1~%" }, scale: { domain: [0, top > 0 ? top * 1.18 : 0.01] } },
          color: { field: "scheduler", type: "nominal", scale: colour, legend: null },
        },
      },
      {
        mark: { type: "text", baseline: "bottom", dy: -2, fontSize: 9 },
        encoding: { x, y: { field: "rate", type: "quantitative" }, text: { field: "rate", type: "quantitative", format: ".2%" } },
      },
    ],
  };
  return {
    kind: "chart",
    spec,
    caption: "Share of measured frames that missed the QoS deadline or were refused or lost, per scheduler (one run each: `simulate sweep` gives confidence intervals over replications).",
  };
}
