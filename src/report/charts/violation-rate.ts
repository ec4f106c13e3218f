import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { policyColourScale } from "../policy-colours.js";
import { LABEL_FONT_SIZE, NUMBER_FORMAT, percent, percentScale, textWidth } from "./layout.js";

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

/** A value label: two decimals below 10 %, one above ("0.28 %", "99.98 %" would read as 100). */
function label(percentValue: number): string {
  const digits = percentValue < 10 || percentValue > 99 ? 2 : 1;
  return `${percentValue.toFixed(digits)}%`;
}

/**
 * Chart 4: QoS violation rate of the frame jobs per scheduler, as horizontal bars: scheduler names
 * on the y axis never overlap, however many there are. Replications are a sweep's business
 * (`simulate sweep` draws their confidence intervals).
 */
export function violationRateChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const bars = violationBars(results);
  if (bars.length === 0) return skipped("no scheduler has a measured frame (completed, refused or lost), so there is no violation rate");
  const colour = policyColourScale(results);
  const scale = percentScale(Math.max(...bars.map((b) => percent(b.rate))));
  const top = scale.domain[1];
  const longestName = Math.max(...bars.map((b) => textWidth(b.scheduler)));
  // The names take the left of the print width, the bars and their value labels the rest.
  const plotWidth = CHART_WIDTHS[width] - Math.ceil(longestName) - 30;
  // A value label goes right of its bar, or inside it (white) when the bar leaves no room for it.
  const values = bars.map((b) => {
    const value = percent(b.rate);
    const text = label(value);
    const room = plotWidth * (1 - value / top);
    return { scheduler: b.scheduler, rate: b.rate, percent: value, label: text, inside: room < textWidth(text) + 6 };
  });
  const y = { field: "scheduler", type: "nominal" as const, title: null, sort: colour.domain.filter((l) => values.some((v) => v.scheduler === l)), axis: { labelLimit: 160 } };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: plotWidth,
    height: { step: LABEL_FONT_SIZE + 11 },
    data: { values },
    layer: [
      {
        mark: { type: "bar", height: { band: 0.7 } },
        encoding: {
          y,
          x: { field: "percent", type: "quantitative", title: "QoS violation rate (%)", scale: scale, axis: { format: NUMBER_FORMAT, tickCount: 5 } },
          color: { field: "scheduler", type: "nominal", scale: colour, legend: null },
        },
      },
      // Outside the bar (black, left-aligned) or inside its end (white): two layers, as vega-lite has no align channel.
      ...[false, true].map((inside) => ({
        transform: [{ filter: inside ? "datum.inside" : "!datum.inside" }],
        mark: {
          type: "text" as const,
          baseline: "middle" as const,
          fontSize: LABEL_FONT_SIZE,
          align: inside ? ("right" as const) : ("left" as const),
          dx: inside ? -3 : 3,
          color: inside ? "#ffffff" : "#000000",
        },
        encoding: { y, x: { field: "percent", type: "quantitative" as const }, text: { field: "label" } },
      })),
    ],
  };
  return {
    kind: "chart",
    spec,
    caption:
      "Share of measured frames that missed the QoS deadline or were dropped, refused, lost or left unfinished past it, per scheduler " +
      "(one run each: `simulate sweep` gives confidence intervals over replications).",
  };
}
