import type { Uniform } from "../../engine/rng.js";
import { type DagJobRecord, type DagNetwork, type DagObserver, DagRunner } from "../../dag/dag-runner.js";
import type { PlacementPolicy } from "../../dag/placement.js";
import type { DagApplication } from "../../dag/types.js";
import { SimulationError } from "../../errors.js";
import type { QueryWorkload } from "../../scenario/resolved-scenario.js";
import type { QueryMeter } from "./query-meter.js";
import { type QueryAttempt, type QueryStageContext, queryStages } from "./query-stages.js";

type PipelineWorkload = Extract<QueryWorkload, { type: "pipeline" }>;

/** A pipeline's graph has its every stage on the device: no placement to choose, no transfer to make (one answer for every job: the runner copies it). */
function onDevice(app: DagApplication): PlacementPolicy {
  const hosts = new Int32Array(app.stages.length);
  return () => hosts;
}

const noNetwork: DagNetwork = {
  transfer() {
    throw new SimulationError("a pipeline's stages are all on the device: nothing crosses the network between them");
  },
  expectedTransferMs() {
    throw new SimulationError("a pipeline's stages are all on the device: nothing crosses the network between them");
  },
};

/** One pipeline workload's runner, and per device index the outcome stream and workload index of its jobs. */
interface PipelineRunner {
  readonly runner: DagRunner;
  readonly outcomes: Uniform[];
  readonly workloads: number[];
}

/**
 * Multi-stage language-model jobs (pipeline workloads) run as applications of query stages
 * (LlmWorkload.application, chained device -> s1 -> ... -> sN -> device) by one DagRunner per
 * workload: each stage attempted until it passes or its attempts run out (`pipelineMaxAttempts`
 * of the policy entry overrides every stage's maxAttempts), the outcome of every attempt drawn from
 * the workload's `<streamPrefix>/pipeline` stream. What the jobs did goes into the QueryMeter's
 * pipeline counters (the query results' pipeline section) for jobs started in the window.
 */
export class PipelineJobs {
  private readonly runners = new Map<DagApplication, PipelineRunner>();

  constructor(
    private readonly ctx: QueryStageContext,
    private readonly meter: QueryMeter,
    private readonly maxAttemptsOverride: number | undefined,
  ) {}

  /** The workload's job starter for `device`: each call starts one job now. */
  source(device: number, workload: number, w: PipelineWorkload, outcomes: Uniform): () => void {
    let entry = this.runners.get(w.application);
    if (entry === undefined) entry = this.runnerOf(w.application);
    entry.outcomes[device] = outcomes;
    entry.workloads[device] = workload;
    const runner = entry.runner;
    return () => runner.submit(device);
  }

  /** Jobs started in the window and not ended. */
  get unfinished(): number {
    let count = 0;
    for (const { runner } of this.runners.values()) for (const arrival of runner.inFlightArrivalsMs()) if (arrival >= this.ctx.scenario.warmupMs) count++;
    return count;
  }

  private runnerOf(app: DagApplication): PipelineRunner {
    const override = this.maxAttemptsOverride;
    const run = override === undefined ? app : { ...app, stages: app.stages.map((stage) => ({ ...stage, maxAttempts: override })) };
    const outcomes: Uniform[] = [];
    const workloads: number[] = [];
    const recorder = new PipelineRecorder(this.meter, run, this.ctx.scenario.warmupMs);
    const executors = {
      query: queryStages(this.ctx, () => ({
        outcomes: (_stage, device) => outcomes[device],
        workload: (device) => workloads[device],
        attempted: (attempt) => recorder.attempted(attempt, this.ctx.sim.now),
      })),
    };
    const entry = { runner: new DagRunner(this.ctx.sim, run, executors, noNetwork, onDevice(run), recorder), outcomes, workloads };
    this.runners.set(app, entry);
    return entry;
  }
}

/** A pipeline runner's observer: the QueryMeter's pipeline counters, for jobs arrived from the warm-up on. */
class PipelineRecorder implements DagObserver {
  /** Tokens and money of each measured job so far, by the runner's slot of the job (no entry per job). */
  private tokens = new Float64Array(64);
  private costUsd = new Float64Array(64);

  constructor(
    private readonly meter: QueryMeter,
    private readonly app: DagApplication,
    private readonly warmupMs: number,
  ) {}

  submitted(_device: number, arrivalMs: number, slot: number): void {
    if (arrivalMs < this.warmupMs) return;
    if (slot >= this.tokens.length) this.grow(slot);
    this.tokens[slot] = 0;
    this.costUsd[slot] = 0;
    const m = this.meter;
    m.jobsStarted++;
    // One pipeline shape per scenario's results: the first measured job's sets the stages (the results name them after the first pipeline workload).
    if (m.stages.length === 0) m.stages = this.app.stages.map(() => ({ attempts: 0, passed: 0, reached: 0, stagePassed: 0, timePassed: 0, timeFailed: 0, tokensPassed: 0, tokensFailed: 0 }));
    m.stages[0].reached++;
  }

  attempted(attempt: QueryAttempt, now: number): void {
    if (!attempt.measured) return;
    const m = this.meter;
    const slot = attempt.jobSlot;
    this.costUsd[slot] += attempt.costUsd;
    this.tokens[slot] += attempt.tokens;
    m.latency.tool.add(attempt.toolMs);
    const sm = m.stages[attempt.stage];
    sm.attempts++;
    if (attempt.passed) {
      sm.passed++;
      sm.timePassed += now - attempt.startedAt;
      sm.tokensPassed += attempt.tokens;
      sm.stagePassed++;
      if (attempt.stage + 1 < m.stages.length) m.stages[attempt.stage + 1].reached++;
    } else {
      sm.timeFailed += now - attempt.startedAt;
      sm.tokensFailed += attempt.tokens;
    }
  }

  completed(record: DagJobRecord): void {
    if (!this.ended(record)) return;
    const m = this.meter;
    m.jobsSucceeded++;
    m.tokensSucceeded += this.tokens[record.slot];
    m.jobTime.add(record.latencyMs);
  }

  failed(record: DagJobRecord): void {
    if (this.ended(record)) this.meter.jobsFailed++;
  }

  /** A job ended: if measured (true), its tokens, money and attempts into the ended totals. */
  private ended(record: DagJobRecord): boolean {
    if (record.arrivalMs < this.warmupMs) return false;
    const m = this.meter;
    m.tokensEnded += this.tokens[record.slot];
    m.costEnded += this.costUsd[record.slot];
    const attempts = record.attempts;
    for (let s = 0; s < attempts.length; s++) m.attemptsEnded += attempts[s];
    return true;
  }

  /** Room for slot `slot` (the runner's slots grow with the jobs in flight). */
  private grow(slot: number): void {
    const size = Math.max(slot + 1, this.tokens.length * 2);
    const tokens = new Float64Array(size);
    tokens.set(this.tokens);
    this.tokens = tokens;
    const costUsd = new Float64Array(size);
    costUsd.set(this.costUsd);
    this.costUsd = costUsd;
  }
}
