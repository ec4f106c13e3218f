import type { Stage, StageSummary } from "./stage-stats.js";
import type { TimeSeries } from "./time-series.js";

/** Version tag of the results file; bump on any incompatible change. */
export const RESULTS_SCHEMA = "continuum-sim/results@1";

/** The results file: plain JSON, all times in milliseconds, nothing that depends on wall-clock time. */
export interface Results {
  schema: typeof RESULTS_SCHEMA;
  simulator: { name: "continuum-sim"; version: string };
  scenario: {
    name: string;
    description: string;
    /** sha256 of the scenario document and the hardware profiles it uses. */
    hash: string;
    devices: number;
    nodes: { id: string; profile: string | null; path: string; slots: number }[];
  };
  seed: number | string;
  units: { time: "ms"; throughput: "requests/s" };
  window: { warmupMs: number; durationMs: number; drainMs: number; measuredMs: number };
  qosDeadlineMs: number;
  quantiles: { method: string; relativeError: number; timeSeriesRelativeError: number };
  /** Mean one-way latency from each device (or device group, beyond 256 devices) to each node. */
  network: { devices: string[]; nodes: string[]; nominalLatencyMs: number[][] };
  runs: SchedulerResults[];
}

export interface SchedulerResults {
  scheduler: string;
  label: string;
  /** The policy learns online (its learning curve is the violation rate per time bin). */
  learned: boolean;
  /** What the policy reports about itself (e.g. learned weights, federated bytes exchanged). */
  schedulerStatistics: Record<string, number>;
  requests: {
    generated: number;
    /** Completed requests created in the measurement window. */
    completed: number;
    /** Refused by a full node queue (measurement window). */
    dropped: number;
    /** Lost to a crashed node: queued or in service at the crash, or sent to it while down (measurement window). */
    lost: number;
    /** Still in flight when the run ended (any creation time). */
    unfinished: number;
  };
  /** Completed requests per second of measurement window. */
  throughput: number;
  qos: {
    deadlineMs: number;
    /** Completed later than the deadline. */
    late: number;
    /** Still in flight at the end, created in the window and already older than the deadline. */
    unfinishedLate: number;
    /** late + dropped + lost + unfinishedLate. */
    violations: number;
    /** With a monitoring scheduler: time during which at least one node's recent p95 exceeded the deadline (sampled at monitor ticks); null otherwise. */
    timeInViolationMs: number | null;
    /** violations / (completed + dropped + lost + unfinishedLate). */
    violationRate: number | null;
  };
  latency: Record<Stage, StageSummary>;
  /** Total latency at p = 0, 0.01, ..., 0.99, 0.995, 0.999, 1 (sketched, within the stated relative error). */
  latencyCdf: { p: number; ms: number }[];
  nodes: NodeResults[];
  /** Requests run on their own devices (local-only), or null when none was. */
  local: { completed: number; late: number; utilisation: number; latency: Record<Stage, StageSummary> } | null;
  /** Crashes and link degradations as they happened, with health-check detection times. */
  faults: FaultResult[];
  /** Session migrations decided by a monitoring scheduler. */
  migrations: MigrationResult[];
  /** Bins from the end of the warm-up: request outcomes by creation time, node state as time averages. */
  timeSeries: TimeSeries;
  events: number;
}

export interface MigrationResult {
  timeMs: number;
  device: string;
  from: string;
  to: string;
  reason: string;
  /** Model load + state transfer: the old node serves the session until then. */
  switchMs: number;
  /** Requests the device created during the switch (served by the old node). */
  requestsDuringSwitch: number;
}

export interface FaultResult {
  kind: "crash" | "link-degradation";
  /** The node id, or for a degradation "node <- device, ..." (all devices: "node <- *"). */
  target: string;
  startMs: number;
  /** null when the fault lasts past the end of the run. */
  endMs: number | null;
  /** Crash only: when a failed health check made the node known to be down (null: not detected in the run). */
  detectedAtMs?: number | null;
  /** Crash only: when a passing check made the recovery known (null: not seen in the run). */
  recoveryDetectedAtMs?: number | null;
}

export interface NodeResults {
  id: string;
  completed: number;
  late: number;
  dropped: number;
  lost: number;
  /** Time down within the measurement window, ms. */
  downMs: number;
  /** Joules over the window from the profile's idle/busy power (null without power figures). */
  energyJ: number | null;
  utilisation: number;
  meanQueueLength: number;
  meanBusySlots: number;
  latency: Record<Stage, StageSummary>;
}
