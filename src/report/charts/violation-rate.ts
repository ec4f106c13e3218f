import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { policyColourScale } from "../policy-colours.js";
import { figureInterval, intervalCaption, replicationCount } from "../replication-intervals.js";
import { LABEL_FONT_SIZE, NUMBER_FORMAT, percent, percentScale, textWidth } from "./layout.js";

export interface ViolationBar {
  scheduler: string;
  rate: number;
  /** With replications: the 95% interval of the mean rate, cut to [0, 1] (a t interval can reach past a rate's bounds). */
  interval?: { low: number; high: number };
}

const X_TITLE = "QoS violation rate (%)";

/** The path of the figure drawn, in results.json `replications.summary[].figures`. */
const RATE = "frames.jobs.violationRate";

/** The violation rate of each run's frame jobs (`runs[].frames.jobs.violationRate`); with replications, its mean and 95% interval over them. */
export function violationBars(results: ReportResults): ViolationBar[] {
  return frameRuns(results).flatMap((run) => {
    if (replicationCount(results) !== undefined) {
      const figure = figureInterval(results, run.label, RATE);
      return figure === undefined ? [] : [{ scheduler: run.label, rate: figure.mean, interval: { low: Math.max(0, figure.low), high: Math.min(1, figure.high) } }];
    }
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
 * on the y axis never overlap, however many there are. With replications (`--replications N`)
 * the bar is the mean rate and an error bar its Student-t 95% interval; the value label then goes
 * right of the error bar, or inside the bar left of it.
 */
export function violationRateChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const bars = violationBars(results);
  if (bars.length === 0) return skipped("no scheduler has a measured frame (completed, refused or lost), so there is no violation rate");
  const colour = policyColourScale(results);
  const replications = replicationCount(results);
  const end = (b: ViolationBar): number => percent(b.interval?.high ?? b.rate);
  const scale = percentScale(Math.max(...bars.map(end)));
  const top = scale.domain[1];
  const longestName = Math.max(...bars.map((b) => textWidth(b.scheduler)));
  // The names take the left of the print width, the bars and their value labels the rest.
  const plotWidth = CHART_WIDTHS[width] - Math.ceil(longestName) - 30;
  // A value label goes right of its bar (or error bar), or inside the bar (white, left of the error
  // bar's low end) when that leaves no room for it.
  const values = bars.map((b) => {
    const value = percent(b.rate);
    const text = label(value);
    const room = plotWidth * (1 - end(b) / top);
    const inside = room < textWidth(text) + 6;
    const low = b.interval === undefined ? undefined : percent(b.interval.low);
    return { scheduler: b.scheduler, rate: b.rate, percent: value, low, high: b.interval === undefined ? undefined : end(b), label: text, inside, at: inside ? (low ?? value) : end(b) };
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
          x: { field: "percent", type: "quantitative", title: X_TITLE, scale: scale, axis: { format: NUMBER_FORMAT, tickCount: 5 } },
          color: { field: "scheduler", type: "nominal", scale: colour, legend: null },
        },
      },
      ...(replications === undefined
        ? []
        : [
            {
              mark: { type: "errorbar" as const, ticks: { size: 5 }, color: "#000000", thickness: 1 },
              // The bar's axis title, so vega-lite does not append the field's name ("…, low") to it.
              encoding: { y, x: { field: "low", type: "quantitative" as const, title: X_TITLE }, x2: { field: "high" } },
            },
          ]),
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
        encoding: { y, x: { field: "at", type: "quantitative" as const }, text: { field: "label" } },
      })),
    ],
  };
  return {
    kind: "chart",
    spec,
    caption:
      "Share of measured frames that missed the QoS deadline or were dropped, refused, lost or left unfinished past it, per scheduler " +
      (replications === undefined ? "(one run each: `--replications N` or `simulate sweep` give confidence intervals over replications)." : `(${intervalCaption(replications)}).`),
  };
}
