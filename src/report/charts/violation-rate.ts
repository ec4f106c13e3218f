import type { TopLevelSpec } from "vega-lite";
import { skipped, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, PLOT_HEIGHT, schedulerColourScale } from "../style.js";

export interface ViolationBar {
  scheduler: string;
  rate: number;
  /** 95% confidence interval over replications, when the results have one. */
  lo: number | null;
  hi: number | null;
}

export function violationBars(results: ReportResults): ViolationBar[] {
  return results.runs.flatMap((run) => {
    const rate = run.qos.violationRate;
    if (rate === null) return [];
    const ci = run.qos.violationRateCi95;
    return [{ scheduler: run.label, rate, lo: ci?.[0] ?? null, hi: ci?.[1] ?? null }];
  });
}

/** Chart 4: QoS violation rate per scheduler, with 95% confidence intervals when replications exist. */
export function violationRateChart(results: ReportResults): ChartOutcome {
  const values = violationBars(results);
  if (values.length === 0) return skipped("no scheduler has a measured request (completed or dropped), so there is no violation rate");
  const withCi = values.some((v) => v.lo !== null && v.hi !== null);
  const top = Math.max(...values.map((v) => Math.max(v.rate, v.hi ?? 0)));
  const colour = schedulerColourScale(results);
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
      ...(withCi
        ? [
            {
              transform: [{ filter: "datum.lo !== null && datum.hi !== null" }],
              mark: { type: "rule" as const, color: "#000000", strokeWidth: 1 },
              encoding: { x, y: { field: "lo", type: "quantitative" as const }, y2: { field: "hi" } },
            },
          ]
        : []),
      {
        mark: { type: "text", baseline: "bottom", dy: -2, fontSize: 9 },
        encoding: {
          x,
          y: { field: withCi ? "labelY" : "rate", type: "quantitative" },
          text: { field: "rate", type: "quantitative", format: ".2%" },
        },
        ...(withCi ? { transform: [{ calculate: "max(datum.rate, datum.hi === null ? 0 : datum.hi)", as: "labelY" }] } : {}),
      },
    ],
  };
  const caption = withCi
    ? "Share of measured requests that missed the QoS deadline or were dropped, per scheduler; whiskers: 95% confidence interval over replications."
    : "Share of measured requests that missed the QoS deadline or were dropped, per scheduler (one run each: no confidence intervals without replications).";
  return { kind: "chart", spec, caption };
}
