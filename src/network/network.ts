import { SimulationError } from "../errors.js";
import type { RandomStreams, StreamTable } from "../engine/rng.js";
import type { LinkResults } from "../metrics/network-results.js";
import type { Sampler } from "../random/distributions.js";
import type { ResolvedLink, ResolvedNetwork } from "../scenario/resolved.js";
import { RELAY_KINDS, type Route, Routes } from "./topology/routes.js";

/** Direction of a transfer between a device and a node. */
export const UP = 0;
export const DOWN = 1;
export type Direction = typeof UP | typeof DOWN;

/** What the network needs of a scenario. */
export interface NetworkScenario {
  readonly devices: readonly { readonly id: string; readonly index: number }[];
  readonly nodes: readonly { readonly id: string; readonly index: number }[];
  readonly network: ResolvedNetwork;
}

interface LinkSampler {
  latency: Sampler;
  jitter: Sampler | undefined;
  bytesPerMs: number;
  /** A link with constant zero latency, no jitter and no bandwidth limit delivers at once. */
  instantaneous: boolean;
}

/** A device-node route as transfers use it: links from the device to the node. */
interface PairRoute {
  readonly links: readonly number[];
  /** 1 where the link is crossed from its `from` end going device -> node. */
  readonly forward: readonly number[];
  readonly nominalLatencyMs: number;
  /** Smallest per-transfer bandwidth (and capacity, which a lone transfer has to itself) on the route, bytes/ms, up and down. */
  readonly bottleneckUp: number;
  readonly bottleneckDown: number;
  /** A one-link route (the star's): its (link << 1) | direction-bit index for UP; -1 for longer routes. */
  readonly singleUp: number;
  readonly instantaneous: boolean;
}

/**
 * The one network model of every workload kind (issues 13, 15): a graph of devices, nodes and
 * other vertices; a transfer between a device and a node follows the shortest route by nominal
 * latency (topology/routes.ts) and takes, summed over the route's links, latency + jitter +
 * propagation (times an active degradation's factor, plus its added latency), plus bytes over the
 * route's bottleneck bandwidth. Capacity is not shared yet: a lone transfer has a link's capacity
 * to itself (the flow model, N2, adds sharing).
 *
 * Stream naming, the one rule: the draws of a link in one direction come from its own stream,
 * created at its first use, so adding a device, node or link never shifts another link's draws:
 * `link/<device>/<node>/<up|down>` for the star shorthand's direct links (unchanged from the
 * star); on a route of several links, `link/<from>--<to>/<forward|reverse>/<device>`, a stream per
 * device per link, so a link many devices cross shifts no device's draws when another is added. A negative one-way delay is an
 * error, never clamped.
 */
/** pairSingle values that are not a link: a route of several links; a route not computed yet. */
const MULTI_HOP = -1;
const UNBUILT = -2;

export class Network {
  private readonly deviceCount: number;
  private readonly nodeCount: number;
  private readonly network: ResolvedNetwork;
  private readonly routes: Routes;
  /** Per (link, direction): index into the stream table, or -1 before first use (links crossed alone: the star's). */
  private readonly linkStream: Int32Array;
  /** Per (device, link, direction) of routes of several links: index into the stream table (see deviceLinkDraw). */
  private readonly deviceLinkStream = new Map<number, number>();
  /** Per link: index into linkModels (links with equal parameters share one compiled sampler). */
  private readonly linkModel: Int32Array;
  private readonly linkModels: LinkSampler[] = [];
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
  // Degradations in force (faults), per (device, node): factors 1, 0, 1 when none.
  private readonly latencyFactor: Float64Array;
  private readonly addedLatency: Float64Array;
  private readonly bandwidthFactor: Float64Array;
  /** 1 where a degradation is active (one load on the hot path instead of three). */
  private readonly degradedPair: Uint8Array;

  constructor(
    private readonly scenario: NetworkScenario,
    streams: RandomStreams,
  ) {
    this.network = scenario.network;
    this.deviceCount = scenario.devices.length;
    this.nodeCount = scenario.nodes.length;
    const pairs = this.deviceCount * this.nodeCount;
    const links = this.network.links;
    this.routes = new Routes(
      this.network.vertices.map((v) => v.id),
      Uint8Array.from(this.network.vertices, (v) => (RELAY_KINDS.has(v.kind) ? 1 : 0)),
      links,
    );
    this.linkStream = new Int32Array(links.length * 2).fill(-1);
    this.linkStreams = streams.table();
    this.linkModel = new Int32Array(links.length);
    this.propagationMs = Float64Array.from(links, (link) => link.propagationMs);
    this.pairRoutes = new Array<PairRoute | undefined>(pairs).fill(undefined);
    this.pairSingle = new Int32Array(pairs).fill(UNBUILT);
    this.pairBottleneck = new Float64Array(pairs * 2);
    this.latencyFactor = new Float64Array(pairs).fill(1);
    this.addedLatency = new Float64Array(pairs);
    this.bandwidthFactor = new Float64Array(pairs).fill(1);
    this.degradedPair = new Uint8Array(pairs);
    const models = new Map<ResolvedLink, number>();
    links.forEach((link, i) => {
      const p = link.parameters;
      let model = models.get(p);
      if (model === undefined) {
        model = this.linkModels.length;
        models.set(p, model);
        this.linkModels.push({
          latency: p.latency.bind(this.linkStreams.uniform),
          jitter: p.jitter === undefined ? undefined : p.jitter.bind(this.linkStreams.uniform),
          bytesPerMs: p.bytesPerMs,
          instantaneous: p.latency.isConstant && p.latency.exactMean === 0 && p.jitter === undefined && p.bytesPerMs === Infinity,
        });
      }
      this.linkModel[i] = model;
    });
  }

  /** Nominal one-way latency of the device's route to the node (sum of its links' mean latency + jitter + propagation); Infinity when unreachable. */
  nominalLatencyMs(device: number, node: number): number {
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

  /** The current shortest route between two vertices, or undefined when none. */
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
    const route = this.pairRoute(device, node);
    return route === undefined ? 0 : route.bottleneckUp * this.bandwidthFactor[device * this.nodeCount + node];
  }

  /** Draws the one-way time of `bytes` from device to node (UP) or back (DOWN), ms. */
  transferMs(device: number, node: number, direction: Direction, bytes: number): number {
    const pair = device * this.nodeCount + node;
    let single = this.pairSingle[pair];
    if (single === UNBUILT) {
      if (this.buildPairRoute(device, node) === undefined) throw new SimulationError(`no route between device ${this.scenario.devices[device].id} and node ${this.scenario.nodes[node].id}`);
      single = this.pairSingle[pair];
    }
    const degraded = this.degradedPair[pair] === 1;
    let delay: number;
    if (single >= 0) {
      // The star's case, one direct link, written out over typed arrays: the hot path of every run.
      const link = single >> 1;
      const model = this.linkModels[this.linkModel[link]];
      const propagation = this.propagationMs[link];
      if (model.instantaneous && propagation === 0 && !degraded) return 0;
      const index = single ^ direction;
      const stream = this.linkStream[index];
      if (stream < 0) delay = this.linkDraw(index);
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
        delay += this.deviceLinkDraw(device, (route.links[i] << 1) | ((route.forward[i] === 1) === (direction === UP) ? 0 : 1));
      }
    }
    if (degraded) delay = delay * this.latencyFactor[pair] + this.addedLatency[pair];
    const bytesPerMs = this.pairBottleneck[(pair << 1) | direction];
    if (bytes > 0 && bytesPerMs !== Infinity) delay += bytes / (bytesPerMs * this.bandwidthFactor[pair]);
    if (!(delay >= 0)) {
      throw new SimulationError(`link ${this.scenario.devices[device].id} <-> ${this.scenario.nodes[node].id}: one-way delay draw ${delay} ms is negative; truncate latency or jitter with "min"`);
    }
    return delay;
  }

  /** Applies (or, with factors 1, 0, 1, lifts) a degradation on the routes from `devices` to `node`. */
  setLinkDegradation(node: number, devices: readonly number[], latencyFactor: number, addedLatencyMs: number, bandwidthFactor: number): void {
    for (const device of devices) {
      const pair = device * this.nodeCount + node;
      this.latencyFactor[pair] = latencyFactor;
      this.addedLatency[pair] = addedLatencyMs;
      this.bandwidthFactor[pair] = bandwidthFactor;
      this.degradedPair[pair] = latencyFactor !== 1 || addedLatencyMs !== 0 || bandwidthFactor !== 1 ? 1 : 0;
    }
  }

  // The contract of issue 15's wiring (NET implements; the world's mobility driver calls) ----------

  /**
   * Moves wireless device `device`'s access link to access point `ap` (an index into
   * `network.wireless.accessPoints`), or detaches it (`ap` null: out of every AP's range). Its
   * transfers, in flight or started later, wait until `readyAtMs` (Infinity while detached), then
   * go on over the new route with the bytes not yet delivered. The device's routes are recomputed.
   */
  attach(device: number, ap: number | null, readyAtMs: number): void {
    throw new SimulationError(`Network.attach(${device}, ${ap}, ${readyAtMs}): not implemented yet (issue 15 wiring)`);
  }

  /** Sets how fast a wireless device may send over its access hop now, bytes/ms (distance-dependent rate); asked at each transfer start and resume. */
  setWirelessRate(rate: (device: number, nowMs: number) => number): void {
    throw new SimulationError(`Network.setWirelessRate(${typeof rate}): not implemented yet (issue 15 wiring)`);
  }

  /** Transfers of `device` that waited for a handover or for coverage so far, and their total wait, ms. */
  waitsOf(device: number): { transfers: number; waitMs: number } {
    throw new SimulationError(`Network.waitsOf(${device}): not implemented yet (issue 15 wiring)`);
  }

  /** Per-link results over the measurement window (null when no link has a capacity and no AP an air capacity). */
  linkResults(endMs: number): LinkResults | null {
    throw new SimulationError(`Network.linkResults(${endMs}): not implemented yet (issue 15 wiring)`);
  }

  /** One link's latency + jitter (+ propagation) draw from the link's own stream; index = (link << 1) | 0 crossed forward (from -> to), | 1 back. */
  private linkDraw(index: number): number {
    let stream = this.linkStream[index];
    if (stream < 0) {
      stream = this.linkStreams.add(this.streamName(index >> 1, (index & 1) === 0));
      this.linkStream[index] = stream;
    }
    return this.draw(stream, index >> 1);
  }

  /**
   * A link of a route of several links, drawn for one device from the stream
   * `<the link's stream name>/<device id>`: a link many devices cross (a backhaul, an access point's
   * uplink) gives each device draws of its own, so adding a device (or moving one) never shifts
   * another device's draws. Costs one stream per device per link it crosses.
   */
  private deviceLinkDraw(device: number, index: number): number {
    const key = device * this.linkStream.length + index;
    let stream = this.deviceLinkStream.get(key);
    if (stream === undefined) {
      stream = this.linkStreams.add(`${this.streamName(index >> 1, (index & 1) === 0)}/${this.scenario.devices[device].id}`);
      this.deviceLinkStream.set(key, stream);
    }
    return this.draw(stream, index >> 1);
  }

  private draw(stream: number, link: number): number {
    this.linkStreams.select(stream);
    const model = this.linkModels[this.linkModel[link]];
    let delay = model.latency();
    if (model.jitter !== undefined) delay += model.jitter();
    const propagation = this.propagationMs[link];
    if (propagation > 0) delay += propagation;
    return delay;
  }

  private streamName(link: number, forward: boolean): string {
    const l = this.network.links[link];
    const from = this.network.vertices[l.from].id;
    const to = this.network.vertices[l.to].id;
    if (l.kind === "direct") return `link/${from}/${to}/${forward ? "up" : "down"}`;
    return `link/${from}--${to}/${forward ? "forward" : "reverse"}`;
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
    const count = route.links.length;
    // Plain arrays of small integers: far smaller than typed arrays at a handful of entries, and there is one route per pair.
    const links: number[] = new Array<number>(count);
    const forward: number[] = new Array<number>(count);
    const bottleneck: [number, number] = [Infinity, Infinity];
    let instantaneous = true;
    for (let k = 0; k < count; k++) {
      // The route runs node -> device: reverse it, and its directions.
      const i = count - 1 - k;
      const link = this.network.links[route.links[i]];
      links[k] = route.links[i];
      forward[k] = route.forward[i] ? 0 : 1;
      const model = this.linkModels[this.linkModel[links[k]]];
      instantaneous &&= model.instantaneous && link.propagationMs === 0;
      const [upCapacity, downCapacity] = forward[k] === 1 ? link.capacityBytesPerMs : [link.capacityBytesPerMs[1], link.capacityBytesPerMs[0]];
      bottleneck[UP] = Math.min(bottleneck[UP], model.bytesPerMs, upCapacity);
      bottleneck[DOWN] = Math.min(bottleneck[DOWN], model.bytesPerMs, downCapacity);
    }
    const result: PairRoute = {
      links,
      forward,
      nominalLatencyMs: route.nominalLatencyMs,
      bottleneckUp: bottleneck[UP],
      bottleneckDown: bottleneck[DOWN],
      singleUp: count === 1 ? (links[0] << 1) | (forward[0] === 1 ? 0 : 1) : -1,
      instantaneous,
    };
    this.pairRoutes[pair] = result;
    this.pairSingle[pair] = count === 1 ? result.singleUp : MULTI_HOP;
    this.pairBottleneck[pair << 1] = result.bottleneckUp;
    this.pairBottleneck[(pair << 1) | 1] = result.bottleneckDown;
    return result;
  }
}
