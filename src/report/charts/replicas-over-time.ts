import type { TopLevelSpec } from "vega-lite";
import type { DeploymentResults } from "../../control/types.js";
import { type ChartOutcome, controlRuns, round, skipped, timeAxisUnit } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth, OKABE_ITO } from "../style.js";
import { bottomLegend, formatNumber, NUMBER_FORMAT } from "./layout.js";

/*
 * Replicas of each deployment over the run (issue 17, docs/control-plane.md): the step functions
 * of runs[].control.deployments[].replicas, a panel per deployment (and per run when several runs
 * have a control plane), a line per measure.
 */

/** The measures drawn, in legend order, with their colours (Okabe-Ito) and dashes: desired is dashed so that where ready equals it both stay visible. */
export const REPLICA_MEASURES = ["ready", "desired", "pending"] as const;
export type ReplicaMeasure = (typeof REPLICA_MEASURES)[number];
const MEASURE_COLOURS: Record<ReplicaMeasure, string> = { ready: OKABE_ITO[0], desired: OKABE_ITO[1], pending: OKABE_ITO[5] };
const MEASURE_DASHES: Record<ReplicaMeasure, number[]> = { ready: [1, 0], desired: [4, 2], pending: [1, 2] };

/** Panels drawn at most: more (deployments x runs) are left out in run and deployment order, and named in the caption. */
const MAX_PANELS: Record<ChartWidth, number> = { column: 6, double: 8 };
const PANEL_COLUMNS: Record<ChartWidth, number> = { column: 1, double: 2 };
const PANEL_HEIGHT: Record<ChartWidth, number> = { column: 50, double: 70 };

export interface ReplicaPoint {
  /** "deployment" alone, or "deployment (run label)" when several runs have a control plane. */
  panel: string;
  measure: ReplicaMeasure;
  /** Time in the axis unit. */
  t: number;
  value: number;
}

interface Panel {
  name: string;
  deployment: DeploymentResults;
}

function panels(results: ReportResults): Panel[] {
  const runs = controlRuns(results);
  return runs.flatMap((run) => run.control.deployments.map((deployment) => ({ name: runs.length > 1 ? `${deployment.id} (${run.label})` : deployment.id, deployment })));
}

/**
 * The step points of one deployment: each change at its time (changes after the window's end,
 * in the drain, are not drawn), and the last value carried to the end of the window so the
 * final step has a length. Pending is drawn only for a deployment that ever had a pending replica.
 */
export function replicaPoints(results: ReportResults, panel: string, deployment: DeploymentResults): ReplicaPoint[] {
  const { divisor } = timeAxisUnit(results);
  const endMs = results.window.durationMs;
  const steps = deployment.replicas.filter((step) => step.atMs <= endMs);
  if (steps.length === 0) return [];
  const measures = REPLICA_MEASURES.filter((m) => m !== "pending" || steps.some((step) => step.pending > 0));
  const last = steps[steps.length - 1];
  const closed = last.atMs < endMs ? [...steps, { ...last, atMs: endMs }] : steps;
  return measures.flatMap((measure) => closed.map((step) => ({ panel, measure, t: round(step.atMs / divisor, 6), value: step[measure] })));
}

/** Chart: ready, desired and pending replicas of each deployment over the run, as step lines. */
export function replicasOverTimeChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const all = panels(results);
  if (all.length === 0) return skipped("no run has a control plane with a deployment (`runs[].control.deployments` is empty or null)");
  const drawn = all.slice(0, MAX_PANELS[width]).filter((panel) => panel.deployment.replicas.length > 0);
  const values = drawn.flatMap((panel) => replicaPoints(results, panel.name, panel.deployment));
  if (values.length === 0) return skipped("no deployment recorded a replica count within the window (`runs[].control.deployments[].replicas` is empty)");
  const { divisor, unit } = timeAxisUnit(results);
  const measures = REPLICA_MEASURES.filter((m) => values.some((v) => v.measure === m));
  const names = [...new Set(values.map((v) => v.panel))];
  const columns = Math.min(PANEL_COLUMNS[width], names.length);
  // About 30 px of y-axis labels and title on the left, 8 px between panels.
  const panelWidth = Math.floor((CHART_WIDTHS[width] - 45) / columns) - 8 * (columns - 1);
  const top = Math.max(1, ...values.map((v) => v.value));
  const legend = bottomLegend(measures, width, "top");
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    // A facet repeats its x axis title under every panel: the time axis is named once, under the panels.
    title: { text: `simulated time (${unit})`, orient: "bottom", fontSize: 10, fontWeight: "normal", anchor: "middle", offset: 4 },
    data: { values },
    facet: { field: "panel", type: "nominal", title: null, sort: names, header: { labelPadding: 1, labelFontSize: 9, labelLimit: panelWidth } },
    columns,
    spacing: { column: 8, row: 8 },
    spec: {
      width: panelWidth,
      height: PANEL_HEIGHT[width],
      mark: { type: "line", interpolate: "step-after", strokeWidth: 1.3 },
      encoding: {
        x: {
          field: "t",
          type: "quantitative",
          title: null,
          scale: { domain: [0, results.window.durationMs / divisor], nice: false },
          axis: { format: NUMBER_FORMAT, labelFlush: true, labelOverlap: "greedy" },
        },
        y: {
          field: "value",
          type: "quantitative",
          title: "replicas",
          scale: { domain: [0, top], nice: false },
          // Whole replicas only.
          axis: { format: NUMBER_FORMAT, tickMinStep: 1, tickCount: Math.min(top, 4) },
        },
        // One legend: colour and dash of the same field with the same legend merge into dashed, coloured symbols.
        color: { field: "measure", type: "nominal", title: null, sort: measures, scale: { domain: measures, range: measures.map((m) => MEASURE_COLOURS[m]) }, legend },
        strokeDash: { field: "measure", type: "nominal", title: null, sort: measures, scale: { domain: measures, range: measures.map((m) => MEASURE_DASHES[m]) }, legend },
      },
    },
  };
  const left = all.filter((panel) => !drawn.includes(panel)).map((panel) => panel.name);
  const totals = drawn.map((panel) => {
    const counts = panel.deployment.replicas.map((step) => step.ready);
    return `${panel.name} ${formatNumber(Math.min(...counts))}–${formatNumber(Math.max(...counts))} ready, ${formatNumber(panel.deployment.scaleEvents)} scaling decision${panel.deployment.scaleEvents === 1 ? "" : "s"}`;
  });
  const pendingNote = measures.includes("pending") ? " Pending: wanted but placed on no node (no node had the requested resources)." : "";
  const leftNote = left.length > 0 ? ` Not drawn (at most ${MAX_PANELS[width]} panels): ${left.join(", ")}.` : "";
  return {
    kind: "chart",
    spec,
    caption: `Replicas of each deployment over the window: ready (running and registered in the catalog) and desired (what the autoscaler or the spec wants) as step lines; ${totals.join("; ")}.${pendingNote}${leftNote}`,
  };
}
