import { capability } from "../../llm/quality.js";
import type { RouteMode, RouterView } from "../../llm/routers/types.js";
import type { ResolvedScenario } from "../../scenario/resolved-scenario.js";
import type { WorldControl } from "../service-host.js";
import type { BatchServer } from "./batch-server.js";

/** Where an exchange runs: a server, and the node it sits on (undefined: the device itself). */
export interface Target {
  readonly server: BatchServer;
  readonly node: number | undefined;
  /** The capability of the server's model on the scenario's quality curve (quality.ts), computed once. */
  readonly capability: number;
}

/**
 * The routes a device's queries can take: its own model or its least busy local edge node (the
 * local route), and the cloud node. Only nodes with a language-model service are ever targets
 * (the resolver lists them in localNodes and cloudNode).
 *
 * With a control plane (issue 17) a node is known up for a device only when the catalog, as that
 * device sees it, also lists the node's language model; the cloud route is judged by the
 * router's cluster-wide view (viewer -1), since `hasCloud` names no device.
 */
export class QueryRoutes {
  /** Per device: where the next tie-break starts; advanced each time a query is sent on the local route to a node. */
  private readonly tieBreak: Int32Array;
  readonly view: RouterView;
  /** Per node index and per device index: the one Target of its server, built once (a route look-up allocates nothing). */
  private readonly nodeTargets: (Target | undefined)[];
  private readonly deviceTargets: (Target | undefined)[];

  constructor(
    private readonly scenario: ResolvedScenario,
    /** Per node index: its llm server (undefined for a node without an llm service). */
    private readonly servers: readonly (BatchServer | undefined)[],
    /** Per device index: its own model's server, if any. */
    private readonly deviceServers: readonly (BatchServer | undefined)[],
    private readonly knownHealthy: Uint8Array,
    now: () => number,
    private readonly control: WorldControl | undefined,
  ) {
    this.tieBreak = new Int32Array(scenario.devices.length);
    const target = (server: BatchServer | undefined, node: number | undefined): Target | undefined =>
      server === undefined ? undefined : { server, node, capability: capability(scenario.llm.quality, server.spec.paramsB) };
    this.nodeTargets = servers.map((server, node) => target(server, node));
    this.deviceTargets = deviceServers.map((server) => target(server, undefined));
    const cloudNode = scenario.llm.cloudNode;
    this.view = {
      get now() {
        return now();
      },
      localOutstanding: (d) => this.localKnownUp(d)?.server.outstanding ?? Infinity,
      hasLocal: (d) => this.localKnownUp(d) !== undefined,
      hasCloud: () => cloudNode !== undefined && knownHealthy[cloudNode] === 1 && (control === undefined || control.listedFor(-1, cloudNode, "llm")),
    };
  }

  private server(node: number): BatchServer {
    return this.servers[node] as BatchServer;
  }

  private target(node: number): Target {
    return this.nodeTargets[node] as Target;
  }

  /**
   * The device's own model, or the edge node with the fewest outstanding queries; ties are
   * broken in turn (a per-device rotating start), so idle replicas share the load as a
   * least-connections balancer would rather than the first taking everything.
   */
  local(deviceIndex: number, released = -1): Target | undefined {
    // A query the activator released to a new replica goes there (when it is one of the device's nodes: the activator is per family, not per model).
    if (released >= 0 && this.scenario.devices[deviceIndex].localNodes.includes(released)) return this.target(released);
    return this.localKnownUp(deviceIndex) ?? this.localAnyHealth(deviceIndex);
  }

  /** The route was taken to a node: the next tie-break starts one further. */
  sentLocal(deviceIndex: number): void {
    this.tieBreak[deviceIndex]++;
  }

  /** The device's own model, or its least busy edge node among those known up; undefined when none is. */
  private localKnownUp(deviceIndex: number): Target | undefined {
    const own = this.deviceTargets[deviceIndex];
    if (own !== undefined) return own;
    const nodes = this.scenario.devices[deviceIndex].localNodes;
    if (nodes.length === 0) return undefined;
    const count = nodes.length;
    // Positions from the tie-break's start, wrapping to 0 once: a comparison where a modulo per node
    // was an integer division (asked twice per query by an edge-first router and its run).
    let at = this.tieBreak[deviceIndex] % count;
    let best = -1;
    let fewest = 0;
    for (let k = 0; k < count; k++, at++) {
      if (at === count) at = 0;
      const node = nodes[at];
      if (this.knownHealthy[node] === 0 || (this.control !== undefined && !this.control.listedFor(deviceIndex, node, "llm"))) continue;
      const outstanding = this.server(node).outstanding;
      if (best < 0 || outstanding < fewest) {
        best = node;
        fewest = outstanding;
      }
    }
    return best < 0 ? undefined : this.target(best);
  }

  /** With every local node known down (or unlisted): the least busy of them anyway (the query will be lost if it is still down, or rejected there). */
  private localAnyHealth(deviceIndex: number): Target | undefined {
    let best = -1;
    for (const node of this.scenario.devices[deviceIndex].localNodes) if (best < 0 || this.server(node).outstanding < this.server(best).outstanding) best = node;
    return best < 0 ? undefined : this.target(best);
  }

  cloud(): Target | undefined {
    const c = this.scenario.llm.cloudNode;
    return c === undefined ? undefined : this.target(c);
  }

  /**
   * A route the device can take: a router asking for a route the scenario does not give the
   * device gets the one it has. A route whose nodes are known down is not switched here: failing
   * over is the router's decision (the view says what is known up); a query sent to a down node
   * is lost.
   */
  feasible(mode: RouteMode, deviceIndex: number): RouteMode {
    const hasLocal = this.deviceServers[deviceIndex] !== undefined || this.scenario.devices[deviceIndex].localNodes.length > 0;
    const hasCloud = this.scenario.llm.cloudNode !== undefined;
    if (mode === "collaborative" && !(hasLocal && hasCloud)) return hasCloud ? "cloud" : "local";
    if (mode === "local" && !hasLocal) return "cloud";
    if (mode === "cloud" && !hasCloud) return "local";
    return mode;
  }
}
