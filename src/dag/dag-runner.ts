import { SimulationError } from "../errors.js";
import type { Simulator } from "../engine/simulator.js";
import type { PlacementEstimates, PlacementPolicy } from "./placement.js";
import type { StageClient, StageExecutor, StageExecutors } from "./stage-executor.js";
import { DEVICE_END, type DagApplication, ON_DEVICE, type Place } from "./types.js";

/**
 * The network as the graphs see it: an interface of their own so that tests can give a fixed
 * latency or a rate, and the world's Network can satisfy it later (its `transfer` has the same
 * contract: a fixed time, or NaN and a delivery at the last byte). Places are ON_DEVICE (the
 * job's device) or node indices; a transfer between a place and itself never reaches it.
 */
export interface DagNetwork {
  /**
   * Starts `bytes` from `from` to `to` for a job of `device`, now. Returns its time, ms, when that
   * is fixed now (the runner schedules the arrival); NaN when the network delivers it itself, by
   * calling the runner's `delivered(token)` at the last byte.
   */
  transfer(device: number, from: Place, to: Place, bytes: number, token: number): number;
  /** Expected time of such a transfer, for placement. */
  expectedTransferMs(device: number, from: Place, to: Place, bytes: number): number;
}

/**
 * One job through the graph, as recorded when its last byte is back on the device (or when it
 * failed). Valid during the observer's call only: the runner refills one record per end and its
 * arrays are the job's own, reused by the slot's next job (no object or array per job); copy what
 * is kept.
 */
export interface DagJobRecord {
  /** Sequence number of the job in the runner, from 0 in order of submission. */
  readonly job: number;
  /** The runner's slot of the job (reused once the job ends). */
  readonly slot: number;
  readonly device: number;
  readonly arrivalMs: number;
  readonly endMs: number;
  /** endMs - arrivalMs: from the job's arrival at its device to the last byte back there. */
  readonly latencyMs: number;
  /** Where each stage ran, by stage index. */
  readonly places: ArrayLike<Place>;
  /** Wait in its station's queue and service there, by stage index; a stage attempted several times: the sums over its attempts. */
  readonly waitMs: ArrayLike<number>;
  readonly serviceMs: ArrayLike<number>;
  /** Visits per stage (attempts; 0 for a stage the job did not reach). */
  readonly attempts: ArrayLike<number>;
  /** Transfer time of each edge, by edge index (0 between a place and itself). */
  readonly transferMs: ArrayLike<number>;
}

/** Who hears of the jobs: each submission, each job back on its device. */
export interface DagObserver {
  /** A job started in the runner's `slot` (its slot until it ends). */
  submitted(device: number, arrivalMs: number, slot: number): void;
  completed(record: DagJobRecord): void;
  /** The job was lost at a crashed node (its other branches, if any, run on and are ignored). */
  lost?(device: number, arrivalMs: number): void;
  /** The job failed: stage `stage` failed its last attempt (its other branches, if any, run on and are ignored). `endMs` is now. */
  failed?(record: DagJobRecord, stage: number): void;
}

/**
 * Runs jobs of one application over shared stations. `submit(device)` starts a job now on that
 * device: the placement policy chooses a host per stage from the stations' state at that moment,
 * the source edges leave the device, each stage queues at its (service, place) station once its
 * last input is in, and on finishing sends its bytes along every output edge (a fork); the job is
 * recorded when its last sink edge is back on the device.
 *
 * A stage's visits are run by the executor of its kind (StageExecutors: stations, or the query
 * traffic for query stages). A visit that fails sends the job into the same stage again (a new
 * attempt: a self-edge of the stage, not a cycle in the graph) while the stage's maxAttempts allow;
 * then the job fails.
 *
 * Event arguments: a transfer is job slot * edges + edge, a visit job slot * stages + stage; job
 * slots are reused once a job ends.
 */
export class DagRunner implements StageClient {
  /**
   * The jobs in flight, flat by slot (no object or array per job or slot): per slot, and per slot
   * and stage at slot * stages + stage, per slot and edge at slot * edges + edge. Grown by doubling.
   */
  private capacity = 0;
  private sequence = new Float64Array(0);
  private device = new Int32Array(0);
  private arrivalMs = new Float64Array(0);
  private sinksLeft = new Int32Array(0);
  /** Transfers in flight and visits at stations: an ended job's slot is reused only once none is left (their events name it). */
  private pending = new Int32Array(0);
  /** 1 while a job holds the slot; 2 once it is lost or failed (what is still pending of it is ignored); 0 while free. */
  private state = new Uint8Array(0);
  private hosts = new Int32Array(0);
  /** Each stage's handle at its executor (a station for a station stage). */
  private handles = new Int32Array(0);
  private attempts = new Int32Array(0);
  /** Inputs still to arrive, per stage: the stage queues when its last input is in (a join). */
  private inputsLeft = new Int32Array(0);
  private waitMs = new Float64Array(0);
  private serviceMs = new Float64Array(0);
  private transferStart = new Float64Array(0);
  private transferMs = new Float64Array(0);
  /** Slots in use (a slot is free once its job ended and nothing of it is pending). */
  private used = 0;
  private slotCount = 0;
  private readonly freeSlots: number[] = [];
  private readonly stageCount: number;
  private readonly edgeCount: number;
  /** The device whose job placement is estimating for (read by `estimates`). */
  private estimateDevice = 0;
  private readonly estimates: PlacementEstimates;
  /** Per stage: the executor of its kind. */
  private readonly executors: StageExecutor[];
  /** Inputs per stage: a new job's countdown to each join. */
  private readonly inputCounts: Int32Array;
  private readonly arrivedKind: number;
  private submitted = 0;
  /** What an executor is told of the job of a visit: refilled per visit (see StageExecutor.enter). */
  private readonly visiting = { sequence: 0, slot: 0, device: 0, arrivalMs: 0 };
  /** What the observer is told of an ended job: refilled per end, its arrays too (see DagJobRecord). */
  private readonly ended: { -readonly [K in keyof DagJobRecord]: DagJobRecord[K] };
  private readonly endedPlaces: Int32Array;
  private readonly endedWaitMs: Float64Array;
  private readonly endedServiceMs: Float64Array;
  private readonly endedAttempts: Int32Array;
  private readonly endedTransferMs: Float64Array;

  constructor(
    private readonly sim: Simulator,
    readonly app: DagApplication,
    executors: StageExecutors,
    private readonly network: DagNetwork,
    private readonly placement: PlacementPolicy,
    private readonly observer: DagObserver,
  ) {
    // Each kind's executor is built once, if a stage needs it.
    const station = app.stages.some((stage) => stage.query === undefined) ? executors.station?.(app, this) : undefined;
    const query = app.stages.some((stage) => stage.query !== undefined) ? executors.query?.(app, this) : undefined;
    this.executors = app.stages.map((stage) => {
      const executor = stage.query === undefined ? station : query;
      if (executor === undefined) throw new SimulationError(`application ${app.id}: stage ${stage.id} is a ${stage.query === undefined ? "station" : "query"} stage, and nothing runs those here`);
      return executor;
    });
    this.stageCount = app.stages.length;
    this.edgeCount = app.edges.length;
    this.inputCounts = Int32Array.from(app.stages, (stage) => stage.inputs.length);
    this.arrivedKind = sim.registerKind((token) => this.delivered(token));
    // One estimates object for every job (placement is synchronous): the network's expected transfers, the executors' queues as they are.
    this.estimates = {
      transferMs: (from, to, bytes) => (from === to ? 0 : this.network.expectedTransferMs(this.estimateDevice, from, to, bytes)),
      waitMs: (s, h) => this.executors[s].expectedWaitMs(s, h, this.estimateDevice),
    };
    this.endedPlaces = new Int32Array(this.stageCount);
    this.endedWaitMs = new Float64Array(this.stageCount);
    this.endedServiceMs = new Float64Array(this.stageCount);
    this.endedAttempts = new Int32Array(this.stageCount);
    this.endedTransferMs = new Float64Array(this.edgeCount);
    this.ended = {
      job: 0,
      slot: 0,
      device: 0,
      arrivalMs: 0,
      endMs: 0,
      latencyMs: 0,
      places: this.endedPlaces,
      waitMs: this.endedWaitMs,
      serviceMs: this.endedServiceMs,
      attempts: this.endedAttempts,
      transferMs: this.endedTransferMs,
    };
  }

  /** Jobs submitted and not yet back. */
  get inFlight(): number {
    return this.used;
  }

  /** Arrival times of the jobs still in flight, in order of submission (for the unfinished and unfinished-late counts at the end). */
  inFlightArrivalsMs(): number[] {
    const live: number[] = [];
    for (let slot = 0; slot < this.slotCount; slot++) if (this.state[slot] === 1) live.push(slot);
    live.sort((a, b) => this.sequence[a] - this.sequence[b]);
    return live.map((slot) => this.arrivalMs[slot]);
  }

  /** Starts a job on `device` now. */
  submit(device: number): void {
    const app = this.app;
    const stageCount = this.stageCount;
    this.estimateDevice = device;
    const hosts = this.placement(app, this.estimates);
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.slotCount++;
    if (slot >= this.capacity) this.grow();
    this.used++;
    this.sequence[slot] = this.submitted++;
    this.device[slot] = device;
    this.arrivalMs[slot] = this.sim.now;
    const base = slot * stageCount;
    for (let s = 0; s < stageCount; s++) {
      const stage = app.stages[s];
      if (stage.hosts[hosts[s]] === undefined) throw new SimulationError(`placement of ${app.id} chose host ${hosts[s]} for stage ${stage.id}, which has ${stage.hosts.length}`);
      this.hosts[base + s] = hosts[s];
      this.handles[base + s] = this.executors[s].reserve(s, hosts[s], device);
      this.attempts[base + s] = 0;
      this.inputsLeft[base + s] = this.inputCounts[s];
      this.waitMs[base + s] = 0;
      this.serviceMs[base + s] = 0;
    }
    this.transferMs.fill(0, slot * this.edgeCount, (slot + 1) * this.edgeCount);
    this.sinksLeft[slot] = app.sinkEdges.length;
    this.pending[slot] = 0;
    this.state[slot] = 1;
    this.observer.submitted(device, this.arrivalMs[slot], slot);
    // Indexed loops: a for-of here ran the array iterator (an object per step) in the profile.
    const sources = app.sourceEdges;
    for (let i = 0; i < sources.length; i++) this.send(slot, sources[i]);
  }

  /** Doubles the slots' arrays (more jobs in flight than ever before). */
  private grow(): void {
    const capacity = Math.max(16, this.capacity * 2);
    const stages = capacity * this.stageCount;
    const edges = capacity * this.edgeCount;
    this.sequence = grown(this.sequence, new Float64Array(capacity));
    this.device = grown(this.device, new Int32Array(capacity));
    this.arrivalMs = grown(this.arrivalMs, new Float64Array(capacity));
    this.sinksLeft = grown(this.sinksLeft, new Int32Array(capacity));
    this.pending = grown(this.pending, new Int32Array(capacity));
    this.state = grown(this.state, new Uint8Array(capacity));
    this.hosts = grown(this.hosts, new Int32Array(stages));
    this.handles = grown(this.handles, new Int32Array(stages));
    this.attempts = grown(this.attempts, new Int32Array(stages));
    this.inputsLeft = grown(this.inputsLeft, new Int32Array(stages));
    this.waitMs = grown(this.waitMs, new Float64Array(stages));
    this.serviceMs = grown(this.serviceMs, new Float64Array(stages));
    this.transferStart = grown(this.transferStart, new Float64Array(edges));
    this.transferMs = grown(this.transferMs, new Float64Array(edges));
    this.capacity = capacity;
  }

  /** The last byte of transfer `token` arrived (scheduled here for a fixed time; called by the network otherwise). */
  delivered(token: number): void {
    const slot = Math.floor(token / this.edgeCount);
    if (!this.settle(slot)) return;
    this.transferMs[token] = this.sim.now - this.transferStart[token];
    this.arrived(slot, token - slot * this.edgeCount);
  }

  /** One of the job's transfers or visits ended: false when the job is over (its slot is freed once nothing of it is pending). */
  private settle(slot: number): boolean {
    this.pending[slot]--;
    if (this.state[slot] === 1) return true;
    this.releaseIfIdle(slot);
    return false;
  }

  started(token: number, waitMs: number): void {
    this.waitMs[token] += waitMs;
  }

  finished(token: number, serviceMs: number, passed: boolean): void {
    const slot = Math.floor(token / this.stageCount);
    const stage = token - slot * this.stageCount;
    if (!this.settle(slot)) return;
    this.serviceMs[token] += serviceMs;
    if (passed) {
      const outputs = this.app.stages[stage].outputs;
      for (let i = 0; i < outputs.length; i++) this.send(slot, outputs[i]);
    } else if (this.attempts[token] < this.app.stages[stage].maxAttempts) this.visit(slot, stage);
    else {
      this.state[slot] = 2;
      this.observer.failed?.(this.record(slot), stage);
      this.releaseIfIdle(slot);
    }
  }

  lost(token: number): void {
    const slot = Math.floor(token / this.stageCount);
    this.pending[slot]--;
    if (this.state[slot] === 1) {
      this.state[slot] = 2;
      this.observer.lost?.(this.device[slot], this.arrivalMs[slot]);
    }
    this.releaseIfIdle(slot);
  }

  private releaseIfIdle(slot: number): void {
    if (this.pending[slot] > 0) return;
    this.free(slot);
  }

  private free(slot: number): void {
    this.state[slot] = 0;
    this.used--;
    this.freeSlots.push(slot);
  }

  private placeOf(slot: number, end: number): Place {
    return end === DEVICE_END ? ON_DEVICE : this.app.stages[end].hosts[this.hosts[slot * this.stageCount + end]].place;
  }

  /** Edge `k` of the job leaves now; between a place and itself it arrives at once (the bytes stay in memory). */
  private send(slot: number, k: number): void {
    const edge = this.app.edges[k];
    const from = this.placeOf(slot, edge.from);
    const to = this.placeOf(slot, edge.to);
    const token = slot * this.edgeCount + k;
    this.transferStart[token] = this.sim.now;
    if (from === to) {
      this.transferMs[token] = 0;
      this.arrived(slot, k);
      return;
    }
    this.pending[slot]++;
    const ms = this.network.transfer(this.device[slot], from, to, edge.bytes, token);
    if (!Number.isNaN(ms)) this.sim.scheduleKind(ms, this.arrivedKind, token);
  }

  private arrived(slot: number, k: number): void {
    const to = this.app.edges[k].to;
    if (to === DEVICE_END) {
      if (--this.sinksLeft[slot] === 0) this.complete(slot);
      return;
    }
    if (--this.inputsLeft[slot * this.stageCount + to] > 0) return;
    this.visit(slot, to);
  }

  /** One visit (attempt) of the job at stage `s` starts now. */
  private visit(slot: number, s: number): void {
    const token = slot * this.stageCount + s;
    this.pending[slot]++;
    this.attempts[token]++;
    const job = this.visiting;
    job.sequence = this.sequence[slot];
    job.slot = slot;
    job.device = this.device[slot];
    job.arrivalMs = this.arrivalMs[slot];
    this.executors[s].enter(this.handles[token], s, this.hosts[token], job, token);
  }

  private complete(slot: number): void {
    this.free(slot);
    this.observer.completed(this.record(slot));
  }

  /** The job as it stands now (its end), in the one reused record. */
  private record(slot: number): DagJobRecord {
    const now = this.sim.now;
    const stages = this.app.stages;
    const stageCount = this.stageCount;
    const base = slot * stageCount;
    for (let s = 0; s < stageCount; s++) {
      this.endedPlaces[s] = stages[s].hosts[this.hosts[base + s]].place;
      this.endedWaitMs[s] = this.waitMs[base + s];
      this.endedServiceMs[s] = this.serviceMs[base + s];
      this.endedAttempts[s] = this.attempts[base + s];
    }
    const edgeBase = slot * this.edgeCount;
    for (let k = 0; k < this.edgeCount; k++) this.endedTransferMs[k] = this.transferMs[edgeBase + k];
    const r = this.ended;
    r.job = this.sequence[slot];
    r.slot = slot;
    r.device = this.device[slot];
    r.arrivalMs = this.arrivalMs[slot];
    r.endMs = now;
    r.latencyMs = now - this.arrivalMs[slot];
    return r;
  }
}

/** `into` with `from` copied to its start. */
function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
