import type { RandomStreams, StreamTable } from "../engine/rng.js";
import type { Simulator } from "../engine/simulator.js";
import { SimulationError } from "../errors.js";
import type { LinkResults } from "../metrics/network-results.js";
import type { ResolvedNetwork, ResolvedWireless } from "../scenario/resolved.js";
import { FlowNetwork } from "./flows/flow-network.js";
import { type LinkSampler, LinkDraws } from "./link-draws.js";
import { PairDegradations } from "./pair-degradations.js";
import { type PairRoute, pairRouteOf } from "./pair-route.js";
import { LinkMeter, meteredLinks } from "./link-results.js";
import { RELAY_KINDS, type Route, Routes } from "./topology/routes.js";
import { type DeliveryHandler, SharedTransfers, type TransferPaths } from "./transfers.js";
import { type Direction, DOWN, UP } from "./direction.js";

export { type Direction, DOWN, UP } from "./direction.js";

/** What the network needs of a scenario. */
export interface NetworkScenario {
  readonly devices: readonly { readonly id: string; readonly index: number }[];
  readonly nodes: readonly { readonly id: string; readonly index: number }[];
  readonly network: ResolvedNetwork;
  /** The measurement window and its bins, for link results (ResolvedScenario has them; absent: [0, 0), no link results). */
  readonly warmupMs?: number;
  readonly durationMs?: number;
  readonly binWidthMs?: number;
}

/**
 * The one network model of every workload kind (issues 13, 15): a graph of devices, nodes and
 * other vertices; a transfer between a device and a node follows the shortest route by nominal
 * latency (topology/routes.ts) and takes, summed over the route's links, latency + jitter +
 * propagation (times an active degradation's factor, plus its added latency), plus bytes over the
 * route's bottleneck bandwidth. A route that crosses a capacity-limited link direction, and every
 * transfer of a wireless device (reaching the graph by its access link to its access point, whose
 * air interface its attached devices share), is delivered by the network itself: the latency
 * draw, then a max-min fair flow (transfers.ts, docs/network-sharing.md).
 *
 * Stream naming, the one rule: streams are created at their first use, and a device's draws never
 * depend on another device, so adding a device or drawing more on one never shifts another
 * device's draws. The star shorthand's direct links draw from one stream per device and
 * direction, `link/<device>/<up|down>`, whichever node the transfer goes to (issue 16: a stream
 * per (device, node, direction) cost a seeding per link for a draw or two, and per-device memory
 * grew with the nodes a device reached); so adding a node, or sending a device's requests to
 * other nodes, changes that device's later link draws (never another device's). A graph link
 * crossed alone draws from `link/<from>--<to>/<forward|reverse>`; on a route of several links,
 * `<the link's name>/<device>`, a stream per device per link, so a link many devices cross shifts
 * no device's draws when another is added. A negative one-way delay is an error, never clamped.
 */
/** pairSingle values that are not a link: a route of several links; a route not computed yet. */
const MULTI_HOP = -1;
const UNBUILT = -2;
/** A route the network delivers over itself (a limited link direction or a wireless device): transfer() returns NaN for its shared directions. */
const SHARED = -3;

export class Network {
  private readonly deviceCount: number;
  private readonly nodeCount: number;
  private readonly network: ResolvedNetwork;
  private builtRoutes: Routes | undefined;
  /** Per (link, direction): index into the stream table, or -1 before first use (links crossed alone: the star's). */
  private readonly linkStream: Int32Array;
  /** Per link: index into linkModels (links with equal parameters share one compiled sampler). */
  private readonly linkModel: Int32Array;
  private readonly linkModels: readonly LinkSampler[];
  private readonly draws: LinkDraws;
  private readonly linkStreams: StreamTable;
  /** Per link: propagation delay each way, ms (a typed array: the hot path reads no link object). */
  private readonly propagationMs: Float64Array;
  /**
   * Per (device, node), the hot path's view of the route in typed arrays (dense, no object per
   * pair to chase): the single link's `(link << 1) | direction-bit` of an UP transfer, MULTI_HOP,
   * or UNBUILT; and the bottleneck bytes/ms UP and DOWN. The star's pairs never leave this path.
   */
  private readonly pairSingle: Int32Array;
  private readonly pairBottleneck: Float64Array;
  /** Per (device, node): the route, computed at first use and dropped when the graph changes. */
  private readonly pairRoutes: (PairRoute | undefined)[];
  /**
   * The star of direct links only (ResolvedNetwork.direct): per device its row, and per (row,
   * node) the sampler and propagation; the per-pair arrays above are then empty (issue 16: per
   * pair they cost about 45 bytes, 4.5 kB per device at 100 nodes).
   */
  private readonly directRowOf: Int32Array | undefined;
  private readonly directModel: Int32Array;
  private readonly directPropagationMs: Float64Array;
  /** Degradations (faults) in force, per (device, node), sparse (pair-degradations.ts). */
  private readonly degradations = new PairDegradations();
  /** Per link: 1 for a wireless device's access link (its own streams, `access/<device>/<up|down>`). */
  private readonly accessKind: Uint8Array;
  /** Per (link << 1 | direction-bit), the FlowNetwork link of a capacity-limited direction, else -1; per (access point << 1 | UP/DOWN), its air interface's. */
  private readonly flowLink: Int32Array;
  private readonly airFlowLink: Int32Array;
  /** Per device: 1 when wireless; the index of the access point it is attached to (-1 detached or wired). */
  private readonly wirelessDevice: Uint8Array;
  private readonly apOf: Int32Array;
  private readonly deliveries: DeliveryHandler[] = [];
  private readonly shared: SharedTransfers | undefined;
  private readonly meter: LinkMeter | undefined;

  constructor(
    private readonly scenario: NetworkScenario,
    streams: RandomStreams,
    sim?: Simulator,
  ) {
    this.network = scenario.network;
    this.deviceCount = scenario.devices.length;
    this.nodeCount = scenario.nodes.length;
    const direct = this.network.direct;
    const pairs = direct === undefined ? this.deviceCount * this.nodeCount : 0;
    const links = this.network.links;
    // The hot path reads the draws' arrays directly (no object in between).
    this.draws = new LinkDraws(this.network, scenario.devices, streams);
    this.linkStream = this.draws.linkStream;
    this.linkStreams = this.draws.linkStreams;
    this.linkModel = this.draws.linkModel;
    this.linkModels = this.draws.linkModels;
    this.propagationMs = this.draws.propagationMs;
    this.directRowOf = direct?.rowOf;
    this.directModel = this.draws.directModel;
    this.directPropagationMs = this.draws.directPropagationMs;
    this.pairRoutes = new Array<PairRoute | undefined>(pairs).fill(undefined);
    this.pairSingle = new Int32Array(pairs).fill(UNBUILT);
    this.pairBottleneck = new Float64Array(pairs * 2);
    this.accessKind = Uint8Array.from(links, (link) => (link.kind === "access" ? 1 : 0));
    const wireless = this.network.wireless;
    this.wirelessDevice = new Uint8Array(this.deviceCount);
    this.apOf = new Int32Array(this.deviceCount).fill(-1);
    wireless?.accessLink.forEach((link, device) => {
      if (link < 0) return;
      this.wirelessDevice[device] = 1;
      this.apOf[device] = wireless.accessPoints.indexOf(links[link].to);
    });
    const { capacities, metered, flowLink, airFlowLink } = meteredLinks(this.network);
    this.flowLink = flowLink;
    this.airFlowLink = airFlowLink;
    if (sim === undefined) {
      if (metered.length > 0 || wireless !== undefined)
        throw new SimulationError("a network with capacity-limited links or wireless devices needs the simulator (new Network(scenario, streams, sim))");
      return;
    }
    const warmupMs = scenario.warmupMs ?? 0;
    const flows = new FlowNetwork(sim, capacities, { warmup: warmupMs });
    this.shared = new SharedTransfers(sim, flows, this.paths(), this.wirelessDevice, (device) => scenario.devices[device].id, this.deliveries);
    this.meter = new LinkMeter(sim, flows, metered, { warmupMs, durationMs: scenario.durationMs ?? 0, binWidthMs: scenario.binWidthMs ?? 0 });
  }

  /** The routing graph, built at its first use (a direct-only star's transfers never need it, and it costs a sort of every vertex id). */
  private get routes(): Routes {
    this.builtRoutes ??= new Routes(
      this.network.vertices.map((v) => v.id),
      Uint8Array.from(this.network.vertices, (v) => (RELAY_KINDS.has(v.kind) ? 1 : 0)),
      this.network.links,
    );
    return this.builtRoutes;
  }

  /** Nominal one-way latency of the device's route to the node (sum of its links' mean latency + jitter + propagation); Infinity when unreachable. */
  nominalLatencyMs(device: number, node: number): number {
    if (this.directRowOf !== undefined) return (this.network.direct as NonNullable<ResolvedNetwork["direct"]>).rows[this.directRowOf[device]][node].nominalLatencyMs;
    if (this.wirelessDevice[device] === 1) {
      // A moving device's one link is its access hop, so its route is the hop plus its AP's route, summed in the order the
      // routing tree sums the device's own (the same double). No route object: schedulers ask every node at every frame,
      // and a route built per (device, node) after each handover was a tenth of mobile-10k's time.
      const ap = this.apOf[device];
      if (ap < 0) return Infinity;
      const wireless = this.network.wireless as ResolvedWireless;
      return this.routes.nominalLatencyMs(this.nodeVertex(node), wireless.accessPoints[ap], this.network.links[wireless.accessLink[device]].nominalLatencyMs);
    }
    return this.pairRoute(device, node)?.nominalLatencyMs ?? Infinity;
  }

  /** Nominal one-way route latency between any two vertices (node-node for migrations, device-device...); vertex ids as in ResolvedNetwork. */
  nominalLatencyBetween(a: number, b: number): number {
    return this.routes.nominalLatencyMs(a, b);
  }

  /** Vertex index of a device or a node (ResolvedNetwork's order). */
  deviceVertex(device: number): number {
    return device;
  }

  nodeVertex(node: number): number {
    return this.deviceCount + node;
  }

  /** The current shortest route between two vertices, or undefined when none (a direct-only star's device-node routes are not in the graph: transfer and nominalLatencyMs know them). */
  route(from: number, to: number): Route | undefined {
    return this.routes.route(from, to);
  }

  /** Takes a link out of service (false) or back (true); routes are recomputed where it matters. */
  setLinkUp(link: number, up: boolean): void {
    this.routes.setLinkUp(link, up);
    this.invalidate(link);
  }

  /** Drops cached device-node routes after `link` changed (only its device's, when one end is a device); without a link, all of them. */
  invalidate(link?: number): void {
    const l = link === undefined ? undefined : this.network.links[link];
    const device = l === undefined ? -1 : l.from < this.deviceCount ? l.from : l.to < this.deviceCount ? l.to : -1;
    if (device >= 0) {
      this.pairRoutes.fill(undefined, device * this.nodeCount, (device + 1) * this.nodeCount);
      this.pairSingle.fill(UNBUILT, device * this.nodeCount, (device + 1) * this.nodeCount);
    } else {
      this.pairRoutes.fill(undefined);
      this.pairSingle.fill(UNBUILT);
      if (link === undefined) this.routes.invalidate();
    }
  }

  /** Bytes per ms from the device to the node now (bottleneck, degradation included); Infinity when transfer time is not modelled. */
  bytesPerMs(device: number, node: number): number {
    const factor = this.bandwidthFactor(device * this.nodeCount + node);
    if (this.directRowOf !== undefined) return this.linkModels[this.directModel[this.directRowOf[device] * this.nodeCount + node]].bytesPerMs * factor;
    const route = this.pairRoute(device, node);
    return route === undefined ? 0 : route.bottleneckUp * factor;
  }

  /**
   * Registers what runs when a transfer the network delivers itself has arrived: `handler(arg)`,
   * synchronously, with `lastDeliveryWaitMs` set. Returns the `kind` to pass to `transfer`.
   */
  registerDelivery(handler: DeliveryHandler): number {
    this.deliveries.push(handler);
    return this.deliveries.length - 1;
  }

  /** While a delivery handler runs: how long the transfer delivered waited for a handover or coverage, ms (0: never). */
  get lastDeliveryWaitMs(): number {
    return this.shared === undefined ? 0 : this.shared.lastDeliveryWaitMs;
  }

  /**
   * The one transfer call: `bytes` from device to node (UP) or back (DOWN). Returns the one-way
   * time, ms, when it is fixed now (the route crosses no capacity-limited link direction and the
   * device is wired): the caller schedules the arrival. Otherwise returns NaN and the network
   * delivers it itself: `kind(arg)` (from registerDelivery) runs at the last byte.
   */
  transfer(device: number, node: number, direction: Direction, bytes: number, kind: number, arg: number): number {
    if (this.directRowOf !== undefined) return this.directTransfer(device, node, direction, bytes);
    const pair = device * this.nodeCount + node;
    let single = this.pairSingle[pair];
    if (single === UNBUILT) single = this.firstUse(device, node);
    if (single < MULTI_HOP) return this.sharedTransfer(device, node, direction, bytes, kind, arg);
    const degradation = this.degradations.entryOf(pair);
    const degraded = degradation >= 0;
    let delay: number;
    if (single >= 0) {
      // The star's case, one direct link, written out over typed arrays: the hot path of every run.
      const link = single >> 1;
      const model = this.linkModels[this.linkModel[link]];
      const propagation = this.propagationMs[link];
      if (model.instantaneous && propagation === 0 && !degraded) return 0;
      const index = single ^ direction;
      const stream = this.linkStream[index];
      if (stream < 0) delay = this.draws.linkDraw(index);
      else {
        this.linkStreams.select(stream);
        delay = model.latency();
        if (model.jitter !== undefined) delay += model.jitter();
        if (propagation > 0) delay += propagation;
      }
    } else {
      const route = this.pairRoutes[pair] as PairRoute;
      if (route.instantaneous && !degraded) return 0;
      delay = 0;
      const count = route.links.length;
      for (let k = 0; k < count; k++) {
        // Summed in the order the transfer crosses the links.
        const i = direction === UP ? k : count - 1 - k;
        delay += this.draws.deviceLinkDraw(device, (route.links[i] << 1) | ((route.forward[i] === 1) === (direction === UP) ? 0 : 1));
      }
    }
    const bytesPerMs = this.pairBottleneck[(pair << 1) | direction];
    return this.degradedTime(device, node, delay, degradation, bytes, bytesPerMs);
  }

  /** The star's one direct link, written out over typed arrays: the hot path of every star run, and the same draws as when its links were objects. */
  private directTransfer(device: number, node: number, direction: Direction, bytes: number): number {
    const cell = (this.directRowOf as Int32Array)[device] * this.nodeCount + node;
    const model = this.linkModels[this.directModel[cell]];
    const propagation = this.directPropagationMs[cell];
    const degradation = this.degradations.entryOf(device * this.nodeCount + node);
    if (model.instantaneous && propagation === 0 && degradation < 0) return 0;
    this.linkStreams.select(this.draws.directStream(device, direction));
    let delay = model.latency();
    if (model.jitter !== undefined) delay += model.jitter();
    if (propagation > 0) delay += propagation;
    return this.degradedTime(device, node, delay, degradation, bytes, model.bytesPerMs);
  }

  /** A fixed transfer's time from its latency draw: the degradation in force (entry `degradation`, -1 none) applied, then bytes over the bottleneck. */
  private degradedTime(device: number, node: number, latency: number, degradation: number, bytes: number, bytesPerMs: number): number {
    let delay = latency;
    let factor = 1;
    if (degradation >= 0) {
      delay = this.degradations.latency(degradation, delay);
      factor = this.degradations.bandwidthFactor(degradation);
    }
    if (bytes > 0 && bytesPerMs !== Infinity) delay += bytes / (bytesPerMs * factor);
    if (!(delay >= 0)) this.negativeDelay(device, node, delay);
    return delay;
  }

  private bandwidthFactor(pair: number): number {
    const entry = this.degradations.entryOf(pair);
    return entry < 0 ? 1 : this.degradations.bandwidthFactor(entry);
  }

  /**
   * Migration state (and any node-to-node transfer) over the shortest node-node route, drawn for
   * `device` (a multi-link route's streams are per device). Same contract as `transfer`: the
   * time when fixed, NaN when the network delivers `kind(arg)` itself. Throws when no route joins
   * the nodes (hasNodeRoute says).
   */
  transferBetween(device: number, from: number, to: number, bytes: number, kind: number, arg: number): number {
    const route = this.routes.route(this.nodeVertex(from), this.nodeVertex(to));
    if (route === undefined) throw new SimulationError(`no route between nodes ${this.scenario.nodes[from].id} and ${this.scenario.nodes[to].id}`);
    let latency = 0;
    let perTransfer = Infinity;
    const flowLinks: number[] = [];
    const count = route.links.length;
    for (let k = 0; k < count; k++) {
      const link = route.links[k];
      const index = (link << 1) | (route.forward[k] ? 0 : 1);
      latency += count === 1 ? this.draws.linkDraw(index) : this.draws.deviceLinkDraw(device, index);
      const model = this.linkModels[this.linkModel[link]];
      perTransfer = Math.min(perTransfer, model.bytesPerMs);
      if (this.flowLink[index] >= 0) flowLinks.push(this.flowLink[index]);
    }
    if (!(latency >= 0))
      throw new SimulationError(`route ${this.scenario.nodes[from].id} -> ${this.scenario.nodes[to].id}: one-way delay draw ${latency} ms is negative; truncate latency or jitter with "min"`);
    // No limited link crossed: a fixed time, bytes over the smallest per-transfer bandwidth.
    if (flowLinks.length === 0) return bytes > 0 && perTransfer !== Infinity ? latency + bytes / perTransfer : latency;
    (this.shared as SharedTransfers).startFixed(device, latency, flowLinks, perTransfer, bytes, kind, arg);
    return Number.NaN;
  }

  /** Whether a route joins two nodes (node-node links through relays). */
  hasNodeRoute(from: number, to: number): boolean {
    return from !== to && this.routes.nominalLatencyMs(this.nodeVertex(from), this.nodeVertex(to)) < Infinity;
  }

  /** Builds a pair's route at its first transfer; a detached wireless device has none: SHARED (its transfer waits for the next attach). */
  private firstUse(device: number, node: number): number {
    if (this.buildPairRoute(device, node) !== undefined) return this.pairSingle[device * this.nodeCount + node];
    if (this.wirelessDevice[device] === 1) return SHARED;
    throw new SimulationError(`no route between device ${this.scenario.devices[device].id} and node ${this.scenario.nodes[node].id}`);
  }

  private negativeDelay(device: number, node: number, delay: number): never {
    throw new SimulationError(`link ${this.scenario.devices[device].id} <-> ${this.scenario.nodes[node].id}: one-way delay draw ${delay} ms is negative; truncate latency or jitter with "min"`);
  }

  /** A pair whose route is shared: the fixed time of a direction that crosses no limited link (wired device), else NaN and the network delivers. */
  private sharedTransfer(device: number, node: number, direction: Direction, bytes: number, kind: number, arg: number): number {
    const pair = device * this.nodeCount + node;
    const route = this.pairRoutes[pair];
    if (this.wirelessDevice[device] === 0 && (route as PairRoute).flowLinks[direction].length === 0) {
      const latency = this.routeLatency(device, node, direction);
      const bytesPerMs = this.pairBottleneck[(pair << 1) | direction];
      return bytes > 0 && bytesPerMs !== Infinity ? latency + bytes / (bytesPerMs * this.bandwidthFactor(pair)) : latency;
    }
    (this.shared as SharedTransfers).start(device, node, direction, bytes, kind, arg);
    return Number.NaN;
  }

  /** The draw of the pair's route now, in crossing order, degradation included; never negative. */
  private routeLatency(device: number, node: number, direction: number): number {
    const pair = device * this.nodeCount + node;
    const route = this.pairRoute(device, node);
    if (route === undefined) throw new SimulationError(`no route between device ${this.scenario.devices[device].id} and node ${this.scenario.nodes[node].id}`);
    let delay = 0;
    const count = route.links.length;
    for (let k = 0; k < count; k++) {
      const i = direction === UP ? k : count - 1 - k;
      const link = route.links[i];
      const index = (link << 1) | ((route.forward[i] === 1) === (direction === UP) ? 0 : 1);
      // An access link is the device's own: one stream per direction; a lone link as the star's; else per device.
      delay += this.accessKind[link] === 1 || count === 1 ? this.draws.linkDraw(index) : this.draws.deviceLinkDraw(device, index);
    }
    const degradation = this.degradations.entryOf(pair);
    if (degradation >= 0) delay = this.degradations.latency(degradation, delay);
    if (!(delay >= 0)) this.negativeDelay(device, node, delay);
    return delay;
  }

  private paths(): TransferPaths {
    return {
      latencyMs: (device, node, direction) => this.routeLatency(device, node, direction),
      flowPath: (device, node, direction) => {
        const route = this.pairRoute(device, node) as PairRoute;
        return { links: route.flowLinks[direction], bound: route.perTransfer * this.bandwidthFactor(device * this.nodeCount + node) };
      },
    };
  }

  /** Applies (or, with factors 1, 0, 1, lifts) a degradation on the routes from `devices` to `node`. */
  setLinkDegradation(node: number, devices: readonly number[], latencyFactor: number, addedLatencyMs: number, bandwidthFactor: number): void {
    for (const device of devices) this.degradations.set(device * this.nodeCount + node, latencyFactor, addedLatencyMs, bandwidthFactor);
  }

  // The contract of issue 15's wiring (NET implements; the world's mobility driver calls) ----------

  /**
   * Moves wireless device `device`'s access link to access point `ap` (an index into
   * `network.wireless.accessPoints`), or detaches it (`ap` null: out of every AP's range). Its
   * transfers, in flight or started later, wait until `readyAtMs` (Infinity while detached), then
   * go on over the new route with the bytes not yet delivered. The device's routes are recomputed.
   */
  attach(device: number, ap: number | null, readyAtMs: number): void {
    const wireless = this.network.wireless;
    const link = wireless === undefined ? -1 : wireless.accessLink[device];
    if (wireless === undefined || link < 0) throw new SimulationError(`device ${this.scenario.devices[device].id} is not wireless: it has no access link to move`);
    if (ap !== null && !(Number.isInteger(ap) && ap >= 0 && ap < wireless.accessPoints.length)) throw new RangeError(`no access point ${ap} (there are ${wireless.accessPoints.length})`);
    this.apOf[device] = ap ?? -1;
    if (ap === null) this.routes.setLinkUp(link, false);
    else {
      this.routes.setLinkUp(link, true);
      this.routes.moveLinkEnd(link, wireless.accessPoints[ap]);
    }
    this.invalidate(link);
    // After the move: a transfer released at once (readyAtMs now) takes the new route.
    (this.shared as SharedTransfers).hold(device, ap === null ? Infinity : readyAtMs);
  }

  /** Sets how fast a wireless device may send over its access hop now, bytes/ms (distance-dependent rate); asked at each transfer start and resume. */
  setWirelessRate(rate: (device: number, nowMs: number) => number): void {
    (this.shared as SharedTransfers).setWirelessRate(rate);
  }

  /** Transfers of `device` that waited for a handover or for coverage so far, and their total wait, ms (those waiting now: their wait so far). */
  waitsOf(device: number): { transfers: number; waitMs: number } {
    return this.shared === undefined ? { transfers: 0, waitMs: 0 } : this.shared.waitsOf(device);
  }

  /** The `arg`s of the transfers waiting now (a handover, no coverage) whose delivery is `kind`: jobs still held when the run ends. */
  heldArgs(kind: number): number[] {
    return this.shared === undefined ? [] : this.shared.heldArgs(kind);
  }

  /** Per-link results over the measurement window (null when no link has a capacity and no AP an air capacity). */
  linkResults(endMs: number): LinkResults | null {
    return this.meter === undefined ? null : this.meter.results(endMs);
  }

  private pairRoute(device: number, node: number): PairRoute | undefined {
    // Small, so the hot path inlines it; building a route is apart.
    return this.pairRoutes[device * this.nodeCount + node] ?? this.buildPairRoute(device, node);
  }

  private buildPairRoute(device: number, node: number): PairRoute | undefined {
    const pair = device * this.nodeCount + node;
    // Asked from the node's side: one routing tree per node serves every device (routes.ts).
    const route = this.routes.route(this.nodeVertex(node), device);
    if (route === undefined) return undefined;
    const ap = this.apOf[device];
    // Every transfer of a device attached to an AP crosses its air interface, in its direction.
    const air: [number, number] = ap >= 0 ? [this.airFlowLink[(ap << 1) | UP], this.airFlowLink[(ap << 1) | DOWN]] : [-1, -1];
    const result = pairRouteOf(route, this.network, this.draws, this.flowLink, air);
    const count = result.links.length;
    const flowLinks = result.flowLinks;
    this.pairRoutes[pair] = result;
    const shared = this.wirelessDevice[device] === 1 || flowLinks[UP].length > 0 || flowLinks[DOWN].length > 0;
    this.pairSingle[pair] = shared ? SHARED : count === 1 ? result.singleUp : MULTI_HOP;
    this.pairBottleneck[pair << 1] = result.bottleneckUp;
    this.pairBottleneck[(pair << 1) | 1] = result.bottleneckDown;
    return result;
  }
}
