import type { Network } from "../network/network.js";
import type { FaultTarget } from "./faults.js";
import type { WorldControl } from "./service-host.js";

/** What the rest of the world does when a node goes down or comes up (`up` already set). */
export interface NodeStateListener {
  wentDown(node: number): void;
  wentUp(node: number): void;
}

/**
 * Each node's state: whether it is up, its health as the checks know it (what policies see), and,
 * with a control plane (issue 17), whether it is in the cluster. Two things move a node: the
 * fault injector (crashes, recoveries, check verdicts: FaultTarget) and the control plane's
 * timeline (leave, join: through WorldServiceHost). Faults are told to the control plane; the
 * timeline is the control plane's own doing, so it is not told back.
 */
export class NodeStates implements FaultTarget {
  /** 1 while the node is up. */
  readonly up: Uint8Array;
  /** 1 while the checks know it healthy. */
  readonly knownHealthy: Uint8Array;
  /** 1 while it is out of the cluster (absent at start, or left). */
  private readonly absent: Uint8Array;
  /** 1 while a fault's crash holds it down (a join during a crash leaves it down until the recovery). */
  private readonly crashed: Uint8Array;
  /** Set by the world once the control plane is built (undefined without `control`). */
  control: WorldControl | undefined;

  constructor(
    nodeCount: number,
    private readonly network: Network,
    private readonly listener: NodeStateListener,
  ) {
    this.up = new Uint8Array(nodeCount).fill(1);
    this.knownHealthy = new Uint8Array(nodeCount).fill(1);
    this.absent = new Uint8Array(nodeCount);
    this.crashed = new Uint8Array(nodeCount);
  }

  // FaultTarget: what the fault injector acts on ------------------------------------------------
  isUp(node: number): boolean {
    return this.up[node] === 1;
  }

  isHealthy(node: number): boolean {
    return this.knownHealthy[node] === 1;
  }

  /** A fault's crash: the node goes down and the control plane is told (its replicas there are lost). */
  crashNode(node: number): void {
    if (this.up[node] === 0) return;
    this.crashed[node] = 1;
    this.goDown(node);
    this.control?.nodeDown(node);
  }

  /**
   * A fault's recovery: the node is up again, unless it left the cluster meanwhile (it comes back
   * at its join). The control plane is told the crash ended either way: its orchestrator keeps a
   * node's crash and its membership apart, and would otherwise never place on a node that
   * crashed, left, recovered while away, then joined.
   */
  recoverNode(node: number): void {
    if (this.crashed[node] === 0) return;
    this.crashed[node] = 0;
    if (this.up[node] === 0 && this.absent[node] === 0) this.goUp(node);
    this.control?.nodeUp(node);
  }

  /**
   * A health check's verdict: what policies see, and the catalog's health, forwarded when it
   * changes (a Consul agent syncs a status change at once: hashicorp/consul
   * agent/config/default.go check_update_interval).
   */
  setKnownHealth(node: number, healthy: boolean): void {
    // A node out of the cluster has no agent to answer: the injector, which knows only its own crashes, would pass it.
    if (healthy && this.absent[node] === 1) return;
    const known = healthy ? 1 : 0;
    if (this.knownHealthy[node] === known) return;
    this.knownHealthy[node] = known;
    this.control?.setPassing(node, healthy);
  }

  setLinkDegradation(node: number, devices: readonly number[], latencyFactor: number, addedLatencyMs: number, bandwidthFactor: number): void {
    this.network.setLinkDegradation(node, devices, latencyFactor, addedLatencyMs, bandwidthFactor);
  }

  // The control plane's timeline ------------------------------------------------------------------
  /**
   * A graceful leave: the node's agent deregisters its services (the control plane tells the
   * catalog), and views learn it as they learn any catalog change: `propagationDelay` later, or
   * at a device's next discovery query. Known health is the health checks' and is not touched:
   * a job sent meanwhile reaches a node out of the cluster and is rejected as stale
   * (ControlPlane.inCluster).
   */
  leave(node: number): void {
    this.absent[node] = 1;
    this.goDown(node);
  }

  /**
   * A join: known at once (the agent registers; its first check is taken to pass at once, where
   * Consul starts a check critical until its first pass: its checks-configuration-reference;
   * without faults no probe would ever run). A node a fault still holds down comes up at the
   * recovery.
   */
  join(node: number): void {
    this.absent[node] = 0;
    if (this.crashed[node] === 1) return;
    // A check that failed while the node was away made the catalog's view of it critical: passing again now.
    if (this.knownHealthy[node] === 0) {
      this.knownHealthy[node] = 1;
      this.control?.setPassing(node, true);
    }
    this.goUp(node);
  }

  private goDown(node: number): void {
    if (this.up[node] === 0) return;
    this.up[node] = 0;
    this.listener.wentDown(node);
  }

  private goUp(node: number): void {
    if (this.up[node] === 1) return;
    this.up[node] = 1;
    this.listener.wentUp(node);
  }
}
