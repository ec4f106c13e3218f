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

/** A job in flight; the record of its slot, reused by the slot's next job (so its arrays are allocated once per slot). */
interface Job {
  readonly slot: number;
  sequence: number;
  device: number;
  arrivalMs: number;
  hosts: Int32Array;
  /** Each stage's handle at its executor (a station for a station stage). */
  handles: Int32Array;
  attempts: Int32Array;
  /** Inputs still to arrive, per stage: the stage queues when its last input is in (a join). */
  inputsLeft: Int32Array;
  waitMs: Float64Array;
  serviceMs: Float64Array;
  transferStart: Float64Array;
  transferMs: Float64Array;
  sinksLeft: number;
  /** Transfers in flight and visits at stations: an ended job's slot is reused only once none is left (their events name it). */
  pending: number;
  /** Lost or failed: what is still pending of it is ignored. */
  over: boolean;
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
  /** By slot: the job in it, undefined while the slot is free. */
  private readonly jobs: (Job | undefined)[] = [];
  /** By slot: its job record, kept while the slot is free for the next job there. */
  private readonly records: Job[] = [];
  private readonly freeSlots: number[] = [];
  /** The device whose job placement is estimating for (read by `estimates`). */
  private estimateDevice = 0;
  private readonly estimates: PlacementEstimates;
  /** Per stage: the executor of its kind. */
  private readonly executors: StageExecutor[];
  /** Inputs per stage: a new job's countdown to each join. */
  private readonly inputCounts: Int32Array;
  private readonly arrivedKind: number;
  private submitted = 0;
  /** What the observer is told of an ended job: refilled per end (see DagJobRecord). */
  private readonly ended: { -readonly [K in keyof DagJobRecord]: DagJobRecord[K] };
  private readonly endedPlaces: Int32Array;

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
    this.inputCounts = Int32Array.from(app.stages, (stage) => stage.inputs.length);
    this.endedPlaces = new Int32Array(app.stages.length);
    const none = new Float64Array(0);
    this.ended = { job: 0, slot: 0, device: 0, arrivalMs: 0, endMs: 0, latencyMs: 0, places: this.endedPlaces, waitMs: none, serviceMs: none, attempts: none, transferMs: none };
    this.arrivedKind = sim.registerKind((token) => this.delivered(token));
    // One estimates object for every job (placement is synchronous): the network's expected transfers, the executors' queues as they are.
    this.estimates = {
      transferMs: (from, to, bytes) => (from === to ? 0 : this.network.expectedTransferMs(this.estimateDevice, from, to, bytes)),
      waitMs: (s, h) => this.executors[s].expectedWaitMs(s, h, this.estimateDevice),
    };
  }

  /** Jobs submitted and not yet back. */
  get inFlight(): number {
    return this.jobs.length - this.freeSlots.length;
  }

  /** Arrival times of the jobs still in flight, in order of submission (for the unfinished and unfinished-late counts at the end). */
  inFlightArrivalsMs(): number[] {
    const live = this.jobs.filter((job): job is Job => job !== undefined && !job.over).sort((a, b) => a.sequence - b.sequence);
    return live.map((job) => job.arrivalMs);
  }

  /** Starts a job on `device` now. */
  submit(device: number): void {
    const app = this.app;
    const stageCount = app.stages.length;
    this.estimateDevice = device;
    const hosts = this.placement(app, this.estimates);
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.jobs.length;
    const job = this.records[slot] ?? this.newRecord(slot);
    job.sequence = this.submitted++;
    job.device = device;
    job.arrivalMs = this.sim.now;
    job.hosts.set(hosts);
    for (let s = 0; s < stageCount; s++) {
      const stage = app.stages[s];
      if (stage.hosts[hosts[s]] === undefined) throw new SimulationError(`placement of ${app.id} chose host ${hosts[s]} for stage ${stage.id}, which has ${stage.hosts.length}`);
      job.handles[s] = this.executors[s].reserve(s, hosts[s], device);
    }
    job.attempts.fill(0);
    job.inputsLeft.set(this.inputCounts);
    job.waitMs.fill(0);
    job.serviceMs.fill(0);
    job.transferMs.fill(0);
    job.sinksLeft = app.sinkEdges.length;
    job.pending = 0;
    job.over = false;
    this.jobs[slot] = job;
    this.observer.submitted(device, job.arrivalMs, slot);
    for (const k of app.sourceEdges) this.send(slot, job, k);
  }

  private newRecord(slot: number): Job {
    const stageCount = this.app.stages.length;
    const edgeCount = this.app.edges.length;
    const job: Job = {
      slot,
      sequence: 0,
      device: 0,
      arrivalMs: 0,
      hosts: new Int32Array(stageCount),
      handles: new Int32Array(stageCount),
      attempts: new Int32Array(stageCount),
      inputsLeft: new Int32Array(stageCount),
      waitMs: new Float64Array(stageCount),
      serviceMs: new Float64Array(stageCount),
      transferStart: new Float64Array(edgeCount),
      transferMs: new Float64Array(edgeCount),
      sinksLeft: 0,
      pending: 0,
      over: false,
    };
    this.records[slot] = job;
    return job;
  }

  /** The last byte of transfer `token` arrived (scheduled here for a fixed time; called by the network otherwise). */
  delivered(token: number): void {
    const edgeCount = this.app.edges.length;
    const slot = Math.floor(token / edgeCount);
    const k = token - slot * edgeCount;
    const job = this.jobs[slot] as Job;
    if (!this.settle(slot, job)) return;
    job.transferMs[k] = this.sim.now - job.transferStart[k];
    this.arrived(slot, job, k);
  }

  /** One of the job's transfers or visits ended: false when the job is over (its slot is freed once nothing of it is pending). */
  private settle(slot: number, job: Job): boolean {
    job.pending--;
    if (!job.over) return true;
    this.releaseIfIdle(slot, job);
    return false;
  }

  started(token: number, waitMs: number): void {
    const stageCount = this.app.stages.length;
    const slot = Math.floor(token / stageCount);
    (this.jobs[slot] as Job).waitMs[token - slot * stageCount] += waitMs;
  }

  finished(token: number, serviceMs: number, passed: boolean): void {
    const stageCount = this.app.stages.length;
    const slot = Math.floor(token / stageCount);
    const stage = token - slot * stageCount;
    const job = this.jobs[slot] as Job;
    if (!this.settle(slot, job)) return;
    job.serviceMs[stage] += serviceMs;
    if (passed) {
      for (const k of this.app.stages[stage].outputs) this.send(slot, job, k);
    } else if (job.attempts[stage] < this.app.stages[stage].maxAttempts) this.visit(slot, job, stage);
    else {
      job.over = true;
      this.observer.failed?.(this.record(job), stage);
      this.releaseIfIdle(slot, job);
    }
  }

  lost(token: number): void {
    const slot = Math.floor(token / this.app.stages.length);
    const job = this.jobs[slot] as Job;
    job.pending--;
    if (!job.over) {
      job.over = true;
      this.observer.lost?.(job.device, job.arrivalMs);
    }
    this.releaseIfIdle(slot, job);
  }

  private releaseIfIdle(slot: number, job: Job): void {
    if (job.pending > 0) return;
    this.jobs[slot] = undefined;
    this.freeSlots.push(slot);
  }

  private placeOf(job: Job, end: number): Place {
    return end === DEVICE_END ? ON_DEVICE : this.app.stages[end].hosts[job.hosts[end]].place;
  }

  /** Edge `k` of the job leaves now; between a place and itself it arrives at once (the bytes stay in memory). */
  private send(slot: number, job: Job, k: number): void {
    const edge = this.app.edges[k];
    const from = this.placeOf(job, edge.from);
    const to = this.placeOf(job, edge.to);
    job.transferStart[k] = this.sim.now;
    if (from === to) {
      job.transferMs[k] = 0;
      this.arrived(slot, job, k);
      return;
    }
    const token = slot * this.app.edges.length + k;
    job.pending++;
    const ms = this.network.transfer(job.device, from, to, edge.bytes, token);
    if (!Number.isNaN(ms)) this.sim.scheduleKind(ms, this.arrivedKind, token);
  }

  private arrived(slot: number, job: Job, k: number): void {
    const to = this.app.edges[k].to;
    if (to === DEVICE_END) {
      if (--job.sinksLeft === 0) this.complete(slot, job);
      return;
    }
    if (--job.inputsLeft[to] > 0) return;
    this.visit(slot, job, to);
  }

  /** One visit (attempt) of the job at stage `s` starts now. */
  private visit(slot: number, job: Job, s: number): void {
    job.pending++;
    job.attempts[s]++;
    this.executors[s].enter(job.handles[s], s, job.hosts[s], job, slot * this.app.stages.length + s);
  }

  private complete(slot: number, job: Job): void {
    // Told before the slot is free: the record reads the job's arrays.
    this.observer.completed(this.record(job));
    this.jobs[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** The job as it stands now (its end), in the one reused record. */
  private record(job: Job): DagJobRecord {
    const now = this.sim.now;
    const stages = this.app.stages;
    const places = this.endedPlaces;
    for (let s = 0; s < stages.length; s++) places[s] = stages[s].hosts[job.hosts[s]].place;
    const r = this.ended;
    r.job = job.sequence;
    r.slot = job.slot;
    r.device = job.device;
    r.arrivalMs = job.arrivalMs;
    r.endMs = now;
    r.latencyMs = now - job.arrivalMs;
    r.waitMs = job.waitMs;
    r.serviceMs = job.serviceMs;
    r.attempts = job.attempts;
    r.transferMs = job.transferMs;
    return r;
  }
}
