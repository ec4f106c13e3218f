import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, timeAxisUnit, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { policyColourScale } from "../policy-colours.js";
import { bottomLegend, formatNumber, NUMBER_FORMAT, percent } from "./layout.js";

/** Panels per row, and rows per measure: more nodes than columns x 2 are ranked and the busiest drawn. */
const NODE_COLUMNS: Record<ChartWidth, number> = { column: 4, double: 7 };
const NODE_ROWS = 2;
const PANEL_HEIGHT: Record<ChartWidth, number> = { column: 45, double: 60 };

export function maxNodePanels(width: ChartWidth): number {
  return NODE_COLUMNS[width] * NODE_ROWS;
}

export interface LoadPoint {
  scheduler: string;
  node: string;
  t: number;
  /** Time-averaged busy slots / slots in the bin, 0-1. */
  utilisation: number;
  queue: number;
}

/**
 * A node's load: the larger of its utilisation and its share of the run's completed frames, under
 * the run where that is highest. Both count: a slow node is saturated by a few frames, a fast one
 * serves most of them at low utilisation, and neither may be left out.
 */
export function nodeLoads(results: ReportResults): Array<{ id: string; load: number }> {
  return results.scenario.nodes.map((node, index) => ({
    id: node.id,
    load: Math.max(
      0,
      ...frameRuns(results).map((run) => {
        const frames = run.nodes[index]?.frames;
        const share = run.frames.jobs.completed > 0 ? (frames?.completed ?? 0) / run.frames.jobs.completed : 0;
        return Math.max(frames?.utilisation ?? 0, share);
      }),
    ),
  }));
}

/** The nodes drawn, in scenario order: all of them, or the most loaded (nodeLoads) that fit the panels. */
export function drawnNodes(results: ReportResults, width: ChartWidth = "column"): string[] {
  const loads = nodeLoads(results);
  if (loads.length <= maxNodePanels(width)) return loads.map((n) => n.id);
  const ranked = loads.map((n, index) => ({ ...n, index })).sort((a, b) => b.load - a.load || a.index - b.index);
  const kept = new Set(ranked.slice(0, maxNodePanels(width)).map((n) => n.id));
  return loads.filter((n) => kept.has(n.id)).map((n) => n.id);
}

export function loadPoints(results: ReportResults, width: ChartWidth = "column"): LoadPoint[] {
  const { divisor } = timeAxisUnit(results);
  const drawn = new Set(drawnNodes(results, width));
  const ids = results.scenario.nodes.map((node) => node.id);
  return frameRuns(results).flatMap((run) => {
    const series = run.frames.timeSeries;
    // Bins after the last arrival (the drain) only show the nodes emptying: not drawn.
    return series.bins
      .filter((bin) => bin.startMs < results.window.durationMs)
      .flatMap((bin) =>
        bin.nodes.flatMap((load, index) =>
          drawn.has(ids[index]) ? [{ scheduler: run.label, node: ids[index], t: (bin.startMs + series.binMs / 2) / divisor, utilisation: load.utilisation, queue: load.meanQueueLength }] : [],
        ),
      );
  });
}

/**
 * Chart 6: utilisation and mean queue length of each node over time: a block of small panels per
 * measure (named once, above the block), a panel per node, a line per scheduler.
 */
export function nodeLoadOverTimeChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const points = loadPoints(results, width);
  if (points.length === 0) return skipped("the results have no frame time series (`runs[].frames.timeSeries`)");
  const values = points.map((p) => ({ ...p, utilisation: percent(p.utilisation) }));
  const { divisor, unit } = timeAxisUnit(results);
  const nodes = drawnNodes(results, width);
  const colour = policyColourScale(results);
  const columns = Math.min(NODE_COLUMNS[width], nodes.length);
  // About 40 px of y-axis labels on the left ("10,000"), 6 px between panels.
  const panelWidth = Math.floor((CHART_WIDTHS[width] - 50) / columns) - 8;
  const block = (field: "utilisation" | "queue", title: string) => ({
    title: { text: title, anchor: "start" as const, fontSize: 10, fontWeight: "normal" as const, offset: 2 },
    data: { values },
    facet: { field: "node", type: "nominal" as const, title: null, sort: nodes, header: { labelPadding: 1, labelFontSize: 9, labelLimit: panelWidth } },
    columns,
    spec: {
      width: panelWidth,
      height: PANEL_HEIGHT[width],
      mark: { type: "line" as const, strokeWidth: 1.1 },
      encoding: {
        x: {
          field: "t",
          type: "quantitative" as const,
          title: null,
          scale: { domain: [0, results.window.durationMs / divisor], nice: false },
          axis: { tickCount: 2, format: NUMBER_FORMAT, labelFlush: true, labelOverlap: "greedy" as const },
        },
        y: {
          field,
          type: "quantitative" as const,
          title: null,
          axis: { tickCount: 3, format: NUMBER_FORMAT },
          ...(field === "utilisation" ? { scale: { domain: [0, 100], nice: false } } : {}),
        },
        color: { field: "scheduler", type: "nominal" as const, title: null, scale: colour, legend: bottomLegend(colour.domain, width, "top") },
      },
    },
    spacing: { column: 6, row: 8 },
  });
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    // A facet repeats its x axis title under every panel: the time axis is named once, under the lower block.
    title: { text: `simulated time (${unit})`, orient: "bottom", fontSize: 10, fontWeight: "normal", anchor: "middle", offset: 4 },
    vconcat: [block("utilisation", "utilisation (%)"), block("queue", "mean queue length (frames)")],
    spacing: 10,
  };
  const all = results.scenario.nodes.map((node) => node.id);
  const left = all.filter((id) => !nodes.includes(id));
  const subset =
    left.length > 0
      ? ` ${nodes.length} of ${all.length} nodes are drawn, the most loaded (by the larger of utilisation and share of completed frames, under any scheduler); not drawn: ${left.join(", ")}.`
      : "";
  return {
    kind: "chart",
    spec,
    caption: `Time-averaged utilisation (busy slots / slots) and queue length of each node per ${formatNumber((frameRuns(results)[0]?.frames.timeSeries.binMs ?? 0) / 1000)} s bin of the measurement window, one line per scheduler.${subset}`,
  };
}
