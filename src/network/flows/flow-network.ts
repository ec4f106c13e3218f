import type { EventHandle, Simulator } from "../../engine/simulator.js";
import { CompletionHeap } from "./completion-heap.js";
import { LinkLedger, type LinkUsage } from "./link-ledger.js";
import { solveMaxMinPacked, UNLIMITED } from "./max-min.js";

/** Called when a flow has delivered its last byte; `flowId` is what `start` returned. */
export type FlowDone = (flowId: number) => void;

export interface FlowNetworkOptions {
  /** Start of the measurement window of utilisation and flows in flight, ms (default 0). */
  warmup?: number;
}

/** What the flow events have cost so far: the measure of "bounded cost per flow event". */
export interface FlowCost {
  /** Flow starts, completions and cancellations. */
  events: number;
  /** Flows whose rate was recomputed, summed over events (the connected components' sizes). */
  flowsVisited: number;
  /** Capacity-limited links in those components, summed over events. */
  linksVisited: number;
  /** Progressive-filling rounds, summed over events. */
  rounds: number;
  /** Completion times moved because a rate changed. */
  reschedules: number;
}

/** A flow as `activeFlows` reports it. */
export interface ActiveFlow {
  readonly id: number;
  readonly links: readonly number[];
  readonly bound: number;
  /** Current rate, bytes/ms. */
  readonly rate: number;
  /** Bytes still to deliver at the current time. */
  readonly remaining: number;
}

interface Flow {
  id: number;
  slot: number;
  links: Int32Array;
  bound: number;
  remaining: number;
  rate: number;
  /** Time `remaining` was last advanced to. */
  updated: number;
  onDone: FlowDone;
  /** Stamp of the last component search that reached this flow. */
  seen: number;
  /** Crosses no limited link and has no bound (or carries no bytes): done at once, in no link's list. */
  instant: boolean;
}

const NO_EVENT = -1;

/**
 * Transfers sharing links as a fluid, max-min fair (SimGrid CM02): each flow crosses a list of
 * links and gets the max-min fair rate (solveMaxMin). Rates change only when a flow starts, ends
 * or is cancelled, and then only for the flows in the connected component of the links it
 * crosses (links joined by flows; a link with no capacity joins nothing, as it constrains
 * nothing). Remaining bytes are advanced lazily, at those changes only. Completion times sit in
 * an indexed heap (CompletionHeap, SimGrid's Lazy action heap), moved in place only when a rate
 * changed, and one engine event waits for the earliest: one event per flow rescheduled at each
 * change left a cancelled record per move in the engine's lazily-cancelling queue, which
 * overflowed it at 1,000 flows per link (measured). A flow event costs the component's solve
 * plus O(log n) per moved flow.
 */
export class FlowNetwork {
  private readonly capacities: number[] = [];
  private readonly linkFlows: Flow[][] = [];
  private readonly ledger: LinkLedger;
  private readonly warmup: number;
  private readonly slots: Array<Flow | undefined> = [];
  private readonly freeSlots: number[] = [];
  private readonly byId = new Map<number, Flow>();
  private readonly kind: number;
  private readonly completions = new CompletionHeap();
  private wakeup: EventHandle = NO_EVENT;
  private wakeTime = 0;
  private nextId = 0;
  private stamp = 0;
  private linkSeen = new Int32Array(64);
  private localLink = new Int32Array(64);
  private inFlightArea = 0;
  private inFlightSince = 0;
  /** Running totals of the work done per flow event. */
  readonly cost: FlowCost = { events: 0, flowsVisited: 0, linksVisited: 0, rounds: 0, reschedules: 0 };

  /** `capacities[i]`: link i's capacity in bytes/ms; undefined or Infinity = no capacity (no contention). */
  constructor(
    private readonly sim: Simulator,
    capacities: ReadonlyArray<number | undefined> = [],
    options: FlowNetworkOptions = {},
  ) {
    this.warmup = options.warmup ?? 0;
    this.ledger = new LinkLedger(this.warmup);
    this.kind = sim.registerKind(() => this.complete());
    for (const capacity of capacities) this.addLink(capacity);
  }

  /** Adds a link of `capacity` bytes/ms (undefined = none) and returns its index. */
  addLink(capacity?: number): number {
    const value = capacity ?? UNLIMITED;
    if (!(value > 0)) throw new RangeError(`a link capacity must be a positive number of bytes/ms or absent, got ${capacity}`);
    this.capacities.push(value);
    this.linkFlows.push([]);
    const link = this.ledger.add();
    if (link >= this.linkSeen.length) {
      const seen = new Int32Array(this.linkSeen.length * 2);
      seen.set(this.linkSeen);
      this.linkSeen = seen;
      this.localLink = new Int32Array(seen.length);
    }
    return link;
  }

  get linkCount(): number {
    return this.capacities.length;
  }

  /** Flows started and not yet done or cancelled. */
  get inFlight(): number {
    return this.byId.size;
  }

  /**
   * Starts a transfer of `bytes` over `links` (each at most once) at the current time, at most
   * `bound` bytes/ms; `onDone(flowId)` runs when the last byte is delivered. Returns the flow id.
   */
  start(links: readonly number[], bytes: number, onDone: FlowDone, bound: number = UNLIMITED): number {
    if (!(bytes >= 0 && bytes < Infinity)) throw new RangeError(`a flow carries a finite non-negative number of bytes, got ${bytes}`);
    if (!(bound > 0)) throw new RangeError(`a flow's rate bound must be positive, got ${bound}`);
    const path = Int32Array.from(links);
    let limited = false;
    for (let k = 0; k < path.length; k++) {
      const link = path[k];
      if (!(link >= 0 && link < this.capacities.length)) throw new RangeError(`no link ${link} (there are ${this.capacities.length})`);
      if (path.indexOf(link) !== k) throw new RangeError(`a flow crosses link ${link} twice`);
      if (this.capacities[link] !== UNLIMITED) limited = true;
    }
    const now = this.sim.now;
    this.countInFlight(now);
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.slots.length;
    const flow: Flow = {
      id: this.nextId++,
      slot,
      links: path,
      bound,
      remaining: bytes,
      rate: 0,
      updated: now,
      onDone,
      seen: 0,
      instant: bytes === 0 || (!limited && bound === UNLIMITED),
    };
    this.slots[slot] = flow;
    this.byId.set(flow.id, flow);
    this.cost.events++;
    if (flow.instant) {
      for (let k = 0; k < path.length; k++) this.ledger.addInstant(path[k], now, bytes);
      flow.remaining = 0;
      flow.rate = UNLIMITED;
      this.completions.set(slot, flow.id, now);
      this.arm();
      return flow.id;
    }
    const component = this.collect(flow, false);
    this.advance(component, now);
    for (let k = 0; k < path.length; k++) {
      const link = path[k];
      this.ledger.close(link, now);
      // Ids only grow, so appending keeps every link's list sorted by id.
      this.linkFlows[link].push(flow);
      this.ledger.addFlows(link, 1);
    }
    component.flows.push(flow);
    this.resolve(component);
    this.arm();
    return flow.id;
  }

  /** Stops a flow without calling its `onDone`. Returns false when it is unknown or already done. */
  cancel(flowId: number): boolean {
    const flow = this.byId.get(flowId);
    if (flow === undefined) return false;
    this.cost.events++;
    this.finish(flow);
    this.arm();
    return true;
  }

  /** Current rate of a flow in bytes/ms (undefined once it is done). */
  rateOf(flowId: number): number | undefined {
    return this.byId.get(flowId)?.rate;
  }

  /** Bytes a flow has still to deliver at the current time (undefined once it is done). */
  remainingBytes(flowId: number): number | undefined {
    const flow = this.byId.get(flowId);
    if (flow === undefined) return undefined;
    const left = flow.remaining - flow.rate * (this.sim.now - flow.updated);
    return flow.instant || left < 0 ? 0 : left;
  }

  /** The flows in flight, by id: for checks against a full solve and for results. */
  activeFlows(): ActiveFlow[] {
    const flows = [...this.byId.values()].sort((a, b) => a.id - b.id);
    return flows.map((f) => ({ id: f.id, links: [...f.links], bound: f.bound, rate: f.rate, remaining: this.remainingBytes(f.id) as number }));
  }

  /**
   * Changes a link's capacity from now on (a degradation, a repair), re-solving its component.
   * Only between positive finite capacities: whether a link constrains at all is fixed when it
   * is added (it decides which flows finish at once and how components are joined).
   */
  setCapacity(link: number, capacity: number): void {
    const old = this.capacities[link];
    if (old === undefined || old === UNLIMITED) throw new RangeError(`link ${link} has no capacity to change`);
    if (!(capacity > 0 && capacity < UNLIMITED)) throw new RangeError(`a link capacity must be a positive finite number of bytes/ms, got ${capacity}`);
    const now = this.sim.now;
    const component = this.collect(link, false);
    this.advance(component, now);
    this.capacities[link] = capacity;
    this.cost.events++;
    this.resolve(component);
    this.arm();
  }

  capacityOf(link: number): number {
    return this.capacities[link];
  }

  /** A link's bytes, busy time and utilisation over [warmup, now). */
  linkUsage(link: number): LinkUsage {
    return this.ledger.usage(link, this.sim.now, this.capacities[link]);
  }

  /** Time-average number of flows in flight over [warmup, now) (undefined for an empty window). */
  meanInFlight(): number | undefined {
    const now = this.sim.now;
    const from = this.inFlightSince > this.warmup ? this.inFlightSince : this.warmup;
    const open = now > from ? this.byId.size * (now - from) : 0;
    return now > this.warmup ? (this.inFlightArea + open) / (now - this.warmup) : undefined;
  }

  /** The engine event: the first flow in the heap is done. */
  private complete(): void {
    this.wakeup = NO_EVENT;
    const flow = this.slots[this.completions.top()] as Flow;
    this.cost.events++;
    this.finish(flow);
    flow.onDone(flow.id);
    this.arm();
  }

  /** Keeps the one engine event at the earliest completion (a rate of 0 has none: Infinity). */
  private arm(): void {
    const time = this.completions.topTime();
    if (this.wakeup !== NO_EVENT) {
      if (time === this.wakeTime) return;
      this.sim.cancel(this.wakeup);
      this.wakeup = NO_EVENT;
    }
    if (time === Number.POSITIVE_INFINITY) return;
    this.wakeTime = time;
    this.wakeup = this.sim.scheduleKindAt(time > this.sim.now ? time : this.sim.now, this.kind, 0);
  }

  /** Removes a flow (done or cancelled) and re-solves what it shared links with. */
  private finish(flow: Flow): void {
    const now = this.sim.now;
    this.countInFlight(now);
    this.byId.delete(flow.id);
    this.slots[flow.slot] = undefined;
    this.freeSlots.push(flow.slot);
    this.completions.remove(flow.slot);
    if (flow.instant) return;
    const component = this.collect(flow, true);
    this.advance(component, now);
    const links = flow.links;
    for (let k = 0; k < links.length; k++) {
      const link = links[k];
      const list = this.linkFlows[link];
      list.splice(indexById(list, flow.id), 1);
      this.ledger.addFlows(link, -1);
      if (this.capacities[link] === UNLIMITED) this.shiftLoad(link, -flow.rate);
    }
    component.flows.splice(indexById(component.flows, flow.id), 1);
    this.resolve(component);
  }

  /**
   * The flows that share a limited link with `seed` (a flow, or a limited link), transitively,
   * sorted by id, and those links sorted by index; a seed flow itself only with `includeSeed`
   * (it is in the link lists).
   */
  private collect(seed: Flow | number, includeSeed: boolean): { flows: Flow[]; links: number[] } {
    const stamp = ++this.stamp;
    const flows: Flow[] = [];
    const links: number[] = [];
    const visitLinksOf = (flow: Flow): void => {
      for (let k = 0; k < flow.links.length; k++) {
        const link = flow.links[k];
        if (this.capacities[link] === UNLIMITED || this.linkSeen[link] === stamp) continue;
        this.linkSeen[link] = stamp;
        links.push(link);
      }
    };
    if (typeof seed === "number") {
      this.linkSeen[seed] = stamp;
      links.push(seed);
    } else visitLinksOf(seed);
    for (let i = 0; i < links.length; i++) {
      const list = this.linkFlows[links[i]];
      for (let j = 0; j < list.length; j++) {
        const flow = list[j];
        if (flow.seen === stamp) continue;
        flow.seen = stamp;
        flows.push(flow);
        visitLinksOf(flow);
      }
    }
    let sorted = true;
    // A flow on no limited link (bound only) is found by no link: it is its own component.
    if (includeSeed && typeof seed !== "number" && seed.seen !== stamp) flows.push(seed);
    // Each link's list is sorted by id, so a one-link component comes out sorted: check before
    // sorting (the comparator sort was half the cost of an event on a crowded link, profiled).
    for (let i = 1; i < flows.length && sorted; i++) if (flows[i - 1].id > flows[i].id) sorted = false;
    if (!sorted) flows.sort((a, b) => a.id - b.id);
    if (links.length > 1) links.sort((a, b) => a - b);
    return { flows, links };
  }

  /** Brings the component's remaining bytes and link integrals up to `now`. */
  private advance(component: { flows: Flow[]; links: number[] }, now: number): void {
    for (const flow of component.flows) {
      if (flow.updated !== now) {
        const left = flow.remaining - flow.rate * (now - flow.updated);
        flow.remaining = left > 0 ? left : 0;
        flow.updated = now;
      }
      for (let k = 0; k < flow.links.length; k++) this.ledger.close(flow.links[k], now);
    }
    for (const link of component.links) this.ledger.close(link, now);
  }

  /** Solves the component's max-min rates and moves the completion events whose rate changed. */
  private resolve(component: { flows: Flow[]; links: number[] }): void {
    const { flows, links } = component;
    const capacities = new Float64Array(links.length);
    for (let i = 0; i < links.length; i++) {
      capacities[i] = this.capacities[links[i]];
      this.localLink[links[i]] = i;
    }
    // Packed (one index array for all flows): an array per flow was a third of an event's cost.
    const flowStart = new Int32Array(flows.length + 1);
    let hops = 0;
    for (let f = 0; f < flows.length; f++) hops += flows[f].links.length;
    const flowLink = new Int32Array(hops);
    const bounds = new Float64Array(flows.length);
    let at = 0;
    for (let f = 0; f < flows.length; f++) {
      const path = flows[f].links;
      for (let k = 0; k < path.length; k++) if (this.capacities[path[k]] !== UNLIMITED) flowLink[at++] = this.localLink[path[k]];
      flowStart[f + 1] = at;
      bounds[f] = flows[f].bound;
    }
    const rates = solveMaxMinPacked({ capacities, flowCount: flows.length, flowStart, flowLink, bounds }, this.cost);
    this.cost.flowsVisited += flows.length;
    this.cost.linksVisited += links.length;
    for (let f = 0; f < flows.length; f++) {
      const flow = flows[f];
      const rate = rates[f];
      if (rate === flow.rate) continue;
      for (let k = 0; k < flow.links.length; k++) if (this.capacities[flow.links[k]] === UNLIMITED) this.shiftLoad(flow.links[k], rate - flow.rate);
      flow.rate = rate;
      // A zero rate (a link saturated to the last rounding bit) has no completion until a rate changes.
      this.completions.set(flow.slot, flow.id, rate > 0 ? flow.updated + flow.remaining / rate : Number.POSITIVE_INFINITY);
      this.cost.reschedules++;
    }
    // A limited link's load is the exact sum of its flows' rates (no drift from many deltas).
    for (const link of links) {
      const list = this.linkFlows[link];
      let load = 0;
      for (let j = 0; j < list.length; j++) load += list[j].rate;
      this.ledger.setLoad(link, load);
    }
  }

  /**
   * Load change on a link with no capacity, whose segment is closed at the current time: by
   * delta (summing its flows would cost O(flows) on a busy backbone), exactly 0 once it is empty.
   */
  private shiftLoad(link: number, delta: number): void {
    this.ledger.setLoad(link, this.ledger.flowsOn(link) === 0 ? 0 : this.ledger.loadOf(link) + delta);
  }

  private countInFlight(now: number): void {
    const from = this.inFlightSince > this.warmup ? this.inFlightSince : this.warmup;
    if (now > from) this.inFlightArea += this.byId.size * (now - from);
    this.inFlightSince = now;
  }
}

/** Index of the flow with `id` in a list sorted by id (binary search; the flow is there). */
function indexById(list: readonly Flow[], id: number): number {
  let low = 0;
  let high = list.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].id < id) low = middle + 1;
    else high = middle;
  }
  return low;
}
