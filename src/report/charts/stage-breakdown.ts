import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, STAGE_COLOURS } from "../style.js";

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

/** Chart 2: mean latency split into stages, stacked, one panel per scheduler with a bar for all nodes and one per node. */
export function stageBreakdownChart(results: ReportResults): ChartOutcome {
  const values = stageBars(results);
  if (values.length === 0) return skipped("no scheduler completed a measured request, so there are no stage times to draw");
  const targets = [ALL_NODES, ...results.scenario.nodes.map((node) => node.id)];
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    data: { values },
    facet: {
      row: {
        field: "scheduler",
        type: "nominal",
        title: null,
        sort: frameRuns(results).map((run) => run.label),
        header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top", labelFontSize: 10, labelPadding: 2 },
      },
    },
    spec: {
      width: 210,
      height: { step: 13 },
      mark: { type: "bar", stroke: "#ffffff", strokeWidth: 0.5 },
      encoding: {
        y: { field: "target", type: "nominal", title: null, sort: targets, scale: { paddingInner: 0.2 } },
        x: { field: "ms", type: "quantitative", title: "mean latency (ms)", stack: "zero" },
        color: {
          field: "stage",
          type: "nominal",
          title: null,
          scale: { domain: STAGE_ORDER.map((s) => s.label), range: [...STAGE_COLOURS] },
          legend: { orient: "bottom", columns: 3, symbolType: "square" },
        },
        order: { field: "order", type: "quantitative" },
      },
    },
    resolve: { scale: { x: "shared" } },
    spacing: 6,
  };
  return {
    kind: "chart",
    spec,
    caption:
      "Mean latency per stage, stacked in the order a request lives them, for each scheduler over all nodes and per node " +
      "(a node that served no measured request has no bar). Stage means add up to the mean total latency.",
  };
}
