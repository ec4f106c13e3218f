import type { Simulator } from "../engine/simulator.js";
import { SimulationError } from "../errors.js";
import type { FlowNetwork } from "./flows/flow-network.js";

/** What a shared transfer asks of the network at each start and resume (the route may have changed). */
export interface TransferPaths {
  /** The one-way latency + jitter + propagation draw of the pair's route now, degradation included (throws when negative). */
  latencyMs(device: number, node: number, direction: number): number;
  /** The FlowNetwork links (capacity-limited link directions, the AP's air) the pair's route crosses now, and the flow's rate bound. */
  flowPath(device: number, node: number, direction: number): { readonly links: readonly number[]; readonly bound: number };
}

/** A delivery handler registered with the network (Network.registerDelivery): runs synchronously when a transfer's last byte arrives. */
export type DeliveryHandler = (arg: number) => void;

const LATENCY = 0;
const FLOW = 1;
const HELD = 2;
/** A device-node transfer re-asks its route at each (re)start; a fixed-path one (node to node) keeps the path it was given. */
const NO_NODE = -1;

interface Transfer {
  id: number;
  slot: number;
  device: number;
  /** NO_NODE for a fixed-path transfer. */
  node: number;
  direction: number;
  /** Bytes still to deliver (all of them until the flow phase). */
  bytes: number;
  kind: number;
  arg: number;
  phase: number;
  /** The latency phase's engine event, or the flow's id. */
  handle: number;
  heldSince: number;
  /** Total time held (handovers, coverage), ms; counted when the transfer resumes. */
  waitMs: number;
  /** Per device: index in its list of transfers in flight (wireless devices only). */
  listed: number;
  fixedLinks: readonly number[];
  fixedBound: number;
}

/**
 * The transfers the network delivers itself (docs/network-sharing.md): those whose route crosses
 * a capacity-limited link direction or an access point's air interface, and every transfer of a
 * wireless device. A transfer pays its route's latency draw first, alone (SimGrid CM02's order:
 * latency, then bandwidth), then is a flow in the FlowNetwork over the limited link directions it
 * crosses, its rate at most its bound. A wireless device's transfers are held while it hands over
 * or is out of coverage (`hold`), and go on at `release` as a new transfer of the bytes not yet
 * delivered over the new route: its latency again, then the flow. The one rule covers both
 * phases: a transfer still in its latency phase has delivered nothing, so it starts over whole.
 */
/** The in-flight list of every wired device: always empty. */
const NOT_WIRELESS: Transfer[] = Object.freeze([]) as unknown as Transfer[];

export class SharedTransfers {
  /** What the delivery handler may read: the wait of the transfer being delivered, ms (0 when it never waited). */
  lastDeliveryWaitMs = 0;
  private readonly slots: (Transfer | undefined)[] = [];
  private readonly free: number[] = [];
  private readonly byFlow = new Map<number, Transfer>();
  private readonly latencyKind: number;
  private readonly releaseKind: number;
  private readonly onFlowDone = (flowId: number): void => this.flowDone(flowId);
  private nextId = 0;
  /** Per wireless device: its transfers in flight or held; when it may send again; its pending release event. */
  private readonly inFlight: Transfer[][];
  private readonly readyAt: Float64Array;
  private readonly releaseEvent: Float64Array;
  private readonly attached: Uint8Array;
  private readonly waitedTransfers: Float64Array;
  private readonly waitedMs: Float64Array;
  private wirelessRate: ((device: number, nowMs: number) => number) | undefined;

  constructor(
    private readonly sim: Simulator,
    private readonly flows: FlowNetwork,
    private readonly paths: TransferPaths,
    /** Per device: 1 for a wireless device (its transfers can be held). */
    private readonly wireless: Uint8Array,
    private readonly deviceName: (device: number) => string,
    /** The delivery handlers, by kind (Network.registerDelivery fills it). */
    private readonly handlers: readonly DeliveryHandler[],
  ) {
    // Only wireless devices' transfers are listed, held and timed: the others share one empty list
    // (frozen: nothing may push to it) and the columns are sized only when some device is wireless,
    // so a million wired devices cost 8 bytes each here, not about 75 (issue 16: <= 500 B a device).
    const devices = wireless.length;
    const columns = wireless.includes(1) ? devices : 0;
    this.inFlight = Array.from({ length: devices }, (_, device) => (wireless[device] === 1 ? [] : NOT_WIRELESS));
    this.readyAt = new Float64Array(columns);
    this.releaseEvent = new Float64Array(columns).fill(-1);
    this.attached = new Uint8Array(columns);
    this.waitedTransfers = new Float64Array(columns);
    this.waitedMs = new Float64Array(columns);
    this.latencyKind = sim.registerKind((slot) => this.latencyDone(slot));
    this.releaseKind = sim.registerKind((device) => this.release(device));
  }

  setWirelessRate(rate: (device: number, nowMs: number) => number): void {
    this.wirelessRate = rate;
  }

  /** Starts a device-node transfer the network delivers: `kind(arg)` (a registered delivery) runs at its last byte. */
  start(device: number, node: number, direction: number, bytes: number, kind: number, arg: number): void {
    const transfer = this.allocate(device, node, direction, bytes, kind, arg);
    if (this.wireless[device] === 1) {
      if (this.attached[device] === 0) {
        this.slots[transfer.slot] = undefined;
        this.free.push(transfer.slot);
        throw new SimulationError(`device ${this.deviceName(device)} sent at t=${this.sim.now} ms before it was attached to an access point (the world attaches moving devices at t=0)`);
      }
      transfer.listed = this.inFlight[device].length;
      this.inFlight[device].push(transfer);
      if (this.readyAt[device] > this.sim.now) {
        transfer.phase = HELD;
        transfer.heldSince = this.sim.now;
        return;
      }
    }
    this.begin(transfer);
  }

  /** Starts a transfer over a fixed set of flow links after a latency already drawn (node to node: migration state). */
  startFixed(device: number, latencyMs: number, links: readonly number[], bound: number, bytes: number, kind: number, arg: number): void {
    const transfer = this.allocate(device, NO_NODE, 0, bytes, kind, arg);
    transfer.fixedLinks = links;
    transfer.fixedBound = bound;
    this.afterLatency(transfer, latencyMs);
  }

  /** Marks a wireless device attached; its transfers wait until `readyAtMs` (Infinity: until the next attach). In-flight ones are held now. */
  hold(device: number, readyAtMs: number): void {
    const now = this.sim.now;
    this.attached[device] = 1;
    for (const transfer of this.inFlight[device]) {
      if (transfer.phase === HELD) continue;
      if (transfer.phase === LATENCY) this.sim.cancel(transfer.handle);
      else {
        transfer.bytes = this.flows.remainingBytes(transfer.handle) ?? 0;
        this.flows.cancel(transfer.handle);
        this.byFlow.delete(transfer.handle);
      }
      transfer.phase = HELD;
      transfer.heldSince = now;
    }
    this.readyAt[device] = readyAtMs;
    if (this.releaseEvent[device] >= 0) this.sim.cancel(this.releaseEvent[device]);
    this.releaseEvent[device] = -1;
    if (readyAtMs <= now) this.release(device);
    else if (readyAtMs < Infinity) this.releaseEvent[device] = this.sim.scheduleKindAt(readyAtMs, this.releaseKind, device);
  }

  /** Transfers of the device that waited, and their total wait, ms; those held now count with their wait so far. */
  waitsOf(device: number): { transfers: number; waitMs: number } {
    if (this.wireless[device] !== 1) return { transfers: 0, waitMs: 0 };
    const now = this.sim.now;
    let transfers = this.waitedTransfers[device];
    let waitMs = this.waitedMs[device];
    for (const transfer of this.inFlight[device]) {
      if (transfer.phase !== HELD || !(now > transfer.heldSince)) continue;
      if (transfer.waitMs === 0) transfers++;
      waitMs += now - transfer.heldSince;
    }
    return { transfers, waitMs };
  }

  /** The args of the transfers held now whose delivery is `kind` (a job still waiting at the end of the run), in start order. */
  heldArgs(kind: number): number[] {
    const held: Transfer[] = [];
    for (const list of this.inFlight) for (const transfer of list) if (transfer.phase === HELD && transfer.kind === kind) held.push(transfer);
    return held.sort((a, b) => a.id - b.id).map((transfer) => transfer.arg);
  }

  /** The held transfers of a device go on, in the order they started. */
  private release(device: number): void {
    this.releaseEvent[device] = -1;
    const now = this.sim.now;
    const held = this.inFlight[device].filter((t) => t.phase === HELD).sort((a, b) => a.id - b.id);
    for (const transfer of held) {
      const wait = now - transfer.heldSince;
      if (wait > 0) {
        if (transfer.waitMs === 0) this.waitedTransfers[device]++;
        transfer.waitMs += wait;
        this.waitedMs[device] += wait;
      }
      this.begin(transfer);
    }
  }

  private allocate(device: number, node: number, direction: number, bytes: number, kind: number, arg: number): Transfer {
    const slot = this.free.length > 0 ? (this.free.pop() as number) : this.slots.length;
    const transfer: Transfer = {
      id: this.nextId++,
      slot,
      device,
      node,
      direction,
      bytes,
      kind,
      arg,
      phase: LATENCY,
      handle: -1,
      heldSince: 0,
      waitMs: 0,
      listed: -1,
      fixedLinks: [],
      fixedBound: Infinity,
    };
    this.slots[slot] = transfer;
    return transfer;
  }

  private begin(transfer: Transfer): void {
    this.afterLatency(transfer, this.paths.latencyMs(transfer.device, transfer.node, transfer.direction));
  }

  private afterLatency(transfer: Transfer, latencyMs: number): void {
    transfer.phase = LATENCY;
    // An event even for no latency: a delivery never runs inside the call that started the transfer.
    transfer.handle = this.sim.scheduleKind(latencyMs, this.latencyKind, transfer.slot);
  }

  private latencyDone(slot: number): void {
    this.startFlow(this.slots[slot] as Transfer);
  }

  private startFlow(transfer: Transfer): void {
    let links = transfer.fixedLinks;
    let bound = transfer.fixedBound;
    if (transfer.node !== NO_NODE) {
      const path = this.paths.flowPath(transfer.device, transfer.node, transfer.direction);
      links = path.links;
      bound = path.bound;
    }
    if (this.wireless[transfer.device] === 1 && this.wirelessRate !== undefined) {
      const rate = this.wirelessRate(transfer.device, this.sim.now);
      if (!(rate > 0)) throw new SimulationError(`device ${this.deviceName(transfer.device)}: wireless rate ${rate} bytes/ms at t=${this.sim.now} ms; it must be positive while attached`);
      if (rate < bound) bound = rate;
    }
    // Nothing to share and nothing to wait for: delivered at the end of its latency, as a fixed transfer is.
    if (transfer.bytes === 0 || (links.length === 0 && bound === Infinity)) {
      this.deliver(transfer);
      return;
    }
    transfer.phase = FLOW;
    transfer.handle = this.flows.start(links, transfer.bytes, this.onFlowDone, bound);
    this.byFlow.set(transfer.handle, transfer);
  }

  private flowDone(flowId: number): void {
    const transfer = this.byFlow.get(flowId) as Transfer;
    this.byFlow.delete(flowId);
    this.deliver(transfer);
  }

  private deliver(transfer: Transfer): void {
    if (transfer.listed >= 0) {
      // Swap-remove from the device's list (its order does not matter: release sorts by id).
      const list = this.inFlight[transfer.device];
      const last = list.pop() as Transfer;
      if (last !== transfer) {
        list[transfer.listed] = last;
        last.listed = transfer.listed;
      }
    }
    this.slots[transfer.slot] = undefined;
    this.free.push(transfer.slot);
    this.lastDeliveryWaitMs = transfer.waitMs;
    this.handlers[transfer.kind](transfer.arg);
    this.lastDeliveryWaitMs = 0;
  }
}
