import type { CompiledDistribution } from "../random/distributions.js";
import type { HardwareProfile } from "./profile-schema.js";

/** A scenario after validation: every time in ms, every reference resolved, groups expanded. */
export interface ResolvedScenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number | string;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly drainMs: number;
  readonly qosDeadlineMs: number;
  /** Width of the results' time-series bins. */
  readonly binWidthMs: number;
  /** sha256 of the canonical scenario document and the profiles it uses. */
  readonly hash: string;
  readonly devices: readonly ResolvedDevice[];
  readonly nodes: readonly ResolvedNode[];
  /** links[device][node]. */
  readonly links: readonly (readonly ResolvedLink[])[];
  /** Distinct (model, frame size) pairs; devices and nodes index into this list. */
  readonly serviceClasses: readonly ServiceClass[];
  readonly schedulers: readonly SchedulerEntry[];
  /** Health checks: each node is probed every interval (staggered by node index); a probe of a down node fails after the timeout. */
  readonly healthCheckIntervalMs: number;
  readonly healthCheckTimeoutMs: number;
  readonly faults: readonly ResolvedFault[];
  readonly monitor: MonitorSettings;
  readonly migration: MigrationSettings;
  readonly profiles: Readonly<Record<string, HardwareProfile>>;
}

export interface ServiceClass {
  readonly model: string;
  readonly frameSizePx: number;
}

export interface ResolvedWorkload {
  readonly type: "video" | "arrivals" | "trace";
  readonly model: string;
  readonly frameSizePx: number;
  readonly serviceClass: number;
  /** Video: the frame period. */
  readonly periodMs: number | undefined;
  /** Video: per-frame capture jitter, truncated to [0, period). */
  readonly jitter: CompiledDistribution | undefined;
  /** Arrivals: the gap between requests. */
  readonly interarrival: CompiledDistribution | undefined;
  readonly startOffset: CompiledDistribution | undefined;
  readonly requestBytes: number;
  readonly resultBytes: number;
}

export interface ResolvedDevice {
  readonly id: string;
  /** The id as written in the scenario (differs from `id` for groups with count > 1). */
  readonly group: string;
  readonly index: number;
  readonly profile: string | undefined;
  readonly workload: ResolvedWorkload;
  /** Trace workloads: this device's arrival times, ms (its share of the trace's rows). */
  readonly arrivalTimes: Float64Array | undefined;
  /** Running its own requests (local-only): from the device profile's CPU path; undefined when it cannot. */
  readonly localService: NodeService | undefined;
}

export interface NodeService {
  readonly preprocessing: CompiledDistribution;
  readonly inference: CompiledDistribution;
}

export interface ResolvedNode {
  readonly id: string;
  /** Idle and busy power from the hardware profile, W; undefined without a profile or power figures. */
  readonly power: { readonly idleW: number; readonly busyW: number } | undefined;
  readonly role: "edge" | "cloud";
  readonly index: number;
  /** null for an abstract server described only by its service-time distributions. */
  readonly profile: string | null;
  readonly path: "accelerator" | "cpu";
  /** Inference slots (accelerator slots, or CPU slots on the CPU path). */
  readonly slots: number;
  /**
   * Accelerator path: CPU cores preprocessing frames in a stage of their own, before the
   * accelerator (0: preprocessing shares the inference slot, as on the CPU path).
   */
  readonly cpuSlots: number;
  /** Infinity when unbounded. */
  readonly queueCapacity: number;
  /** Per service class (indexed like ResolvedScenario.serviceClasses). */
  readonly service: readonly NodeService[];
  readonly backgroundLoad: readonly BackgroundLoad[];
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
