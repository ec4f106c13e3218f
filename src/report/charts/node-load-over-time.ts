import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, timeAxisUnit, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, policyColourScale } from "../style.js";

/** More rows than this no longer fit a column: the busiest nodes are drawn and the caption says so. */
export const MAX_NODE_ROWS = 6;

export interface LoadPoint {
  scheduler: string;
  node: string;
  t: number;
  utilisation: number;
  queue: number;
}

/** The nodes drawn: all of them, or the MAX_NODE_ROWS with the highest mean utilisation under any scheduler. */
export function drawnNodes(results: ReportResults): string[] {
  const ids = results.scenario.nodes.map((node) => node.id);
  if (ids.length <= MAX_NODE_ROWS) return ids;
  const peak = (index: number): number => Math.max(...frameRuns(results).map((run) => run.nodes[index]?.frames?.utilisation ?? 0));
  const ranked = ids.map((id, index) => ({ id, index, peak: peak(index) })).sort((a, b) => b.peak - a.peak || a.index - b.index);
  return ranked
    .slice(0, MAX_NODE_ROWS)
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.id);
}

export function loadPoints(results: ReportResults): LoadPoint[] {
  const { divisor } = timeAxisUnit(results);
  const drawn = new Set(drawnNodes(results));
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

/** Chart 6: utilisation and mean queue length of each node over time, one row per node, one line per scheduler. */
export function nodeLoadOverTimeChart(results: ReportResults): ChartOutcome {
  const values = loadPoints(results);
  if (values.length === 0) return skipped("the results have no frame time series (`runs[].frames.timeSeries`)");
  const { unit } = timeAxisUnit(results);
  const nodes = drawnNodes(results);
  const colour = policyColourScale(results);
  const columns = Math.min(3, nodes.length);
  // One row of small panels per measure, a panel per node with the node's name above it: the y
  // axis (with its unit) is drawn once per row and the panels stay wide enough at column width.
  const panel = (field: "utilisation" | "queue", title: string, last: boolean) => ({
    // A facet repeats its x axis title under every panel: the time axis is named once, as the lower row's bottom title.
    ...(last ? { title: { text: `simulated time (${unit})`, orient: "bottom" as const, fontSize: 10, fontWeight: "normal" as const, anchor: "middle" as const, offset: 4 } } : {}),
    data: { values },
    facet: { field: "node", type: "nominal" as const, title: null, sort: nodes, header: { labelPadding: 2 } },
    columns,
    spec: {
      width: Math.floor(252 / columns),
      height: 55,
      mark: { type: "line" as const, strokeWidth: 1.1 },
      encoding: {
        x: {
          field: "t",
          type: "quantitative" as const,
          title: null,
          scale: { zero: false, nice: false },
          axis: { tickCount: 3, labelFlush: true },
        },
        y: {
          field,
          type: "quantitative" as const,
          title,
          axis: { tickCount: 3, ...(field === "utilisation" ? { format: ".0%" } : {}) },
          ...(field === "utilisation" ? { scale: { domain: [0, 1] } } : {}),
        },
        color: {
          field: "scheduler",
          type: "nominal" as const,
          title: "scheduler",
          scale: colour,
          legend: { orient: "bottom" as const, direction: "horizontal" as const, columns: Math.min(3, colour.domain.length) },
        },
      },
    },
    spacing: { column: 6, row: 10 },
  });
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    vconcat: [panel("utilisation", "utilisation", false), panel("queue", "queue (requests)", true)],
    spacing: 8,
  };
  const total = results.scenario.nodes.length;
  const subset = nodes.length < total ? ` The ${nodes.length} nodes with the highest mean utilisation of ${total} are drawn.` : "";
  return {
    kind: "chart",
    spec,
    caption: `Time-averaged utilisation (busy slots / slots) and queue length of each node per time bin of the measurement window, one line per scheduler.${subset}`,
  };
}
