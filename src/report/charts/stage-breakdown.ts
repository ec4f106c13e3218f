import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, type ChartOutcome, type FrameRun } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, STAGE_COLOURS, type ChartWidth } from "../style.js";
import { bottomLegend, formatNumber, NUMBER_FORMAT, textWidth } from "./layout.js";

/** The stages in the order a request lives them, which is the order they stack from left to right. */
export const STAGE_ORDER = [
  { key: "networkUp", label: "network up" },
  { key: "queueing", label: "queueing" },
  { key: "preprocessing", label: "preprocessing" },
  { key: "inference", label: "inference" },
  { key: "networkDown", label: "network down" },
] as const;

export const ALL_NODES = "all nodes";

export interface StageBar {
  scheduler: string;
  /** ALL_NODES or a node id. */
  target: string;
  stage: string;
  order: number;
  ms: number;
}

/** Mean time per stage, per scheduler over all nodes and per node; targets with no measured request have no bar. */
export function stageBars(results: ReportResults): StageBar[] {
  const bars: StageBar[] = [];
  for (const run of frameRuns(results)) {
    const targets = [{ target: ALL_NODES, latency: run.frames.latency }, ...run.nodes.flatMap((node) => (node.frames === null ? [] : [{ target: node.id, latency: node.frames.latency }]))];
    for (const { target, latency } of targets) {
      if (latency.total.count === 0) continue;
      STAGE_ORDER.forEach(({ key, label }, order) => {
        const mean = latency[key].mean;
        if (mean !== null) bars.push({ scheduler: run.label, target, stage: label, order, ms: mean });
      });
    }
  }
  return bars;
}

/**
 * Height the whole figure may take: 1.25 times the print width at one column (the figure comes out
 * a few px narrower than the print width, and must stay within 1.3 times its own width), a
 * landscape block across two.
 */
export const STAGE_HEIGHT_BUDGET: Record<ChartWidth, number> = { column: Math.floor(1.25 * CHART_WIDTHS.column), double: Math.floor(0.75 * CHART_WIDTHS.double) };
/** Panels side by side. */
const PANEL_COLUMNS: Record<ChartWidth, number> = { column: 2, double: 3 };
/** px per bar; a panel's header and axis take the rest. */
const BAR_STEP = 11;
// Header, axis labels and spacing, measured on a rendered chart.
const PANEL_CHROME = 50;
const LEGEND_AND_TITLE = 50;

/** A run's nodes that served measured frames, most frames first (scenario order among equals). */
function servingNodes(run: FrameRun): Array<{ id: string; served: number }> {
  return run.nodes
    .map((node, index) => ({ id: node.id, served: node.frames?.latency.total.count ?? 0, index }))
    .filter((node) => node.served > 0)
    .sort((a, b) => b.served - a.served || a.index - b.index)
    .map(({ id, served }) => ({ id, served }));
}

/** How many node bars each panel has room for under the height budget (besides its all-nodes bar). */
export function nodeBarsPerPanel(panels: number, width: ChartWidth): number {
  const panelRows = Math.ceil(panels / Math.min(panels, PANEL_COLUMNS[width]));
  const perPanel = (STAGE_HEIGHT_BUDGET[width] - LEGEND_AND_TITLE) / panelRows - PANEL_CHROME;
  return Math.max(0, Math.floor(perPanel / BAR_STEP) - 1);
}

/**
 * Chart 2: mean latency split into stages, stacked, one panel per scheduler with its own latency
 * axis (a stalled scheduler's 100,000 ms would leave the others' panels empty on a shared one),
 * a bar over all nodes and one per node that served frames, busiest first, as many as the height
 * budget allows; the caption says what is left out.
 */
export function stageBreakdownChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const all = stageBars(results);
  if (all.length === 0) return skipped("no scheduler completed a measured request, so there are no stage times to draw");
  const runs = frameRuns(results).filter((run) => all.some((bar) => bar.scheduler === run.label));
  const room = nodeBarsPerPanel(runs.length, width);
  const omitted: string[] = [];
  const keep = new Map<string, string[]>();
  for (const run of runs) {
    const nodes = servingNodes(run);
    keep.set(
      run.label,
      nodes.slice(0, room).map((n) => n.id),
    );
    const rest = nodes.slice(room);
    if (rest.length > 0) {
      const share = rest.reduce((sum, n) => sum + n.served, 0) / Math.max(1, run.frames.latency.total.count);
      omitted.push(`${run.label}: ${rest.length} more node${rest.length === 1 ? "" : "s"} (${formatNumber(Math.round(share * 1000) / 10)}% of its frames)`);
    }
  }
  const values = all
    .filter((bar) => bar.target === ALL_NODES || (keep.get(bar.scheduler) ?? []).includes(bar.target))
    .map((bar) => ({ ...bar, rank: bar.target === ALL_NODES ? 0 : 1 + (keep.get(bar.scheduler) ?? []).indexOf(bar.target) }));
  const columns = Math.min(runs.length, PANEL_COLUMNS[width]);
  const targets = [ALL_NODES, ...results.scenario.nodes.map((node) => node.id)];
  const labelWidth = Math.ceil(Math.max(...targets.map((t) => textWidth(t)))) + 8;
  // Per panel: its node names, 12 px of spacing and about 10 px for the last tick label's overhang.
  const panelWidth = Math.floor((CHART_WIDTHS[width] - 10) / columns) - labelWidth - 22;
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    // The latency axes are per panel; their common title is said once, under the panels (the legend goes above them).
    title: { text: "mean latency per stage (ms)", orient: "bottom", fontSize: 10, fontWeight: "normal", anchor: "middle", offset: 4 },
    data: { values },
    facet: {
      field: "scheduler",
      type: "nominal",
      title: null,
      sort: runs.map((run) => run.label),
      header: { labelAngle: 0, labelAnchor: "start", labelOrient: "top", labelFontSize: 10, labelPadding: 2 },
    },
    columns,
    spec: {
      width: panelWidth,
      height: { step: BAR_STEP },
      mark: { type: "bar", stroke: "#ffffff", strokeWidth: 0.5 },
      encoding: {
        y: { field: "target", type: "nominal", title: null, sort: { field: "rank", op: "min" }, scale: { paddingInner: 0.2 } },
        x: { field: "ms", type: "quantitative", title: null, stack: "zero", axis: { format: NUMBER_FORMAT, tickCount: 3, labelFlush: true, labelOverlap: "greedy" } },
        color: {
          field: "stage",
          type: "nominal",
          title: null,
          scale: { domain: STAGE_ORDER.map((s) => s.label), range: [...STAGE_COLOURS] },
          legend: {
            ...bottomLegend(
              STAGE_ORDER.map((s) => s.label),
              width,
              "top",
            ),
            symbolType: "square",
          },
        },
        order: { field: "order", type: "quantitative" },
      },
    },
    resolve: { scale: { x: "independent", y: "independent" } },
    spacing: { row: 8, column: 12 },
  };
  const left = omitted.length > 0 ? ` Not drawn (served fewer frames): ${omitted.join("; ")}.` : "";
  return {
    kind: "chart",
    spec,
    caption:
      `Mean latency per stage, stacked in the order a request lives them, for each scheduler over all nodes and per node that served frames (busiest first); ` +
      `each panel has its own latency axis. Stage means add up to the mean total latency.${left}`,
  };
}
