import type { Uniform } from "../../engine/rng.js";
import type { QueryInfo, QueryRouter, RouteMode } from "../../llm/routers/types.js";
import { type QueryWorkload, type ResolvedDevice, type ResolvedScenario, streamPrefix } from "../../scenario/resolved-scenario.js";
import { JobWaits } from "../job-waits.js";
import type { WorldControl } from "../service-host.js";
import type { QueryFamilyResults, Traffic, TrafficContext } from "../traffic-context.js";
import { BatchServer } from "./batch-server.js";
import { PipelineJobs } from "./pipeline-jobs.js";
import { GroupMeter, QueryMeter } from "./query-meter.js";
import { buildQueryResults } from "./query-results.js";
import { QueryRoutes } from "./query-routes.js";
import { type InFlight, QueryRuns } from "./query-runs.js";
import { applicationQueryStages, type QueryStageContext, queryStages } from "./query-stages.js";
import type { StageExecutorFactory } from "../../dag/stage-executor.js";

export interface QueryTrafficOptions {
  readonly querySink?: QuerySink;
  /** Overrides every pipeline stage's maxAttempts (the policy entry's setting). */
  readonly pipelineMaxAttempts?: number;
}

/** One measured query, for per-query output (`simulate --tasks`). Times in ms from the query's creation; NaN when refused or lost. */
export interface QueryRecord {
  device: string;
  purpose: string;
  route: RouteMode;
  createdAt: number;
  promptTokens: number;
  outputTokens: number;
  complexity: number;
  refused: boolean;
  lost: boolean;
  ttft: number;
  total: number;
  network: number;
  queueing: number;
  prefill: number;
  decode: number;
  costUsd: number;
  quality: number;
  good: boolean;
  violated: boolean;
}

export type QuerySink = (record: QueryRecord) => void;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The query family of the one world: every query workload of every device issues queries (or
 * multi-stage jobs), the router picks a route per query, batch servers run prefill and decode,
 * the one network carries prompts and tokens, and the meter records latency, violations, money,
 * privacy and quality of the queries created in the measurement window.
 */
export class QueryTraffic implements Traffic {
  readonly meter: QueryMeter;
  /** Per node: its llm service (undefined for a node without one). */
  readonly servers: readonly (BatchServer | undefined)[];
  /** Per device: its own model's server, if any. */
  readonly deviceServers: readonly (BatchServer | undefined)[];
  private readonly routes: QueryRoutes;
  private readonly pipelines: PipelineJobs;
  /** The executor of applications' query stages (issue 17), for the application traffic's runners. */
  readonly queryStages: StageExecutorFactory;
  private readonly runs: QueryRuns;
  private readonly scenario: ResolvedScenario;
  /** Per device: its group's meter (undefined for a device without query workloads). */
  private readonly groupOf: (GroupMeter | undefined)[];
  /** With a control plane: measured queries not routed yet (a discovery wait, or held for a replica), by admission number; counted at the end if still there. */
  private readonly admitting = new Map<number, InFlight>();
  private nextAdmission = 0;
  private readonly waits: JobWaits;
  /** The arrival handlers of the query workloads, by the argument of their event kind (no closure slot per arrival). */
  private readonly arrivals: (() => void)[] = [];
  private readonly arrivalKind: number;
  private endMs = Number.NaN;

  constructor(
    readonly context: TrafficContext,
    readonly router: QueryRouter,
    readonly options: QueryTrafficOptions,
  ) {
    const s = context.scenario;
    this.scenario = s;
    const sim = context.sim;
    this.meter = new QueryMeter(s.nodes.length, s.warmupMs, s.durationMs, s.binWidthMs);
    const byGroup = new Map<string, GroupMeter>();
    // A device whose applications have query stages issues queries too.
    const queryApps = new Set((s.applications ?? []).flatMap((app, a) => (app.canFail ? [a] : [])));
    this.groupOf = s.devices.map((device) => {
      if (!device.workloads.some((w) => w.family === "queries" || (w.family === "applications" && queryApps.has(w.application)))) return undefined;
      let meter = byGroup.get(device.group);
      if (meter === undefined) {
        meter = new GroupMeter(device.group);
        byGroup.set(device.group, meter);
        this.meter.addGroup(meter);
      }
      meter.devices++;
      return meter;
    });
    this.servers = s.nodes.map((node) =>
      node.llm === undefined
        ? undefined
        : new BatchServer(sim, node.llm, s.warmupMs, s.durationMs, {
            unit: context.unit(node.index, "llm"),
            loadChanged: (level) => context.loadChanged(node.index, "llm", level),
            control: context.control === undefined ? undefined : servingControl(context.control, node.index),
          }),
    );
    this.deviceServers = s.devices.map((device) => (device.localServing === undefined ? undefined : new BatchServer(sim, device.localServing, s.warmupMs, s.durationMs, undefined)));
    this.routes = new QueryRoutes(s, this.servers, this.deviceServers, context.knownHealthy, () => sim.now, context.control);
    this.waits = new JobWaits(s, "queries");
    this.arrivalKind = sim.registerKind((index) => this.arrivals[index]());
    this.runs = new QueryRuns(
      { scenario: s, router, routes: this.routes, meter: this.meter, waits: this.waits, querySink: options.querySink, groupOf: this.groupOf, stream: (name) => this.stream(name) },
      { sim, network: context.network, llm: s.llm, decodeRate: this.meter.decodeRate },
    );
    const stageContext: QueryStageContext = {
      sim,
      scenario: s,
      network: context.network,
      router,
      routes: this.routes,
      runQuery: (device, workload, info, measured, mode, listener, tag) => this.runs.run(device, workload, info, measured, listener, tag, mode, this.context.sim.now, -1),
    };
    this.pipelines = new PipelineJobs(stageContext, this.meter, options.pipelineMaxAttempts);
    this.queryStages = queryStages(stageContext, (app) => applicationQueryStages(s, app, context.streams));
  }

  start(): void {
    for (const device of this.scenario.devices) {
      device.workloads.forEach((workload, index) => {
        if (workload.family === "queries") this.startWorkload(device, index, workload);
      });
    }
  }

  crashNode(node: number): void {
    this.servers[node]?.crash();
  }

  recoverNode(node: number): void {
    this.servers[node]?.recover();
  }

  /** Queries on the way to, waiting at or served by the node's language model (the control plane's jobs metric). */
  jobsAt(node: number): number {
    return this.servers[node]?.outstanding ?? 0;
  }

  /** Classifies the measured queries still in flight at `endMs`. */
  finish(endMs: number): void {
    this.endMs = endMs;
    const s = this.scenario;
    // A query whose transfer is still held (its device out of range) waited too.
    const inFlight = this.runs.inFlight();
    for (const query of this.admitting.values()) {
      this.meter.created(query.group);
      inFlight.push(query);
    }
    for (const query of inFlight) {
      const elapsed = endMs - query.createdAt;
      const late = elapsed > s.qos.totalDeadlineMs || (!query.firstTokenSeen && elapsed > s.qos.ttftDeadlineMs);
      this.meter.unfinishedAtEnd(query.group, query.createdAt, late);
      if (query.waited) this.waits.add(query.device, late);
    }
    this.meter.jobsUnfinished = this.pipelines.unfinished;
  }

  results(): QueryFamilyResults {
    return { ...buildQueryResults(this.scenario, this.meter, this.servers, this.deviceServers, this.endMs), waited: this.waits.results() };
  }

  private stream(name: string): Uniform {
    return this.context.streams.stream(name);
  }

  /** Arrivals of one query workload; its streams are named `<streamPrefix>/arrivals`, `/prompt`, ... */
  private startWorkload(device: ResolvedDevice, index: number, w: QueryWorkload): void {
    const sim = this.context.sim;
    const base = streamPrefix(device.id, index);
    const scale = this.scenario.loadScale;
    if (w.type === "query-trace") {
      const complexity = w.complexity.bind(this.stream(`${base}/complexity`));
      for (let i = 0; i < w.times.length; i++) {
        const at = w.times[i] / scale;
        if (at >= this.scenario.durationMs) break;
        const prompt = w.promptTokens[i];
        const output = w.outputTokens[i];
        sim.schedule(at, () => this.newQuery(device, index, { deviceIndex: device.index, promptTokens: prompt, outputTokens: output, complexity: clamp01(complexity()), purpose: "query" }));
      }
      return;
    }
    const draw = w.interarrival.bind(this.stream(`${base}/arrivals`));
    const gap = scale === 1 ? draw : () => draw() / scale;
    if (w.type === "queries") {
      const prompt = w.promptTokens.bind(this.stream(`${base}/prompt`));
      const output = w.outputTokens.bind(this.stream(`${base}/output`));
      const complexity = w.complexity.bind(this.stream(`${base}/complexity`));
      const acceptance = w.hourlyAcceptance;
      const thinning = acceptance === undefined ? undefined : this.stream(`${base}/thinning`);
      const arrival = this.arrivals.length;
      const next = (delay: number): void => {
        if (this.beforeEnd(delay)) sim.scheduleKind(delay, this.arrivalKind, arrival);
      };
      // One info per workload, refilled per query (in the order of the draws): routing reads it at once, a held query keeps a copy.
      const info = { deviceIndex: device.index, promptTokens: 0, outputTokens: 0, complexity: 0, purpose: "query" };
      this.arrivals.push(() => {
        const hour = Math.floor((sim.now % DAY_MS) / HOUR_MS);
        if (thinning === undefined || thinning() < (acceptance as readonly number[])[hour]) {
          info.promptTokens = tokenCount(prompt());
          info.outputTokens = tokenCount(output());
          info.complexity = clamp01(complexity());
          this.newQuery(device, index, info);
        }
        next(gap());
      });
      next(gap());
      return;
    }
    const submit = this.pipelines.source(device.index, index, w, this.stream(`${base}/pipeline`));
    const arrive = (): void => {
      submit();
      this.scheduleNext(gap(), arrive);
    };
    this.scheduleNext(gap(), arrive);
  }

  private scheduleNext(delay: number, handler: () => void): void {
    if (this.beforeEnd(delay)) this.context.sim.schedule(delay, handler);
  }

  /** Whether the next arrival, `delay` from now, falls inside the run. */
  private beforeEnd(delay: number): boolean {
    return this.context.sim.now + delay < this.scenario.durationMs;
  }

  private newQuery(device: ResolvedDevice, workload: number, info: QueryInfo): void {
    const mode = this.routes.feasible(this.router.route(info, this.routes.view), device.index);
    // A query answered by the device's own model asks no catalog.
    if (this.context.control !== undefined && (mode !== "local" || this.deviceServers[device.index] === undefined)) {
      this.admit(device, workload, info, mode);
      return;
    }
    const now = this.context.sim.now;
    this.runs.run(device, workload, info, now >= this.scenario.warmupMs, undefined, 0, mode, now, -1);
  }

  /**
   * With a control plane (issue 17), a query bound for a node, as a frame (FrameAdmission): its
   * device asks the catalog first (a discovery wait when its cached answer is stale), then, while
   * the model is scaled to zero, it waits in the activator for a ready replica (the sources are
   * in frame-admission.ts). Only then is its node
   * chosen (QueryRuns.run); the router chose its route at creation. The wait since its creation is
   * its first queueing. Query stages (pipelines' and applications') are run at once (they skip both: a known limit).
   */
  private admit(device: ResolvedDevice, workload: number, arrived: QueryInfo, mode: RouteMode): void {
    const control = this.context.control as WorldControl;
    // The workload refills its info at the next arrival: the query waits with a copy.
    const info = { ...arrived };
    const createdAt = this.context.sim.now;
    const admission = this.nextAdmission++;
    if (createdAt >= this.scenario.warmupMs) this.admitting.set(admission, { createdAt, group: this.groupOf[device.index] as GroupMeter, device: device.index, firstTokenSeen: false, waited: false });
    // released: the node of the replica the activator released the query to (-1: routed as usual).
    const run = (released: number): void => {
      this.admitting.delete(admission);
      this.runs.run(device, workload, info, createdAt >= this.scenario.warmupMs, undefined, 0, mode, createdAt, released);
    };
    const hold = (): void => {
      if (!control.hold(device.index, "llm", run)) run(-1);
    };
    const wait = control.discover(device.index, "llm");
    if (wait > 0) this.context.sim.schedule(wait, hold);
    else hold();
  }
}

/** The control plane as one node's language model sees it. */
function servingControl(control: WorldControl, node: number): { accepting(): boolean; inCluster(): boolean; rejected(): void } {
  const accepting = control.accepting.llm;
  const inCluster = control.inCluster;
  return { accepting: () => accepting[node] === 1, inCluster: () => inCluster[node] === 1, rejected: () => control.rejected(node, "llm") };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function tokenCount(x: number): number {
  return Math.max(1, Math.round(x));
}
