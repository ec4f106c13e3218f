/**
 * Every default of the `control` section (issue 17), stated once: the schema's `.meta`
 * descriptions (and so the JSON Schema editors show) and the resolver both read these constants,
 * as src/scenario/defaults.ts does for the rest of the format. Each names its source (a file of
 * the project it comes from); "notes §n" is section n of issue 17's sourced notes on the control
 * plane.
 */

// Provisioning -------------------------------------------------------------------------------------

/**
 * Pull rate of a node with no route from the registry, bits/s. No source gives an edge site's
 * registry bandwidth: 100 Mbit/s is an assumption (Fast Ethernet, a common edge uplink); a
 * scenario should state pullRate or a registry with routes.
 */
export const DEFAULT_PULL_RATE_BITS_PER_S = 100e6;
/** Layers a node downloads at once: EdgeSimPy's max_concurrent_layer_downloads (EdgeSimPy/EdgeSimPy edge_sim_py/components/edge_server.py; notes §5); the kubelet pulls serially by default (kubernetes/website concepts/containers/images.md; notes §2). */
export const DEFAULT_MAX_CONCURRENT_PULLS = 3;
/** Model read rate for the load-time estimate, bits/s: "about 90 MB/s", a Raspberry Pi SD card at SDR104 (raspberrypi/linux issue 7103; notes §6); labelled an estimate in the results. */
export const DEFAULT_MODEL_READ_RATE_BITS_PER_S = 90e6 * 8;
/** A deployment without modelSize loads nothing. */
export const DEFAULT_MODEL_BYTES = 0;
/**
 * Container start (sandbox, network, runtime init) before the model load, ms. No source measured
 * it (EdgeSimPy has no start delay, notes §5): 1 s is an estimate of a containerd start on an edge
 * board.
 */
export const DEFAULT_START_MS = 1000;
/** A replica asks for nothing, as a Kubernetes pod without requests (BestEffort): it fits every node. */
export const DEFAULT_REQUESTS = { cpuCores: 0, memoryBytes: 0, accelerators: 0 } as const;
/** A Deployment's spec.replicas default. */
export const DEFAULT_REPLICAS = 1;
/** The replicas wanted at time 0 run at time 0 (provisioned before the run, images cached), so a run measures steady service unless asked otherwise. */
export const DEFAULT_READY_AT_START = true;
/** kube-scheduler's NodeResourcesFit default strategy, LeastAllocated (kubernetes/kubernetes pkg/scheduler/apis/config/v1/defaults.go@defaultResourceSpec; notes §2). */
export const DEFAULT_SCORING = "least-allocated" as const;

// Nodes ----------------------------------------------------------------------------------------------

/**
 * What the orchestrator assumes of a node without a hardware profile (an abstract server): one
 * core, memory not limiting, no accelerator. A node with a profile has its cpu.cores, its
 * memoryMiB and one accelerator unless the profile's accelerator kind is "none".
 */
export const DEFAULT_NODE_WITHOUT_PROFILE = { cpuCores: 1, memoryBytes: Infinity, accelerators: 0 } as const;
/** The accelerators of a profile whose accelerator kind is not "none" (the world serves one accelerator per node). */
export const PROFILE_ACCELERATORS = 1;

// Autoscaler (notes §1) -----------------------------------------------------------------------------

/** HPA's resource metric is utilisation; Knative's concurrency is the "jobs" metric. */
export const DEFAULT_AUTOSCALER_METRIC = "utilisation" as const;
/** HPA's minReplicas default (kubernetes/api autoscaling/v2/types.go; notes §1). */
export const DEFAULT_MIN_REPLICAS = 1;
/**
 * HPA (kubernetes/kubernetes pkg/controller/podautoscaler/config/v1alpha1/defaults.go and
 * pkg/apis/autoscaling/v2/defaults.go; notes §1): --horizontal-pod-autoscaler-sync-period 15 s, tolerance 0.1, scale-up window 0, scale-down window 300 s, policies 4 pods and 100 % up, 100 % down per period. */
export const DEFAULT_HPA = {
  syncPeriodMs: 15_000,
  tolerance: 0.1,
  scaleUpWindowMs: 0,
  scaleDownWindowMs: 300_000,
  scaleUpPods: 4,
  scaleUpPercent: 100,
  scaleDownPercent: 100,
} as const;
/** Knative's scale-to-zero-grace-period (knative/serving config/core/configmaps/autoscaler.yaml; notes §1), only with minReplicas 0. */
export const DEFAULT_SCALE_TO_ZERO_AFTER_MS = 30_000;

// Catalog (notes §4) --------------------------------------------------------------------------------

/** Consul ?stale reads are "generally within 50 ms" of the leader (developer.hashicorp.com/consul/api-docs/features/consistency; notes §4). */
export const DEFAULT_PROPAGATION_DELAY_MS = 50;
/** Consul has no default deregister_critical_service_after: a critical service stays registered. */
export const DEFAULT_DEREGISTER_CRITICAL_AFTER_MS = Infinity;
/** Consul's check_deregister_interval_min (hashicorp/consul agent/config/default.go; notes §4): deregister_critical_service_after is at least 1 min. */
export const MIN_DEREGISTER_CRITICAL_AFTER_MS = 60_000;
/** Consul's check_reap_interval (same file): how often critical services are looked for. */
export const REAP_INTERVAL_MS = 30_000;
/** A discovery query costs nothing unless stated. */
export const DEFAULT_DISCOVERY_QUERY_MS = 0;
/** Consul's DNS TTL for services is 0: every job asks the catalog (Consul DNS configuration reference; notes §4). */
export const DEFAULT_DISCOVERY_TTL_MS = 0;
