import type { ReplicaStep } from "../control/types.js";
import { controlRuns } from "./chart.js";
import { escapeHtml } from "./html-page.js";
import { table } from "./query-tables.js";
import type { ReportResults } from "./results-input.js";

/*
 * The report's tables of issue 17's run section (runs[].control, docs/control-plane.md): one row
 * per deployment of each run, the catalog's counts per run, and the nodes that joined or left.
 * There only when some run has a control plane.
 */

const DEPLOYMENTS_NOTE =
  "Ready replicas over the measurement window (the lowest, the time average and the highest); scaling: the autoscaler's decisions that changed the desired count; provisioned: replicas started during the run " +
  "(not those ready at the start); cold starts: jobs that waited for a replica after scale to zero, and their mean wait; pending: replicas placed on no node, with the scheduler's reason (the first one).";

const CATALOG_NOTE =
  "Stale: jobs sent to a node whose service was gone (a late view of the catalog), counted lost in the job counts too; discovery: the devices' catalog queries and the mean time a job waited for an answer.";

const MEMBERSHIP_NOTE = "Nodes of the timeline: when each left and joined, and the time from each join to its first ready replica.";

/** Seconds with one decimal: the control plane's times are seconds to minutes. */
function seconds(ms: number | null): string {
  return ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Ready replicas over [fromMs, toMs): the count in force at `fromMs` (0 before the first step) and
 * at every change inside, and its time average (the step function integrated over the window).
 */
export function readyOverWindow(steps: readonly ReplicaStep[], fromMs: number, toMs: number): { min: number; mean: number; max: number } {
  let current = 0;
  let at = fromMs;
  let integral = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const step of steps) {
    if (step.atMs >= toMs) break;
    if (step.atMs > at) {
      integral += current * (step.atMs - at);
      min = Math.min(min, current);
      max = Math.max(max, current);
      at = step.atMs;
    }
    current = step.ready;
  }
  integral += current * (toMs - at);
  min = Math.min(min, current);
  max = Math.max(max, current);
  return { min, mean: toMs > fromMs ? integral / (toMs - fromMs) : current, max };
}

export function controlSections(results: ReportResults): string[] {
  const runs = controlRuns(results);
  if (runs.length === 0) return [];
  const { warmupMs, durationMs } = results.window;
  const deployments = table(
    "control-deployments-table",
    ["label", "deployment", "family", "ready min", "ready mean", "ready max", "scaling", "provisioned", "cold-start jobs", "mean wait", "pending", "pending reason"],
    runs.flatMap((run) =>
      run.control.deployments.map((d) => {
        const ready = readyOverWindow(d.replicas, warmupMs, durationMs);
        const provisioned = d.provisioning.filter((p) => p.readyAtMs === null || p.readyAtMs > p.requestedAtMs).length;
        return [
          escapeHtml(run.label),
          escapeHtml(d.id),
          d.family,
          String(ready.min),
          ready.mean.toFixed(2),
          String(ready.max),
          String(d.scaleEvents),
          String(provisioned),
          String(d.coldStarts.jobs),
          seconds(d.coldStarts.meanWaitMs),
          String(d.pending.length),
          d.pending.length === 0 ? "–" : escapeHtml(d.pending[0].reason),
        ];
      }),
    ),
  );
  const catalog = table(
    "control-catalog-table",
    ["label", "registrations", "deregistrations", "stale rejected", "discovery queries", "mean discovery wait"],
    runs.map((run) => {
      const c = run.control.catalog;
      return [
        escapeHtml(run.label),
        String(c.registrations),
        String(c.deregistrations),
        String(c.staleRejected),
        String(c.discoveryQueries),
        c.discoveryQueries === 0 ? "–" : `${(c.discoveryWaitMs / c.discoveryQueries).toFixed(1)} ms`,
      ];
    }),
  );
  const sections = [`<h2>Control plane</h2>\n${deployments}\n<p><small>${escapeHtml(DEPLOYMENTS_NOTE)}</small></p>\n${catalog}\n<p><small>${escapeHtml(CATALOG_NOTE)}</small></p>`];
  const members = runs.flatMap((run) =>
    run.control.membership.map((m) => [
      escapeHtml(run.label),
      escapeHtml(m.node),
      m.leftAtMs.length === 0 ? "–" : m.leftAtMs.map(seconds).join(", "),
      m.joinedAtMs.length === 0 ? "–" : m.joinedAtMs.map(seconds).join(", "),
      m.joinToServingMs.length === 0 ? "–" : m.joinToServingMs.map((ms) => (ms === null ? "never" : seconds(ms))).join(", "),
    ]),
  );
  if (members.length > 0) {
    sections.push(
      `<h3>Node membership</h3>\n${table("control-membership-table", ["label", "node", "left at", "joined at", "join to serving"], members)}\n<p><small>${escapeHtml(MEMBERSHIP_NOTE)}</small></p>`,
    );
  }
  return sections;
}
