import type { DagApplication } from "../dag/types.js";
import type { CompiledDistribution } from "../random/distributions.js";

/** How fast one server runs one model, and what it charges. */
export interface ServingSpec {
  readonly model: string;
  readonly quantization: string;
  readonly path: string;
  /** Parameters in billions (quality proxy). */
  readonly paramsB: number;
  readonly prefillTokensPerMs: number;
  readonly decodeTokensPerMs: number;
  readonly requestOverheadMs: number;
  readonly maxBatch: number;
  /** Aggregate-throughput multipliers for b = 1, 2, ... concurrent queries. */
  readonly decodeSpeedup: readonly number[];
  readonly prefillSpeedup: readonly number[];
  /** Cloud endpoints: every query runs at the full rate, maxBatch is a concurrency limit. */
  readonly independentStreams: boolean;
  readonly queueCapacity: number;
  /** Prompt + output tokens one query may hold (the KV cache reserved per batch slot); longer queries are refused. */
  readonly contextTokens: number;
  readonly inputUsdPerToken: number;
  readonly outputUsdPerToken: number;
  /** Memory the model needs at maxBatch x context, MiB (0 when unchecked). */
  readonly memoryMiB: number;
  readonly usableMemoryMiB: number | undefined;
  /** The profile's whole memory (what a RAM-use percentage is of). */
  readonly ramMiB: number;
  readonly power: { readonly idleW: number; readonly busyW: number } | undefined;
}

export interface LlmNode {
  readonly id: string;
  readonly index: number;
  readonly profile: string;
  readonly role: "edge" | "cloud";
  readonly serving: ServingSpec;
  readonly costUsdPerHour: number;
}

export interface PipelineStageSpec {
  readonly name: string;
  readonly successProbability: number;
  readonly passed: { readonly timeMs: number; readonly tokens: number };
  readonly failed: { readonly timeMs: number; readonly tokens: number };
  readonly outputShare: number;
  readonly complexity: number;
  readonly maxAttempts: number;
}

export type LlmWorkload =
  | {
      readonly type: "queries";
      /** With an hourly profile: the gaps of the candidate process at the peak hour's rate. */
      readonly interarrival: CompiledDistribution;
      /** Per hour of the day, the share of candidate arrivals kept (rate / peak rate); undefined: every arrival. */
      readonly hourlyAcceptance: readonly number[] | undefined;
      readonly promptTokens: CompiledDistribution;
      readonly outputTokens: CompiledDistribution;
      readonly complexity: CompiledDistribution;
    }
  | {
      readonly type: "query-trace";
      /** Arrival times (ms from the first row) and token counts of this device's rows. */
      readonly times: Float64Array;
      readonly promptTokens: Float64Array;
      readonly outputTokens: Float64Array;
      readonly complexity: CompiledDistribution;
    }
  | {
      readonly type: "pipeline";
      readonly interarrival: CompiledDistribution;
      readonly referenceNode: number;
      readonly stages: readonly PipelineStageSpec[];
      /** The stages as an application of query stages chained from the device back to it, run by a DagRunner (src/world/queries/pipeline-jobs.ts). */
      readonly application: DagApplication;
    };

export interface LlmDevice {
  readonly id: string;
  readonly group: string;
  readonly index: number;
  readonly profile: string | undefined;
  /** The on-device model, if any. */
  readonly localServing: ServingSpec | undefined;
  /** Without an on-device model: the edge nodes of the local route. */
  readonly localNodes: readonly number[];
  readonly workload: LlmWorkload;
}

export interface LlmRouterEntry {
  readonly name: string;
  readonly label: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly pipelineMaxAttempts: number | undefined;
}
