import type { TopLevelSpec } from "vega-lite";
import { queryRuns, logTicks, nice125, round, skipped, type ChartOutcome } from "../chart.js";
import { LOG_SPAN } from "../charts/sweep-input.js";
import { policyColourScale } from "../policy-colours.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { formatMs, listNames } from "./llm-chart.js";
import type { ReportResults } from "../results-input.js";

export const TTFT = "time to first token";
export const TOTAL = "total latency";

/** Which quantiles each latency is drawn with: the total also at p99, its tail. */
const QUANTILES = { [TTFT]: ["p50", "p95"], [TOTAL]: ["p50", "p95", "p99"] } as const;
const SHAPES = { p50: "circle", p95: "triangle-up", p99: "diamond" } as const;

export interface LatencyMark {
  router: string;
  metric: typeof TTFT | typeof TOTAL;
  quantile: "p50" | "p95" | "p99";
  ms: number;
}

export interface LatencyRange {
  router: string;
  metric: typeof TTFT | typeof TOTAL;
  lo: number;
  hi: number;
}

/** The recorded quantiles of TTFT (p50, p95) and total latency (p50, p95, p99) per router; a router without completed queries has none. */
export function latencyMarks(results: ReportResults): LatencyMark[] {
  return queryRuns(results).flatMap((run) =>
    ([TTFT, TOTAL] as const).flatMap((metric) => {
      const summary = metric === TTFT ? run.queries.latency.ttft : run.queries.latency.total;
      if (summary.count === 0) return [];
      return QUANTILES[metric].flatMap((quantile) => {
        const ms = summary[quantile];
        return ms === null ? [] : [{ router: run.label, metric, quantile, ms }];
      });
    }),
  );
}

/** p50 to the highest quantile drawn, per router and latency: the bar the markers sit on. */
function latencyRanges(marks: readonly LatencyMark[]): LatencyRange[] {
  const ranges = new Map<string, LatencyRange>();
  for (const mark of marks) {
    const key = `${mark.router}\u0000${mark.metric}`;
    const range = ranges.get(key);
    if (range === undefined) ranges.set(key, { router: mark.router, metric: mark.metric, lo: mark.ms, hi: mark.ms });
    else {
      range.lo = Math.min(range.lo, mark.ms);
      range.hi = Math.max(range.hi, mark.ms);
    }
  }
  return [...ranges.values()];
}

/** Room left of the panels for the router names. */
const NAME_ROOM = 115;
/** The y category of the deadline label row (a blank axis label). */
const DEADLINE_ROW = " ";

export interface LlmLatencyOptions {
  /** Log-scaled latency axis; by default chosen when the values span more than a factor of 20. */
  logX?: boolean;
}

/** LLM chart 1: TTFT (p50, p95) and total latency (p50, p95, p99) per router, a panel each, with the deadlines as dashed rules. */
export function llmLatencyChart(results: ReportResults, width: ChartWidth = "column", options: LlmLatencyOptions = {}): ChartOutcome {
  const marks = latencyMarks(results);
  if (marks.length === 0) return skipped("no router completed a measured query, so there is no latency to draw");
  const ttftDeadline = results.qos.ttftDeadlineMs;
  const totalDeadline = results.qos.totalDeadlineMs;
  const deadlines = [...(ttftDeadline === null ? [] : [{ metric: TTFT, deadline: ttftDeadline }]), ...(totalDeadline === null ? [] : [{ metric: TOTAL, deadline: totalDeadline }])];
  const all = [...marks.map((m) => m.ms), ...deadlines.map((d) => d.deadline)];
  const minMs = Math.min(...all);
  const maxMs = Math.max(...all);
  const logX = options.logX ?? (minMs > 0 && maxMs >= LOG_SPAN * minMs);
  const xScale = logX ? { type: "log" as const, domain: [nice125(minMs, "floor"), nice125(maxMs, "ceil")], nice: false } : { type: "linear" as const, domain: [0, maxMs], nice: true, zero: true };
  // Where a value sits across the axis (0-1): a deadline label near the right end goes to the rule's left, inside the plot.
  const [lo, hi] = xScale.domain;
  const position = (ms: number): number => (logX ? Math.log(ms / lo) / Math.log(hi / lo) : ms / hi);
  const xTicks = logX ? logTicks(xScale.domain) : undefined;
  const xAxis = xTicks === undefined ? { format: "~s" } : { values: xTicks, tickCount: xTicks.length, format: "~s" };
  const colour = policyColourScale(results);
  const drawnRouters = new Set(marks.map((m) => m.router));
  const routers = colour.domain.filter((label) => drawnRouters.has(label));
  const x = { type: "quantitative" as const, title: `latency (ms${logX ? ", log scale" : ""})`, scale: xScale, axis: xAxis };
  const values = [
    ...marks.map((m) => ({ kind: "mark", ...m, ms: round(m.ms, 2) })),
    ...latencyRanges(marks).map((r) => ({ kind: "range", ...r, lo: round(r.lo, 2), hi: round(r.hi, 2) })),
    ...deadlines.map((d) => ({ kind: "deadline", ...d, text: `deadline ${formatMs(d.deadline)}`, side: position(d.deadline) > 0.6 ? "left" : "right" })),
  ];
  // A blank first row holds the deadline's label, so it sits on no marker and under no panel title.
  const y = { field: "router", type: "nominal" as const, title: null, scale: { domain: [DEADLINE_ROW, ...routers] }, axis: { labelLimit: NAME_ROOM - 8, values: routers } };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    data: { values },
    facet: {
      row: {
        field: "metric",
        type: "nominal",
        title: null,
        sort: [TTFT, TOTAL],
        header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top", labelFontSize: 10, labelPadding: 3 },
      },
    },
    spec: {
      width: CHART_WIDTHS[width] - NAME_ROOM - 15,
      height: { step: 14 },
      layer: [
        {
          transform: [{ filter: "datum.kind === 'deadline'" }],
          mark: { type: "rule", strokeDash: [4, 3], color: "#555555", strokeWidth: 1 },
          encoding: { x: { field: "deadline", ...x } },
        },
        ...(["left", "right"] as const).map((side) => ({
          transform: [{ filter: `datum.kind === 'deadline' && datum.side === '${side}'` }],
          mark: { type: "text" as const, align: side === "right" ? ("left" as const) : ("right" as const), baseline: "middle" as const, dx: side === "right" ? 3 : -3, fontSize: 8, color: "#333333" },
          encoding: {
            x: { field: "deadline", ...x },
            y: { datum: DEADLINE_ROW, type: "nominal" as const, title: null, scale: y.scale, axis: y.axis },
            text: { field: "text", type: "nominal" as const },
          },
        })),
        {
          transform: [{ filter: "datum.kind === 'range'" }],
          mark: { type: "rule", strokeWidth: 1.5, opacity: 0.8 },
          encoding: { y, x: { field: "lo", ...x }, x2: { field: "hi" }, color: { field: "router", type: "nominal", scale: colour, legend: null } },
        },
        {
          transform: [{ filter: "datum.kind === 'mark'" }],
          mark: { type: "point", filled: true, size: 34, opacity: 1, stroke: "#ffffff", strokeWidth: 0.5 },
          encoding: {
            y,
            x: { field: "ms", ...x },
            color: { field: "router", type: "nominal", scale: colour, legend: null },
            shape: {
              field: "quantile",
              type: "nominal",
              title: null,
              scale: { domain: ["p50", "p95", "p99"], range: [SHAPES.p50, SHAPES.p95, SHAPES.p99] },
              legend: { orient: "bottom", direction: "horizontal", symbolFillColor: "#444444", symbolStrokeColor: "#444444", labelExpr: "datum.label === 'p99' ? 'p99 (total only)' : datum.label" },
            },
          },
        },
      ],
    },
    resolve: { scale: { x: "shared" } },
    spacing: 8,
  };
  const missing = colour.domain.filter((label) => !drawnRouters.has(label));
  const deadlineText =
    deadlines.length === 0
      ? ""
      : ` Dashed, labelled: the deadline${deadlines.length > 1 ? "s" : ""} (${deadlines.map((d) => `${d.metric === TTFT ? "TTFT" : "total"} ${formatMs(d.deadline)}`).join(", ")}).`;
  const caption =
    `Time to first token (p50, p95) and total latency (p50, p95, p99) of the measured queries per router; the line spans p50 to the highest quantile${logX ? "; log scale" : ""}.` +
    deadlineText +
    (missing.length > 0 ? ` Not drawn: ${listNames(missing)} (no completed query).` : "");
  return { kind: "chart", spec, caption };
}
