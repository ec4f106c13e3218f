import type { TopLevelSpec } from "vega-lite";
import { round, skipped, type ChartOutcome } from "../chart.js";
import { CHART_CONFIG, OKABE_ITO, PLOT_HEIGHT, PLOT_WIDTH } from "../style.js";
import { axisSort, chartValue, metricTitle, plotAxes, type SweepChartInput } from "./sweep-input.js";

interface Point {
  x: string | number;
  series: string;
  mean: number;
  lo: number | null;
  hi: number | null;
}

/**
 * A metric against one axis: the mean over replications as a line per scheduler label (and per
 * value of any other axis), with the 95% confidence interval as a band in the same colour.
 */
export function sweepMetricVsAxisChart(input: SweepChartInput, metric: string, axisName: string): ChartOutcome {
  const axis = input.sweep.axes.find((a) => a.name === axisName);
  if (axis === undefined) return skipped(`the sweep has no axis "${axisName}"`);
  const others = plotAxes(input).filter((a) => a.name !== axisName && a.values.length > 1);
  const points: Point[] = input.cells.flatMap((cell) => {
    const stats = cell.metrics[metric];
    if (stats === undefined || stats.mean === null) return [];
    const suffix = others.map((a) => `${a.name}=${chartValue(cell.values[a.name])}`).join(", ");
    return [
      {
        x: chartValue(cell.values[axisName]),
        series: suffix === "" ? cell.label : `${cell.label}, ${suffix}`,
        mean: round(stats.mean, 6),
        lo: stats.ciLow === null ? null : round(stats.ciLow, 6),
        hi: stats.ciHigh === null ? null : round(stats.ciHigh, 6),
      },
    ];
  });
  if (points.length === 0) return skipped(`no cell has a value of ${metric}`);
  const series = [...new Set(points.map((p) => p.series))].sort();
  const numeric = points.every((p) => typeof p.x === "number");
  const xs = points.map((p) => p.x as number);
  // Device counts 4..256 read best on a log axis; a narrow range stays linear.
  const logX = numeric && Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 20;
  const x = numeric
    ? { field: "x", type: "quantitative" as const, title: axisName, scale: logX ? { type: "log" as const, base: 2 } : { zero: false } }
    : { field: "x", type: "ordinal" as const, title: axisName, sort: axisSort(axis.values) };
  const colour = {
    field: "series",
    type: "nominal" as const,
    title: null,
    scale: { domain: series, range: series.map((_, i) => OKABE_ITO[i % OKABE_ITO.length]) },
    legend: { orient: "bottom" as const, columns: 2, symbolOpacity: 1, symbolType: "stroke" },
  };
  const withCi = points.some((p) => p.lo !== null);
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values: points },
    layer: [
      ...(withCi
        ? [
            {
              transform: [{ filter: "datum.lo !== null && datum.hi !== null" }],
              mark: { type: "area" as const, opacity: 0.2 },
              encoding: { x, y: { field: "lo", type: "quantitative" as const }, y2: { field: "hi" }, color: colour },
            },
          ]
        : []),
      {
        mark: { type: "line", point: { size: 16 } },
        encoding: { x, y: { field: "mean", type: "quantitative", title: metricTitle(metric), scale: { zero: false } }, color: colour },
      },
    ],
  };
  const caption = withCi
    ? `Mean ${metricTitle(metric)} against ${axisName} over replications, one line per scheduler; band: 95% confidence interval (Student t).`
    : `Mean ${metricTitle(metric)} against ${axisName}, one line per scheduler (no confidence band: fewer than two replications).`;
  return { kind: "chart", spec, caption };
}
