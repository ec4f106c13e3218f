/**
 * The control plane (issue 17): services as deployable units (an image of layers, a model to
 * load, resource requests), a Consul-like catalog that views can see late, and a K3s-like
 * orchestrator that places replicas, scales them and restarts them (docs/control-plane.md).
 *
 * These are the resolved shapes (every time in ms, every size in bytes, every reference an index)
 * and the interfaces between the control plane and the world. A scenario without `control` has
 * none of this: every service is on its node from time 0, as before.
 */

/** The two kinds of service a node hosts: the slot service (frames) and the language model (queries). */
export type ServiceFamily = "frames" | "llm";

export interface ResolvedLayer {
  /** As written (e.g. "sha256:..." or "debian-12-slim"); two images naming the same digest share the layer. */
  readonly digest: string;
  readonly bytes: number;
}

export interface ResolvedImage {
  readonly id: string;
  /** Indices into ResolvedControl.layers, in pull order. */
  readonly layers: readonly number[];
}

/** What a replica asks of its node (Kubernetes resource requests); the scheduler fits requests against capacity. */
export interface ResourceRequests {
  readonly cpuCores: number;
  readonly memoryBytes: number;
  /** Accelerators (0 or whole units): a node has as many as its profile's accelerator (1, or 0 for kind "none"). */
  readonly accelerators: number;
}

/** A node as the orchestrator sees it. */
export interface ControlNode {
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly accelerators: number;
  /** Layer indices already on the node at time 0 (from its cached images). */
  readonly cachedLayers: readonly number[];
  /** False for a node whose first timeline event is a join: it is absent (down, not in the catalog) until then. */
  readonly presentAtStart: boolean;
}

/** The node scoring of the pod scheduler (kube-scheduler's NodeResourcesFit strategies, plus an accelerator-aware one). */
export type Scoring = "least-allocated" | "most-allocated" | "accelerator-aware";

export interface ResolvedAutoscaler {
  /**
   * utilisation: the service's load level averaged over the sync period and the ready replicas
   * (busy slots / slots; a language model: batch non-empty), against `target` in (0, 1].
   * jobs: jobs waiting or in service per ready replica (Knative's concurrency), against `target` > 0.
   */
  readonly metric: "utilisation" | "jobs";
  readonly target: number;
  /** HPA's --horizontal-pod-autoscaler-sync-period (15 s). */
  readonly syncPeriodMs: number;
  /** No change while |metric / target - 1| <= tolerance (0.1). */
  readonly tolerance: number;
  /** The largest recommendation of this window is used to scale down (300 s); scale-up uses the smallest of its window (0). */
  readonly scaleDownWindowMs: number;
  readonly scaleUpWindowMs: number;
  /** Scale-up limit: at most max(pods, percent of the count 15 s ago) more replicas within any 15 s (the HPA's policy period; one sync at the default period). */
  readonly scaleUpPods: number;
  readonly scaleUpPercent: number;
  /** Scale-down limit: at most this percent of the count 15 s ago fewer within any 15 s (100 %). */
  readonly scaleDownPercent: number;
  /** With minReplicas 0: idle this long (no job in service or waiting) -> 0 replicas (Knative's scale-to-zero grace, 30 s). Infinity when minReplicas > 0. */
  readonly scaleToZeroAfterMs: number;
}

export interface ResolvedDeployment {
  readonly id: string;
  readonly index: number;
  readonly family: ServiceFamily;
  /**
   * Nodes whose service of `family` this deployment manages, in scenario order: such a node's
   * service runs only while a replica of this deployment runs there (at most one per node). A
   * node's service no deployment names runs from time 0, as without a control plane.
   */
  readonly candidates: readonly number[];
  /** Index into ResolvedControl.images. */
  readonly image: number;
  readonly modelBytes: number;
  /** Per node index: time to load the model once the image is on the node, ms (NaN for a node not a candidate). */
  readonly loadMs: Float64Array;
  /** Per node index: "scenario" when given, "estimate" when modelBytes / modelReadRate. */
  readonly loadSource: readonly ("scenario" | "estimate" | "none")[];
  /** Container start (sandbox, runtime init) before the model load, ms. */
  readonly startMs: number;
  readonly requests: ResourceRequests;
  /** Replicas wanted at time 0. */
  readonly replicas: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** True: the replicas wanted at time 0 are running at time 0 (provisioned before the run). False: they are provisioned from time 0. */
  readonly readyAtStart: boolean;
  readonly scoring: Scoring;
  readonly autoscaler: ResolvedAutoscaler | undefined;
}

export interface ResolvedCatalog {
  /** A catalog change (registration, deregistration, health) reaches every view (devices' discovery answers, policies) this much later, ms. */
  readonly propagationDelayMs: number;
  /** A service critical this long is deregistered (Consul deregister_critical_service_after; minimum 1 min). Infinity: never. */
  readonly deregisterCriticalAfterMs: number;
  /** How often the reaper looks for such services (Consul: 30 s). */
  readonly reapIntervalMs: number;
  /** A device agent's discovery query: the time it takes, and how long its answer is cached. 0 / 0: every job asks and at once, so a device sees exactly the policies' view (an infinite TTL would freeze its first answer). */
  readonly discoveryQueryMs: number;
  readonly discoveryTtlMs: number;
}

export interface NodeTimelineEvent {
  readonly atMs: number;
  readonly node: number;
  /** leave: graceful (deregistered at once, jobs there lost, replicas rescheduled); join: registers, receives replicas. */
  readonly kind: "join" | "leave";
}

/** ResolvedScenario.control: undefined for a scenario without `control`. */
export interface ResolvedControl {
  /** Node images are pulled from over the network when a route joins it to the target; undefined: every pull at pullBytesPerMs. */
  readonly registryNode: number | undefined;
  /** Pull rate of a node with no route from the registry (or no registry), bytes per ms. */
  readonly pullBytesPerMs: number;
  /** Layers a node downloads at once (EdgeSimPy: 3); more wait. */
  readonly maxConcurrentPulls: number;
  /** Model load rate used when a deployment gives no loadTime, bytes per ms (an estimate, labelled as such in results). */
  readonly modelReadBytesPerMs: number;
  readonly layers: readonly ResolvedLayer[];
  readonly images: readonly ResolvedImage[];
  /** Per node index. */
  readonly nodes: readonly ControlNode[];
  readonly deployments: readonly ResolvedDeployment[];
  readonly catalog: ResolvedCatalog;
  /** Sorted by time, then scenario order. */
  readonly timeline: readonly NodeTimelineEvent[];
}

/**
 * What the control plane does to the world (the world implements it). Calls happen at the
 * current simulated time.
 */
export interface ServiceHost {
  /** A replica became ready: the node's service of `family` accepts jobs from now. */
  serviceStarted(node: number, family: ServiceFamily): void;
  /**
   * A replica is removed (scale-down, eviction): from now the node's service of `family` accepts
   * no new job (an arrival is rejected: ControlPlane.rejected); jobs already there finish (drain).
   */
  serviceStopped(node: number, family: ServiceFamily): void;
  /** A node leaves (timeline) or is lost: it goes down as in a crash, its jobs are lost. */
  nodeLeft(node: number): void;
  /** A node joins (timeline): it is up from now, with no service running until a replica starts. */
  nodeJoined(node: number): void;
  /** ∫ load level dt of the node's service of `family` since time 0, ms (the level NodeActivity is told). */
  busyIntegralMs(node: number, family: ServiceFamily): number;
  /** Jobs waiting or in service at the node's service of `family` now. */
  jobsAt(node: number, family: ServiceFamily): number;
}

// Results ------------------------------------------------------------------------------------------

export type ProvisioningReason = "initial" | "scale-up" | "restart" | "join";

/** One replica's provisioning, from the decision to run it to ready (or to the end of the run). */
export interface ProvisioningRecord {
  readonly deployment: string;
  readonly node: string;
  readonly reason: ProvisioningReason;
  /** When the replica was wanted (the autoscaler's decision, a restart...). */
  readonly requestedAtMs: number;
  /** When the scheduler placed it on the node (after any time pending). */
  readonly scheduledAtMs: number;
  /** Image pull: from scheduling to the last layer on the node (equal when every layer was cached). */
  readonly pullEndMs: number;
  readonly bytesPulled: number;
  readonly layersPulled: number;
  readonly layersCached: number;
  /** Container start done, model load begins. */
  readonly startEndMs: number;
  /** Ready (registered in the catalog); null when the run ended first or the replica was cancelled. */
  readonly readyAtMs: number | null;
  /** "scenario" or "estimate": where the load time came from. */
  readonly loadSource: "scenario" | "estimate";
  /** True when at least one job waited for this replica (a cold start after scale-to-zero). */
  readonly coldStart: boolean;
}

/** A replica that could not be placed, and why (the scheduler's message, e.g. memory). */
export interface PendingRecord {
  readonly deployment: string;
  readonly atMs: number;
  /** Until it was placed; null when still pending at the end. */
  readonly untilMs: number | null;
  readonly reason: string;
}

/** Replica counts of a deployment after each change (a step function). */
export interface ReplicaStep {
  readonly atMs: number;
  /** What the orchestrator wants (autoscaler, or the spec). */
  readonly desired: number;
  /** Running and registered. */
  readonly ready: number;
  /** Wanted but not placed (no node fits). */
  readonly pending: number;
}

export interface DeploymentResults {
  readonly id: string;
  readonly family: ServiceFamily;
  readonly replicas: readonly ReplicaStep[];
  readonly provisioning: readonly ProvisioningRecord[];
  readonly pending: readonly PendingRecord[];
  /** Jobs that waited for a replica (scale-to-zero), and their wait, ms. */
  readonly coldStarts: { readonly jobs: number; readonly meanWaitMs: number | null; readonly maxWaitMs: number | null };
  /** Autoscaler decisions that changed the desired count. */
  readonly scaleEvents: number;
}

export interface CatalogResults {
  readonly registrations: number;
  readonly deregistrations: number;
  /** Jobs sent to a node whose service was gone (a stale view): failed, counted as lost in the job counts too. */
  readonly staleRejected: number;
  readonly discoveryQueries: number;
  /** Time jobs spent waiting for a discovery answer, summed, ms. */
  readonly discoveryWaitMs: number;
}

export interface NodeMembership {
  readonly node: string;
  readonly joinedAtMs: readonly number[];
  readonly leftAtMs: readonly number[];
  /** Per join: time from joining to its first ready replica, ms (null: none became ready). */
  readonly joinToServingMs: readonly (number | null)[];
}

/** runs[].control: null for a scenario without `control`. */
export interface ControlRunResults {
  readonly deployments: readonly DeploymentResults[];
  readonly catalog: CatalogResults;
  /** Only nodes with timeline events. */
  readonly membership: readonly NodeMembership[];
}
