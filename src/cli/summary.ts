import type { FaultResult } from "../metrics/results.js";
import type { Results, RunResults } from "../metrics/results-schema.js";
import { STAGES, type Stage } from "../metrics/stage-stats.js";
import { formatDuration } from "../random/duration.js";
import { readyOverWindow } from "../report/control-tables.js";
import { familiesOf } from "../report/families.js";
import { formatQuerySummary } from "./query-summary.js";

const STAGE_LABELS: Record<Stage, string> = {
  networkUp: "network up",
  queueing: "queueing",
  preprocessing: "preprocessing",
  inference: "inference",
  networkDown: "network down",
  total: "total",
};

/**
 * The one summary a run prints (results@2, any scenario): a header, then the frame lines
 * (per-stage table, nodes, faults) and the query lines (latency, money, privacy, quality, groups,
 * pipelines, nodes) for the families the runs have; a mixed scenario also gets every run's job counts.
 */
export function formatSummary(results: Results): string {
  const lines: string[] = [];
  const window = results.window;
  const q = results.qos;
  const deadlines = [
    q.frameDeadlineMs === null ? "" : `frames ${formatDuration(q.frameDeadlineMs)}`,
    q.ttftDeadlineMs === null ? "" : `TTFT ${formatDuration(q.ttftDeadlineMs)}`,
    q.totalDeadlineMs === null ? "" : `query total ${formatDuration(q.totalDeadlineMs)}`,
    // Each application's own end-to-end deadline (every run has the same applications).
    ...(results.runs[0]?.applications ?? []).map((app) => (app.deadlineMs === null ? "" : `application ${app.application} ${formatDuration(app.deadlineMs)}`)),
  ].filter((d) => d !== "");
  lines.push(
    `${results.scenario.name}: ${results.scenario.devices} devices, ${results.scenario.nodes.length} nodes, ` +
      `seed ${results.seed}, ${formatDuration(window.durationMs)} simulated` +
      `${window.warmupMs > 0 ? ` (warm-up ${formatDuration(window.warmupMs)})` : ""}; QoS deadlines ${deadlines.length === 0 ? "none" : deadlines.join(", ")}`,
  );
  lines.push(`scenario hash ${results.scenario.hash.slice(0, 16)}; quantiles within ${results.quantiles.relativeError * 100}% relative error`);
  const { frames, queries } = familiesOf(results);
  if (frames && queries) {
    lines.push("");
    lines.push(...table([["all jobs", "generated", "completed", "dropped", "refused", "lost", "unfinished", "violations"], ...results.runs.map(jobRow)]));
  }
  for (const run of results.runs) if (run.frames !== null) lines.push("", ...frameLines(run, run.frames));
  if (queries) lines.push("", ...formatQuerySummary(results));
  if (results.runs.some((run) => run.control !== null)) lines.push("", ...controlLines(results));
  if (results.runs.some((run) => run.applications !== null)) lines.push("", ...applicationLines(results));
  return lines.join("\n");
}

/** Applications as graphs (issue 17): per run, a line per application: jobs, end-to-end latency, and where each stage ran most. */
function applicationLines(results: Results): string[] {
  const lines: string[] = [];
  for (const run of results.runs) {
    for (const app of run.applications ?? []) {
      const j = app.jobs;
      const places = app.stages.map((stage) => {
        const top = stage.places.reduce<(typeof stage.places)[number] | undefined>((best, p) => (best === undefined || p.runs > best.runs ? p : best), undefined);
        return top === undefined ? `${stage.id} -` : `${stage.id}@${top.place}${top.share < 1 ? ` ${(top.share * 100).toFixed(0)}%` : ""}`;
      });
      lines.push(
        `${run.label}: application ${app.application}: ${j.completed}/${j.generated} jobs, ${app.failed === undefined ? "" : `${app.failed} failed, `}${j.lost} lost, ${j.unfinished} unfinished; latency mean ${num(app.latency.mean)} ms, p95 ${num(app.latency.p95)} ms; ` +
          `violations ${j.violations} (${rate(j.violationRate)}); ${places.join(", ")}`,
      );
    }
  }
  return lines;
}

/** The control plane (issue 17): per run, each deployment's ready replicas over the window and its provisioning, then the catalog's counts. */
function controlLines(results: Results): string[] {
  const lines: string[] = [];
  for (const run of results.runs) {
    if (run.control === null) continue;
    const c = run.control.catalog;
    lines.push(
      `${run.label}: control plane; catalog ${c.registrations} registrations, ${c.deregistrations} deregistrations, ${c.staleRejected} jobs rejected by a stale view, ${c.discoveryQueries} discovery queries`,
    );
    const rows = run.control.deployments.map((d) => {
      const ready = readyOverWindow(d.replicas, results.window.warmupMs, results.window.durationMs);
      const provisioned = d.provisioning.filter((p) => p.readyAtMs === null || p.readyAtMs > p.requestedAtMs).length;
      return [`  ${d.id}`, d.family, `${ready.min}-${ready.max}`, ready.mean.toFixed(2), String(d.scaleEvents), String(provisioned), String(d.coldStarts.jobs), String(d.pending.length)];
    });
    lines.push(...table([["deployment", "family", "ready", "mean ready", "scalings", "provisioned", "cold-start jobs", "pending"], ...rows]));
    for (const m of run.control.membership) {
      const events = [...m.leftAtMs.map((t) => ({ t, what: "left" })), ...m.joinedAtMs.map((t) => ({ t, what: "joined" }))].sort((a, b) => a.t - b.t);
      lines.push(`  ${m.node}: ${events.map((e) => `${e.what} at ${(e.t / 1000).toFixed(1)} s`).join(", ")}`);
    }
  }
  return lines;
}

function jobRow(run: RunResults): string[] {
  const j = run.jobs;
  return [`  ${run.label}`, String(j.generated), String(j.completed), String(j.dropped), String(j.refused), String(j.lost), String(j.unfinished), `${j.violations} (${rate(j.violationRate)})`];
}

function frameLines(run: RunResults, frames: NonNullable<RunResults["frames"]>): string[] {
  const lines: string[] = [];
  const jobs = frames.jobs;
  lines.push(
    `${run.label}: ${jobs.completed} completed, ${jobs.refused} refused, ${jobs.lost} lost, ${jobs.unfinished} unfinished; ` +
      `${frames.throughput.toFixed(2)} frames/s; QoS violations ${jobs.violations} (${rate(jobs.violationRate)})`,
  );
  const header = ["stage (ms)", "mean", "p50", "p95", "p99", "max"];
  const rows = STAGES.map((stage) => {
    const s = frames.latency[stage];
    return [STAGE_LABELS[stage], num(s.mean), num(s.p50), num(s.p95), num(s.p99), num(s.max)];
  });
  lines.push(...table([header, ...rows]));
  const nodeRows = run.nodes.flatMap((node) =>
    node.frames === null
      ? []
      : [
          [
            `  ${node.id}`,
            String(node.frames.completed),
            String(node.frames.lost),
            node.downMs > 0 ? `${(node.downMs / 1000).toFixed(1)} s` : "-",
            `${(node.frames.utilisation * 100).toFixed(1)}%`,
            node.frames.meanQueueLength.toFixed(2),
            num(node.frames.latency.total.mean),
            num(node.frames.latency.total.p95),
          ],
        ],
  );
  lines.push(...table([["node", "completed", "lost", "down", "util.", "mean queue", "mean total", "p95 total"], ...nodeRows]));
  if (run.migrations.length > 0) lines.push(`  ${run.migrations.length} migration${run.migrations.length === 1 ? "" : "s"}`);
  for (const fault of run.faults) lines.push(`  ${formatFault(fault)}`);
  return lines;
}

function rate(value: number | null): string {
  return value === null ? "n/a" : `${(value * 100).toFixed(2)}%`;
}

export function num(value: number | null): string {
  if (value === null) return "-";
  if (value === 0) return "0";
  if (Math.abs(value) >= 100) return value.toFixed(1);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

export function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ")}`);
}

/** "crash jetson: 52.0 s to 92.0 s, detected at 57.0 s". */
export function formatFault(fault: FaultResult): string {
  const end = fault.endMs === null ? "end of run" : `${(fault.endMs / 1000).toFixed(1)} s`;
  const detected = fault.detectedAtMs === undefined ? "" : fault.detectedAtMs === null ? ", not detected" : `, detected at ${(fault.detectedAtMs / 1000).toFixed(1)} s`;
  return `${fault.kind} ${fault.target}: ${(fault.startMs / 1000).toFixed(1)} s to ${end}${detected}`;
}
