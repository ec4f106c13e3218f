import type { TopLevelSpec } from "vega-lite";
import { logTicks, nice125, queryRuns, round, skipped, type TimeAxisUnit, timeAxisUnit, type ChartOutcome } from "../chart.js";
import { LOG_SPAN } from "../charts/sweep-input.js";
import { policyColourScale } from "../policy-colours.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import type { ReportResults } from "../results-input.js";
import { formatMs } from "./llm-chart.js";

export const PANELS = ["TTFT p95 (ms)", "QoS violations (%)", "sent to the cloud (%)"] as const;
export type OverTimePanel = (typeof PANELS)[number];

export interface OverTimePoint {
  router: string;
  /** Middle of the bin, in the axis unit. */
  t: number;
  panel: OverTimePanel;
  /** TTFT in ms; the two shares in [0, 1] (drawn as %). */
  value: number | null;
}

/** Per router and creation-time bin: TTFT p95 (ms), violation rate and cloud share; an empty bin gives null (a gap, not a bridge). */
export function overTimePoints(results: ReportResults): { points: OverTimePoint[]; unit: TimeAxisUnit["unit"] } {
  const { divisor, unit } = timeAxisUnit(results);
  const points = queryRuns(results).flatMap((run) => {
    const series = run.queries.timeSeries;
    if (series === undefined) return [];
    return series.bins.flatMap((bin) => {
      const t = round((bin.startMs + series.binMs / 2) / divisor, 4);
      const empty = bin.completed === 0;
      return [
        { router: run.label, t, panel: PANELS[0], value: empty || bin.ttftP95 === null ? null : round(bin.ttftP95, 1) },
        { router: run.label, t, panel: PANELS[1], value: bin.violationRate === null ? null : round(bin.violationRate, 4) },
        { router: run.label, t, panel: PANELS[2], value: bin.shareToCloud === null ? null : round(bin.shareToCloud, 4) },
      ];
    });
  });
  return { points, unit };
}

/** Panels per row of a measure, and the panel size, at each print width. */
const LAYOUT: Record<ChartWidth, { columns: number; height: number }> = { column: { columns: 3, height: 42 }, double: { columns: 6, height: 60 } };
/** Room for a block's y axis (labels and title) left of its first panel. */
const Y_AXIS_ROOM = 80;
const SPACING = 6;

/**
 * LLM chart: how each router's TTFT, violations and cloud share evolve over the run (saturation,
 * learning). Small multiples: a block per measure, a panel per router in its colour, so no two
 * routers share a panel; the panels of a block share their y axis (TTFT on a log scale when it
 * spans decades, with the deadline dashed and labelled; shares on 0-100 %).
 */
export function llmOverTimeChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const { points, unit } = overTimePoints(results);
  if (points.length === 0) return skipped("the results have no time series (`runs[].queries.timeSeries`)");
  if (points.every((p) => p.value === null)) return skipped("no time bin has a finished query");
  const routers = [...new Set(points.map((p) => p.router))];
  // A bin between two gaps is a line of no length: drawn as a dot, so sparse series stay visible.
  const values = points.map((p, i) => ({ ...p, alone: p.value !== null && !(neighbour(points, i, -1) ?? neighbour(points, i, 1)) }));
  const colour = policyColourScale(results);
  const columns = Math.min(routers.length, LAYOUT[width].columns);
  const panelWidth = Math.floor((CHART_WIDTHS[width] - Y_AXIS_ROOM - SPACING * (columns - 1)) / columns);
  const height = LAYOUT[width].height;
  const deadline = results.qos.ttftDeadlineMs;
  const ttfts = points.filter((p) => p.panel === PANELS[0] && p.value !== null && p.value > 0).map((p) => p.value as number);
  const ttftRange = [...ttfts, ...(deadline === null ? [] : [deadline])];
  const logTtft = ttftRange.length > 0 && Math.max(...ttftRange) / Math.min(...ttftRange) >= LOG_SPAN;
  const ttftDomain = logTtft ? [nice125(Math.min(...ttftRange), "floor"), nice125(Math.max(...ttftRange), "ceil")] : [0, Math.max(1, ...ttftRange)];
  const decades = logTtft ? logTicks(ttftDomain).filter((t) => Math.log10(t) % 1 === 0) : [];
  const ttftScale = logTtft ? { type: "log" as const, domain: ttftDomain, nice: false } : { domain: ttftDomain, nice: true };
  const ttftAxis = logTtft ? { values: decades.length >= 2 ? decades : logTicks(ttftDomain), format: "~s" } : { format: "~s", tickCount: 3 };
  const times = points.map((p) => p.t);
  const x = (last: boolean) => ({
    field: "t",
    type: "quantitative" as const,
    // Named once, in the bottom block's title: a facet would repeat the axis title under every column.
    title: null,
    scale: { domain: [Math.min(...times), Math.max(...times)], nice: false, zero: false },
    axis: last ? { tickCount: width === "column" ? 3 : 5, labelFlush: true } : { tickCount: width === "column" ? 3 : 5, labels: false, ticks: false },
  });
  const header = { labelFontSize: 8, labelPadding: 1, labelAnchor: "start" as const, labelLimit: panelWidth };
  const block = (panel: OverTimePanel, title: string, scale: object, axis: object, under: object[] = []): object => ({
    title: { text: title, anchor: "start", fontSize: 10, fontWeight: "normal", offset: 4 },
    transform: [{ filter: { field: "panel", equal: panel } }],
    facet: { field: "router", type: "nominal", title: null, sort: routers, header },
    columns,
    spacing: { row: 2, column: SPACING },
    spec: {
      width: panelWidth,
      height,
      layer: [
        ...under,
        {
          transform: [{ filter: "datum.alone" }],
          mark: { type: "point", filled: true, size: 8, opacity: 1 },
          encoding: {
            x: x(panel === PANELS[2]),
            y: { field: "value", type: "quantitative", title: null, scale, axis },
            color: { field: "router", type: "nominal", scale: colour, legend: null },
          },
        },
        {
          mark: { type: "line", strokeWidth: 1.2, interpolate: "linear" },
          encoding: {
            x: x(panel === PANELS[2]),
            y: { field: "value", type: "quantitative", title: null, scale, axis },
            color: { field: "router", type: "nominal", scale: colour, legend: null },
          },
        },
      ],
    },
  });
  const percent = { format: ".0%", values: [0, 0.5, 1] };
  // The deadline is drawn under the lines and named in the block title: a label on the rule would sit on the data in panels this small.
  const deadlineRule = deadline === null ? [] : [{ mark: { type: "rule", strokeDash: [4, 3], color: "#555555", strokeWidth: 1 }, encoding: { y: { datum: deadline } } }];
  const ttftTitle = `time to first token, p95 (ms${logTtft ? ", log scale" : ""})${deadline === null ? "" : `; dashed: deadline ${formatMs(deadline)}`}`;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    data: { values },
    vconcat: [
      block(PANELS[0], ttftTitle, ttftScale, ttftAxis, deadlineRule),
      block(PANELS[1], "queries that violated QoS (%)", { domain: [0, 1], nice: false }, percent),
      block(PANELS[2], `queries sent to the cloud (%), by query creation time (${unit})`, { domain: [0, 1], nice: false }, percent),
    ],
    spacing: 8,
    resolve: { scale: { y: "independent" } },
  } as TopLevelSpec;
  const caption =
    "Queries binned by creation time, a panel per router: the 95th percentile of time to first token (ms" +
    (logTtft ? ", log scale" : "") +
    (deadline === null ? "" : `; dashed: the TTFT deadline, ${formatMs(deadline)}`) +
    "), the share of queries that violated QoS, and the share whose prompt (or condensed prompt) reached the cloud. " +
    "Saturation shows as TTFT and violations climbing; a learned router as its cloud share settling. Bins with no finished query are gaps.";
  return { kind: "chart", spec, caption };
}

/** Whether the bin before (step -1) or after (+1) a point, in the same run and panel, has a value. */
function neighbour(points: readonly OverTimePoint[], i: number, step: -1 | 1): true | undefined {
  // Points are in run order, bin by bin, three panels per bin: the same panel's next bin is 3 away.
  const other = points[i + step * PANELS.length];
  return other !== undefined && other.router === points[i].router && other.panel === points[i].panel && other.value !== null ? true : undefined;
}
