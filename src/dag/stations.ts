import { SimulationError } from "../errors.js";
import type { Simulator } from "../engine/simulator.js";
import { growFloat64, growInt32, growUint8 } from "../engine/typed-arrays.js";
import type { Sampler } from "../random/distributions.js";
import { IntQueue } from "../world/frames/task-pool.js";
import type { StageClient } from "./stage-executor.js";
import { ON_DEVICE, type Place } from "./types.js";

/**
 * The stations of application graphs: one c-server FIFO queue per (service, place), a device's
 * stations per device. Every stage of a service on a place queues at the same station and shares
 * its slots; a visit's service time is drawn when it takes a server, from the sampler of the
 * stage that sent it.
 *
 * Not the frames' SlotServices (src/world/frames/slot-server.ts): that one is the slot service of
 * a node's frame traffic (one per node, bound to the frames' TaskPool, its crash epochs, two-stage
 * accelerator path, compute-unit speed sharing and bounded queue), none of which a stage needs yet,
 * and it cannot hold two services on one node. What fits is reused: IntQueue for the FIFO.
 * Visits are pooled records in typed arrays, their index the event argument (one registered kind,
 * no closure per event).
 */
export class Stations {
  private readonly keys = new Map<string, number>();
  private readonly queues: IntQueue[] = [];
  private slots: Int32Array = new Int32Array(16);
  /** The node of each station; ON_DEVICE for a device's. */
  private place: Int32Array = new Int32Array(16);
  /** Per node index: 1 while down (its stations lose what reaches them). */
  private readonly down: number[] = [];
  private busy: Int32Array = new Int32Array(16);
  /** Visits placed here by jobs in flight that have not reached the station yet (counted in the wait estimate). */
  private expected: Int32Array = new Int32Array(16);
  /** Stations created so far. */
  private count = 0;
  // Visits, pooled.
  private visitStation: Int32Array = new Int32Array(64);
  private visitToken: Int32Array = new Int32Array(64);
  private visitClient: Int32Array = new Int32Array(64);
  private enqueuedAt: Float64Array = new Float64Array(64);
  private serviceMs: Float64Array = new Float64Array(64);
  /** 1 for a visit in service when its node crashed: its end event still fires, and only frees the record. */
  private visitLost: Uint8Array = new Uint8Array(64);
  private readonly visitSampler: (Sampler | undefined)[] = [];
  private readonly clients: StageClient[] = [];
  private readonly free: number[] = [];
  private used = 0;
  private readonly doneKind: number;

  constructor(private readonly sim: Simulator) {
    this.doneKind = sim.registerKind((visit) => this.done(visit));
  }

  /** Registers who is told about its visits; returns the id to pass to `enter`. */
  addClient(client: StageClient): number {
    this.clients.push(client);
    return this.clients.length - 1;
  }

  /** The station of `service` on `place` (on `device` when the place is ON_DEVICE), created with `slots` servers at its first use; later uses must give the same `slots`. */
  station(service: string, place: Place, device: number, slots: number): number {
    const key = place === ON_DEVICE ? `${service}\u0000d${device}` : `${service}\u0000n${place}`;
    let id = this.keys.get(key);
    if (id === undefined) {
      id = this.count++;
      this.keys.set(key, id);
      if (id === this.slots.length) {
        this.slots = growInt32(this.slots, id * 2);
        this.busy = growInt32(this.busy, id * 2);
        this.expected = growInt32(this.expected, id * 2);
        this.place = growInt32(this.place, id * 2);
      }
      this.slots[id] = slots;
      this.place[id] = place;
      this.queues.push(new IntQueue());
    } else if (this.slots[id] !== slots) {
      // defineApplication checks this within an application; two applications sharing a station must agree too.
      throw new SimulationError(`service ${service} on place ${place} has ${this.slots[id]} slots, and a stage asks for ${slots}: one station per service and place`);
    }
    return id;
  }

  /** A job placed a stage here: one more visit on its way. Every visit is announced so before it `enter`s. */
  expect(station: number): void {
    this.expected[station]++;
  }

  /** The visit announced by `expect` arrives: it joins the station's queue, or takes a free server at once (a wait of 0). */
  enter(station: number, sampler: Sampler, client: number, token: number): void {
    const visit = this.allocate();
    this.visitStation[visit] = station;
    this.visitToken[visit] = token;
    this.visitClient[visit] = client;
    this.visitSampler[visit] = sampler;
    this.enqueuedAt[visit] = this.sim.now;
    this.serviceMs[visit] = -1;
    this.expected[station]--;
    if (this.down[this.place[station]] === 1) {
      this.release(visit);
      this.clients[client].lost(token);
      return;
    }
    if (this.busy[station] < this.slots[station]) this.start(visit);
    else this.queues[station].push(visit);
  }

  /** Visits waiting (not in service) at the station now. */
  queued(station: number): number {
    return this.queues[station].size;
  }

  /** Servers busy at the station now. */
  inService(station: number): number {
    return this.busy[station];
  }

  /**
   * Expected wait of one more visit whose own service has mean `meanServiceMs`: the visits ahead
   * of it (in service, queued, and placed here by jobs in flight but not arrived yet) beyond the
   * servers, each taken to last that mean, over the servers: 0 while a server would be free. An
   * estimate for placement, read at the job's arrival: it takes the visits on their way as already
   * here (they may arrive after it), and each visit ahead to last this stage's mean.
   */
  expectedWaitMs(station: number, meanServiceMs: number): number {
    const slots = this.slots[station];
    const ahead = this.busy[station] + this.queues[station].size + this.expected[station];
    return ahead < slots ? 0 : ((ahead - slots + 1) * meanServiceMs) / slots;
  }

  /**
   * The node crashed: every visit queued or in service at its stations is lost (each client told,
   * in station then queue order), and what reaches them until `recover` is lost too. A device's
   * stations never crash (devices have no faults).
   */
  crash(node: number): void {
    this.down[node] = 1;
    const lost: number[] = [];
    for (let visit = 0; visit < this.used; visit++) {
      // In service: the records not free and not queued (queued ones are taken below, in queue order).
      if (this.visitSampler[visit] !== undefined && this.place[this.visitStation[visit]] === node && this.visitLost[visit] === 0 && this.serving(visit)) {
        this.visitLost[visit] = 1;
        lost.push(visit);
      }
    }
    for (let station = 0; station < this.count; station++) {
      if (this.place[station] !== node) continue;
      this.busy[station] = 0;
      const queue = this.queues[station];
      while (queue.size > 0) {
        const visit = queue.shift();
        lost.push(visit);
        this.visitLost[visit] = 2;
      }
    }
    for (const visit of lost) {
      const client = this.clients[this.visitClient[visit]];
      const token = this.visitToken[visit];
      // A queued visit has no end event: its record is free now; one in service frees it when its end event fires.
      if (this.visitLost[visit] === 2) {
        this.visitLost[visit] = 0;
        this.release(visit);
      }
      client.lost(token);
    }
  }

  /** The node is up again: its stations start empty. */
  recover(node: number): void {
    this.down[node] = 0;
  }

  /** Whether a live visit record is in service (has taken a server): its service time is drawn. */
  private serving(visit: number): boolean {
    return this.serviceMs[visit] >= 0;
  }

  private start(visit: number): void {
    const station = this.visitStation[visit];
    this.busy[station]++;
    const service = (this.visitSampler[visit] as Sampler)();
    this.serviceMs[visit] = service;
    this.clients[this.visitClient[visit]].started(this.visitToken[visit], this.sim.now - this.enqueuedAt[visit]);
    this.sim.scheduleKind(service, this.doneKind, visit);
  }

  private done(visit: number): void {
    if (this.visitLost[visit] === 1) {
      this.visitLost[visit] = 0;
      this.release(visit);
      return;
    }
    const station = this.visitStation[visit];
    const client = this.clients[this.visitClient[visit]];
    const token = this.visitToken[visit];
    const service = this.serviceMs[visit];
    this.release(visit);
    this.busy[station]--;
    // The freed server goes to the head of the queue before the client hears of the end, so a visit the client sends here at once queues behind it.
    const queue = this.queues[station];
    if (queue.size > 0) this.start(queue.shift());
    // A station's visit always passes: only query stages fail.
    client.finished(token, service, true);
  }

  private allocate(): number {
    const pooled = this.free.pop();
    if (pooled !== undefined) return pooled;
    const visit = this.used++;
    if (visit === this.visitStation.length) {
      const size = visit * 2;
      this.visitStation = growInt32(this.visitStation, size);
      this.visitToken = growInt32(this.visitToken, size);
      this.visitClient = growInt32(this.visitClient, size);
      this.enqueuedAt = growFloat64(this.enqueuedAt, size);
      this.serviceMs = growFloat64(this.serviceMs, size);
      this.visitLost = growUint8(this.visitLost, size);
    }
    return visit;
  }

  private release(visit: number): void {
    this.visitSampler[visit] = undefined;
    this.free.push(visit);
  }
}
