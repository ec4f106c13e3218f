/** Parts of the one resolved scenario (src/scenario/resolved-scenario.ts) shared by its sections. */
import type { CompiledDistribution } from "../random/distributions.js";

export interface ServiceClass {
  readonly model: string;
  readonly frameSizePx: number;
}

export interface NodeService {
  readonly preprocessing: CompiledDistribution;
  readonly inference: CompiledDistribution;
}

export interface ResolvedLink {
  readonly latency: CompiledDistribution;
  readonly jitter: CompiledDistribution | undefined;
  /** Bytes per millisecond; Infinity when transfer time is not modelled. */
  readonly bytesPerMs: number;
  /** Mean one-way latency (base + jitter), what a latency matrix would show. */
  readonly nominalLatencyMs: number;
  readonly description: string;
}

export interface SchedulerEntry {
  readonly name: string;
  /** Distinguishes two entries of the same policy with different options. */
  readonly label: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export type ResolvedFault =
  | { readonly kind: "crash"; readonly node: number; readonly atMs: number; readonly recoverAfterMs: number }
  | {
      readonly kind: "crashes";
      readonly node: number;
      /** Position in the scenario's faults list (names the fault's random stream). */
      readonly index: number;
      readonly mtbf: CompiledDistribution;
      readonly mttr: CompiledDistribution;
    }
  | {
      readonly kind: "link-degradation";
      readonly node: number;
      /** Device indices whose link to the node degrades. */
      readonly devices: readonly number[];
      readonly fromMs: number;
      readonly toMs: number;
      readonly latencyMultiplier: number;
      readonly addedLatencyMs: number;
      readonly bandwidthFactor: number;
    };

/** Service slowdown over [fromMs, toMs): `slowdown`, or a ramp from `slowdown` to `rampTo`. */
export interface BackgroundLoad {
  readonly fromMs: number;
  readonly toMs: number;
  readonly slowdown: number;
  readonly rampTo: number | undefined;
}

export interface MonitorSettings {
  readonly intervalMs: number;
  readonly windowMs: number;
  readonly percentile: number;
  readonly minSamples: number;
  readonly cooldownMs: number;
}

export interface MigrationSettings {
  readonly modelLoadMs: number;
  readonly preloaded: boolean;
  readonly stateBytes: number;
}
