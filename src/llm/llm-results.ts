import type { StageSummary } from "../metrics/stage-stats.js";
import type { LlmTimeSeries } from "./llm-time-series.js";
import type { FaultResult } from "../metrics/results.js";

export const LLM_RESULTS_SCHEMA = "continuum-sim/llm-results@1";

/** Latency of a query: what the user waits for (ttft, total) and where the time went (summed over a query's exchanges). */
export const LLM_STAGES = ["ttft", "total", "network", "queueing", "prefill", "decode", "tool"] as const;
export type LlmStage = (typeof LLM_STAGES)[number];

/** A node's figures cover the measured window (counters restart at the end of the warm-up), whichever query the work belonged to. */
export interface LlmNodeResults {
  id: string;
  served: number;
  refused: number;
  /** Of the refused: prompt + output longer than the context reserved per batch slot. */
  refusedContext: number;
  /** Queries lost to crashes of this node, and the time it was down, within the measured window. */
  lost: number;
  downMs: number;
  utilisation: number;
  meanBatch: number;
  meanQueueLength: number;
  promptTokens: number;
  outputTokens: number;
  /** Decode rate each query saw (output tokens / decode time), tokens/s: what a user of the node measures as the eval rate. */
  decodeTokensPerSPerQuery: StageSummary;
  /** Output tokens per second of the measured window. */
  outputTokensPerS: number;
  /** Whether the run sent this node any query; an unused node is charged no hardware or energy. */
  used: boolean;
  energyJ: number | null;
  /** Memory the served model needs / memory usable on its path (null when unchecked). */
  memoryShare: number | null;
  /** The model's memory / the board's whole RAM, as a RAM-use percentage reads (null when unchecked). */
  ramShare: number | null;
}

export interface PipelineStageResults {
  name: string;
  attempts: number;
  passed: number;
  /** passed / attempts. */
  attemptPassRate: number | null;
  /** Jobs that reached the stage and passed it (after retries) / jobs that reached it. */
  stageSuccessRate: number | null;
  meanTimePassedMs: number | null;
  meanTimeFailedMs: number | null;
  meanTokensPassed: number | null;
  meanTokensFailed: number | null;
}

export interface PipelineResults {
  started: number;
  succeeded: number;
  failed: number;
  unfinished: number;
  /** succeeded / (succeeded + failed). */
  successProbability: number | null;
  /** Wall time of the jobs that succeeded. */
  timePerFinishedJobMs: StageSummary;
  tokensPerFinishedJob: number | null;
  /** Tokens of every ended job (succeeded or failed) / ended jobs. */
  tokensPerEndedJob: number | null;
  /** Money of every ended job / succeeded jobs: what one success costs, failures included. */
  costPerSucceededJobUsd: number | null;
  attemptsPerEndedJob: number | null;
  stages: PipelineStageResults[];
}

/** One device group's queries (a class of users: phones, laptops...). */
export interface LlmGroupResults {
  group: string;
  devices: number;
  queries: { generated: number; completed: number; refused: number; lost: number; unfinished: number };
  latency: { ttft: StageSummary; total: StageSummary };
  /** (late + refused + lost + unfinished late) / (completed + refused + lost + unfinished late). */
  violationRate: number | null;
  /** Shares of the group's ended queries (completed or refused) that ran locally, left the device, reached the cloud. */
  shareLocal: number | null;
  shareOffDevice: number | null;
  shareToCloud: number | null;
  apiUsd: number;
  qualityMeanProbability: number | null;
}

export interface LlmRunResults {
  router: string;
  label: string;
  queries: { generated: number; completed: number; refused: number; lost: number; unfinished: number };
  /** Measured queries by route. */
  routes: { local: number; cloud: number; collaborative: number };
  latency: Record<LlmStage, StageSummary>;
  qos: {
    ttftDeadlineMs: number | null;
    totalDeadlineMs: number | null;
    late: number;
    refused: number;
    lost: number;
    unfinishedLate: number;
    violations: number;
    violationRate: number | null;
  };
  tokens: { prompt: number; output: number; servedAtEdge: number; servedInCloud: number };
  cost: {
    apiUsd: number;
    energyUsd: number;
    hardwareUsd: number;
    totalUsd: number;
    perQueryUsd: number | null;
    /** A day's money: API spend per 24 h of arrivals (warm-up to the end of the duration; the drain adds no queries) + hardware and energy per 24 h of the measured window. */
    perDayUsd: number;
  };
  /** Who saw the user's words: queries and prompt tokens that left the device, and that reached the cloud. */
  privacy: {
    queriesOffDevice: number;
    queriesToCloud: number;
    promptTokensOffDevice: number;
    promptTokensToCloud: number;
    shareOfQueriesOffDevice: number | null;
    shareOfQueriesToCloud: number | null;
    shareOfTokensOffDevice: number | null;
    shareOfTokensToCloud: number | null;
  };
  /** The quality proxy: mean P(good answer) over completed queries, and the share judged good in the draws. */
  quality: { meanProbability: number | null; goodShare: number | null };
  throughput: { queriesPerS: number; outputTokensPerS: number };
  nodes: LlmNodeResults[];
  groups: LlmGroupResults[];
  devices: { localServed: number; energyJ: number | null };
  pipelines: PipelineResults | null;
  /** Crashes and link degradations as they happened (with health-check detection times), as in video results. */
  faults: FaultResult[];
  /** Queries by creation time over [warmup, duration). */
  timeSeries: LlmTimeSeries;
  routerStatistics: Record<string, number | number[]>;
  events: number;
}

export interface LlmResults {
  schema: typeof LLM_RESULTS_SCHEMA;
  simulator: { name: string; version: string };
  scenario: {
    name: string;
    description: string;
    hash: string;
    devices: number;
    nodes: Array<{
      id: string;
      profile: string;
      role: string;
      model: string;
      quantization: string;
      path: string;
      maxBatch: number;
      prefillTokensPerS: number;
      decodeTokensPerS: number;
      memoryMiB: number | null;
      usableMemoryMiB: number | null;
    }>;
  };
  seed: number | string;
  units: { time: "ms"; money: "USD"; tokens: "tokens"; energy: "J" };
  window: { warmupMs: number; durationMs: number; drainMs: number; measuredMs: number };
  quantiles: { method: string; relativeError: number };
  runs: LlmRunResults[];
}
