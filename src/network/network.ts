import { SimulationError } from "../errors.js";
import type { RandomStreams, StreamTable } from "../engine/rng.js";
import type { Sampler } from "../random/distributions.js";
import type { ResolvedLink } from "../scenario/resolved.js";

/** Direction of a transfer between a device and a node. */
export const UP = 0;
export const DOWN = 1;
export type Direction = typeof UP | typeof DOWN;

/** What the network needs of a scenario. */
export interface NetworkScenario {
  readonly devices: readonly { readonly id: string; readonly index: number }[];
  readonly nodes: readonly { readonly id: string; readonly index: number }[];
  /** links[device][node]. */
  readonly links: readonly (readonly ResolvedLink[])[];
}

interface LinkSampler {
  latency: Sampler;
  jitter: Sampler | undefined;
  bytesPerMs: number;
  /** A link with constant zero latency, no jitter and no bandwidth limit delivers at once. */
  instantaneous: boolean;
}

/**
 * The one network model of every workload kind (issue 13): a link per (device, node) with a base
 * latency, jitter and bandwidth; a one-way transfer takes base + jitter (times an active
 * degradation's factor, plus its added latency) + bytes / bandwidth.
 *
 * Stream naming, the one rule: the draws of the transfers from device d to node n come from the
 * stream `link/<d>/<n>/up` (and `.../down` back), created at its first use, so adding a device or
 * a node never shifts another link's draws. A negative one-way delay is an error, never clamped.
 */
export class Network {
  private readonly nodeCount: number;
  /** Per (device, node, direction): index into the stream table, or -1 before first use. */
  private readonly linkStream: Int32Array;
  /** Per (device, node): index into linkModels (links with equal parameters share one compiled sampler). */
  private readonly linkModel: Int32Array;
  private readonly linkModels: LinkSampler[] = [];
  private readonly linkStreams: StreamTable;
  private readonly nominal: Float64Array;
  // Degradations in force (faults): factors 1, 0, 1 when none.
  private readonly latencyFactor: Float64Array;
  private readonly addedLatency: Float64Array;
  private readonly bandwidthFactor: Float64Array;
  /** 1 where a degradation is active (one load on the hot path instead of three). */
  private readonly degradedPair: Uint8Array;

  constructor(
    private readonly scenario: NetworkScenario,
    streams: RandomStreams,
  ) {
    const devices = scenario.devices.length;
    const nodes = scenario.nodes.length;
    this.nodeCount = nodes;
    const pairs = devices * nodes;
    this.linkStream = new Int32Array(pairs * 2).fill(-1);
    this.linkStreams = streams.table();
    this.linkModel = new Int32Array(pairs);
    this.nominal = new Float64Array(pairs);
    this.latencyFactor = new Float64Array(pairs).fill(1);
    this.addedLatency = new Float64Array(pairs);
    this.bandwidthFactor = new Float64Array(pairs).fill(1);
    this.degradedPair = new Uint8Array(pairs);
    const models = new Map<ResolvedLink, number>();
    for (let device = 0; device < devices; device++) {
      for (let node = 0; node < nodes; node++) {
        const link = scenario.links[device][node];
        let model = models.get(link);
        if (model === undefined) {
          model = this.linkModels.length;
          models.set(link, model);
          this.linkModels.push({
            latency: link.latency.bind(this.linkStreams.uniform),
            jitter: link.jitter === undefined ? undefined : link.jitter.bind(this.linkStreams.uniform),
            bytesPerMs: link.bytesPerMs,
            instantaneous: link.latency.isConstant && link.latency.exactMean === 0 && link.jitter === undefined && link.bytesPerMs === Infinity,
          });
        }
        const pair = device * nodes + node;
        this.linkModel[pair] = model;
        this.nominal[pair] = link.nominalLatencyMs;
      }
    }
  }

  /** Mean one-way latency (base + jitter) of the link, what a latency matrix shows. */
  nominalLatencyMs(device: number, node: number): number {
    return this.nominal[device * this.nodeCount + node];
  }

  /** Bytes per ms of the link now (degradation included); Infinity when transfer time is not modelled. */
  bytesPerMs(device: number, node: number): number {
    const pair = device * this.nodeCount + node;
    return this.linkModels[this.linkModel[pair]].bytesPerMs * this.bandwidthFactor[pair];
  }

  /** Draws the one-way time of `bytes` from device to node (UP) or back (DOWN), ms. */
  transferMs(device: number, node: number, direction: Direction, bytes: number): number {
    const pair = device * this.nodeCount + node;
    const link = this.linkModels[this.linkModel[pair]];
    const degraded = this.degradedPair[pair] === 1;
    if (link.instantaneous && !degraded) return 0;
    const index = (pair << 1) | direction;
    let stream = this.linkStream[index];
    if (stream < 0) {
      stream = this.linkStreams.add(`link/${this.scenario.devices[device].id}/${this.scenario.nodes[node].id}/${direction === UP ? "up" : "down"}`);
      this.linkStream[index] = stream;
    }
    this.linkStreams.select(stream);
    let delay = link.latency();
    if (link.jitter !== undefined) delay += link.jitter();
    if (degraded) delay = delay * this.latencyFactor[pair] + this.addedLatency[pair];
    if (bytes > 0 && link.bytesPerMs !== Infinity) delay += bytes / (link.bytesPerMs * this.bandwidthFactor[pair]);
    if (!(delay >= 0)) {
      throw new SimulationError(`link ${this.scenario.devices[device].id} <-> ${this.scenario.nodes[node].id}: one-way delay draw ${delay} ms is negative; truncate latency or jitter with "min"`);
    }
    return delay;
  }

  /** Applies (or, with factors 1, 0, 1, lifts) a degradation on the links from `devices` to `node`. */
  setLinkDegradation(node: number, devices: readonly number[], latencyFactor: number, addedLatencyMs: number, bandwidthFactor: number): void {
    for (const device of devices) {
      const pair = device * this.nodeCount + node;
      this.latencyFactor[pair] = latencyFactor;
      this.addedLatency[pair] = addedLatencyMs;
      this.bandwidthFactor[pair] = bandwidthFactor;
      this.degradedPair[pair] = latencyFactor !== 1 || addedLatencyMs !== 0 || bandwidthFactor !== 1 ? 1 : 0;
    }
  }
}
