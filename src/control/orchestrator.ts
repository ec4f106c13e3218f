import type { EventHandle, Simulator } from "../engine/simulator.js";
import { fits, type Resources, scoreNode, unschedulableReason } from "./pod-scoring.js";
import type { Provision, Provisioner } from "./provisioning.js";
import { appendStep, type ProvisioningEntry, provisioningRecord } from "./replica-records.js";
import type { PendingRecord, ProvisioningReason, ProvisioningRecord, ReplicaStep, ResolvedControl } from "./types.js";

/**
 * The orchestrator (docs/orchestration.md): a K3s-like controller that keeps each deployment at
 * its desired replica count. A new replica is placed by the pod scheduler (pod-scoring.ts) on a
 * candidate that is up, present and has no replica of the deployment yet, whose free resources
 * fit its requests; its requests are reserved from placement until the replica is removed. No
 * node fits: the replica is pending, with the scheduler's reason, and is tried again on every
 * change that can make one fit (a replica removed, a node up or joining). Placed: provisioned
 * (provisioning.ts), then ready.
 *
 * Scale-down removes, in the order of Kubernetes' ReplicaSet ranking (pending first, then not
 * ready, then the newest ready): a pending request, then a replica lost on a crashed node, then
 * the newest one still provisioning (cancelled), then the one that became ready last (drained).
 */

/**
 * How long after a node crash its replicas are deleted and recreated elsewhere, ms: the node is
 * marked NotReady after kube-controller-manager's --node-monitor-grace-period (40 s) and its pods
 * are evicted after the default toleration of the not-ready / unreachable taints
 * (kube-apiserver --default-not-ready-toleration-seconds = 300 s, DefaultTolerationSeconds
 * admission plugin). A node back before then restarts its replicas in place (kubelet: container
 * start and model load, the image is still cached).
 */
export const NODE_LOSS_EVICTION_MS = 40_000 + 300_000;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

export type ReplicaState = "provisioning" | "ready" | "lost" | "gone";

export interface Replica {
  readonly deployment: number;
  readonly node: number;
  state: ReplicaState;
  /** Index of its current provisioning entry in its deployment's list. */
  entry: number;
  provision: Provision | undefined;
  /** When it became ready, as a count over the run (the newest ready is removed first). */
  readySeq: number;
}

/** Why a replica stops: scaled down (drains), its node left (timeline), its node crashed (lost), or evicted after the crash. */
export type StopCause = "scale-down" | "leave" | "lost" | "evicted";

export interface OrchestratorEvents {
  /** The replica is ready (registered, takes jobs). */
  ready(replica: Replica): void;
  /** A ready or lost replica stops; `replica.state` is still what it was ("ready" or "lost"). */
  stopped(replica: Replica, cause: StopCause): void;
}

interface PendingRequest {
  readonly reason: ProvisioningReason;
  readonly requestedAtMs: number;
  /** Index into the deployment's pending records. */
  readonly record: number;
}

interface DeploymentState {
  desired: number;
  /** Live replicas (provisioning, ready, lost), in placement order. */
  readonly replicas: Replica[];
  readonly pending: PendingRequest[];
  readonly entries: ProvisioningEntry[];
  readonly pendingRecords: Writable<PendingRecord>[];
  readonly steps: ReplicaStep[];
}

export class Orchestrator {
  private readonly free: Writable<Resources>[];
  /** Per node: 1 unless crashed (nodeDown until nodeUp, whether present or not); 1 unless it left (timeline). */
  private readonly up: Uint8Array;
  private readonly present: Uint8Array;
  private readonly evictions: (EventHandle | undefined)[];
  private readonly states: DeploymentState[];
  private readySeq = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly control: ResolvedControl,
    private readonly nodeIds: readonly string[],
    private readonly provisioner: Provisioner,
    private readonly events: OrchestratorEvents,
  ) {
    this.free = control.nodes.map((n) => ({ cpuCores: n.cpuCores, memoryBytes: n.memoryBytes, accelerators: n.accelerators }));
    this.up = new Uint8Array(control.nodes.length).fill(1);
    this.present = Uint8Array.from(control.nodes, (n) => (n.presentAtStart ? 1 : 0));
    this.evictions = new Array<EventHandle | undefined>(control.nodes.length).fill(undefined);
    this.states = control.deployments.map(() => ({ desired: 0, replicas: [], pending: [], entries: [], pendingRecords: [], steps: [] }));
  }

  /** Time 0: each deployment's `replicas`, ready at once (images cached) when readyAtStart and they fit, else provisioned from now. */
  start(): void {
    this.control.deployments.forEach((deployment, d) => {
      const state = this.states[d];
      state.desired = deployment.replicas;
      for (let i = 0; i < deployment.replicas; i++) this.request(d, "initial", deployment.readyAtStart);
      this.step(d);
    });
  }

  desired(d: number): number {
    return this.states[d].desired;
  }

  /** Live replicas of the deployment (provisioning, ready, lost), in placement order. */
  replicas(d: number): readonly Replica[] {
    return this.states[d].replicas;
  }

  /** Sets the desired count (autoscaler, activator) and reconciles; `reason` labels the replicas this adds. */
  setDesired(d: number, desired: number, reason: ProvisioningReason): void {
    const state = this.states[d];
    state.desired = desired;
    let live = state.replicas.length + state.pending.length;
    for (; live < desired; live++) this.request(d, reason, false);
    let removed = false;
    for (; live > desired; live--) removed = this.removeOne(d) || removed;
    this.step(d);
    if (removed) this.retryPending(-1);
  }

  /** A node crashed: its replicas are lost (not ready; their resources stay bound) until it comes back or NODE_LOSS_EVICTION_MS passes. */
  nodeDown(node: number): void {
    if (this.up[node] === 0) return;
    this.up[node] = 0;
    this.forReplicasOn(node, (replica) => {
      if (replica.state === "ready") this.events.stopped(replica, "lost");
      else if (replica.state === "provisioning") this.provisioner.cancel(replica.provision as Provision);
      replica.state = "lost";
      this.step(replica.deployment);
    });
    this.evictions[node] = this.sim.schedule(NODE_LOSS_EVICTION_MS, () => this.evict(node));
  }

  /** A crashed node recovered: its lost replicas restart in place (reason "restart"); pending replicas are tried. */
  nodeUp(node: number): void {
    if (this.up[node] === 1) return;
    this.up[node] = 1;
    this.cancelEviction(node);
    const now = this.sim.now;
    this.forReplicasOn(node, (replica) => {
      if (replica.state === "lost") this.provisionReplica(replica, "restart", now);
    });
    this.retryPending(-1);
  }

  /** A node leaves (timeline; the world has taken it down): its replicas are removed and recreated elsewhere at once (reason "restart"). */
  leave(node: number): void {
    this.present[node] = 0;
    this.cancelEviction(node);
    this.recreateElsewhere(node, "leave", () => true);
  }

  /**
   * A node joins (timeline): present from now; pending replicas are tried (those placed on it:
   * reason "join"). Whether it is up stays what nodeDown / nodeUp said: a node that crashed and has
   * not recovered joins down, and is placed on after its nodeUp.
   */
  join(node: number): void {
    this.present[node] = 1;
    this.retryPending(node);
  }

  /** At least one job waited for this replica (a cold start). */
  markColdStart(replica: Replica): void {
    this.states[replica.deployment].entries[replica.entry].coldStart = true;
  }

  /** The run ended: a last step at endMs closes each deployment's step function. */
  finish(endMs: number): void {
    for (let d = 0; d < this.states.length; d++) this.step(d, endMs, true);
  }

  results(d: number): { replicas: readonly ReplicaStep[]; provisioning: readonly ProvisioningRecord[]; pending: readonly PendingRecord[] } {
    const state = this.states[d];
    const deployment = this.control.deployments[d];
    const provisioning = state.entries.map((entry) => provisioningRecord(entry, deployment, this.nodeIds[entry.node]));
    return { replicas: state.steps, provisioning, pending: state.pendingRecords };
  }

  /** A replica wanted now: placed if a node fits, else pending. `readyNow`: ready at once, image cached (readyAtStart at time 0). */
  private request(d: number, reason: ProvisioningReason, readyNow: boolean): void {
    const node = this.choose(d);
    if (node >= 0) {
      this.place(d, node, reason, this.sim.now, readyNow);
      return;
    }
    const state = this.states[d];
    state.pendingRecords.push({ deployment: this.control.deployments[d].id, atMs: this.sim.now, untilMs: null, reason: this.pendingReason(d) });
    state.pending.push({ reason, requestedAtMs: this.sim.now, record: state.pendingRecords.length - 1 });
  }

  /** Candidates the deployment may be placed on now, before the resource fit. */
  private eligible(d: number): number[] {
    const replicas = this.states[d].replicas;
    return this.control.deployments[d].candidates.filter((n) => this.up[n] === 1 && this.present[n] === 1 && !replicas.some((r) => r.node === n));
  }

  /** The best node for a new replica (highest score; ties: the candidate listed first), or -1. */
  private choose(d: number): number {
    const deployment = this.control.deployments[d];
    let best = -1;
    let bestScore = -Infinity;
    for (const node of this.eligible(d)) {
      if (!fits(this.free[node], deployment.requests)) continue;
      const score = scoreNode(deployment.scoring, this.control.nodes[node], this.free[node], deployment.requests);
      if (score > bestScore) {
        best = node;
        bestScore = score;
      }
    }
    return best;
  }

  private pendingReason(d: number): string {
    return unschedulableReason(
      this.control.deployments[d].requests,
      this.eligible(d),
      (n) => this.free[n],
      (n) => this.nodeIds[n],
    );
  }

  private place(d: number, node: number, reason: ProvisioningReason, requestedAtMs: number, readyNow: boolean): void {
    const requests = this.control.deployments[d].requests;
    const free = this.free[node];
    free.cpuCores -= requests.cpuCores;
    free.memoryBytes -= requests.memoryBytes;
    free.accelerators -= requests.accelerators;
    const replica: Replica = { deployment: d, node, state: "provisioning", entry: -1, provision: undefined, readySeq: -1 };
    this.states[d].replicas.push(replica);
    if (!readyNow) {
      this.provisionReplica(replica, reason, requestedAtMs);
      return;
    }
    const image = this.control.deployments[d].image;
    this.provisioner.cacheImage(node, image);
    const entries = this.states[d].entries;
    entries.push({ node: replica.node, reason, requestedAtMs, scheduledAtMs: this.sim.now, provision: undefined, cachedLayers: this.control.images[image].layers.length, coldStart: false });
    replica.entry = entries.length - 1;
    this.becameReady(replica);
  }

  /** Provisions a placed replica on its node (a new one, or one restarting in place). */
  private provisionReplica(replica: Replica, reason: ProvisioningReason, requestedAtMs: number): void {
    const deployment = this.control.deployments[replica.deployment];
    replica.state = "provisioning";
    replica.provision = this.provisioner.provision(replica.node, deployment.image, deployment.startMs, deployment.loadMs[replica.node], () => this.becameReady(replica));
    const entries = this.states[replica.deployment].entries;
    entries.push({ node: replica.node, reason, requestedAtMs, scheduledAtMs: this.sim.now, provision: replica.provision, cachedLayers: 0, coldStart: false });
    replica.entry = entries.length - 1;
    this.step(replica.deployment);
  }

  private becameReady(replica: Replica): void {
    replica.state = "ready";
    replica.readySeq = this.readySeq++;
    this.events.ready(replica);
    this.step(replica.deployment);
  }

  /** Scale-down by one (ranking in the class comment). Returns whether resources were freed. */
  private removeOne(d: number): boolean {
    const state = this.states[d];
    const request = state.pending.pop();
    if (request !== undefined) {
      // No longer wanted: the record ends now, unplaced.
      state.pendingRecords[request.record].untilMs = this.sim.now;
      return false;
    }
    const rank = (r: Replica): number => (r.state === "lost" ? 0 : r.state === "provisioning" ? 1 : 2);
    let victim = state.replicas[0];
    for (const r of state.replicas) {
      const better = rank(r) < rank(victim) || (rank(r) === rank(victim) && (r.state === "ready" ? r.readySeq > victim.readySeq : true));
      if (better) victim = r;
    }
    this.remove(victim, "scale-down");
    return true;
  }

  /** Removes a live replica: cancelled if provisioning, stopped if ready or lost; its resources free again. */
  private remove(replica: Replica, cause: StopCause): void {
    if (replica.state === "provisioning") this.provisioner.cancel(replica.provision as Provision);
    else this.events.stopped(replica, cause);
    replica.state = "gone";
    const requests = this.control.deployments[replica.deployment].requests;
    const free = this.free[replica.node];
    free.cpuCores += requests.cpuCores;
    free.memoryBytes += requests.memoryBytes;
    free.accelerators += requests.accelerators;
    const replicas = this.states[replica.deployment].replicas;
    replicas.splice(replicas.indexOf(replica), 1);
  }

  /** The crashed node's lost replicas are deleted and wanted again elsewhere (reason "restart"). */
  private evict(node: number): void {
    this.evictions[node] = undefined;
    this.recreateElsewhere(node, "evicted", (replica) => replica.state === "lost");
  }

  /** Removes the node's replicas that `which` selects and wants each again (reason "restart"), placed where they now fit. */
  private recreateElsewhere(node: number, cause: "leave" | "evicted", which: (replica: Replica) => boolean): void {
    const lost: number[] = [];
    this.forReplicasOn(node, (replica) => {
      if (!which(replica)) return;
      this.remove(replica, cause);
      lost.push(replica.deployment);
    });
    for (const d of lost) {
      this.request(d, "restart", false);
      this.step(d);
    }
    this.retryPending(-1);
  }

  /** Pending replicas, deployments in scenario order, each's oldest first, placed where they now fit; those landing on `joined`: reason "join". */
  private retryPending(joined: number): void {
    this.states.forEach((state, d) => {
      while (state.pending.length > 0) {
        const node = this.choose(d);
        // The requests of one deployment are alike: if the oldest fits nowhere, none does.
        if (node < 0) break;
        const request = state.pending.shift() as PendingRequest;
        state.pendingRecords[request.record].untilMs = this.sim.now;
        this.place(d, node, node === joined ? "join" : request.reason, request.requestedAtMs, false);
      }
      this.step(d);
    });
  }

  /** Calls `f` for each live replica on the node, deployments in scenario order (a copy: f may remove). */
  private forReplicasOn(node: number, f: (replica: Replica) => void): void {
    for (const state of this.states) for (const replica of state.replicas.filter((r) => r.node === node)) f(replica);
  }

  private cancelEviction(node: number): void {
    const handle = this.evictions[node];
    if (handle !== undefined) this.sim.cancel(handle);
    this.evictions[node] = undefined;
  }

  /** Appends the deployment's counts now (replica-records.ts). */
  private step(d: number, atMs = this.sim.now, force = false): void {
    const state = this.states[d];
    let ready = 0;
    for (const r of state.replicas) if (r.state === "ready") ready++;
    appendStep(state.steps, { atMs, desired: state.desired, ready, pending: state.pending.length }, force);
  }
}
