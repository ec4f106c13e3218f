import { hpaReplicaCount } from "./autoscaler-rule.js";
import type { ResolvedAutoscaler } from "./types.js";

/**
 * The period of the HPA's default scaling policies (4 pods and 100 % per 15 s up, 100 % per 15 s
 * down: kubernetes/kubernetes pkg/apis/autoscaling/v2/defaults.go, scaleUpPeriod). A policy
 * limits the change over the last period, not per sync: with the default 15 s sync the two agree.
 */
export const SCALING_POLICY_PERIOD_MS = 15_000;

/**
 * A horizontal autoscaler (issue 17, docs/catalog-and-autoscaling.md): Kubernetes' HPA rule
 * desired = ceil(ready x metric / target), with its tolerance, stabilisation windows and rate
 * limits, done as pkg/controller/podautoscaler/horizontal.go does them, and Knative's scale to
 * zero after an idle grace period. Pure: the control plane measures the metric and calls
 * `recommend` at every sync (and `wake` when a job finds no replica); the autoscaler never reads
 * the clock or the world, and keeps only its recommendation and scale-event history, bounded by
 * the longest window.
 *
 * Like the HPA with minReplicas 0 (KEDA's split: KEDA 0 <-> 1, HPA 1 <-> N), the HPA rule never
 * goes below one replica; only the idle rule goes to zero.
 */
export class Autoscaler {
  /** Raw recommendations (before stabilisation) and their times, oldest first, within the longest window. */
  private readonly recommendationTimes: number[] = [];
  private readonly recommendations: number[] = [];
  /** Replica changes the HPA made (positive up, negative down) and their times, within the policy period. */
  private readonly eventTimes: number[] = [];
  private readonly eventChanges: number[] = [];
  private readonly floor: number;

  constructor(
    readonly spec: ResolvedAutoscaler,
    readonly minReplicas: number,
    readonly maxReplicas: number,
  ) {
    this.floor = Math.max(1, minReplicas);
  }

  /**
   * The desired replica count at a sync.
   * @param nowMs the sync time
   * @param current replicas the deployment has now (desired so far)
   * @param ready ready replicas the metric was measured on
   * @param metric the metric averaged over the ready replicas and the last sync period (NaN when none is ready)
   * @param idleSinceMs since when the deployment has had no job in service or waiting (NaN when it has one now)
   */
  recommend(nowMs: number, current: number, ready: number, metric: number, idleSinceMs: number): number {
    const idle = !Number.isNaN(idleSinceMs);
    // Knative: no job for the grace period -> zero, from any count (KEDA's cooldownPeriod likewise).
    if (this.minReplicas === 0 && idle && nowMs - idleSinceMs >= this.spec.scaleToZeroAfterMs) return 0;
    // At zero the HPA is disabled (horizontal.go: scale.Spec.Replicas == 0); a job waiting wakes it.
    if (current === 0) return idle ? 0 : this.wake();
    // horizontal.go reconcileAutoscaler: outside [min, max] it goes to the bound, no metric read.
    if (current > this.maxReplicas) return this.maxReplicas;
    if (current < this.floor) return this.floor;
    // No metric (no ready replica: all provisioning): the HPA fails to compute and changes nothing.
    if (ready === 0 || Number.isNaN(metric)) return current;
    const raw = hpaReplicaCount(current, ready, metric / this.spec.target, this.spec.tolerance);
    const stabilised = this.stabilise(nowMs, current, raw);
    const desired = this.limitRate(nowMs, current, stabilised);
    if (desired !== current) this.recordEvent(nowMs, desired - current);
    return desired;
  }

  /**
   * A job found no ready replica and the desired count is 0: Knative's activator asks for one at
   * once (the facade calls this; it does not wait for a sync). Not an HPA scale event.
   */
  wake(): number {
    return Math.max(1, this.minReplicas);
  }

  /**
   * stabilizeRecommendationWithBehaviors: the count moves towards the raw recommendation only as
   * far as every recommendation of the window allows: up to the smallest of the scale-up window,
   * down to the largest of the scale-down window (both including this one). Records it.
   */
  private stabilise(nowMs: number, current: number, raw: number): number {
    const upCutoff = nowMs - this.spec.scaleUpWindowMs;
    const downCutoff = nowMs - this.spec.scaleDownWindowMs;
    const obsolete = Math.min(upCutoff, downCutoff);
    let up = raw;
    let down = raw;
    const times = this.recommendationTimes;
    const values = this.recommendations;
    // The kept entries are those the longest window still covers (horizontal.go reuses older slots).
    let drop = 0;
    while (drop < times.length && !(times[drop] > obsolete)) drop++;
    times.splice(0, drop);
    values.splice(0, drop);
    for (let i = 0; i < times.length; i++) {
      // time.After(cutoff): strictly later; an entry exactly one window old no longer counts.
      if (times[i] > upCutoff) up = Math.min(up, values[i]);
      if (times[i] > downCutoff) down = Math.max(down, values[i]);
    }
    times.push(nowMs);
    values.push(raw);
    let recommendation = current;
    if (recommendation < up) recommendation = up;
    if (recommendation > down) recommendation = down;
    return recommendation;
  }

  /**
   * convertDesiredReplicasWithBehaviorRate: the policies bound the change over the last policy
   * period, counted from the count at its start (current minus the net change made within it),
   * the larger allowance of the two scale-up policies (selectPolicy Max); then [floor, max].
   */
  private limitRate(nowMs: number, current: number, desired: number): number {
    const cutoff = nowMs - SCALING_POLICY_PERIOD_MS;
    let drop = 0;
    while (drop < this.eventTimes.length && !(this.eventTimes[drop] > cutoff)) drop++;
    this.eventTimes.splice(0, drop);
    this.eventChanges.splice(0, drop);
    let added = 0;
    let deleted = 0;
    for (const change of this.eventChanges) {
      if (change > 0) added += change;
      else deleted -= change;
    }
    if (desired > current) {
      // calculateScaleUpLimitWithScalingRules: periodStart = current - added + deleted.
      const periodStart = current - added + deleted;
      const byPods = periodStart + this.spec.scaleUpPods;
      // Rounded up "because the proposed change might not increase the replica count" (horizontal.go).
      const byPercent = Math.ceil(periodStart * (1 + this.spec.scaleUpPercent / 100));
      const limit = Math.max(current, Math.max(byPods, byPercent));
      return Math.min(desired, Math.min(limit, this.maxReplicas));
    }
    if (desired < current) {
      // calculateScaleDownLimitWithBehaviors: periodStart = current + deleted - added; the percent truncated (int32()).
      const periodStart = current + deleted - added;
      const limit = Math.min(current, Math.trunc(periodStart * (1 - this.spec.scaleDownPercent / 100)));
      return Math.max(desired, Math.max(limit, this.floor));
    }
    return desired;
  }

  private recordEvent(nowMs: number, change: number): void {
    this.eventTimes.push(nowMs);
    this.eventChanges.push(change);
  }
}
