import type { EventHandle, Simulator } from "../engine/simulator.js";
import { DeliveryClosures } from "../network/delivery-closures.js";
import { FlowNetwork } from "../network/flows/flow-network.js";
import type { Network } from "../network/network.js";
import type { ResolvedControl } from "./types.js";

/**
 * Provisioning a replica on a node (docs/orchestration.md): its image's layers not on the node
 * are pulled, then the container starts (startMs), then the model loads (loadMs), then it is
 * ready. After EdgeSimPy's provisioning (notes/control-plane.md section 5; EdgeSimPy
 * edge_sim_py/components/service.py@provision, edge_server.py@step): layers are kept per node by
 * digest; a layer already cached or already being pulled to the node is not pulled again (a
 * replica needing a layer another is pulling waits for it); at most maxConcurrentPulls layers
 * download at once per node, the rest wait in the order they were asked for.
 *
 * A pull comes from the registry node over the network graph when a node-node route joins them
 * (Network.transferBetween: on capacity-limited links it shares them, max-min fair, with frames
 * and every other transfer), else at pullBytesPerMs, the node's pull rate, shared equally by the
 * layers it downloads at once (a FlowNetwork link per node: the same fluid sharing). The node that is the registry has every
 * layer. Pulls in flight always complete and the layer stays cached, even when the replica that
 * asked for it is cancelled or its node goes down (the bytes are on their way; a node's disk
 * survives a crash): a later replica finds it there.
 */

/** One replica's provisioning as it goes (the orchestrator copies it into its ProvisioningRecord). */
export interface Provision {
  readonly node: number;
  readonly image: number;
  readonly scheduledAtMs: number;
  readonly startMs: number;
  readonly loadMs: number;
  bytesPulled: number;
  layersPulled: number;
  layersCached: number;
  /** Layers of the image not on the node yet (pulled by this replica or by another). */
  layersMissing: number;
  pullEndMs: number;
  startEndMs: number;
  readyAtMs: number;
  cancelled: boolean;
  timer: EventHandle | undefined;
  readonly ready: (provision: Provision) => void;
}

/** A layer's state on a node. */
const ABSENT = 0;
const CACHED = 1;
const PULLING = 2;

/**
 * The device a node-node pull's draws are taken for: a route of several links draws from
 * per-device streams (Network's stream rule), and a pull belongs to no device, so device 0's
 * are used. Only scenarios with a control plane pull, so no scenario without one changes.
 */
const PULL_DEVICE = 0;

export class Provisioner {
  private readonly layerCount: number;
  /** Per (node, layer): ABSENT, CACHED or PULLING (queued or downloading). */
  private readonly layerState: Uint8Array;
  /** Per (node, layer) being pulled: the provisions waiting for it. */
  private readonly waiting = new Map<number, Provision[]>();
  /** Per node: layers downloading now, and those queued behind the limit (FIFO). */
  private readonly active: Int32Array;
  private readonly queued: number[][];
  private readonly deliveries: DeliveryClosures | undefined;
  /** Per node, a link of capacity pullBytesPerMs: the pulls that take no route share it. */
  private readonly pullLinks: FlowNetwork;
  /** Bytes pulled over the network graph and at pullBytesPerMs, all nodes (what a test or a report may check). */
  bytesOverGraph = 0;
  bytesAtPullRate = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly control: ResolvedControl,
    private readonly network: Network,
  ) {
    const nodes = control.nodes.length;
    this.layerCount = control.layers.length;
    this.layerState = new Uint8Array(nodes * this.layerCount);
    control.nodes.forEach((node, n) => {
      for (const layer of node.cachedLayers) this.layerState[n * this.layerCount + layer] = CACHED;
    });
    if (control.registryNode !== undefined) {
      const registry = control.registryNode;
      this.layerState.fill(CACHED, registry * this.layerCount, (registry + 1) * this.layerCount);
      this.deliveries = new DeliveryClosures(network, () => sim.now);
    }
    this.pullLinks = new FlowNetwork(sim, new Array<number>(nodes).fill(control.pullBytesPerMs));
    this.active = new Int32Array(nodes);
    this.queued = Array.from({ length: nodes }, () => []);
  }

  /** Puts the image's layers on the node at once (a replica ready at start was provisioned before the run). */
  cacheImage(node: number, image: number): void {
    for (const layer of this.control.images[image].layers) this.layerState[node * this.layerCount + layer] = CACHED;
  }

  /** Whether the layer is on the node. */
  isCached(node: number, layer: number): boolean {
    return this.layerState[node * this.layerCount + layer] === CACHED;
  }

  /**
   * Starts provisioning the image on the node now: pulls, then `startMs`, then `loadMs`, then
   * `ready(provision)` (unless cancelled first).
   */
  provision(node: number, image: number, startMs: number, loadMs: number, ready: (provision: Provision) => void): Provision {
    const now = this.sim.now;
    const p: Provision = {
      node,
      image,
      scheduledAtMs: now,
      startMs,
      loadMs,
      bytesPulled: 0,
      layersPulled: 0,
      layersCached: 0,
      layersMissing: 0,
      pullEndMs: Number.NaN,
      startEndMs: Number.NaN,
      readyAtMs: Number.NaN,
      cancelled: false,
      timer: undefined,
      ready,
    };
    for (const layer of this.control.images[image].layers) {
      const key = node * this.layerCount + layer;
      const state = this.layerState[key];
      if (state === CACHED) {
        p.layersCached++;
        continue;
      }
      p.layersMissing++;
      if (state === ABSENT) {
        // This replica asks for it: its bytes count as pulled by it.
        p.layersPulled++;
        p.bytesPulled += this.control.layers[layer].bytes;
        this.layerState[key] = PULLING;
        this.waiting.set(key, []);
        this.queued[node].push(layer);
      }
      (this.waiting.get(key) as Provision[]).push(p);
    }
    this.pullNext(node);
    if (p.layersMissing === 0) this.start(p);
    return p;
  }

  /** Stops a provisioning before ready: its timers are cancelled; its pulls go on (the layers are cached when they arrive). */
  cancel(p: Provision): void {
    p.cancelled = true;
    if (p.timer !== undefined) this.sim.cancel(p.timer);
    p.timer = undefined;
  }

  /** Starts queued pulls on the node up to the limit. */
  private pullNext(node: number): void {
    const queue = this.queued[node];
    while (this.active[node] < this.control.maxConcurrentPulls && queue.length > 0) {
      const layer = queue.shift() as number;
      this.active[node]++;
      this.pull(node, layer);
    }
  }

  private pull(node: number, layer: number): void {
    const bytes = this.control.layers[layer].bytes;
    const registry = this.control.registryNode;
    const arrived = (): void => this.arrived(node, layer);
    if (registry !== undefined && this.network.hasNodeRoute(registry, node)) {
      this.bytesOverGraph += bytes;
      const delay = (this.deliveries as DeliveryClosures).sendBetween(PULL_DEVICE, registry, node, bytes, arrived);
      if (!Number.isNaN(delay)) this.sim.schedule(delay, arrived);
      return;
    }
    this.bytesAtPullRate += bytes;
    // An empty layer is an instant flow: it arrives now, in an event of its own.
    this.pullLinks.start([node], bytes, arrived);
  }

  private arrived(node: number, layer: number): void {
    const key = node * this.layerCount + layer;
    this.layerState[key] = CACHED;
    this.active[node]--;
    const waiters = this.waiting.get(key) as Provision[];
    this.waiting.delete(key);
    this.pullNext(node);
    for (const p of waiters) {
      p.layersMissing--;
      if (p.layersMissing === 0 && !p.cancelled) this.start(p);
    }
  }

  /** Every layer is on the node: container start, then model load, then ready. */
  private start(p: Provision): void {
    p.pullEndMs = this.sim.now;
    p.timer = this.sim.schedule(p.startMs, () => {
      p.startEndMs = this.sim.now;
      p.timer = this.sim.schedule(p.loadMs, () => {
        p.timer = undefined;
        p.readyAtMs = this.sim.now;
        p.ready(p);
      });
    });
  }
}
