import type { TopLevelSpec } from "vega-lite";
import type { ProvisioningRecord } from "../../control/types.js";
import { type ChartOutcome, type ControlRun, controlRuns, round, skipped, type TimeAxisUnit, timeAxisUnit } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth, OKABE_ITO } from "../style.js";
import { bottomLegend, formatNumber, LABEL_FONT_SIZE, NUMBER_FORMAT, PLOT_SIZES, textWidth } from "./layout.js";

/*
 * Each replica's provisioning (issue 17, docs/control-plane.md), from runs[].control.deployments[]
 * .provisioning: a bar per replica from the moment it was wanted, in phases (pending: placed on no
 * node yet; pull: image layers not cached; start: the container; load: the model), on an axis of
 * time since the request, so that a few seconds of start-up stay visible in a day-long run.
 */

export const PHASES = ["pending", "pull", "start", "load"] as const;
export type Phase = (typeof PHASES)[number];
/** Pending grey (waiting, no work done); the three phases of work in Okabe-Ito blue, orange and green. */
const PHASE_COLOURS: Record<Phase, string> = { pending: "#BBBBBB", pull: OKABE_ITO[0], start: OKABE_ITO[1], load: OKABE_ITO[2] };

/**
 * Rows drawn at most, and their pitch: a row is one 9 px label plus a gap, so 11 px; 30 of them
 * keep a one-column figure within its 1.5 aspect limit, and a two-column figure holds 40.
 */
export const MAX_REPLICA_ROWS: Record<ChartWidth, number> = { column: 30, double: 40 };
const ROW_STEP = 11;
/** Widest row label, px: the rest of the width is the plot. */
const LABEL_LIMIT: Record<ChartWidth, number> = { column: 130, double: 220 };

export interface ReplicaRow {
  /** Unique row name: request time, node, and the deployment when the run has several. */
  row: string;
  /** Sort key: request order. */
  order: number;
  record: ProvisioningRecord;
}

export interface PhaseSegment {
  row: string;
  order: number;
  phase: Phase;
  /** Start and end, in the axis unit, since the replica was requested. */
  from: number;
  to: number;
}

/** A record took time to become ready (or never did): a replica ready at the start of the run is not drawn. */
function tookTime(record: ProvisioningRecord): boolean {
  return record.readyAtMs === null || record.readyAtMs > record.requestedAtMs;
}

/**
 * The replicas of one run that took time, by request time (then deployment and record order as
 * the results list them: no order depends on ties of floats alone).
 */
export function replicaRows(results: ReportResults, run: ControlRun): ReplicaRow[] {
  const { divisor, unit } = timeAxisUnit(results);
  const several = run.control.deployments.length > 1;
  const entries = run.control.deployments.flatMap((deployment) => deployment.provisioning.filter(tookTime));
  entries.sort((a, b) => a.requestedAtMs - b.requestedAtMs);
  const seen = new Map<string, number>();
  return entries.map((record, order) => {
    const parts = [requestTime(record.requestedAtMs, divisor, unit), record.node];
    if (several) parts.push(record.deployment);
    let row = parts.join(" ");
    // The same replica name requested twice within a rounding of the label (a restart at once): numbered.
    const n = (seen.get(row) ?? 0) + 1;
    seen.set(row, n);
    if (n > 1) row = `${row} #${n}`;
    return { row, order, record };
  });
}

/** A request time as the run's time axis names it: "42 s", "7.5 min", or a clock time "7:28 h" in a day-long run (tenths of an hour would be 6 min apart). */
export function requestTime(ms: number, divisor: number, unit: TimeAxisUnit["unit"]): string {
  if (unit !== "h") return `${formatNumber(round(ms / divisor, 1))} ${unit}`;
  const minutes = Math.floor(ms / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")} h`;
}

/** What one run's provisioning is, for comparing runs: every record and pending entry. */
function provisioningOf(run: ControlRun): string {
  return JSON.stringify(run.control.deployments.map((d) => [d.provisioning, d.pending]));
}

/** The unit of the time-since-request axis: seconds, or minutes when the longest bar is over 30 min. */
function durationUnit(longestMs: number): { divisor: number; unit: "s" | "min" } {
  return longestMs > 30 * 60_000 ? { divisor: 60_000, unit: "min" } : { divisor: 1000, unit: "s" };
}

/** The phases of one replica, cut at `endMs` (the end of the run) when it was not ready by then. Zero-length phases are left out. */
export function phaseSegments(row: ReplicaRow, endMs: number, divisor: number): PhaseSegment[] {
  const r = row.record;
  const ready = r.readyAtMs ?? endMs;
  const bounds: Array<[Phase, number, number]> = [
    ["pending", r.requestedAtMs, r.scheduledAtMs],
    ["pull", r.scheduledAtMs, r.pullEndMs],
    ["start", r.pullEndMs, r.startEndMs],
    ["load", r.startEndMs, ready],
  ];
  return bounds
    .map(([phase, from, to]) => [phase, Math.min(from, endMs), Math.min(to, ready, endMs)] as const)
    .filter(([, from, to]) => to > from)
    .map(([phase, from, to]) => ({ row: row.row, order: row.order, phase, from: round((from - r.requestedAtMs) / divisor, 6), to: round((to - r.requestedAtMs) / divisor, 6) }));
}

/** Chart: a bar per provisioned replica, its pending, pull, start and load phases, cold starts marked. */
export function provisioningTimelineChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const runs = controlRuns(results);
  if (runs.length === 0) return skipped("no run has a control plane (`runs[].control` is null)");
  // One run's replicas: the first with a control plane (several runs' rows side by side would repeat the same replicas under long labels).
  const run = runs[0];
  const rows = replicaRows(results, run);
  const atStart = run.control.deployments.reduce((m, d) => m + d.provisioning.filter((p) => !tookTime(p)).length, 0);
  if (rows.length === 0) {
    return skipped(`no replica was provisioned during the run (\`runs[].control.deployments[].provisioning\` has ${formatNumber(atStart)} replica(s) ready at the start only)`);
  }
  const drawn = rows.slice(0, MAX_REPLICA_ROWS[width]);
  const endMs = results.window.durationMs + results.window.drainMs;
  const longest = Math.max(...drawn.map((row) => Math.min(row.record.readyAtMs ?? endMs, endMs) - row.record.requestedAtMs));
  const { divisor, unit } = durationUnit(longest);
  const segments = drawn.flatMap((row) => phaseSegments(row, endMs, divisor));
  const phases = PHASES.filter((p) => segments.some((s) => s.phase === p));
  const cold = drawn
    .filter((row) => row.record.coldStart && row.record.readyAtMs !== null)
    .map((row) => ({ row: row.row, order: row.order, at: round(((row.record.readyAtMs as number) - row.record.requestedAtMs) / divisor, 6) }));
  const names = drawn.map((row) => row.row);
  const labelWidth = Math.min(LABEL_LIMIT[width], Math.ceil(Math.max(...names.map((name) => textWidth(name))))) + 2;
  // The y axis takes its labels, their padding and the ticks; the rest of the print width is the plot.
  const plotWidth = Math.min(PLOT_SIZES[width].width, CHART_WIDTHS[width] - labelWidth - 24);
  const y = { field: "row", type: "nominal" as const, title: null, sort: names, axis: { labelLimit: labelWidth, labelFontSize: LABEL_FONT_SIZE, ticks: false, labelPadding: 3 } };
  const x = {
    field: "from",
    type: "quantitative" as const,
    title: `time since the replica was wanted (${unit})`,
    scale: { nice: true, zero: true },
    axis: { format: NUMBER_FORMAT, labelOverlap: "greedy" as const },
  };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: plotWidth,
    height: { step: ROW_STEP },
    layer: [
      {
        data: { values: segments },
        mark: { type: "bar", height: { band: 0.8 } },
        encoding: {
          y,
          x,
          x2: { field: "to" },
          color: { field: "phase", type: "nominal", title: null, sort: phases, scale: { domain: phases, range: phases.map((p) => PHASE_COLOURS[p]) }, legend: bottomLegend(phases, width) },
        },
      },
      ...(cold.length === 0
        ? []
        : [
            {
              data: { values: cold },
              mark: { type: "point" as const, shape: "diamond", filled: true, size: 22, color: "#000000", opacity: 1 },
              encoding: { y, x: { ...x, field: "at" } },
            },
          ]),
    ],
  };
  const notReady = drawn.filter((row) => row.record.readyAtMs === null).length;
  const pending = run.control.deployments.reduce((m, d) => m + d.pending.filter((p) => p.untilMs === null).length, 0);
  const others = runs.slice(1);
  const same = others.filter((other) => provisioningOf(other) === provisioningOf(run)).map((other) => other.label);
  const differ = others.filter((other) => !same.includes(other.label)).map((other) => other.label);
  const notes = [
    cold.length > 0 ? `a black diamond at a bar's end: a cold start (jobs waited for that replica), ${formatNumber(cold.length)}` : "no cold start",
    notReady > 0 ? `${formatNumber(notReady)} not ready by the end of the run (bar cut there)` : "",
    atStart > 0 ? `${formatNumber(atStart)} replica(s) ready at the start not drawn` : "",
    rows.length > drawn.length
      ? `the first ${drawn.length} of ${formatNumber(rows.length)} by request time are drawn; the ${formatNumber(rows.length - drawn.length)} requested from ${requestTime(rows[drawn.length].record.requestedAtMs, timeAxisUnit(results).divisor, timeAxisUnit(results).unit)} on are not`
      : "",
    pending > 0 ? `${formatNumber(pending)} replica(s) still pending at the end, placed on no node, are not drawn (see the deployments table)` : "",
    same.length > 0 ? `the same replicas in ${same.join(", ")}` : "",
    differ.length > 0 ? `${differ.join(", ")} provisioned differently (results.json has their records)` : "",
  ].filter((note) => note !== "");
  return {
    kind: "chart",
    spec,
    caption: `${runs.length > 1 ? `Run ${run.label}: e` : "E"}ach replica provisioned during the run (a row, labelled with the time it was wanted and its node), from the moment it was wanted to ready: pending (on no node yet), image pull (layers not cached on the node), container start and model load. ${notes.join("; ")}.`,
  };
}
