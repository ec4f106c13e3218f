import type { FaultResult, Results } from "../metrics/results.js";
import { STAGES, type Stage } from "../metrics/stage-stats.js";
import { formatDuration } from "../random/duration.js";

const STAGE_LABELS: Record<Stage, string> = {
  networkUp: "network up",
  queueing: "queueing",
  preprocessing: "preprocessing",
  inference: "inference",
  networkDown: "network down",
  total: "total",
};

/** A readable per-scheduler, per-stage table of a results object. */
export function formatSummary(results: Results): string {
  const lines: string[] = [];
  const window = results.window;
  lines.push(
    `${results.scenario.name}: ${results.scenario.devices} devices, ${results.scenario.nodes.length} nodes, ` +
      `seed ${results.seed}, ${formatDuration(window.durationMs)} simulated` +
      `${window.warmupMs > 0 ? ` (warm-up ${formatDuration(window.warmupMs)})` : ""}, QoS deadline ${formatDuration(results.qosDeadlineMs)}`,
  );
  lines.push(`scenario hash ${results.scenario.hash.slice(0, 16)}; quantiles within ${results.quantiles.relativeError * 100}% relative error`);
  for (const run of results.runs) {
    lines.push("");
    const rate = run.qos.violationRate === null ? "n/a" : `${(run.qos.violationRate * 100).toFixed(2)}%`;
    lines.push(
      `${run.label}: ${run.requests.completed} completed, ${run.requests.dropped} dropped, ${run.requests.lost} lost, ${run.requests.unfinished} unfinished; ` +
        `${run.throughput.toFixed(2)} req/s; QoS violations ${run.qos.violations} (${rate})`,
    );
    const header = ["stage (ms)", "mean", "p50", "p95", "p99", "max"];
    const rows = STAGES.map((stage) => {
      const s = run.latency[stage];
      return [STAGE_LABELS[stage], num(s.mean), num(s.p50), num(s.p95), num(s.p99), num(s.max)];
    });
    lines.push(...table([header, ...rows]));
    const nodeRows = run.nodes.map((node) => [
      `  ${node.id}`,
      String(node.completed),
      String(node.lost),
      node.downMs > 0 ? `${(node.downMs / 1000).toFixed(1)} s` : "-",
      `${(node.utilisation * 100).toFixed(1)}%`,
      node.meanQueueLength.toFixed(2),
      num(node.latency.total.mean),
      num(node.latency.total.p95),
    ]);
    lines.push(...table([["node", "completed", "lost", "down", "util.", "mean queue", "mean total", "p95 total"], ...nodeRows]));
    for (const fault of run.faults) lines.push(`  ${formatFault(fault)}`);
  }
  return lines.join("\n");
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
