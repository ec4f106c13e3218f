import type { ResourceRequests, Scoring } from "./types.js";

/**
 * The pod scheduler's filter and score (docs/orchestration.md), after kube-scheduler's
 * NodeResourcesFit plugin (kubernetes/kubernetes pkg/scheduler/framework/plugins/noderesources,
 * notes/control-plane.md section 2): a node passes the filter when the requests fit what is free
 * on it; it scores 0-100, resources cpu and memory weighted 1 each (the plugin's default
 * resources). Scores are doubles, not kube-scheduler's integers, so fewer nodes tie; a tie goes
 * to the candidate listed first (scenario order).
 */

/** What a node has, or has free: the same three resources a replica requests. */
export type Resources = ResourceRequests;

/** Whether `requests` fit in `free` (every resource). */
export function fits(free: Resources, requests: ResourceRequests): boolean {
  return requests.cpuCores <= free.cpuCores && requests.memoryBytes <= free.memoryBytes && requests.accelerators <= free.accelerators;
}

/**
 * least_allocated.go: (capacity - requested) x 100 / capacity, `requested` counting this pod.
 * A resource the node has none of scores 0 (the plugin's rule); an unlimited one (memory of a
 * node without profile) 100, as a node with nothing allocated.
 */
function leastAllocated(capacity: number, requestedAfter: number): number {
  if (capacity === Infinity) return 100;
  if (!(capacity > 0) || requestedAfter > capacity) return 0;
  return ((capacity - requestedAfter) * 100) / capacity;
}

/** most_allocated.go: requested x 100 / capacity (bin packing); none or unlimited capacity: 0. */
function mostAllocated(capacity: number, requestedAfter: number): number {
  if (!(capacity > 0) || capacity === Infinity || requestedAfter > capacity) return 0;
  return (requestedAfter * 100) / capacity;
}

/**
 * The node's score for a pod asking `requests`, 0-100, higher is better.
 * - least-allocated (kube-scheduler's default): the mean over cpu and memory of leastAllocated: spreads replicas.
 * - most-allocated: the mean of mostAllocated: packs replicas on the fullest node that fits.
 * - accelerator-aware (ours): 50 when the node has an accelerator free before this pod, plus half
 *   the least-allocated score, so every node with a free accelerator outranks every node without
 *   one, and among them the least allocated wins. For a service that can use an accelerator
 *   without requesting one (a node's unit "accelerator").
 */
export function scoreNode(scoring: Scoring, capacity: Resources, free: Resources, requests: ResourceRequests): number {
  const cpuAfter = capacity.cpuCores - free.cpuCores + requests.cpuCores;
  const memoryAfter = capacity.memoryBytes === Infinity ? 0 : capacity.memoryBytes - free.memoryBytes + requests.memoryBytes;
  if (scoring === "most-allocated") return (mostAllocated(capacity.cpuCores, cpuAfter) + mostAllocated(capacity.memoryBytes, memoryAfter)) / 2;
  const least = (leastAllocated(capacity.cpuCores, cpuAfter) + leastAllocated(capacity.memoryBytes, memoryAfter)) / 2;
  if (scoring === "least-allocated") return least;
  return (free.accelerators >= 1 ? 50 : 0) + least / 2;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** A size for a message: GiB with one decimal from 1 GiB, else MiB. */
export function formatBytes(bytes: number): string {
  if (bytes === Infinity) return "unlimited";
  return bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : `${(bytes / MIB).toFixed(1)} MiB`;
}

interface Resource {
  readonly name: string;
  readonly of: (r: Resources) => number;
  readonly format: (value: number) => string;
}

const RESOURCES: readonly Resource[] = [
  { name: "cpu", of: (r) => r.cpuCores, format: (v) => `${Number(v.toFixed(3))} cpu` },
  { name: "memory", of: (r) => r.memoryBytes, format: (v) => `${formatBytes(v)} memory` },
  { name: "accelerators", of: (r) => r.accelerators, format: (v) => `${v} accelerator${v === 1 ? "" : "s"}` },
];

/**
 * Why no candidate fits (the PendingRecord's reason), in the scheduler's words: the first
 * resource no eligible node has enough of, with the node that has most of it free ("needs
 * 1.5 GiB memory; most free: 0.9 GiB memory on pi-2"; ties to the first listed), or, when each
 * resource fits somewhere but no node has them all, that. `eligible`: candidates up, present and
 * without a replica of the deployment.
 */
export function unschedulableReason(requests: ResourceRequests, eligible: readonly number[], free: (node: number) => Resources, nodeId: (node: number) => string): string {
  if (eligible.length === 0) return "no candidate node is up, present and without a replica of this deployment";
  for (const resource of RESOURCES) {
    const wanted = resource.of(requests);
    let best = eligible[0];
    for (const node of eligible) if (resource.of(free(node)) > resource.of(free(best))) best = node;
    if (resource.of(free(best)) < wanted) return `needs ${resource.format(wanted)}; most free: ${resource.format(resource.of(free(best)))} on ${nodeId(best)}`;
  }
  const all = RESOURCES.map((resource) => resource.format(resource.of(requests))).join(", ");
  return `no node has ${all} free at once`;
}
