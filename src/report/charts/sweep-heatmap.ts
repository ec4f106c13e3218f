import type { TopLevelSpec } from "vega-lite";
import { round, skipped, type ChartOutcome } from "../chart.js";
import { CHART_CONFIG } from "../style.js";
import { axisSort, chartValue, metricTitle, plotAxes, type SweepChartInput } from "./sweep-input.js";

/**
 * A metric over two axes: a heatmap of the mean per cell for a grid (a panel per scheduler label),
 * or, for random and Latin-hypercube samples that do not form a grid, a point per sample.
 */
export function sweepHeatmapChart(input: SweepChartInput, metric: string): ChartOutcome {
  const axes = plotAxes(input);
  if (axes.length !== 2) return skipped(`a heatmap needs exactly two axes besides the scheduler list; the sweep has ${axes.length}`);
  const [ax, ay] = axes;
  const values = input.cells.flatMap((cell) => {
    const mean = cell.metrics[metric]?.mean;
    if (mean === null || mean === undefined) return [];
    return [{ x: chartValue(cell.values[ax.name]), y: chartValue(cell.values[ay.name]), label: cell.label, mean: round(mean, 6) }];
  });
  if (values.length === 0) return skipped(`no cell has a value of ${metric}`);
  const labels = [...new Set(values.map((v) => v.label))].sort();
  const grid = input.sweep.sampling.method === "grid";
  const colour = {
    field: "mean",
    type: "quantitative" as const,
    title: metricTitle(metric),
    scale: { scheme: "viridis", reverse: true, zero: false },
    legend: { orient: "bottom" as const, direction: "horizontal" as const, gradientLength: 140, titleOrient: "top" as const },
  };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    data: { values },
    facet: { field: "label", type: "nominal", title: null, sort: labels },
    columns: Math.min(labels.length, 2),
    spec: grid
      ? {
          width: { step: Math.max(8, Math.min(24, Math.floor(120 / Math.max(1, ax.values.length)))) },
          height: { step: Math.max(8, Math.min(20, Math.floor(120 / Math.max(1, ay.values.length)))) },
          mark: { type: "rect" },
          encoding: {
            x: { field: "x", type: "ordinal", title: ax.name, sort: axisSort(ax.values) },
            y: { field: "y", type: "ordinal", title: ay.name, sort: axisSort(ay.values) },
            color: colour,
          },
        }
      : {
          width: 120,
          height: 120,
          mark: { type: "circle", size: 30, opacity: 1 },
          encoding: {
            x: { field: "x", type: "quantitative", title: ax.name, scale: { zero: false } },
            y: { field: "y", type: "quantitative", title: ay.name, scale: { zero: false } },
            color: colour,
          },
        },
  };
  return {
    kind: "chart",
    spec,
    caption: `Mean ${metricTitle(metric)} over ${ax.name} and ${ay.name}${grid ? "" : " (one point per sampled cell)"}, a panel per scheduler; light = low.`,
  };
}
