import type { CompiledDistribution } from "../random/distributions.js";
import type { HardwareProfile } from "./profile-schema.js";
import type { QualityCurve } from "../llm/quality.js";
import type { PolicyEntry } from "../policies/policy-entry.js";
import type { BackgroundLoad, MigrationSettings, MonitorSettings, NodeService, ResolvedFault, ResolvedNetwork, ServiceClass } from "./resolved.js";
import type { LlmWorkload, ServingSpec } from "../llm/resolved.js";
import type { ResolvedControl } from "../control/types.js";
import type { DagApplication } from "../dag/types.js";

/**
 * The one resolved scenario (issue 13): every workload kind and every service model in one shape.
 * Every time in ms, every reference resolved to an index, groups expanded, defaults applied.
 * The world, the work estimate and the results read only this.
 */
export interface ResolvedScenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number | string;
  /** sha256 of the canonical scenario document and the profiles it uses. */
  readonly hash: string;
  /** Jobs are created in [0, durationMs); measured when created in [warmupMs, durationMs). */
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Extra time after durationMs for jobs in flight to finish (never negative). */
  readonly drainMs: number;
  /** Width of the time-series bins; the series covers [warmupMs, durationMs). */
  readonly binWidthMs: number;
  /** Arrival-rate multiplier of random-arrival query workloads (queries, pipeline) and time compression of query traces. */
  readonly loadScale: number;
  /** Deadlines, ms; Infinity where the scenario sets none (a kind without workloads). */
  readonly qos: QosDeadlines;
  readonly devices: readonly ResolvedDevice[];
  readonly nodes: readonly ResolvedNode[];
  /** The one network graph of every workload kind (docs/network.md). */
  readonly network: ResolvedNetwork;
  /** Distinct (model, frame size) pairs of frame workloads; frame workloads and slot services index into this list. */
  readonly serviceClasses: readonly ServiceClass[];
  /** The policy combinations compared on the same arrivals (one run each). */
  readonly policies: readonly PolicyEntry[];
  readonly healthCheckIntervalMs: number;
  readonly healthCheckTimeoutMs: number;
  readonly faults: readonly ResolvedFault[];
  readonly monitor: MonitorSettings;
  readonly migration: MigrationSettings;
  /** Settings of language-model traffic (used only when a device has a query workload). */
  readonly llm: LlmSettings;
  /** Which workload families occur (a run builds only what it needs). */
  readonly families: { readonly frames: boolean; readonly queries: boolean; readonly applications?: boolean };
  /** Applications as graphs of stages (docs/applications.md), indexed by DagWorkload.application; optional so hand-built scenarios (tests) may omit it. */
  readonly applications?: readonly DagApplication[];
  /** The control plane (issue 17, docs/control-plane.md); undefined: every service runs from time 0. Optional so hand-built scenarios (tests) may omit it. */
  readonly control?: ResolvedControl;
  readonly profiles: Readonly<Record<string, HardwareProfile>>;
}

export interface QosDeadlines {
  /** Frames (video, arrivals, trace): total latency deadline. */
  readonly frameDeadlineMs: number;
  /** Queries: time to first token and total. */
  readonly ttftDeadlineMs: number;
  readonly totalDeadlineMs: number;
}

export interface LlmSettings {
  /** The node whose llm service is the cloud route (role cloud), if any. */
  readonly cloudNode: number | undefined;
  readonly bytesPerToken: number;
  readonly requestOverheadBytes: number;
  readonly collaboration: { readonly draftRatio: number; readonly instructionTokens: number; readonly qualityFactor: number };
  readonly quality: QualityCurve;
  readonly electricityUsdPerKWh: number;
}

export type WorkloadFamily = "frames" | "queries" | "applications";

/** A frame workload: camera frames, random arrivals, or a replayed trace, served by slot services. */
export interface FrameWorkload {
  readonly family: "frames";
  readonly type: "video" | "arrivals" | "trace";
  readonly model: string;
  readonly frameSizePx: number;
  readonly serviceClass: number;
  readonly periodMs: number | undefined;
  readonly jitter: CompiledDistribution | undefined;
  readonly interarrival: CompiledDistribution | undefined;
  readonly startOffset: CompiledDistribution | undefined;
  readonly requestBytes: number;
  readonly resultBytes: number;
  /** Trace workloads: this device's arrival times, ms. */
  readonly arrivalTimes: Float64Array | undefined;
}

/** A query workload (queries, query-trace, pipeline), served by batched language-model services. */
export type QueryWorkload = LlmWorkload & { readonly family: "queries" };

/** Jobs of an application graph (docs/applications.md): a fixed period (fps) or random gaps. */
export interface DagWorkload {
  readonly family: "applications";
  readonly type: "dag";
  /** Index into ResolvedScenario.applications. */
  readonly application: number;
  /** With fps: the fixed gap between jobs, ms; else undefined and `interarrival` draws it. */
  readonly periodMs: number | undefined;
  readonly interarrival: CompiledDistribution | undefined;
  /** Time of the first job; undefined: one interarrival draw. */
  readonly startOffset: CompiledDistribution | undefined;
}

export type DeviceWorkload = FrameWorkload | QueryWorkload | DagWorkload;

/**
 * The random-stream names of a device's k-th workload start with this: `device/<id>` for the
 * first (the streams a one-workload device always had), `device/<id>/workload-<k>` for k >= 1.
 * Computed where the streams are made, not held per workload: a prefix per device and a workload
 * copy to carry it were about 200 bytes a device (issue 16: a million devices).
 */
export function streamPrefix(deviceId: string, k: number): string {
  return k === 0 ? `device/${deviceId}` : `device/${deviceId}/workload-${k}`;
}

export interface ResolvedDevice {
  readonly id: string;
  /** The id as written in the scenario (differs from `id` for groups with count > 1). */
  readonly group: string;
  readonly index: number;
  readonly profile: string | undefined;
  /**
   * In scenario order; at least one. The members of a group share these objects (and the array,
   * unless a trace deals each its own rows): nothing here is per device, so a workload's random
   * streams are named from the device, by streamPrefix(id, k).
   */
  readonly workloads: readonly DeviceWorkload[];
  /** Frames run on the device itself (local-only): from the profile's CPU path; undefined when it cannot. */
  readonly localService: NodeService | undefined;
  /** The on-device language model, if any. */
  readonly localServing: ServingSpec | undefined;
  /** Queries without an on-device model: the edge nodes of the local route. */
  readonly localNodes: readonly number[];
}

/** How services whose inference runs on the same compute unit of a node share it (docs/accelerator-sharing.md). */
export type UnitSharing = "time-slicing" | "isolated";

/** Frame serving on a node: slots with preprocessing + inference (today's edge node). */
export interface SlotServiceSpec {
  readonly type: "slots";
  /** Where inference runs on the profile. */
  readonly path: "accelerator" | "cpu";
  /** Inference slots (accelerator slots, or CPU slots on the CPU path). */
  readonly slots: number;
  /** Accelerator path: CPU cores preprocessing in a stage of their own (0: preprocessing in the inference slot). */
  readonly cpuSlots: number;
  /** Requests that may wait in this service's queues together; Infinity when unbounded. */
  readonly queueCapacity: number;
  /** Per service class (indexed like ResolvedScenario.serviceClasses). */
  readonly service: readonly NodeService[];
}

export interface ResolvedNode {
  readonly id: string;
  readonly index: number;
  /** null for an abstract server described only by its service-time distributions. */
  readonly profile: string | null;
  readonly role: "edge" | "cloud";
  /** Idle and busy power from the hardware profile, W. */
  readonly power: { readonly idleW: number; readonly busyW: number } | undefined;
  /** Hardware cost charged while a run uses the node (llm cost accounting). */
  readonly costUsdPerHour: number;
  readonly backgroundLoad: readonly BackgroundLoad[];
  /** The frame service, if the node serves frames. */
  readonly frames: SlotServiceSpec | undefined;
  /** The language-model service, if the node serves queries. */
  readonly llm: ServingSpec | undefined;
  /**
   * The compute unit each service's inference runs on ("accelerator" or "cpu"); services on the
   * same unit contend for it according to `sharing`.
   */
  readonly units: { readonly frames: "accelerator" | "cpu" | undefined; readonly llm: "accelerator" | "cpu" | undefined };
  readonly sharing: UnitSharing;
}
