import type { ControlPlane } from "../control/control-plane.js";
import type { ServiceFamily, ServiceHost } from "../control/types.js";

/**
 * What the world and its traffics use of the control plane (issue 17): ControlPlane's public
 * surface, as a type, so that tests can inject a hand-made one (WorldOptions.controlPlane).
 */
export type WorldControl = Pick<ControlPlane, "accepting" | "inCluster" | "start" | "listedFor" | "discover" | "rejected" | "hold" | "setPassing" | "nodeDown" | "nodeUp" | "finish" | "results">;

/** What the host needs of the world: node membership, and each family's jobs now. */
export interface HostedWorld {
  /** The node leaves the cluster (timeline): down as in a crash, without telling the control plane back. */
  leave(node: number): void;
  /** The node joins the cluster (timeline): up again, without telling the control plane back. */
  join(node: number): void;
  /** Jobs waiting or in service at the node's service of `family` now (0 where the family has no traffic). */
  jobsAt(node: number, family: ServiceFamily): number;
}

/**
 * The world as the control plane sees it (ServiceHost). Whether a service takes jobs is
 * `ControlPlane.accepting`, which the control plane owns and the traffics read on every job, so
 * serviceStarted / serviceStopped need nothing more here: a stopped service's queue drains by
 * itself, and an arrival there is rejected by the traffic.
 *
 * busyIntegralMs is ∫ level dt since time 0 per (node, family), unclipped: the autoscaler
 * differences it over its sync period. (NodeActivity keeps its own integrals, clipped to the
 * measurement window and summed over the node's services: a different figure.)
 */
export class WorldServiceHost implements ServiceHost {
  /** Per (node, family), interleaved (frames at 2n, llm at 2n + 1): the level last reported, since when, and the integral up to then. */
  private readonly level: Float64Array;
  private readonly since: Float64Array;
  private readonly area: Float64Array;

  constructor(
    nodeCount: number,
    private readonly world: HostedWorld,
    private readonly now: () => number,
  ) {
    this.level = new Float64Array(nodeCount * 2);
    this.since = new Float64Array(nodeCount * 2);
    this.area = new Float64Array(nodeCount * 2);
  }

  /** A service reported its load level (the level NodeActivity is told, from the same call). */
  loadChanged(node: number, family: ServiceFamily, level: number, now: number): void {
    const at = node * 2 + (family === "frames" ? 0 : 1);
    this.area[at] += this.level[at] * (now - this.since[at]);
    this.since[at] = now;
    this.level[at] = level;
  }

  busyIntegralMs(node: number, family: ServiceFamily): number {
    const at = node * 2 + (family === "frames" ? 0 : 1);
    return this.area[at] + this.level[at] * (this.now() - this.since[at]);
  }

  jobsAt(node: number, family: ServiceFamily): number {
    return this.world.jobsAt(node, family);
  }

  serviceStarted(_node: number, _family: ServiceFamily): void {}

  serviceStopped(_node: number, _family: ServiceFamily): void {}

  nodeLeft(node: number): void {
    this.world.leave(node);
  }

  nodeJoined(node: number): void {
    this.world.join(node);
  }
}
