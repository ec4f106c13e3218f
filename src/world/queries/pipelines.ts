import type { Uniform } from "../../engine/rng.js";
import type { Simulator } from "../../engine/simulator.js";
import { answerQuality } from "../../llm/quality.js";
import type { PipelineStageSpec, ServingSpec } from "../../llm/resolved.js";
import { attemptToolMs } from "../../llm/pipeline-tool-time.js";
import type { QueryInfo, QueryRouter, RouteMode } from "../../llm/routers/types.js";
import type { Network } from "../../network/network.js";
import type { ResolvedDevice, ResolvedScenario } from "../../scenario/resolved-scenario.js";
import type { QueryMeter } from "./query-meter.js";
import type { QueryRoutes, Target } from "./query-routes.js";

/** How a query ended, as the job that issued it learns. */
export interface QueryOutcome {
  readonly ok: boolean;
  readonly costUsd: number;
}

/** Runs one query already routed; `finished` is called once it has completed, been refused or been lost. */
export type RunQuery = (device: ResolvedDevice, workload: number, info: QueryInfo, measured: boolean, mode: RouteMode, finished: (outcome: QueryOutcome) => void) => void;

/** A pipeline workload as the jobs read it. */
export interface PipelineSpec {
  readonly referenceNode: number;
  readonly stages: readonly PipelineStageSpec[];
}

interface Job {
  readonly device: ResolvedDevice;
  readonly workload: number;
  readonly pipeline: PipelineSpec;
  readonly createdAt: number;
  readonly measured: boolean;
  stage: number;
  attempt: number;
  tokens: number;
  costUsd: number;
  attempts: number;
}

/**
 * Multi-stage jobs (LLM-assisted pipelines): each stage is attempted until it passes or its
 * attempts run out; an attempt is one query whose tokens depend on the drawn outcome, then the
 * stage's tool time. The success chance is the measured one on the reference placement, scaled
 * by the quality proxy elsewhere.
 */
export class Pipelines {
  /** Jobs started in the measured window and not yet ended (unfinished if still here when the run stops). */
  private readonly pending = new Set<Job>();

  constructor(
    private readonly sim: Simulator,
    private readonly scenario: ResolvedScenario,
    private readonly network: Network,
    private readonly router: QueryRouter,
    private readonly routes: QueryRoutes,
    private readonly meter: QueryMeter,
    private readonly runQuery: RunQuery,
    private readonly maxAttemptsOverride: number | undefined,
  ) {}

  /** Jobs measured and not ended. */
  get unfinished(): number {
    return this.pending.size;
  }

  start(device: ResolvedDevice, workload: number, pipeline: PipelineSpec, outcomes: Uniform): void {
    const measured = this.sim.now >= this.scenario.warmupMs;
    const job: Job = { device, workload, pipeline, createdAt: this.sim.now, measured, stage: 0, attempt: 0, tokens: 0, costUsd: 0, attempts: 0 };
    if (measured) {
      const m = this.meter;
      m.jobsStarted++;
      this.pending.add(job);
      if (m.stages.length === 0) {
        m.stages = pipeline.stages.map(() => ({ attempts: 0, passed: 0, reached: 0, stagePassed: 0, timePassed: 0, timeFailed: 0, tokensPassed: 0, tokensFailed: 0 }));
      }
      m.stages[0].reached++;
    }
    this.attempt(job, outcomes);
  }

  private attempt(job: Job, outcomes: Uniform): void {
    const stage = job.pipeline.stages[job.stage];
    const reference = this.scenario.nodes[job.pipeline.referenceNode].llm as ServingSpec;
    const startedAt = this.sim.now;
    job.attempt++;
    job.attempts++;
    const draw = outcomes();
    const info: QueryInfo = { deviceIndex: job.device.index, promptTokens: 0, outputTokens: 0, complexity: stage.complexity, purpose: stage.name };
    // The outcome decides the tokens, but the success chance depends on where the attempt runs: route first.
    const mode = this.routes.feasible(this.router.route(info, this.routes.view), job.device.index);
    const target = ((mode === "local" ? this.routes.local(job.device.index) : this.routes.cloud()) as Target).server.spec;
    const llm = this.scenario.llm;
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
    const nominalMs = this.network.nominalLatencyMs(job.device.index, job.pipeline.referenceNode);
    const toolMs = Math.max(0, attemptToolMs(reference, outcome, stage.outputShare, nominalMs));
    const query: QueryInfo = { ...info, promptTokens: prompt, outputTokens: output };
    // Routed already: the success chance depended on the route, and the tokens on the outcome.
    this.runQuery(job.device, job.workload, query, job.measured, mode, (result) => {
      job.costUsd += result.costUsd;
      job.tokens += prompt + output;
      this.sim.schedule(result.ok ? toolMs : 0, () => this.attemptEnded(job, outcomes, result.ok && passed, result.ok ? toolMs : 0, startedAt, prompt + output));
    });
  }

  private attemptEnded(job: Job, outcomes: Uniform, success: boolean, toolMs: number, startedAt: number, tokens: number): void {
    const m = this.meter;
    if (job.measured) {
      m.latency.tool.add(toolMs);
      const sm = m.stages[job.stage];
      sm.attempts++;
      if (success) {
        sm.passed++;
        sm.timePassed += this.sim.now - startedAt;
        sm.tokensPassed += tokens;
      } else {
        sm.timeFailed += this.sim.now - startedAt;
        sm.tokensFailed += tokens;
      }
    }
    const maxAttempts = this.maxAttemptsOverride ?? job.pipeline.stages[job.stage].maxAttempts;
    if (success) {
      if (job.measured) m.stages[job.stage].stagePassed++;
      job.stage++;
      job.attempt = 0;
      if (job.stage === job.pipeline.stages.length) this.end(job, true);
      else {
        if (job.measured) m.stages[job.stage].reached++;
        this.attempt(job, outcomes);
      }
    } else if (job.attempt < maxAttempts) this.attempt(job, outcomes);
    else this.end(job, false);
  }

  private end(job: Job, succeeded: boolean): void {
    if (!job.measured) return;
    this.pending.delete(job);
    const m = this.meter;
    m.tokensEnded += job.tokens;
    m.costEnded += job.costUsd;
    m.attemptsEnded += job.attempts;
    if (succeeded) {
      m.jobsSucceeded++;
      m.tokensSucceeded += job.tokens;
      m.jobTime.add(this.sim.now - job.createdAt);
    } else m.jobsFailed++;
  }
}
