import type { Provision } from "./provisioning.js";
import type { ProvisioningReason, ProvisioningRecord, ReplicaStep, ResolvedDeployment } from "./types.js";

/**
 * The orchestrator's results in the making (orchestrator.ts): a replica's provisioning record,
 * which reads its times from the provisioning as it goes, and a deployment's replica counts as a
 * step function.
 */

/** A provisioning record in the making: the fixed part, and the provisioning it reads its times from (none: ready at start). */
export interface ProvisioningEntry {
  readonly node: number;
  readonly reason: ProvisioningReason;
  readonly requestedAtMs: number;
  readonly scheduledAtMs: number;
  readonly provision: Provision | undefined;
  /** Layers of the image, for a replica ready at start (its image cached before the run). */
  readonly cachedLayers: number;
  coldStart: boolean;
}

/** The record as results give it. A stage not reached (cancelled, node lost, the run ended first): its end time NaN, readyAtMs null. */
export function provisioningRecord(entry: ProvisioningEntry, deployment: ResolvedDeployment, nodeId: string): ProvisioningRecord {
  const p = entry.provision;
  const at = entry.scheduledAtMs;
  return {
    deployment: deployment.id,
    node: nodeId,
    reason: entry.reason,
    requestedAtMs: entry.requestedAtMs,
    scheduledAtMs: at,
    pullEndMs: p === undefined ? at : p.pullEndMs,
    bytesPulled: p === undefined ? 0 : p.bytesPulled,
    layersPulled: p === undefined ? 0 : p.layersPulled,
    layersCached: p === undefined ? entry.cachedLayers : p.layersCached,
    startEndMs: p === undefined ? at : p.startEndMs,
    readyAtMs: p === undefined ? at : Number.isNaN(p.readyAtMs) ? null : p.readyAtMs,
    loadSource: deployment.loadSource[entry.node] === "estimate" ? "estimate" : "scenario",
    coldStart: entry.coldStart,
  };
}

/** Appends the counts at `step.atMs`: one step per time (a later change at the same time replaces it); unchanged counts add none unless `force`. */
export function appendStep(steps: ReplicaStep[], step: ReplicaStep, force: boolean): void {
  const last = steps[steps.length - 1];
  if (last !== undefined && last.atMs === step.atMs) steps[steps.length - 1] = step;
  else if (force || last === undefined || last.desired !== step.desired || last.ready !== step.ready || last.pending !== step.pending) steps.push(step);
}
