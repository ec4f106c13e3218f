import type { LlmResults, LlmRunResults } from "../llm/llm-results.js";
import type { Results as ResultsV1, SchedulerResults } from "./results.js";
import { RESULTS_SCHEMA, type JobCounts, type NodeDescription, type Results, type RunResults } from "./results-schema.js";

/*
 * Results files of before issue 13, converted to results@2 when read: `continuum-sim/results@1`
 * (frames) and `continuum-sim/llm-results@1` (language-model queries). Pure functions: the numbers
 * are copied, never recomputed, so a converted file says what the old run measured. Three things
 * the old files do not record are stated here once:
 * - the window: old files averaged rates over [warmup, duration + drain) and said so in
 *   window.measuredMs; the converted file keeps that measuredMs, the window its figures are over
 *   (results@2 files have measuredMs = duration - warmup);
 * - a frame node's role (edge or cloud): converted as "edge"; device groups of frame files: none;
 * - per device group of an llm file, only the violation rate is recorded: late and violations are
 *   derived from it assuming no unfinished late query (the rate itself is copied).
 * Files older than results@1 with time series (no `lost`, `faults`, ...) convert with those empty.
 * Neither old format modelled shared links or moving devices: `links` and `mobility` are null.
 */

export const LEGACY_RESULTS_SCHEMA = "continuum-sim/results@1";
export const LEGACY_LLM_RESULTS_SCHEMA = "continuum-sim/llm-results@1";

const UNITS: Results["units"] = { time: "ms", rate: "per s", money: "USD", energy: "J", tokens: "tokens" };

/** A frame-only results@1 file as results@2. */
export function convertResultsV1(old: ResultsV1): Results {
  return {
    schema: RESULTS_SCHEMA,
    simulator: { name: "continuum-sim", version: old.simulator.version },
    scenario: {
      name: old.scenario.name,
      description: old.scenario.description,
      hash: old.scenario.hash,
      devices: old.scenario.devices,
      groups: [],
      nodes: old.scenario.nodes.map(
        (node): NodeDescription => ({ id: node.id, profile: node.profile, role: "edge", sharing: "isolated", services: [{ type: "slots", path: node.path, slots: node.slots, unit: node.path }] }),
      ),
    },
    seed: old.seed,
    units: UNITS,
    window: { ...old.window },
    qos: { frameDeadlineMs: old.qosDeadlineMs, ttftDeadlineMs: null, totalDeadlineMs: null },
    quantiles: { method: old.quantiles.method, relativeError: old.quantiles.relativeError, timeSeriesRelativeError: old.quantiles.timeSeriesRelativeError ?? old.quantiles.relativeError },
    network: old.network ?? { devices: [], nodes: [], nominalLatencyMs: [] },
    runs: old.runs.map(convertSchedulerRun),
  };
}

function convertSchedulerRun(run: SchedulerResults): RunResults {
  // What frames called "dropped" (a full queue refused it) is "refused" in results@2; no frame policy drops.
  const jobs: JobCounts = {
    generated: run.requests.generated,
    completed: run.requests.completed,
    dropped: 0,
    refused: run.requests.dropped,
    lost: run.requests.lost ?? 0,
    unfinished: run.requests.unfinished,
    late: run.qos.late,
    unfinishedLate: run.qos.unfinishedLate ?? 0,
    violations: run.qos.violations,
    violationRate: run.qos.violationRate,
  };
  return {
    label: run.label,
    policies: { frames: run.scheduler, queries: null },
    learned: run.learned ?? false,
    policyStatistics: { ...(run.schedulerStatistics ?? {}) },
    jobs,
    nodes: run.nodes.map(({ id, downMs, energyJ, ...node }) => ({
      id,
      downMs: downMs ?? 0,
      energyJ: energyJ ?? null,
      utilisation: node.utilisation,
      // results@1's node "dropped" was a full queue: refused in results@2.
      frames: { ...node, lost: node.lost ?? 0, dropped: 0, refused: node.dropped },
      llm: null,
    })),
    groups: [],
    faults: run.faults ?? [],
    migrations: run.migrations ?? [],
    timeInViolationMs: run.qos.timeInViolationMs ?? null,
    frames: {
      jobs,
      throughput: run.throughput,
      latency: run.latency,
      latencyCdf: run.latencyCdf ?? [],
      local: run.local ?? null,
      timeSeries: {
        binMs: run.timeSeries?.binMs ?? 1000,
        bins: (run.timeSeries?.bins ?? []).map((bin) => ({ ...bin, dropped: 0, refused: bin.dropped, lost: bin.lost ?? 0, unfinishedLate: bin.unfinishedLate ?? 0 })),
      },
    },
    queries: null,
    links: null,
    mobility: null,
    control: null,
    applications: null,
    events: run.events,
  };
}

/** A language-model llm-results@1 file as results@2. */
export function convertLlmResultsV1(old: LlmResults): Results {
  const qos = old.runs[0].qos;
  return {
    schema: RESULTS_SCHEMA,
    simulator: { name: "continuum-sim", version: old.simulator.version },
    scenario: {
      name: old.scenario.name,
      description: old.scenario.description,
      hash: old.scenario.hash,
      devices: old.scenario.devices,
      groups: old.runs[0].groups.map((group) => ({ id: group.group, devices: group.devices, families: ["queries"] })),
      nodes: old.scenario.nodes.map(
        ({ id, profile, role, path, ...serving }): NodeDescription => ({
          id,
          profile,
          role: role === "cloud" ? "cloud" : "edge",
          sharing: "isolated",
          services: [{ type: "llm", path, unit: path, ...serving }],
        }),
      ),
    },
    seed: old.seed,
    units: UNITS,
    window: { ...old.window },
    qos: { frameDeadlineMs: null, ttftDeadlineMs: qos.ttftDeadlineMs, totalDeadlineMs: qos.totalDeadlineMs },
    quantiles: { method: old.quantiles.method, relativeError: old.quantiles.relativeError, timeSeriesRelativeError: old.quantiles.relativeError },
    network: { devices: [], nodes: [], nominalLatencyMs: [] },
    runs: old.runs.map(convertRouterRun),
  };
}

function convertRouterRun(run: LlmRunResults): RunResults {
  const { router, label, queries: counts, qos, nodes, groups, faults, routerStatistics, events, ...rest } = run;
  const jobs: JobCounts = {
    ...counts,
    dropped: 0,
    late: qos.late,
    unfinishedLate: qos.unfinishedLate,
    violations: qos.violations,
    violationRate: qos.violationRate,
  };
  const history = routerStatistics.thresholdHistory;
  return {
    label,
    policies: { frames: null, queries: router },
    // Learned routers are the ones that record how their threshold moved.
    learned: Array.isArray(history) && history.length > 0,
    policyStatistics: { ...routerStatistics },
    jobs,
    nodes: nodes.map(({ id, downMs, energyJ, ...node }) => ({ id, downMs, energyJ, utilisation: node.utilisation, frames: null, llm: node })),
    groups: groups.map(({ group, devices, queries, violationRate, ...rest }) => {
      const ended = queries.completed + queries.refused + queries.lost;
      const violations = violationRate === null ? 0 : Math.round(violationRate * ended);
      const groupJobs: JobCounts = {
        ...queries,
        dropped: 0,
        late: Math.max(0, violations - queries.refused - queries.lost),
        unfinishedLate: 0,
        violations,
        violationRate,
      };
      return { group, devices, jobs: groupJobs, frames: null, queries: rest };
    }),
    faults,
    migrations: [],
    timeInViolationMs: null,
    frames: null,
    queries: { ...rest, jobs },
    links: null,
    mobility: null,
    control: null,
    applications: null,
    events,
  };
}
