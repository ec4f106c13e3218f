import type { Uniform } from "../../engine/rng.js";
import type { Simulator } from "../../engine/simulator.js";
import { qualityAt } from "../../llm/quality.js";
import type { ServingSpec } from "../../llm/resolved.js";
import type { QueryInfo, QueryRouter, RouteMode } from "../../llm/routers/types.js";
import { type ResolvedDevice, type ResolvedScenario, streamPrefix } from "../../scenario/resolved-scenario.js";
import type { JobWaits } from "../job-waits.js";
import { type ExchangeClient, type ExchangeContext, Exchanges, type ExchangeTimes } from "./exchange.js";
import type { QueryEndListener } from "./query-stages.js";
import type { EndedQuery, GroupMeter, QueryMeter } from "./query-meter.js";
import type { QueryRoutes, Target } from "./query-routes.js";
import type { QuerySink } from "./query-traffic.js";

/** A measured query in flight: what is needed to classify it if the run ends first. */
export interface InFlight {
  readonly createdAt: number;
  readonly group: GroupMeter;
  readonly device: number;
  readonly firstTokenSeen: boolean;
  /** A transfer of the query waited for a handover or for coverage. */
  readonly waited: boolean;
}

// A query's stage: its one exchange (or a collaborative query's cloud answer), or a collaborative query's local draft.
const FINAL = 0;
const DRAFT = 1;

/**
 * One routed query, from routing to its end: pooled and reused (a query allocates no object or
 * closure of its own), so every field is set when it starts. It is also what the meter records
 * when it ends (EndedQuery) and what the end of the run classifies while it is in flight.
 */
class QueryRun implements EndedQuery, InFlight {
  /** Unique per query (the slot is reused): what a transfer still held at the end is matched by. */
  id = 0;
  live = false;
  measured = false;
  resolved: ResolvedDevice | undefined = undefined;
  device = 0;
  workload = 0;
  group: GroupMeter = undefined as unknown as GroupMeter;
  mode: RouteMode = "local";
  createdAt = 0;
  purpose = "";
  promptTokens = 0;
  outputTokens = 0;
  complexity = 0;
  firstTokenSeen = false;
  waited = false;
  stage = FINAL;
  /** The draft's target and the cloud answer's prompt (collaborative). */
  localTarget: Target | undefined = undefined;
  cloudTarget: Target | undefined = undefined;
  draftTokens = 0;
  finalPromptTokens = 0;
  finalServing: ServingSpec | undefined = undefined;
  /** The answering model's capability (Target.capability): the quality proxy's input. */
  finalCapability = 0;
  /** Who hears of its end (a query stage's attempt), with its tag. */
  listener: QueryEndListener | undefined = undefined;
  tag = 0;
  // Summed over the query's exchanges.
  network = 0;
  queueing = 0;
  prefill = 0;
  decode = 0;
  ttftAt = Number.NaN;
  costUsd = 0;
  offDevicePrompt = 0;
  cloudPrompt = 0;
  edgeTokens = 0;
  cloudTokens = 0;
  // Set at its end.
  refused = false;
  lost = false;
  violated = false;
  ttftMs = Number.NaN;
  totalMs = Number.NaN;
  quality = 0;
  good = false;

  constructor(readonly slot: number) {}
}

/** What the runs need of the query family. */
export interface QueryRunsContext {
  readonly scenario: ResolvedScenario;
  readonly router: QueryRouter;
  readonly routes: QueryRoutes;
  readonly meter: QueryMeter;
  readonly waits: JobWaits;
  readonly querySink: QuerySink | undefined;
  /** Per device: its group's meter (undefined for a device without query workloads). */
  readonly groupOf: readonly (GroupMeter | undefined)[];
  /** The stream of a name (RandomStreams.stream). */
  readonly stream: (name: string) => Uniform;
}

/**
 * Routed queries on their way: each runs one exchange (local or cloud), or two (collaborative:
 * the local model condenses the prompt, then the cloud model answers from the condensed prompt),
 * and is metered when it ends.
 */
export class QueryRuns implements ExchangeClient {
  private readonly pool: QueryRun[] = [];
  private readonly free: number[] = [];
  private nextId = 0;
  private readonly exchanges: Exchanges;
  private readonly sim: Simulator;
  /** Per device index and workload index: the stream of its answers' good / not-good judgements (looked up once). */
  private readonly qualityStreams: (Uniform | undefined)[][];

  constructor(
    private readonly ctx: QueryRunsContext,
    exchange: ExchangeContext,
  ) {
    this.exchanges = new Exchanges(exchange, this);
    this.sim = exchange.sim;
    this.qualityStreams = ctx.scenario.devices.map((device) => device.workloads.map(() => undefined));
  }

  /**
   * Runs one routed query created at `createdAt`; `listener` (if any) hears with `tag` once it
   * has completed, been refused or been lost. `released`: the node of the replica the activator
   * released it to (-1: routed as usual).
   */
  run(device: ResolvedDevice, workload: number, info: QueryInfo, measured: boolean, listener: QueryEndListener | undefined, tag: number, mode: RouteMode, createdAt: number, released: number): void {
    const { scenario: s, routes, meter } = this.ctx;
    const q = this.allocate();
    q.id = this.nextId++;
    q.live = true;
    q.measured = measured;
    q.resolved = device;
    q.device = device.index;
    q.workload = workload;
    q.group = this.ctx.groupOf[device.index] as GroupMeter;
    q.mode = mode;
    q.createdAt = createdAt;
    q.purpose = info.purpose;
    q.promptTokens = info.promptTokens;
    q.outputTokens = info.outputTokens;
    q.complexity = info.complexity;
    q.firstTokenSeen = false;
    q.waited = false;
    q.listener = listener;
    q.tag = tag;
    if (measured) meter.created(q.group);
    const local = mode === "cloud" ? undefined : routes.local(device.index, released);
    if (local?.node !== undefined) routes.sentLocal(device.index);
    const cloud = routes.cloud();
    q.network = 0;
    // Queueing starts with the wait before routing (a control plane's discovery and activator; 0 otherwise).
    q.queueing = this.sim.now - createdAt;
    q.prefill = 0;
    q.decode = 0;
    q.ttftAt = Number.NaN;
    q.costUsd = 0;
    q.offDevicePrompt = 0;
    q.cloudPrompt = 0;
    q.edgeTokens = 0;
    q.cloudTokens = 0;
    // The prompt leaves the device when it is sent; tokens are paid for only when they are served.
    if (mode !== "collaborative") {
      const target = mode === "cloud" ? (cloud as Target) : (local as Target);
      q.stage = FINAL;
      q.finalServing = target.server.spec;
      q.finalCapability = target.capability;
      q.finalPromptTokens = info.promptTokens;
      if (target.node !== undefined) q.offDevicePrompt = info.promptTokens;
      if (mode === "cloud") q.cloudPrompt = info.promptTokens;
      this.exchanges.start(device.index, target, info.promptTokens, info.outputTokens, measured, q.slot, q.id, true);
      return;
    }
    const localTarget = local as Target;
    const cloudTarget = cloud as Target;
    q.stage = DRAFT;
    q.localTarget = localTarget;
    q.cloudTarget = cloudTarget;
    q.draftTokens = Math.max(1, Math.round(info.promptTokens * s.llm.collaboration.draftRatio));
    q.finalPromptTokens = q.draftTokens + s.llm.collaboration.instructionTokens;
    q.finalServing = cloudTarget.server.spec;
    q.finalCapability = cloudTarget.capability;
    if (localTarget.node !== undefined) q.offDevicePrompt = info.promptTokens;
    this.exchanges.start(device.index, localTarget, info.promptTokens, q.draftTokens, measured, q.slot, q.id, false);
  }

  firstToken(query: number, times: ExchangeTimes): void {
    const q = this.pool[query];
    q.ttftAt = times.firstTokenAt;
    q.firstTokenSeen = true;
  }

  done(query: number, times: ExchangeTimes): void {
    const q = this.pool[query];
    if (q.stage === FINAL) {
      // A collaborative query's answer is the cloud's.
      if (!times.refused && !times.lost) charge(q, q.finalServing as ServingSpec, q.finalPromptTokens, q.outputTokens, q.mode !== "local");
      this.end(q, times);
      return;
    }
    if (times.refused || times.lost) {
      this.end(q, times);
      return;
    }
    const localTarget = q.localTarget as Target;
    charge(q, localTarget.server.spec, q.promptTokens, q.draftTokens, false);
    add(q, times);
    if (localTarget.node === undefined) q.offDevicePrompt = q.finalPromptTokens;
    q.cloudPrompt = q.finalPromptTokens;
    q.stage = FINAL;
    this.exchanges.start(q.device, q.cloudTarget as Target, q.finalPromptTokens, q.outputTokens, q.measured, q.slot, q.id, true);
  }

  /**
   * The measured queries in flight, in the order they started, with those whose transfer is
   * still held (their device out of range) marked as having waited.
   */
  inFlight(): InFlight[] {
    for (const { query, queryId } of this.exchanges.held()) {
      const q = this.pool[query];
      if (q.live && q.id === queryId && q.measured) q.waited = true;
    }
    return this.pool.filter((q) => q.live && q.measured).sort((a, b) => a.id - b.id);
  }

  private allocate(): QueryRun {
    const slot = this.free.pop();
    if (slot !== undefined) return this.pool[slot];
    const q = new QueryRun(this.pool.length);
    this.pool.push(q);
    return q;
  }

  private qualityStream(q: QueryRun): Uniform {
    const streams = this.qualityStreams[q.device];
    let stream = streams[q.workload];
    if (stream === undefined) {
      stream = this.ctx.stream(`${streamPrefix((q.resolved as ResolvedDevice).id, q.workload)}/quality`);
      streams[q.workload] = stream;
    }
    return stream;
  }

  private end(q: QueryRun, times: ExchangeTimes): void {
    const s = this.ctx.scenario;
    q.live = false;
    add(q, times);
    const failed = times.refused || times.lost;
    const ttftMs = q.ttftAt - q.createdAt;
    const totalMs = times.doneAt - q.createdAt;
    const violated = failed || ttftMs > s.qos.ttftDeadlineMs || totalMs > s.qos.totalDeadlineMs;
    if (q.measured && q.waited) this.ctx.waits.add(q.device, !failed && violated);
    let quality = 0;
    let good = false;
    if (!failed) {
      quality = qualityAt(s.llm.quality, q.finalCapability, q.complexity) * (q.mode === "collaborative" ? s.llm.collaboration.qualityFactor : 1);
      good = this.qualityStream(q)() < quality;
    }
    q.refused = times.refused;
    q.lost = times.lost;
    q.violated = violated;
    q.ttftMs = ttftMs;
    q.totalMs = totalMs;
    q.quality = quality;
    q.good = good;
    if (q.measured) {
      this.ctx.querySink?.({
        device: (q.resolved as ResolvedDevice).id,
        purpose: q.purpose,
        route: q.mode,
        createdAt: q.createdAt,
        promptTokens: q.promptTokens,
        outputTokens: q.outputTokens,
        complexity: q.complexity,
        refused: q.refused,
        lost: q.lost,
        ttft: failed ? Number.NaN : ttftMs,
        total: failed ? Number.NaN : totalMs,
        network: q.network,
        queueing: q.queueing,
        prefill: q.prefill,
        decode: q.decode,
        costUsd: q.costUsd,
        quality,
        good,
        violated,
      });
      this.ctx.meter.ended(q);
    }
    this.ctx.router.observe?.({
      deviceIndex: q.device,
      mode: q.mode,
      complexity: q.complexity,
      ttftMs: failed ? Number.NaN : ttftMs,
      totalMs: failed ? Number.NaN : totalMs,
      violated,
      costUsd: q.costUsd,
      reachedCloud: q.cloudPrompt > 0,
      quality,
      good,
      at: this.sim.now,
    });
    const listener = q.listener;
    const tag = q.tag;
    const costUsd = q.costUsd;
    q.listener = undefined;
    q.resolved = undefined;
    this.free.push(q.slot);
    listener?.queryEnded(tag, !failed, costUsd);
  }
}

/** An exchange's times added to its query's (a transfer that waited marks the query). */
function add(q: QueryRun, t: ExchangeTimes): void {
  if (t.waited) q.waited = true;
  q.network += t.network;
  q.queueing += t.queueing;
  q.prefill += t.prefill;
  q.decode += t.decode;
}

/** The tokens of an exchange served by `spec`: their price, and where they were served. */
function charge(q: QueryRun, spec: ServingSpec, prompt: number, output: number, inCloud: boolean): void {
  q.costUsd += prompt * spec.inputUsdPerToken + output * spec.outputUsdPerToken;
  if (inCloud) q.cloudTokens += prompt + output;
  else q.edgeTokens += prompt + output;
}
