/**
 * The HPA's replica count from a metric (kubernetes/kubernetes
 * pkg/controller/podautoscaler/replica_calculator.go, GetResourceReplicas; the HPA doc's
 * desired = ceil(current x metric / target)), before stabilisation and rate limits.
 *
 * The metric is the mean over the `ready` replicas; the other `current - ready` (being
 * provisioned: no metric yet) are the calculator's missing pods: on a scale-up they count as 0 %
 * of the target (as unready pods do), on a scale-down as 100 %, so that replicas not yet measured
 * never push the count further. If counting them flips the direction, or lands within the
 * tolerance, nothing changes.
 *
 * @param current replicas wanted now (ready or being provisioned), >= 1
 * @param ready replicas measured, 1..current
 * @param ratio the ready replicas' mean metric over the target
 * @param tolerance no change while |ratio - 1| <= tolerance
 */
export function hpaReplicaCount(current: number, ready: number, ratio: number, tolerance: number): number {
  const missing = Math.max(0, current - ready);
  if (missing === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return current;
    return Math.ceil(ratio * ready);
  }
  // Missing replicas at 0 % of the target on a scale-up, at 100 % on a scale-down.
  const missingRatio = ratio > 1 ? 0 : 1;
  const all = ready + missing;
  const newRatio = (ratio * ready + missingRatio * missing) / all;
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return current;
  const replicas = Math.ceil(newRatio * all);
  // The calculator refuses a count that goes against the direction of the ratio.
  if ((newRatio < 1 && replicas > current) || (newRatio > 1 && replicas < current)) return current;
  return replicas;
}
