import type { RandomStreams } from "../engine/rng.js";
import type { Simulator } from "../engine/simulator.js";
import type { Network } from "../network/network.js";
import type { FrameResults, GroupResults, JobCounts, QueryResults, RunNodeResults } from "../metrics/results-schema.js";
import type { MigrationResult } from "../metrics/results.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";
import type { JobsWaited } from "../metrics/network-results.js";
import type { WorldControl } from "./service-host.js";

/**
 * A compute unit of a node (its accelerator, or its CPU) shared by the services whose inference
 * runs on it (docs/accelerator-sharing.md). A service tells the unit when it becomes busy or idle;
 * the unit tells the other busy services when the speed they get changes. (How busy the node is,
 * for utilisation and energy, is integrated once, by the world's NodeActivity.)
 */
export interface ComputeUnit {
  /** Share of the unit's full speed a busy service gets now: 1 alone; under time-slicing 1/k with k busy services. */
  speedOf(service: number): number;
  /** Registers a service; `onSpeedChange` is called (synchronously, at the current time) whenever its speed changes. Returns its id. */
  register(onSpeedChange: () => void): number;
  /** The service has work on the unit (true) or none (false). Idempotent. */
  setBusy(service: number, busy: boolean): void;
}

/** What a workload family's traffic (frames, queries) is given by the one world. */
export interface TrafficContext {
  readonly sim: Simulator;
  readonly streams: RandomStreams;
  readonly scenario: ResolvedScenario;
  readonly network: Network;
  /** Health as the checks know it (what policies see): 1 healthy. Shared by every family. */
  readonly knownHealthy: Uint8Array;
  /** Whether the node is actually up: 1 up. Shared by every family. */
  readonly up: Uint8Array;
  /** The compute unit a node's service of this family runs on. */
  unit(node: number, family: "frames" | "llm"): ComputeUnit;
  /**
   * Whether the node's services can slow each other (servicesContend in compute-unit.ts): when
   * false every service runs at full speed always and may skip the unit's bookkeeping.
   */
  contends(node: number): boolean;
  /**
   * A node's service reports how loaded it is now, in [0, 1] (frames: busy slots / slots; llm:
   * 1 while its batch is not empty). The world integrates min(1, sum over services) per node over
   * the measurement window: the node's utilisation and the busy part of its energy.
   */
  loadChanged(node: number, family: "frames" | "llm", level: number): void;
  /**
   * The control plane (issue 17), undefined for a scenario without `control`: then every service
   * takes jobs from time 0 and the traffics never call it (their per-job path checks this once).
   */
  readonly control: WorldControl | undefined;
}

/** What a family contributes to one run's results (built by the family, assembled by the world). */
export interface FrameFamilyResults {
  readonly section: FrameResults;
  /** Per node index: the slot service's figures, null for a node without one. */
  readonly nodes: readonly RunNodeResults["frames"][];
  /** Per device group with frame workloads, in scenario order. */
  readonly groups: readonly { group: string; devices: number; jobs: JobCounts; frames: NonNullable<GroupResults["frames"]> }[];
  readonly migrations: readonly MigrationResult[];
  /** With a monitoring policy: time in violation; null otherwise. */
  readonly timeInViolationMs: number | null;
  /** Per device group with frame workloads, in scenario order: jobs whose transfers waited for a handover or for coverage. */
  readonly waited: readonly JobsWaited[];
}

export interface QueryFamilyResults {
  readonly section: QueryResults;
  /** Per node index: the llm service's figures, null for a node without one. */
  readonly nodes: readonly RunNodeResults["llm"][];
  /** Per device group with query workloads, in scenario order. */
  readonly groups: readonly { group: string; devices: number; jobs: JobCounts; queries: NonNullable<GroupResults["queries"]> }[];
  /** Per device group with query workloads, in scenario order: jobs whose transfers waited for a handover or for coverage. */
  readonly waited: readonly JobsWaited[];
}

/**
 * A workload family's part of the world. The world creates one per family present, starts them,
 * forwards crashes and recoveries (after updating `up`), and ends them.
 */
export interface Traffic {
  /** Schedules the first arrivals (time 0). */
  start(): void;
  /** The node crashed (up[node] is already 0): its queued and in-service jobs are lost. */
  crashNode(node: number): void;
  /** The node is up again (up[node] is already 1). */
  recoverNode(node: number): void;
  /** The run ended at `endMs`: classify what is still in flight. */
  finish(endMs: number): void;
}
