import type { RandomStreams, Uniform } from "../../engine/rng.js";
import type { Simulator } from "../../engine/simulator.js";
import type { DagJobInfo, StageClient, StageExecutor, StageExecutorFactory } from "../../dag/stage-executor.js";
import type { DagApplication, QueryStageSpec } from "../../dag/types.js";
import { attemptToolMs } from "../../llm/pipeline-tool-time.js";
import { answerQuality } from "../../llm/quality.js";
import type { ServingSpec } from "../../llm/resolved.js";
import type { QueryInfo, QueryRouter, RouteMode } from "../../llm/routers/types.js";
import type { Network } from "../../network/network.js";
import type { ResolvedDevice, ResolvedScenario } from "../../scenario/resolved-scenario.js";
import type { QueryRoutes, Target } from "./query-routes.js";

/**
 * Who hears how a query ended (completed, refused or lost), once: a registered listener and a
 * number of the caller's (`tag`) instead of a closure and an outcome object per query.
 */
export interface QueryEndListener {
  queryEnded(tag: number, ok: boolean, costUsd: number): void;
}

/** Runs one query already routed; `listener` (with `tag`) hears once it has completed, been refused or been lost. */
export type RunQuery = (device: ResolvedDevice, workload: number, info: QueryInfo, measured: boolean, mode: RouteMode, listener: QueryEndListener, tag: number) => void;

/** What the query traffic lends the query stages. */
export interface QueryStageContext {
  readonly sim: Simulator;
  readonly scenario: ResolvedScenario;
  readonly network: Network;
  readonly router: QueryRouter;
  readonly routes: QueryRoutes;
  readonly runQuery: RunQuery;
}

/** One attempt of a query stage, at its end (after its tool time). */
export interface QueryAttempt {
  readonly stage: number;
  /** The runner's slot of the attempt's job (DagJobInfo.slot). */
  readonly jobSlot: number;
  /** The job arrived in the measurement window. */
  readonly measured: boolean;
  /** The query was served and the drawn outcome passed. */
  readonly passed: boolean;
  readonly startedAt: number;
  /** Tool time after the query (0 when the query was refused or lost). */
  readonly toolMs: number;
  /** Prompt + output tokens of the attempt's query. */
  readonly tokens: number;
  readonly costUsd: number;
}

/** Per runner: where a device's attempts draw their outcomes, the workload its queries count under, who hears of each attempt. */
export interface QueryStageSource {
  outcomes(stage: number, device: number): Uniform;
  workload(device: number): number;
  attempted?(attempt: QueryAttempt): void;
}

/**
 * The source of an application's query stages (`applications[]`): each device draws each stage's
 * outcomes from a stream of its own, `dag/<app>/<stage>/device/<device id>/outcome`, and its
 * queries count under its first dag workload sending the application.
 */
export function applicationQueryStages(scenario: ResolvedScenario, app: DagApplication, streams: RandomStreams): QueryStageSource {
  const index = (scenario.applications ?? []).indexOf(app);
  const outcomes = app.stages.map((): (Uniform | undefined)[] => []);
  // Per device: its workload index, found once (-2: not looked up yet).
  const workloads: number[] = [];
  return {
    outcomes(stage, device) {
      let stream = outcomes[stage][device];
      if (stream === undefined) {
        stream = streams.stream(`dag/${app.id}/${app.stages[stage].id}/device/${scenario.devices[device].id}/outcome`);
        outcomes[stage][device] = stream;
      }
      return stream;
    },
    workload(device) {
      let workload = workloads[device] ?? -2;
      if (workload === -2) {
        workload = scenario.devices[device].workloads.findIndex((w) => w.family === "applications" && w.application === index);
        workloads[device] = workload;
      }
      return workload;
    },
  };
}

/**
 * The executor of query stages (issue 17: the language-model pipeline as a case of the DAG
 * runner). Each visit is one attempt: the outcome is drawn first, then the query is routed by the
 * run's router (local, cloud or collaborative, where its device could send it now), its success
 * chance being the stage's on the reference node's model, scaled by the quality proxy on another
 * model; its tokens are the outcome's, split by outputShare; it runs as any query (runQuery: batch
 * servers, the network, tokens and cost); then the tool time (the measured time minus the exchange
 * on the reference node); and the runner hears whether it passed. A query stage has no queue of
 * its own: its time is all service, its wait 0.
 */
export function queryStages(ctx: QueryStageContext, source: (app: DagApplication) => QueryStageSource): StageExecutorFactory {
  return (app, client) => new QueryStages(ctx, app, client, source(app));
}

/**
 * One attempt in flight: pooled and reused (an attempt allocates no object or closure of its own),
 * so every field is set when it starts. It is what `attempted` is told at its end.
 */
class Attempt implements QueryAttempt {
  stage = 0;
  jobSlot = 0;
  measured = false;
  /** The drawn outcome passed; at the end, and the query was served. */
  passed = false;
  startedAt = 0;
  /** The tool time if the query is served; at the end, the tool time spent. */
  toolMs = 0;
  tokens = 0;
  costUsd = 0;
  /** The runner's name for the visit. */
  token = 0;

  constructor(readonly slot: number) {}
}

class QueryStages implements StageExecutor, QueryEndListener {
  private readonly pool: Attempt[] = [];
  private readonly free: number[] = [];
  /** The event kind of an attempt's end after its tool time (the attempt's slot as argument). */
  private readonly toolDoneKind: number;
  /** What the router and the query read of an attempt, refilled per attempt (both read it at once). */
  private readonly info = { deviceIndex: 0, promptTokens: 0, outputTokens: 0, complexity: 0, purpose: "" };

  constructor(
    private readonly ctx: QueryStageContext,
    private readonly app: DagApplication,
    private readonly client: StageClient,
    private readonly source: QueryStageSource,
  ) {
    this.toolDoneKind = ctx.sim.registerKind((slot) => this.toolDone(this.pool[slot]));
  }

  reserve(): number {
    return 0;
  }

  expectedWaitMs(): number {
    return 0;
  }

  enter(_handle: number, s: number, _host: number, job: DagJobInfo, token: number): void {
    const { sim, scenario, routes, router } = this.ctx;
    const stage = this.app.stages[s].query as QueryStageSpec;
    const reference = scenario.nodes[stage.referenceNode].llm as ServingSpec;
    const device = job.device;
    const startedAt = sim.now;
    const draw = this.source.outcomes(s, device)();
    const info = this.info;
    info.deviceIndex = device;
    info.promptTokens = 0;
    info.outputTokens = 0;
    info.complexity = stage.complexity;
    info.purpose = stage.name;
    // The outcome decides the tokens, but the success chance depends on where the attempt runs: route first.
    const mode = routes.feasible(router.route(info, routes.view), device);
    const target = ((mode === "local" ? routes.local(device) : routes.cloud()) as Target).server.spec;
    const llm = scenario.llm;
    const p =
      target.model === reference.model && target.quantization === reference.quantization
        ? stage.successProbability
        : Math.min(
            1,
            (stage.successProbability * answerQuality(llm.quality, target.paramsB, stage.complexity) * (mode === "collaborative" ? llm.collaboration.qualityFactor : 1)) /
              answerQuality(llm.quality, reference.paramsB, stage.complexity),
          );
    const passed = draw < p;
    const outcome = passed ? stage.passed : stage.failed;
    const output = Math.max(1, Math.round(outcome.tokens * stage.outputShare));
    const prompt = Math.max(1, Math.round(outcome.tokens - output));
    const nominalMs = this.ctx.network.nominalLatencyMs(device, stage.referenceNode);
    const a = this.allocate();
    a.stage = s;
    a.jobSlot = job.slot;
    a.measured = job.arrivalMs >= scenario.warmupMs;
    a.passed = passed;
    a.startedAt = startedAt;
    a.toolMs = Math.max(0, attemptToolMs(reference, outcome, stage.outputShare, nominalMs));
    a.tokens = prompt + output;
    a.costUsd = 0;
    a.token = token;
    info.promptTokens = prompt;
    info.outputTokens = output;
    // Routed already: the success chance depended on the route, and the tokens on the outcome.
    this.ctx.runQuery(scenario.devices[device], this.source.workload(device), info, a.measured, mode, this, a.slot);
  }

  /** The attempt's query ended: its tool time follows if it was served. */
  queryEnded(slot: number, ok: boolean, costUsd: number): void {
    const a = this.pool[slot];
    if (!ok) {
      a.toolMs = 0;
      a.passed = false;
    }
    a.costUsd = costUsd;
    this.ctx.sim.scheduleKind(a.toolMs, this.toolDoneKind, slot);
  }

  /** The attempt is over: the source hears of it, then the runner (which may start the next attempt at once). */
  private toolDone(a: Attempt): void {
    this.source.attempted?.(a);
    const token = a.token;
    const serviceMs = this.ctx.sim.now - a.startedAt;
    const passed = a.passed;
    this.free.push(a.slot);
    this.client.finished(token, serviceMs, passed);
  }

  private allocate(): Attempt {
    const slot = this.free.pop();
    if (slot !== undefined) return this.pool[slot];
    const a = new Attempt(this.pool.length);
    this.pool.push(a);
    return a;
  }
}
