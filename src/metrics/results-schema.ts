import type { DagResults } from "../dag/dag-results.js";
import type { ControlRunResults } from "../control/types.js";
import type { LlmGroupResults, LlmNodeResults, LlmRunResults } from "../llm/llm-results.js";
import type { LinkResults, MobilityResults } from "./network-results.js";
import type { ReplicationResults } from "./replication-results.js";
import type { FaultResult, MigrationResult, NodeResults, SchedulerResults } from "./results.js";
import type { StageSummary } from "./stage-stats.js";

/**
 * The one results file (issue 13): one window, one vocabulary, one set of counts for every
 * workload kind, and a section per workload family. Plain JSON, times in ms, nothing that depends
 * on wall-clock time. Bump the version on any incompatible change.
 */
export const RESULTS_SCHEMA = "continuum-sim/results@2";

/** Outcomes of jobs created in the measurement window [warmup, duration). */
export interface JobCounts {
  generated: number;
  /** Completed (answer delivered), whenever that happened (drain included). */
  completed: number;
  /** The policy chose not to run it. */
  dropped: number;
  /** A service refused it: full queue, or a query longer than the context a batch slot holds. */
  refused: number;
  /** Lost to a node crash (queued or in service at the crash, or reaching the node while down). */
  lost: number;
  /** Still in flight when the run ended. */
  unfinished: number;
  /** Completed after a deadline. */
  late: number;
  /** Unfinished and already past a deadline at the end: certain violations. */
  unfinishedLate: number;
  /** late + dropped + refused + lost + unfinishedLate. */
  violations: number;
  /** violations / (completed + dropped + refused + lost + unfinishedLate); null when that is 0. */
  violationRate: number | null;
}

export interface Results {
  schema: typeof RESULTS_SCHEMA;
  simulator: { name: "continuum-sim"; version: string };
  scenario: {
    name: string;
    description: string;
    hash: string;
    devices: number;
    /** Device groups in scenario order, with the workload families each carries. */
    groups: { id: string; devices: number; families: ("frames" | "queries" | "applications")[] }[];
    nodes: NodeDescription[];
  };
  seed: number | string;
  units: { time: "ms"; rate: "per s"; money: "USD"; energy: "J"; tokens: "tokens" };
  /**
   * measuredMs = durationMs - warmupMs: jobs created in [warmup, duration) are measured; rates
   * (throughput, tokens/s) and time averages (utilisation, queue length, busy slots, energy, down
   * time) are taken over that same window, so a drain never dilutes them.
   */
  window: { warmupMs: number; durationMs: number; drainMs: number; measuredMs: number };
  qos: { frameDeadlineMs: number | null; ttftDeadlineMs: number | null; totalDeadlineMs: number | null };
  quantiles: { method: string; relativeError: number; timeSeriesRelativeError: number };
  /** Mean one-way latency from each device (or device group, beyond 256 devices) to each node. */
  network: { devices: string[]; nodes: string[]; nominalLatencyMs: number[][] };
  runs: RunResults[];
  /** Only in a run with --replications N: the seeds, each replication's runs and every figure's 95% interval; `runs` is replication 0's. */
  replications?: ReplicationResults;
}

export type ServiceDescription =
  | { type: "slots"; path: string; slots: number; unit: string }
  | {
      type: "llm";
      model: string;
      quantization: string;
      path: string;
      unit: string;
      maxBatch: number;
      prefillTokensPerS: number;
      decodeTokensPerS: number;
      memoryMiB: number | null;
      usableMemoryMiB: number | null;
    };

export interface NodeDescription {
  id: string;
  profile: string | null;
  role: "edge" | "cloud";
  sharing: "time-slicing" | "isolated";
  services: ServiceDescription[];
}

/** One compared run (one PolicyEntry). */
export interface RunResults {
  label: string;
  /** The policy of each family (null when the scenario has no workload of that family). */
  policies: { frames: string | null; queries: string | null };
  /** A policy learns online (the report draws its learning curve). */
  learned: boolean;
  /** What the policies report about themselves (frame policy's keys, then the query policy's). */
  policyStatistics: Record<string, number | number[]>;
  /** Every job of every family together. */
  jobs: JobCounts;
  nodes: RunNodeResults[];
  groups: GroupResults[];
  /** Crashes and link degradations as they happened, with health-check detection times. */
  faults: FaultResult[];
  migrations: MigrationResult[];
  /** With a monitoring frame policy: time with at least one node's recent p95 above the deadline; null otherwise. */
  timeInViolationMs: number | null;
  frames: FrameResults | null;
  queries: QueryResults | null;
  /** Capacity-limited links and access points' air interfaces (issue 15); null when the scenario has none. */
  links: LinkResults | null;
  /** Moving devices: handovers, coverage, waits, tracks (issue 15); null when no device group has `mobility`. */
  mobility: MobilityResults | null;
  /** The control plane (issue 17): replicas over time, provisioning, catalog, node membership; null when the scenario has no `control` (docs/control-plane.md). */
  control: ControlRunResults | null;
  /** Applications as graphs (issue 17): per application, jobs, end-to-end latency, per stage and per edge (docs/applications.md); null when the scenario has no `applications`. */
  applications: DagResults[] | null;
  events: number;
}

/** A node in one run: what is common, then each service's own figures. */
export interface RunNodeResults {
  id: string;
  /** Down time within the measurement window. */
  downMs: number;
  /** Energy over the window: idle power plus (busy - idle) while any service on the node is busy; null without power figures. */
  energyJ: number | null;
  /** Share of the window during which at least one service was busy. */
  utilisation: number;
  frames: FrameNodeResults | null;
  llm: Omit<LlmNodeResults, "id" | "downMs" | "energyJ"> | null;
}

/**
 * A node's slot service: `refused` counts frames its full queues turned away (what results@1
 * called `dropped`); `dropped` stays for the policy's choice not to run a job, which has no node (0).
 */
export type FrameNodeResults = Omit<NodeResults, "id" | "downMs" | "energyJ"> & { refused: number };

/** Frame jobs: the per-stage view of the published testbed. */
export interface FrameResults {
  jobs: JobCounts;
  /** Completed frames per second of the measurement window. */
  throughput: number;
  latency: SchedulerResults["latency"];
  latencyCdf: SchedulerResults["latencyCdf"];
  local: SchedulerResults["local"];
  timeSeries: SchedulerResults["timeSeries"];
}

/** Query jobs: TTFT, tokens, money, privacy and quality. */
export type QueryResults = Omit<LlmRunResults, "router" | "label" | "queries" | "qos" | "nodes" | "groups" | "faults" | "routerStatistics" | "events"> & {
  jobs: JobCounts;
};

export interface GroupResults {
  group: string;
  devices: number;
  jobs: JobCounts;
  frames: { latency: { total: StageSummary } } | null;
  queries: Omit<LlmGroupResults, "group" | "devices" | "queries" | "violationRate"> | null;
}
