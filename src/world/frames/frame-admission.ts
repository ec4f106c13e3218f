import type { Simulator } from "../../engine/simulator.js";
import type { WorldControl } from "../service-host.js";
import type { TaskPool } from "./task-pool.js";

/**
 * A frame's way to its placement under a control plane (issue 17). It first asks the catalog
 * where its service is: a discovery wait when its device's cached answer is stale (Consul's DNS
 * answers carry TTL 0, so by default every job asks: developer.hashicorp.com/consul/docs/
 * reference/agent/configuration-file/dns); an engine event carrying the frame, no closure per
 * frame. Then, when every replica is scaled to zero, it waits in the activator until one is
 * ready (Knative's activator buffers the requests of a revision at zero and proxies them to the
 * new replica: knative.dev/docs/serving/request-flow/); ControlPlane.hold calls the release with
 * that replica's node, where the frame goes. Otherwise the policy places it (`place`). The time from its creation to its
 * placement is its first queueing (FrameTraffic sets pool.queueingMs then), so its stages still
 * add up to its total. Without a control plane none of this exists: frames are placed at once.
 */
export class FrameAdmission {
  private readonly discoveredKind: number;

  constructor(
    private readonly sim: Simulator,
    private readonly control: WorldControl,
    private readonly pool: TaskPool,
    /** Places the frame: by the policy (node -1), or on the node of the replica the activator released it to. */
    private readonly place: (task: number, node: number) => void,
  ) {
    this.discoveredKind = sim.registerKind((task) => this.afterDiscovery(task));
  }

  /** The frame (pool.device set) was just created. */
  admit(task: number): void {
    const wait = this.control.discover(this.pool.device[task], "frames");
    if (wait > 0) this.sim.scheduleKind(wait, this.discoveredKind, task);
    else this.afterDiscovery(task);
  }

  private afterDiscovery(task: number): void {
    if (this.control.hold(this.pool.device[task], "frames", (node) => this.place(task, node))) return;
    this.place(task, -1);
  }
}
