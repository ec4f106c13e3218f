import type { ResolvedAutoscaler } from "./types.js";

/**
 * A horizontal autoscaler (issue 17, docs/control-plane.md): Kubernetes' HPA rule
 * desired = ceil(current x metric / target), with its tolerance, stabilisation windows and rate
 * limits (defaults from kubernetes/kubernetes, sources in docs/control-plane.md), and Knative's
 * scale to zero after an idle grace period. Pure: the control plane measures the metric and
 * calls `recommend` at every sync; the autoscaler keeps only its recommendation history.
 */
export class Autoscaler {
  constructor(
    readonly spec: ResolvedAutoscaler,
    readonly minReplicas: number,
    readonly maxReplicas: number,
  ) {
    throw new Error("Autoscaler: not implemented yet (issue 17, helper CP1)");
  }

  /**
   * The desired replica count at a sync.
   * @param nowMs the sync time
   * @param current replicas the deployment has now (desired so far)
   * @param ready ready replicas the metric was measured on
   * @param metric the metric averaged over the ready replicas and the last sync period (NaN when none is ready)
   * @param idleSinceMs since when the deployment has had no job in service or waiting (NaN when it has one now)
   */
  recommend(_nowMs: number, _current: number, _ready: number, _metric: number, _idleSinceMs: number): number {
    return 0;
  }
}
