import type { TopLevelSpec } from "vega-lite";
import { nice125, round, skipped, type ChartOutcome } from "../chart.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { axisSort, axisValueText, isShareMetric, isValidPoint, LOG_SPAN, metricTitle, plotAxes, VALIDITY_RULE, type SweepChartInput } from "./sweep-input.js";

/** Grey of a cell that is not a valid estimate: outside the viridis ramp, so it never reads as a value. */
const INVALID_FILL = "#d9d9d9";
/** Room per panel for the y axis title and labels at the print width. */
const PANEL_ROOM = 70;

/**
 * A metric over two axes: a heatmap of the mean per cell for a grid (a panel per policy label),
 * or, for random and Latin-hypercube samples that do not form a grid, a point per sample. Shares
 * on a 0-100 % scale, a metric spanning decades on a log colour scale; cells that are not valid
 * estimates (isValidPoint) grey.
 */
export function sweepHeatmapChart(input: SweepChartInput, metric: string, width: ChartWidth = "column"): ChartOutcome {
  const axes = plotAxes(input);
  if (axes.length !== 2) return skipped(`a heatmap needs exactly two axes besides the policy list; the sweep has ${axes.length}`);
  const [ax, ay] = axes;
  const values = input.cells.flatMap((cell) => {
    const mean = cell.metrics[metric]?.mean;
    if (mean === null || mean === undefined) return [];
    return [{ x: axisValueText(cell.values[ax.name]), y: axisValueText(cell.values[ay.name]), label: cell.label, mean: round(mean, 6), valid: isValidPoint(cell, metric) }];
  });
  if (values.length === 0) return skipped(`no cell has a value of ${metric}`);
  const labels = [...new Set(values.map((v) => v.label))].sort();
  const grid = input.sweep.sampling.method === "grid";
  const share = isShareMetric(metric);
  const means = values.filter((v) => v.valid).map((v) => v.mean);
  const logColour = !share && means.length > 0 && Math.min(...means) > 0 && Math.max(...means) / Math.min(...means) >= LOG_SPAN;
  const scale = share
    ? { scheme: "viridis", reverse: true, domain: [0, 1] }
    : logColour
      ? { scheme: "viridis", reverse: true, type: "log" as const, domain: [nice125(Math.min(...means), "floor"), nice125(Math.max(...means), "ceil")] }
      : { scheme: "viridis", reverse: true, zero: false };
  const colour = {
    field: "mean",
    type: "quantitative" as const,
    title: `${metricTitle(metric)}${share ? " (%)" : ""}${logColour ? ", log scale" : ""}`,
    scale,
    legend: { orient: "bottom" as const, direction: "horizontal" as const, gradientLength: width === "column" ? 160 : 260, titleOrient: "top" as const, format: share ? ".0%" : "~s" },
  };
  const columns = Math.min(labels.length, width === "column" ? 2 : 4);
  const panel = Math.floor((CHART_WIDTHS[width] - 20) / columns) - PANEL_ROOM;
  const invalid = values.filter((v) => !v.valid).length;
  const cellLayers = (mark: "rect" | "circle", x: object, y: object) => [
    { transform: [{ filter: "datum.valid" }], mark: mark === "rect" ? { type: "rect" as const } : { type: "circle" as const, size: 30, opacity: 1 }, encoding: { x, y, color: colour } },
    ...(invalid > 0
      ? [
          {
            transform: [{ filter: "!datum.valid" }],
            mark: mark === "rect" ? { type: "rect" as const, color: INVALID_FILL } : { type: "circle" as const, size: 30, opacity: 1, color: INVALID_FILL, stroke: "#888888" },
            encoding: { x, y },
          },
        ]
      : []),
  ];
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    data: { values },
    facet: { field: "label", type: "nominal", title: null, sort: labels },
    columns,
    spec: grid
      ? {
          width: { step: Math.max(8, Math.min(28, Math.floor(panel / Math.max(1, ax.values.length)))) },
          height: { step: Math.max(8, Math.min(22, Math.floor((width === "column" ? 120 : 180) / Math.max(1, ay.values.length)))) },
          layer: cellLayers(
            "rect",
            { field: "x", type: "ordinal", title: ax.name, sort: axisSort(ax.values), axis: { labelAngle: 0 } },
            { field: "y", type: "ordinal", title: ay.name, sort: axisSort(ay.values) },
          ),
        }
      : {
          width: panel,
          height: panel,
          layer: cellLayers("circle", { field: "x", type: "quantitative", title: ax.name, scale: { zero: false } }, { field: "y", type: "quantitative", title: ay.name, scale: { zero: false } }),
        },
  };
  return {
    kind: "chart",
    spec,
    caption:
      `Mean ${metricTitle(metric)} over ${ax.name} and ${ay.name}${grid ? "" : " (one point per sampled cell)"}, a panel per policy; light = low${logColour ? "; log colour scale" : ""}.` +
      (invalid > 0 ? ` Grey: ${invalid} cell${invalid > 1 ? "s" : ""} not a valid estimate (${VALIDITY_RULE}).` : ""),
  };
}
