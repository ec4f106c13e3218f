import { getHeapStatistics } from "node:v8";
import { InputError, type InputIssue } from "../errors.js";
import { MAX_PENDING_EVENTS } from "../engine/event-slots.js";
import { RandomStreams } from "../engine/rng.js";
import { MAX_CLOCK_MS } from "../engine/simulator.js";
import type { LlmRouterEntry, LlmWorkload } from "../llm/resolved.js";
import { meanOf, type CompiledDistribution } from "../random/distributions.js";
import { formatYears } from "../random/duration.js";
import type { ResolvedFault } from "../scenario/resolved.js";
import type { DagWorkload, FrameWorkload, QueryWorkload, ResolvedDevice, ResolvedScenario } from "../scenario/resolved-scenario.js";
import { modelTimeIssues } from "./model-times.js";

/**
 * What a scenario will cost before it runs: events (time) and state (memory). A scenario that
 * cannot finish or fit is refused before any work, with the estimate and the knob to change.
 * One estimator for every workload family; test/run/work-estimate.test.ts checks it against the
 * events the shipped scenarios actually process.
 */

/**
 * Events a run may need before it is refused (--max-events). Throughput measured through the CLI
 * with the shipped scenarios on a 2-core machine shared with other jobs (load 5-6), start-up
 * included: cost-at-scale 1.34 M events in 2.9 s, heterogeneous-cluster 1.40 M in 2.5 s and, run
 * for 20 min of simulated time, 5.6 M in 6.3 s: 0.5-0.9 million events/s. 2e9 events is 40-65
 * minutes: about an hour of wall time.
 */
export const DEFAULT_MAX_EVENTS = 2e9;
/** The measured throughput the messages convert events to wall time with (see DEFAULT_MAX_EVENTS). */
const MEASURED_EVENTS_PER_S = 600_000;

/** Events per request of a video/arrivals/trace run: 3.7-6.0 measured on the shipped scenarios (arrival, up, service, down...). */
const EDGE_EVENTS_PER_REQUEST = 5;
/** Events per language-model query (or pipeline attempt): 6.2-8.2 measured on the shipped scenarios. */
const LLM_EVENTS_PER_QUERY = 7;
/**
 * Events per job of an application graph beyond its stages and edges: its arrival. Each stage's
 * end is one event, each edge between two places one (its last byte; none between a place and
 * itself): measured 8.0 per job (1 + 3 stages + 4 edges) on three M/M/1 stages on three nodes
 * (test/world/dag-traffic.test.ts), so 1 + stages + edges is the estimate (an upper bound).
 */
const DAG_EVENTS_PER_JOB_BASE = 1;

/**
 * State per device and per link object, bytes, measured (test/run/work-estimate-memory.test.ts
 * checks these against the live memory of a run). Frames: 588 B a device of peak RSS between
 * 1,000 and 1,000,000 devices x 100 nodes (`npm run bench -- scale`, 2026-12-02, after the
 * members of a device group came to share their workload objects), rounded up; it includes the
 * link streams the scale model's requests create. Language models: 2,160 B a device between 2,000
 * and 100,000 devices of a query workload (edge-first, an edge node and the cloud), rounded up to
 * cover an on-device model (about 360 B more when last measured). A link object (a graph, or a star
 * with capacities or other vertices: one per device-node pair, its routes and per-link state): 351 B
 * of peak RSS a link between 100,000 and 1,000,000 links (the scale model with a capacity on one
 * link entry), rounded up.
 */
export const BYTES_PER_DEVICE = { frames: 600, queries: 2500 } as const;
export const BYTES_PER_LINK = 360;
/** Per trace row: edge keeps its arrival times (8 B, copied per device); a language-model run also its tokens and one scheduled closure per row (estimated). */
const BYTES_PER_TRACE_ROW = { edge: 16, llm: 200 } as const;
const ARRIVALS_ADVICE = "lower the rate or the device count, or shorten the duration";
const TRACE_ADVICE = "replay fewer rows (a shorter duration or trace)";
/** Share of the V8 heap limit the estimated state may take: the rest holds results, sketches, queues and garbage-collector headroom. */
const HEAP_SHARE = 0.5;

/** One source of events, named by the JSON path of what sets it. */
export interface WorkContribution {
  readonly path: string;
  readonly value: unknown;
  /** Events per policy run. */
  readonly events: number;
  /** How the events were counted, in words. */
  readonly how: string;
  /** What to change in the scenario to need fewer. */
  readonly advice: string;
}

export interface WorkEstimate {
  /** Policy runs, each simulating the whole scenario. */
  readonly runs: number;
  /** Events over all runs. */
  readonly events: number;
  /** Of the state, the trace rows' bytes. */
  readonly traceBytes: number;
  readonly devices: number;
  readonly nodes: number;
  /** Link objects of the resolved network (none for a star of direct links only, held per row of devices). */
  readonly links: number;
  /** State per device: the language-model figure when any device has a query workload. */
  readonly bytesPerDevice: number;
  /** Largest first (per run). */
  readonly contributions: readonly WorkContribution[];
}

/** The --max-events value to use: the default when absent; a positive number (Infinity: no limit) otherwise. */
export function resolveMaxEvents(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_EVENTS;
  if (!(value > 0)) throw new InputError("--max-events", [{ path: "", value, expected: `a positive number of events (default ${DEFAULT_MAX_EVENTS})` }]);
  return value;
}

/**
 * Checks a scenario document before its device groups are expanded (called by the resolver
 * right after the schema): the state of every device and link must fit in memory, each
 * device holds at least one pending event, and the clock must keep its resolution to the end.
 */
export function scenarioScaleIssues(doc: { duration: number; drain?: number; devices: readonly { count?: number }[]; nodes: readonly unknown[] }): InputIssue[] {
  const issues: InputIssue[] = [];
  const end = doc.duration + (doc.drain ?? 0);
  if (end > MAX_CLOCK_MS) {
    const path = doc.duration > MAX_CLOCK_MS || doc.drain === undefined ? "duration" : "drain";
    issues.push({
      path,
      value: path === "duration" ? doc.duration : doc.drain,
      expected: `a duration${doc.drain === undefined ? "" : " plus drain"} of at most ${MAX_CLOCK_MS} ms (${formatYears(MAX_CLOCK_MS)}): beyond it the simulated clock cannot tell microseconds apart`,
    });
  }
  const counts = doc.devices.map((device) => device.count ?? 1);
  const devices = counts.reduce((sum, count) => sum + count, 0);
  const largest = counts.reduce((best, count, i) => (count > counts[best] ? i : best), 0);
  const where = { path: counts[largest] === 1 ? "devices" : `devices[${largest}].count`, value: counts[largest] === 1 ? `${devices} devices` : counts[largest] };
  // Before expansion neither the families' mix nor the link objects are known: the smaller per-device figure, and the
  // links are counted after resolving (checkWork), where their number is.
  const memory = memoryIssue(devices, BYTES_PER_DEVICE.frames, 0, 0, where);
  if (memory !== undefined) issues.push(memory);
  else if (devices > MAX_PENDING_EVENTS) {
    issues.push({
      ...where,
      expected: `at most ${MAX_PENDING_EVENTS} devices in all (each keeps its next arrival pending in the event queue, which holds ${MAX_PENDING_EVENTS}); the scenario has ${devices}`,
    });
  }
  return issues;
}

/**
 * The estimate of a scenario over all its policy runs, every workload family: frames cost
 * EDGE_EVENTS_PER_REQUEST events each, queries LLM_EVENTS_PER_QUERY (pipeline attempts depend on
 * each run's router, so runs are estimated one by one); health checks, crash cycles and, with
 * frames, the QoS monitor's ticks come on top.
 */
export function estimateWork(scenario: ResolvedScenario): WorkEstimate {
  const means = new MeanCache();
  const endMs = scenario.durationMs + scenario.drainMs;
  let traceBytes = 0;
  for (const device of scenario.devices) {
    for (const w of device.workloads) {
      if (w.family === "frames") traceBytes += (w.arrivalTimes?.length ?? 0) * BYTES_PER_TRACE_ROW.edge;
      else if (w.type === "query-trace") traceBytes += w.times.length * BYTES_PER_TRACE_ROW.llm;
    }
  }
  const groups = deviceGroups(scenario.devices);
  const perRun = scenario.policies.map((entry) => {
    const contributions: WorkContribution[] = [];
    for (const group of groups) {
      group.members[0].workloads.forEach((w, k) => {
        const path = `devices[${group.position}].workloads[${k}]`;
        contributions.push(
          w.family === "frames"
            ? frameWork(scenario, group.members, k, path, means)
            : w.family === "applications"
              ? dagWork(scenario, group.members.length, w, path, means)
              : queryWork(scenario, group.members, k, path, entry.queries, means),
        );
      });
    }
    // Counted for every run, though only schedulers that migrate sessions monitor: an over-estimate of ticks.
    if (scenario.families.frames) contributions.push(periodic("monitor.interval", scenario.monitor.intervalMs, 1, endMs, "QoS checks", "a longer monitor.interval"));
    contributions.push(...faultWork(scenario.faults, scenario.nodes.length, scenario.healthCheckIntervalMs, endMs, means));
    return contributions;
  });
  const events = perRun.reduce((sum, contributions) => sum + total(contributions), 0);
  const largest = perRun.reduce((a, b) => (total(b) > total(a) ? b : a), perRun[0] ?? []);
  return {
    runs: perRun.length,
    events,
    traceBytes,
    devices: scenario.devices.length,
    nodes: scenario.nodes.length,
    links: scenario.network.links.length,
    bytesPerDevice: scenario.families.queries ? BYTES_PER_DEVICE.queries : BYTES_PER_DEVICE.frames,
    contributions: [...largest].sort((a, b) => b.events - a.events),
  };
}

/**
 * Refuses a scenario whose run would not finish or fit, or whose derived times overflow
 * (model-times.ts): `simulate` and `simulate validate` call this one check, so they refuse alike.
 */
export function checkWork(scenario: ResolvedScenario, options: { maxEvents?: number; source?: string } = {}): void {
  refuseExcessiveWork(estimateWork(scenario), resolveMaxEvents(options.maxEvents), options.source ?? `scenario "${scenario.name}"`, modelTimeIssues(scenario));
}

/** A frame workload of a device group: its rate (or its trace rows) x events per request. */
function frameWork(scenario: ResolvedScenario, members: readonly ResolvedDevice[], k: number, path: string, means: MeanCache): WorkContribution {
  const w = members[0].workloads[k] as FrameWorkload;
  const count = members.length;
  if (w.type === "trace") {
    let rows = 0;
    for (const device of members) rows += countBelow((device.workloads[k] as FrameWorkload).arrivalTimes, scenario.durationMs, 1);
    return { path: `${path}.file`, value: `${rows} rows`, events: rows * EDGE_EVENTS_PER_REQUEST, how: `${rows} trace rows x ${EDGE_EVENTS_PER_REQUEST} events per request`, advice: TRACE_ADVICE };
  }
  const video = w.type === "video";
  const gapMs = video ? (w.periodMs as number) : means.of(w.interarrival as CompiledDistribution);
  const perSecond = 1000 / gapMs;
  const seconds = scenario.durationMs / 1000;
  return {
    path: `${path}.${video ? "fps" : "interarrival"}`,
    value: video ? round(perSecond) : `mean ${round(gapMs)} ms`,
    events: count * perSecond * seconds * EDGE_EVENTS_PER_REQUEST,
    how: `${count} device${count === 1 ? "" : "s"} x ${round(perSecond)} requests/s x ${round(seconds)} s x ${EDGE_EVENTS_PER_REQUEST} events per request`,
    advice: ARRIVALS_ADVICE,
  };
}

/**
 * A dag workload of a device group: jobs x (1 + station stages + query attempts x events per query
 * + edges) events. A query stage's attempts are as many as it is expected to take were every job
 * to reach it (an upper bound: a job that failed earlier never does).
 */
function dagWork(scenario: ResolvedScenario, count: number, w: DagWorkload, path: string, means: MeanCache): WorkContribution {
  const app = (scenario.applications ?? [])[w.application];
  let stations = 0;
  let queryAttempts = 0;
  for (const stage of app.stages) {
    if (stage.query === undefined) stations++;
    else queryAttempts += expectedAttempts(stage.query.successProbability, stage.maxAttempts);
  }
  const perJob = DAG_EVENTS_PER_JOB_BASE + stations + queryAttempts * LLM_EVENTS_PER_QUERY + app.edges.length;
  const gapMs = w.periodMs ?? means.of(w.interarrival as CompiledDistribution);
  const perSecond = 1000 / gapMs;
  const seconds = scenario.durationMs / 1000;
  return {
    path: `${path}.${w.periodMs === undefined ? "interarrival" : "fps"}`,
    value: w.periodMs === undefined ? `mean ${round(gapMs)} ms` : round(perSecond),
    events: count * perSecond * seconds * perJob,
    how:
      `${count} device${count === 1 ? "" : "s"} x ${round(perSecond)} jobs/s x ${round(seconds)} s x ${round(perJob)} events per job ` +
      `(1 + ${stations} stages${stations === app.stages.length ? "" : ` + ${round(queryAttempts)} query attempts x ${LLM_EVENTS_PER_QUERY}`} + ${app.edges.length} edges)`,
    advice: ARRIVALS_ADVICE,
  };
}

/** A query workload of a device group under one run's router: arrivals (or trace rows) x queries each x events per query. */
function queryWork(scenario: ResolvedScenario, members: readonly ResolvedDevice[], k: number, path: string, router: LlmRouterEntry | undefined, means: MeanCache): WorkContribution {
  const w = members[0].workloads[k] as QueryWorkload;
  const count = members.length;
  if (w.type === "query-trace") {
    let rows = 0;
    for (const device of members) rows += countBelow((device.workloads[k] as Extract<QueryWorkload, { type: "query-trace" }>).times, scenario.durationMs, scenario.loadScale);
    return { path: `${path}.file`, value: `${rows} rows`, events: rows * LLM_EVENTS_PER_QUERY, how: `${rows} trace rows x ${LLM_EVENTS_PER_QUERY} events per query`, advice: TRACE_ADVICE };
  }
  // Candidate arrivals (thinned by an hourly profile) are events of their own; queries cost the rest.
  const perSecond = (1000 / means.of(w.interarrival)) * scenario.loadScale;
  const kept = w.type === "queries" && w.hourlyAcceptance !== undefined ? w.hourlyAcceptance.reduce((a, b) => a + b, 0) / w.hourlyAcceptance.length : 1;
  const queriesPerArrival = w.type === "pipeline" ? attemptsPerJob(w, router) : kept;
  const seconds = scenario.durationMs / 1000;
  const arrivals = count * perSecond * seconds;
  const unit = w.type === "pipeline" ? "jobs" : "arrivals";
  return {
    path: w.type === "pipeline" ? `${path}.interarrival` : path,
    value: `${round(perSecond)} ${unit}/s per device`,
    events: arrivals * (1 + queriesPerArrival * (LLM_EVENTS_PER_QUERY - 1)),
    how:
      `${count} device${count === 1 ? "" : "s"} x ${round(perSecond)} ${unit}/s x ${round(seconds)} s` +
      `${queriesPerArrival === 1 ? "" : ` x ${round(queriesPerArrival)} queries each`} x ${LLM_EVENTS_PER_QUERY} events per query`,
    advice: ARRIVALS_ADVICE,
  };
}

/**
 * Refuses an estimate above the limits: events above `maxEvents`, state above the heap share;
 * with the scenario's other problems found before the run (`known`: model-times.ts), in one
 * message. `source` names the scenario.
 */
export function refuseExcessiveWork(estimate: WorkEstimate, maxEvents: number, source: string, known: readonly InputIssue[] = []): void {
  const issues: InputIssue[] = [...known];
  if (!(estimate.events <= maxEvents)) {
    const top = estimate.contributions[0];
    const hours = estimate.events / MEASURED_EVENTS_PER_S / 3600;
    const perRun = estimate.contributions.reduce((sum, c) => sum + c.events, 0);
    issues.push({
      path: top.path,
      value: top.value,
      expected:
        `a run of at most ${formatCount(maxEvents)} events (--max-events): this scenario needs about ${formatCount(estimate.events)} events ` +
        `(${estimate.runs} polic${estimate.runs === 1 ? "y run" : "y runs"} x ${formatCount(perRun)}, most of them from ${top.path}: ${top.how}), ` +
        `${Number.isFinite(hours) ? `about ${formatHours(hours)} at the measured ${formatCount(MEASURED_EVENTS_PER_S)} events/s` : "which never ends"}; ` +
        (Number.isFinite(estimate.events) ? `${top.advice}, or raise --max-events (default ${formatCount(DEFAULT_MAX_EVENTS)}, about an hour)` : top.advice),
    });
  }
  const memory = memoryIssue(estimate.devices, estimate.bytesPerDevice, estimate.links, estimate.traceBytes, { path: "devices", value: `${estimate.devices} devices` });
  if (memory !== undefined) issues.push(memory);
  if (issues.length > 0) throw new InputError(source, issues);
}

/** The V8 heap limit, bytes (raised with NODE_OPTIONS=--max-old-space-size=MiB). */
function heapLimitBytes(): number {
  return getHeapStatistics().heap_size_limit;
}

function memoryIssue(devices: number, bytesPerDevice: number, links: number, traceBytes: number, where: { path: string; value: unknown }): InputIssue | undefined {
  const bytes = devices * bytesPerDevice + links * BYTES_PER_LINK + traceBytes;
  const limit = heapLimitBytes();
  if (bytes <= limit * HEAP_SHARE) return undefined;
  return {
    ...where,
    expected:
      `a scenario whose state fits in memory: ${devices} devices${links > 0 ? ` and ${links} links` : ""} need about ${formatBytes(bytes)} ` +
      `(${bytesPerDevice} B per device${links > 0 ? ` + ${BYTES_PER_LINK} B per link` : ""}${traceBytes > 0 ? ` + ${formatBytes(traceBytes)} of trace rows` : ""}), ` +
      `above ${HEAP_SHARE * 100}% of the ${formatBytes(limit)} JavaScript heap limit; use fewer devices or nodes, or raise the limit with NODE_OPTIONS=--max-old-space-size=<MiB>`,
  };
}

/** Health checks and crash cycles: only scheduled when the scenario has faults (world/faults.ts). */
function faultWork(faults: readonly ResolvedFault[], nodes: number, healthCheckIntervalMs: number, endMs: number, means: MeanCache): WorkContribution[] {
  if (faults.length === 0) return [];
  const work: WorkContribution[] = [periodic("healthCheck.interval", healthCheckIntervalMs, nodes, endMs, "health checks", "a longer healthCheck.interval")];
  for (const fault of faults) {
    if (fault.kind !== "crashes") continue;
    const cycleMs = means.of(fault.mtbf) + means.of(fault.mttr);
    work.push({
      path: `faults[${fault.index}]`,
      value: `a crash cycle of ${round(cycleMs)} ms`,
      events: (2 * endMs) / cycleMs,
      how: `a crash and a recovery every ${round(cycleMs)} ms (mean mtbf + mttr) for ${round(endMs / 1000)} s`,
      advice: "use a longer mtbf or mttr",
    });
  }
  return work;
}

function periodic(path: string, intervalMs: number, copies: number, endMs: number, what: string, advice: string): WorkContribution {
  return {
    path,
    value: `${intervalMs} ms`,
    events: (copies * endMs) / intervalMs,
    how: `${copies === 1 ? "" : `${copies} x `}${what} every ${intervalMs} ms for ${round(endMs / 1000)} s`,
    advice: `use ${advice}`,
  };
}

/** Expected LLM exchanges per pipeline job: stage s is attempted until it passes or its attempts run out. */
function attemptsPerJob(workload: Extract<LlmWorkload, { type: "pipeline" }>, entry: LlmRouterEntry | undefined): number {
  let reach = 1;
  let attempts = 0;
  for (const stage of workload.stages) {
    const m = entry?.pipelineMaxAttempts ?? stage.maxAttempts;
    attempts += reach * expectedAttempts(stage.successProbability, m);
    reach *= 1 - (1 - stage.successProbability) ** m;
  }
  return attempts;
}

/** Expected attempts of a stage tried until it passes (probability p each time) or m attempts are spent. */
function expectedAttempts(p: number, m: number): number {
  const fail = 1 - p;
  return fail === 1 ? m : (1 - fail ** m) / (1 - fail);
}

/** Device groups in scenario order, with their position in the document's devices list. */
function deviceGroups<D extends { group: string }>(devices: readonly D[]): { position: number; members: D[] }[] {
  const groups: { position: number; members: D[] }[] = [];
  for (const device of devices) {
    const last = groups[groups.length - 1];
    if (last !== undefined && device.group === (last.members[0] as D).group) last.members.push(device);
    else groups.push({ position: groups.length, members: [device] });
  }
  return groups;
}

/** Rows of a trace that arrive before `endMs` (times divided by the load scale, as the worlds do). */
function countBelow(times: Float64Array | undefined, endMs: number, scale: number): number {
  if (times === undefined) return 0;
  let rows = 0;
  for (let i = 0; i < times.length; i++) if (times[i] / scale < endMs) rows++;
  return rows;
}

/** Means of distributions, estimated once each from a fixed private stream (deterministic). */
class MeanCache {
  private readonly streams = new RandomStreams("work-estimate");
  private readonly cache = new Map<CompiledDistribution, number>();

  of(distribution: CompiledDistribution): number {
    let mean = this.cache.get(distribution);
    if (mean === undefined) {
      mean = meanOf(distribution, this.streams.stream(`mean/${this.cache.size}`));
      this.cache.set(distribution, mean);
    }
    return mean;
  }
}

function total(contributions: readonly WorkContribution[]): number {
  return contributions.reduce((sum, c) => sum + c.events, 0);
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}

function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value >= 1e6 ? value.toExponential(2).replace("e+", "e") : String(Math.round(value));
}

function formatHours(hours: number): string {
  if (hours < 1 / 60) return `${Math.max(1, Math.round(hours * 3600))} s of wall time`;
  if (hours < 1) return `${Math.round(hours * 60)} min of wall time`;
  if (hours < 48) return `${round(hours)} h of wall time`;
  const years = hours / 24 / 365;
  return years < 1 ? `${Math.round(hours / 24)} days of wall time` : `${formatCount(round(years))} years of wall time`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${round(bytes / 2 ** 30)} GiB`;
  return `${round(bytes / 2 ** 20)} MiB`;
}
