/**
 * The scheduler interface: a policy sees what a real orchestrator could observe (a read-only
 * ClusterView) and returns node indices. It never reaches into engine internals.
 *
 * Nodes and devices are referred to by index (0 .. nodeCount-1, in scenario order) rather than
 * by id string, so a placement costs no allocation; `view.nodeId(i)` gives the id.
 */
export type NodeIndex = number;
export type DeviceIndex = number;

/** Returned by `place` to run the request on the device itself (no network), when the device can. */
export const LOCAL_NODE = -1;
/** Returned by `place` not to run the request at all (admission control): counted as dropped, a QoS violation. */
export const DROP = -2;

/** A request to place. The object is reused between calls: read it, do not keep it. */
export interface TaskRequest {
  /** Sequence number of the request within the run (0, 1, 2, ...). */
  readonly sequence: number;
  readonly device: DeviceIndex;
  readonly deviceId: string;
  readonly model: string;
  readonly frameSizePx: number;
  /** Bytes sent to the node. */
  readonly requestBytes: number;
  /** Simulated time the request was created, ms. */
  readonly createdAt: number;
}

/** What a scheduler may observe. All methods are cheap and allocation-free. */
export interface ClusterView {
  /** Current simulated time, ms. */
  readonly now: number;
  readonly nodeCount: number;
  readonly deviceCount: number;
  /** The QoS deadline of the scenario, ms. */
  readonly qosDeadlineMs: number;
  nodeId(node: NodeIndex): string;
  deviceId(device: DeviceIndex): string;
  isHealthy(node: NodeIndex): boolean;
  /** Parallel service slots of the node. */
  slots(node: NodeIndex): number;
  /** Slots serving a request now. */
  busySlots(node: NodeIndex): number;
  /** Requests waiting in the node's queue (not yet in service). */
  queueLength(node: NodeIndex): number;
  /** How long the oldest waiting request has waited, ms (0 with an empty queue). */
  queueDelay(node: NodeIndex): number;
  /** The node's queue delay exceeds the QoS deadline (the overload the published demo shows). */
  isOverloaded(node: NodeIndex): boolean;
  /** Requests placed on the node whose answer has not reached the device yet. */
  outstanding(node: NodeIndex): number;
  /**
   * Optional: the healthy node with the fewest outstanding requests, ties to the lowest index
   * (least-loaded's choice), when the view knows it without a scan; -1 when it does not (then
   * scan `outstanding`).
   */
  leastOutstanding?(): NodeIndex;
  /** Nominal one-way latency between a device and a node (mean of base latency + jitter), ms. */
  latency(device: DeviceIndex, node: NodeIndex): number;
  /**
   * The scenario's monitor percentile (default p95) of the total latency of the node's requests
   * completed within the monitor window; NaN with fewer than the monitor's minimum samples.
   * Tracked only for schedulers that implement `monitor`.
   */
  recentLatency(node: NodeIndex): number;
  /** True for a node in the cloud (profile role "cloud", or the scenario's node role). */
  isCloud(node: NodeIndex): boolean;
  /** True when the device can run its requests itself (its profile has the model on its CPU path). */
  canRunLocally(device: DeviceIndex): boolean;
  /** The hardware profile's mean preprocessing time for this device's requests on the node (no load), ms. */
  profilePreprocessingMs(device: DeviceIndex, node: NodeIndex): number;
  /** The hardware profile's mean inference time for this device's requests on the node (no load), ms. */
  profileInferenceMs(device: DeviceIndex, node: NodeIndex): number;
}

/** A finished request, as a learning policy would see it. Reused between calls, like TaskRequest. */
export interface TaskOutcome {
  readonly sequence: number;
  readonly device: DeviceIndex;
  readonly node: NodeIndex;
  readonly createdAt: number;
  readonly totalMs: number;
  /** Uplink + downlink time. */
  readonly networkMs: number;
  readonly queueingMs: number;
  readonly preprocessingMs: number;
  readonly inferenceMs: number;
  readonly violatedQos: boolean;
}

/** A session move, returned by a monitoring policy (used from the edge-world issue on). */
export interface Migration {
  readonly device: DeviceIndex;
  readonly from: NodeIndex;
  readonly to: NodeIndex;
  readonly reason: string;
}

export interface Scheduler {
  readonly name: string;
  /** Choose a node for a new request. */
  place(task: TaskRequest, view: ClusterView): NodeIndex;
  /** Optional: called on a monitoring tick; returns the migrations to perform. */
  monitor?(view: ClusterView): Migration[];
  /** Optional: learn from a finished request (every request, warm-up included). */
  observe?(outcome: TaskOutcome): void;
  /** True for a policy that learns online (the report draws its learning curve). */
  readonly learned?: boolean;
  /** Optional: numbers worth reporting at the end of a run (e.g. bytes exchanged by federated learning). */
  statistics?(): Record<string, number>;
  /** Optional: release resources (an agent process) at the end of the run; `summary` is undefined when the run failed. */
  close?(summary: RunSummaryForPolicy | undefined): void;
}

/** What a policy is told when its run ends. */
export interface RunSummaryForPolicy {
  readonly completed: number;
  readonly violationRate: number | null;
  readonly meanTotalMs: number | null;
}

/** The scenario as a policy may know it up front (sent to external agents in their hello). */
export interface ScenarioForPolicy {
  readonly name: string;
  readonly seed: number | string;
  readonly qosDeadlineMs: number;
  readonly nodes: readonly { readonly id: string; readonly slots: number; readonly role: "edge" | "cloud" }[];
  readonly devices: readonly { readonly id: string }[];
}

/** What a scheduler factory receives. */
export interface SchedulerContext {
  /** The scheduler's own random stream, independent of every other stream. */
  readonly random: () => number;
  readonly options: Readonly<Record<string, unknown>>;
  readonly nodeCount: number;
  readonly deviceCount: number;
  /** The label of the scheduler entry (distinguishes two entries of one policy). */
  readonly label: string;
  readonly scenario: ScenarioForPolicy;
  /** The scenario's monitor cool-down (ms): how long a node that failed a QoS check stays out, and the least time between two migrations of one session. */
  readonly monitorCooldownMs: number;
}

export type SchedulerFactory = (context: SchedulerContext) => Scheduler;
