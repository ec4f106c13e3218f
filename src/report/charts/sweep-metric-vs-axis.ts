import type { TopLevelSpec } from "vega-lite";
import { logTicks, nice125, round, skipped, type ChartOutcome } from "../chart.js";
import { policyColours } from "../policy-colours.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { axisSort, axisValueText, isPolicyAxis, isShareMetric, isValidPoint, LOG_SPAN, metricTitle, plotAxes, VALIDITY_RULE, type SweepChartInput } from "./sweep-input.js";

interface Point {
  x: string | number;
  label: string;
  /** The values of the other axes told apart by dash ("fps=5, sharing=isolated"), "" with none. */
  variant: string;
  /** The value of the axis the panels are split by ("loadScale=2"), "" when there is one panel. */
  panel: string;
  series: string;
  mean: number;
  lo: number | null;
  hi: number | null;
  valid: boolean;
}

/** Space around the plot for the y axis title and labels, so the whole chart fits the print width. */
const Y_AXIS_ROOM = 80;
const PLOT_HEIGHTS: Record<ChartWidth, number> = { column: 160, double: 230 };
/** More combinations of the other axes than this and the first other axis splits the chart into panels (a dash per value stays readable up to here). */
const MAX_DASHES = 4;
const PANEL_LAYOUT: Record<ChartWidth, { columns: number; height: number }> = { column: { columns: 2, height: 100 }, double: { columns: 4, height: 140 } };
const PANEL_SPACING = 8;
/**
 * The most panels a chart splits into (3 rows at one column, 2 at two): beyond, the chart would be
 * taller than a page column allows, and it is skipped; the same cells are drawn against the
 * panel axis (a dash per value of this one) and, with two axes, in the heatmap.
 */
const MAX_PANELS = 6;
const DASHES = [
  [1, 0],
  [5, 3],
  [1, 2],
  [7, 2, 1, 2],
  [3, 3, 1, 3],
  [10, 3],
  [2, 5],
  [6, 2, 2, 2],
];

/**
 * A metric against one axis: the mean over replications, a line per policy label in its policy
 * colour (the same as in run charts), a dash per value of the other axes (a panel per value of
 * the first of them when they have more than MAX_DASHES combinations), with the 95% confidence
 * interval as a band. Shares are drawn in % on 0-100 %; a metric spanning decades on a log axis;
 * points that are not valid estimates (isValidPoint) hollow and off the line.
 */
export function sweepMetricVsAxisChart(input: SweepChartInput, metric: string, axisName: string, width: ChartWidth = "column"): ChartOutcome {
  const axis = input.sweep.axes.find((a) => a.name === axisName);
  if (axis === undefined) return skipped(`the sweep has no axis "${axisName}"`);
  if (isPolicyAxis(axis)) return skipped(`"${axisName}" is the policy axis: its values are the lines' colours, not an x axis`);
  const others = plotAxes(input).filter((a) => a.name !== axisName && a.values.length > 1);
  const combinations = others.reduce((n, a) => n * a.values.length, 1);
  const panelAxis = combinations > MAX_DASHES ? others[0] : undefined;
  if (panelAxis !== undefined && panelAxis.values.length > MAX_PANELS) {
    return skipped(
      `${metric} against ${axisName} would need a panel per ${panelAxis.name} (${panelAxis.values.length} values, at most ${MAX_PANELS}): the chart against ${panelAxis.name}${plotAxes(input).length === 2 ? " and the heatmap draw" : " draws"} the same cells`,
    );
  }
  const dashAxes = panelAxis === undefined ? others : others.slice(1);
  const share = isShareMetric(metric);
  const points: Point[] = input.cells.flatMap((cell) => {
    const stats = cell.metrics[metric];
    if (stats === undefined || stats.mean === null) return [];
    const variant = dashAxes.map((a) => `${a.name}=${axisValueText(cell.values[a.name])}`).join(", ");
    const panel = panelAxis === undefined ? "" : `${panelAxis.name}=${axisValueText(cell.values[panelAxis.name])}`;
    // Every sweep metric is >= 0 and a share <= 1: a Student-t band is clipped to what the metric can be.
    const clip = (v: number | null): number | null => (v === null ? null : round(Math.min(share ? 1 : Infinity, Math.max(0, v)), 6));
    return [
      {
        x: axisValueText(cell.values[axisName]),
        label: cell.label,
        variant,
        panel,
        series: [cell.label, variant, panel].filter((part) => part !== "").join(", "),
        mean: round(stats.mean, 6),
        lo: clip(stats.ciLow),
        hi: clip(stats.ciHigh),
        valid: isValidPoint(cell, metric),
      },
    ];
  });
  if (points.length === 0) return skipped(`no cell has a value of ${metric}`);
  const colour = policyColours([...new Set(points.map((p) => p.label))].sort());
  const variants = [...new Set(points.map((p) => p.variant))].sort();
  const numeric = points.every((p) => typeof p.x === "number");
  const xs = points.map((p) => p.x as number);
  // Device counts 4..256 or load 0.5..8 (doubling steps) read best on a log axis; a narrow range stays linear.
  const logX = numeric && Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 8;
  const xValues = numeric ? [...new Set(xs)].sort((a, b) => a - b) : [];
  const x = numeric
    ? {
        field: "x",
        type: "quantitative" as const,
        title: axisName,
        scale: logX ? { type: "log" as const, base: 2, nice: false } : { zero: false, nice: false },
        // Every axis value a tick, all labelled (vega would thin the labels of a log axis).
        axis: xValues.length <= 8 ? { values: xValues, format: ",~r", labelOverlap: false } : { format: ",~r" },
      }
    : { field: "x", type: "ordinal" as const, title: axisName, sort: axisSort(axis.values), axis: { labelAngle: 0 } };
  const means = points.map((p) => p.mean);
  const logY = !share && Math.min(...means) > 0 && Math.max(...means) / Math.min(...means) >= LOG_SPAN;
  let yScale: Record<string, unknown>;
  let yAxis: Record<string, unknown>;
  if (share) {
    yScale = { domain: [0, 1], nice: false };
    yAxis = { format: ".0%", values: [0, 0.25, 0.5, 0.75, 1] };
  } else if (logY) {
    const top = Math.max(...points.map((p) => Math.max(p.mean, p.hi ?? 0)));
    const domain = [nice125(Math.min(...means), "floor"), nice125(top, "ceil")];
    // The band's lower end may be 0 (clipped): drawn from the bottom of the log axis.
    for (const p of points) if (p.lo !== null && p.lo < domain[0]) p.lo = domain[0];
    const ticks = logTicks(domain);
    yScale = { type: "log", domain, nice: false };
    yAxis = { values: ticks.length > 7 ? ticks.filter((t) => Math.log10(t) % 1 === 0) : ticks, format: "~s" };
  } else {
    yScale = { zero: false };
    yAxis = { format: "~s" };
  }
  const y = { type: "quantitative" as const, title: `${metricTitle(metric)}${share ? " (%)" : ""}`, scale: yScale, axis: yAxis };
  const color = {
    field: "label",
    type: "nominal" as const,
    title: null,
    scale: colour,
    legend: { orient: "bottom" as const, columns: width === "column" ? 2 : 4, symbolType: "stroke", symbolOpacity: 1, symbolStrokeWidth: 2, labelLimit: 150 },
  };
  const dashed = variants.length > 1;
  const strokeDash = dashed
    ? {
        field: "variant",
        type: "nominal" as const,
        title: null,
        sort: variants,
        scale: { domain: variants, range: variants.map((_, i) => DASHES[i % DASHES.length]) },
        legend: { orient: "top" as const, columns: width === "column" ? 1 : 2, symbolType: "stroke", symbolStrokeColor: "#444444", labelLimit: 240 },
      }
    : undefined;
  const withCi = points.some((p) => p.valid && p.lo !== null && p.hi !== null);
  const invalid = points.filter((p) => !p.valid).length;
  const layer = [
    ...(withCi
      ? [
          {
            transform: [{ filter: "datum.valid && datum.lo !== null && datum.hi !== null" }],
            mark: { type: "area" as const, opacity: dashed ? 0.12 : 0.2 },
            encoding: { x, y: { field: "lo", ...y }, y2: { field: "hi" }, color, detail: { field: "series", type: "nominal" as const } },
          },
        ]
      : []),
    {
      transform: [{ filter: "datum.valid" }],
      mark: { type: "line", point: { size: 16, filled: true } },
      encoding: { x, y: { field: "mean", ...y }, color, detail: { field: "series", type: "nominal" }, ...(strokeDash === undefined ? {} : { strokeDash }) },
    },
    ...(invalid > 0
      ? [
          {
            transform: [{ filter: "!datum.valid" }],
            mark: { type: "point" as const, filled: false, size: 30, strokeWidth: 1.2 },
            encoding: { x, y: { field: "mean", ...y }, color },
          },
        ]
      : []),
  ];
  const head = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", config: CHART_CONFIG, data: { values: points } };
  const columns = Math.min(PANEL_LAYOUT[width].columns, panelAxis?.values.length ?? 1);
  const spec = (
    panelAxis === undefined
      ? { ...head, width: CHART_WIDTHS[width] - Y_AXIS_ROOM, height: PLOT_HEIGHTS[width], layer }
      : {
          ...head,
          facet: { field: "panel", type: "nominal", title: null, sort: panelAxis.values.map((v) => `${panelAxis.name}=${axisValueText(v)}`), header: { labelFontSize: 9, labelPadding: 2 } },
          columns,
          spacing: PANEL_SPACING,
          spec: { width: Math.floor((CHART_WIDTHS[width] - Y_AXIS_ROOM - PANEL_SPACING * (columns - 1)) / columns), height: PANEL_LAYOUT[width].height, layer },
        }
  ) as TopLevelSpec;
  const parts = [
    `Mean ${metricTitle(metric)} against ${axisName}${withCi ? " over replications" : ""}, a line per policy in its report colour${dashed ? ` and a dash per ${dashAxes.map((a) => a.name).join(" x ")}` : ""}${panelAxis === undefined ? "" : `, a panel per ${panelAxis.name}`}${logY ? " (log scale: the values span decades)" : ""}.`,
    withCi ? `Band: 95% confidence interval (Student t), clipped to ${share ? "0-100 %" : "values >= 0"}.` : "No confidence band: fewer than two replications.",
    invalid > 0 ? `Hollow, off the line: ${invalid} point${invalid > 1 ? "s" : ""} that ${invalid > 1 ? "are" : "is"} not a valid estimate (${VALIDITY_RULE}).` : "",
  ];
  return { kind: "chart", spec, caption: parts.filter((p) => p !== "").join(" ") };
}
