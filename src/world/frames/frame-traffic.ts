import { SimulationError } from "../../errors.js";
import type { Simulator } from "../../engine/simulator.js";
import { DOWN, type Network, UP } from "../../network/network.js";
import type { StreamTable } from "../../engine/rng.js";
import type { Sampler } from "../../random/distributions.js";
import { DROP, LOCAL_NODE, type Scheduler, type TaskOutcome, type TaskRequest } from "../../schedulers/types.js";
import type { FrameFamilyResults, Traffic, TrafficContext } from "../traffic-context.js";
import { JobWaits } from "../job-waits.js";
import { ControlledFrameClusterView, FrameClusterView, servesFramesOf } from "./cluster-view.js";
import { FrameAdmission } from "./frame-admission.js";
import { FrameRecorder } from "./frame-recorder.js";
import { FrameSources } from "./frame-sources.js";
import { LocalExecutor } from "./local-executor.js";
import { MigrationController } from "./migration-controller.js";
import { OutstandingFrames } from "./outstanding-frames.js";
import { type SlotServiceEvents, SlotServices } from "./slot-server.js";
import { TaskPool } from "./task-pool.js";

/** Requests the task pool is sized for at the start (it grows beyond). */
const POOL_PRESIZE_MAX = 1 << 16;

/** Called for every measured frame that completes, for per-task output. */
export type TaskSink = (record: TaskRecord) => void;

export interface TaskRecord {
  sequence: number;
  device: string;
  node: string;
  createdAt: number;
  networkUp: number;
  queueing: number;
  preprocessing: number;
  inference: number;
  networkDown: number;
  total: number;
  violatedQos: boolean;
}

export interface FrameTrafficOptions {
  readonly taskSink?: TaskSink;
}

/**
 * The frame traffic of the one world: camera frames, random arrivals and replayed traces of
 * every frame workload of every device, placed by one frame policy (Scheduler) on the nodes'
 * slot services or on the device itself.
 *
 * A frame's life: its source creates it, the policy places it, it crosses the uplink
 * (ctx.network), is served by the node's slot service (slot-server.ts) or the device
 * (local-executor.ts), and its answer crosses the downlink. Each workload draws from its own
 * streams `<streamPrefix>/arrivals`, `/jitter`, `/start` (`device/<id>/...` for a device's first
 * workload). All per-frame state lives in a TaskPool; events carry a frame or source index.
 */
export class FrameTraffic implements Traffic, SlotServiceEvents {
  readonly pool: TaskPool;
  readonly recorder: FrameRecorder;
  readonly view: FrameClusterView;
  private readonly servers: SlotServices;
  private readonly local: LocalExecutor;
  private readonly migration: MigrationController;
  private readonly sources: FrameSources;
  private readonly nextArrival: Float64Array;
  private readonly jitterSamplers: (Sampler | undefined)[];
  // Per source, what every arrival and delivery reads (FrameSources' flat arrays, held here as the hot path reads them).
  private readonly sourceDevice: Int32Array;
  private readonly sourceModel: string[];
  private readonly sourceFrameSizePx: Float64Array;
  private readonly sourceRequestBytes: Float64Array;
  private readonly sourceResultBytes: Float64Array;
  private readonly sourcePeriodMs: Float64Array;
  private readonly outstanding: OutstandingFrames;
  private readonly taskSink: TaskSink | undefined;
  private readonly deadline: number;
  private readonly endOfArrivals: number;
  private readonly request: Mutable<TaskRequest>;
  private readonly outcome: Mutable<TaskOutcome>;
  private readonly arrivalKind: number;
  private readonly reachNodeKind: number;
  private readonly deliveredKind: number;
  /** Network deliveries (a transfer over a shared link or from a wireless device): the uplink reached the node; the answer reached the device. */
  private readonly uplinkDelivery: number;
  private readonly downlinkDelivery: number;
  private readonly waits: JobWaits;
  /** With a control plane: the way to placement (undefined without one: frames are placed at once, as before issue 17). */
  private readonly admission: FrameAdmission | undefined;
  /** With a control plane: the view, which also asks the catalog (the same object as `view`). */
  private readonly controlledView: ControlledFrameClusterView | undefined;
  // Read on every event: kept here rather than behind the context.
  private readonly sim: Simulator;
  private readonly network: Network;
  private sequence = 0;
  /** Largest number of frames in flight at once. */
  peakInFlight = 0;

  constructor(
    readonly context: TrafficContext,
    readonly scheduler: Scheduler,
    readonly options: FrameTrafficOptions,
  ) {
    const ctx = context;
    const scenario = ctx.scenario;
    this.sim = ctx.sim;
    this.network = ctx.network;
    this.taskSink = options.taskSink;
    this.deadline = scenario.qos.frameDeadlineMs;
    this.endOfArrivals = scenario.durationMs;
    const sources = new FrameSources(scenario, ctx.streams);
    this.sources = sources;
    // Presized for a few requests per device, up to a cap: beyond it the pool doubles as it fills
    // (a million devices never have four million requests in flight; presized, 300 bytes each).
    this.pool = new TaskPool(Math.min(Math.max(1024, scenario.devices.length * 4), POOL_PRESIZE_MAX));
    this.nextArrival = new Float64Array(sources.count);
    this.jitterSamplers = sources.jitter;
    this.sourceDevice = sources.device;
    this.sourceModel = sources.model;
    this.sourceFrameSizePx = sources.frameSizePx;
    this.sourceRequestBytes = sources.requestBytes;
    this.sourceResultBytes = sources.resultBytes;
    this.sourcePeriodMs = sources.periodMs;
    this.outstanding = new OutstandingFrames(scenario.nodes.length, servesFramesOf(scenario.nodes));
    this.recorder = new FrameRecorder(scenario, ctx.sim);
    this.servers = new SlotServices(ctx, this.pool, this.recorder.meters, sources.serviceClass, this);
    this.local = new LocalExecutor(ctx, this.pool, this.recorder.localMeter, sources, (task) => this.onLocalDone(task));
    this.migration = new MigrationController(ctx, scheduler, scenario.durationMs + scenario.drainMs);
    this.controlledView = ctx.control === undefined ? undefined : new ControlledFrameClusterView(ctx, this.servers, this.local, this.migration, this.outstanding, ctx.control);
    this.view = this.controlledView ?? new FrameClusterView(ctx, this.servers, this.local, this.migration, this.outstanding);
    this.request = { sequence: 0, device: 0, deviceId: "", model: "", frameSizePx: 0, requestBytes: 0, createdAt: 0 };
    this.outcome = { sequence: 0, device: 0, node: 0, createdAt: 0, totalMs: 0, networkMs: 0, queueingMs: 0, preprocessingMs: 0, inferenceMs: 0, violatedQos: false };
    this.arrivalKind = ctx.sim.registerKind((source) => this.onArrival(source));
    this.reachNodeKind = ctx.sim.registerKind((task) => this.servers.arrive(task));
    this.deliveredKind = ctx.sim.registerKind((task) => this.onDelivered(task));
    this.uplinkDelivery = ctx.network.registerDelivery((task) => this.onUplinkDelivered(task));
    this.downlinkDelivery = ctx.network.registerDelivery((task) => this.onDownlinkDelivered(task));
    this.admission = ctx.control === undefined ? undefined : new FrameAdmission(ctx.sim, ctx.control, this.pool, (task, node) => this.placeAdmitted(task, node));
    this.waits = new JobWaits(scenario, "frames");
  }

  start(): void {
    // Each start offset is one draw: its stream lives in a table dropped after the start, not in ctx.streams for the whole run.
    const startStreams = this.context.streams.table();
    for (let source = 0; source < this.sources.count; source++) this.scheduleFirstArrival(source, startStreams);
    this.recorder.scheduleBins((at, close) => this.sim.schedule(at, close));
    this.migration.start(this.view);
  }

  crashNode(node: number): void {
    this.servers.crash(node);
  }

  recoverNode(_node: number): void {
    // Nothing to restore: the slot service starts empty and the world has set `up`.
  }

  finish(endMs: number): void {
    const pool = this.pool;
    // A frame whose transfer is still held (its device out of range) waited too.
    for (const task of this.network.heldArgs(this.uplinkDelivery)) pool.waited[task] = 1;
    for (const task of this.network.heldArgs(this.downlinkDelivery)) pool.waited[task] = 1;
    pool.forEachLive((task) => {
      const createdAt = pool.createdAt[task];
      if (!this.recorder.measured(createdAt)) return;
      this.recorder.unfinished(pool.device[task], createdAt, endMs, this.deadline);
      if (pool.waited[task] === 1) this.waits.add(pool.device[task], endMs - createdAt > this.deadline);
    });
    this.recorder.finish();
    this.migration.finish(endMs);
  }

  results(): FrameFamilyResults {
    const results = this.recorder.results(
      this.migration.records.map((record) => ({ ...record })),
      this.migration.monitored ? this.migration.timeInViolationMs : null,
    );
    return { ...results, waited: this.waits.results() };
  }

  /** Frames waiting or in service at the node's slot service (the control plane's jobs metric). */
  jobsAt(node: number): number {
    return this.servers.hasService(node) ? this.servers.jobs(node) : 0;
  }

  get inFlight(): number {
    return this.pool.inFlight;
  }

  /** Bytes held by frame records and node queues (what grows with a backlog). */
  get requestMemoryBytes(): number {
    return this.pool.allocatedBytes + this.servers.queueBytes;
  }

  // Arrivals ------------------------------------------------------------------------------------
  private scheduleFirstArrival(source: number, startStreams: StreamTable): void {
    const offset = this.sources.firstArrival(source, startStreams);
    if (!(offset >= 0)) throw new SimulationError(`device ${this.view.deviceId(this.sourceDevice[source])}: start offset ${offset} ms is negative`);
    this.nextArrival[source] = offset;
    this.scheduleArrival(source);
  }

  /** Schedules the source's next arrival, due at nextArrival[source] (read here: a double argument to a call V8 does not inline is boxed). */
  private scheduleArrival(source: number): void {
    const nominal = this.nextArrival[source];
    if (nominal >= this.endOfArrivals) return;
    let time = nominal;
    const jitter = this.jitterSamplers[source];
    if (jitter !== undefined) {
      const period = this.sourcePeriodMs[source];
      const draw = jitter();
      // Capture jitter delays a frame within its own period, so frames stay in order.
      time += draw < 0 ? 0 : draw >= period ? period * (1 - 1e-9) : draw;
    }
    const sim = this.sim;
    sim.scheduleKindAt(time < sim.now ? sim.now : time, this.arrivalKind, source);
  }

  private onArrival(source: number): void {
    const sim = this.sim;
    const now = sim.now;
    const device = this.sourceDevice[source];
    const gap = this.sources.drawGap(source);
    if (!(gap >= 0)) this.badGap(device, gap);
    this.nextArrival[source] += gap;
    this.scheduleArrival(source);

    const pool = this.pool;
    const task = pool.allocate();
    if (pool.inFlight > this.peakInFlight) this.peakInFlight = pool.inFlight;
    this.recorder.generated(device, now);
    const request = this.request;
    request.sequence = this.sequence++;
    request.device = device;
    request.deviceId = this.view.deviceId(device);
    const requestBytes = this.sourceRequestBytes[source];
    request.model = this.sourceModel[source];
    request.frameSizePx = this.sourceFrameSizePx[source];
    request.requestBytes = requestBytes;
    request.createdAt = now;
    pool.createdAt[task] = now;
    pool.device[task] = device;
    pool.source[task] = source;
    pool.sequence[task] = request.sequence;
    // The wait between the frame's creation and its placement (none without a control plane): its queueing so far.
    pool.queueingMs[task] = 0;
    if (this.admission !== undefined) {
      this.admission.admit(task);
      return;
    }
    this.dispatch(task, this.scheduler.place(request, this.view), device);
  }

  /** Sends the placed frame: dropped, run on its device, or up to its node. */
  private dispatch(task: number, placed: number, device: number): void {
    // The clock and the request's size are read here, not passed: double arguments to a call V8 does not inline are boxed.
    const now = this.sim.now;
    const pool = this.pool;
    let node = placed;
    if (node === DROP) {
      const createdAt = pool.createdAt[task];
      if (this.recorder.measured(createdAt)) this.recorder.dropped(device, createdAt);
      pool.release(task);
      return;
    }
    if (node === LOCAL_NODE) {
      if (!this.local.canRun(device)) this.badPlacement(node, device, now);
      pool.node[task] = LOCAL_NODE;
      this.local.run(task, now);
      return;
    }
    if (!(node >= 0 && node < this.view.nodeCount && Number.isInteger(node)) || !this.servers.hasService(node)) this.badPlacement(node, device, now);
    // Only a monitoring policy migrates (and so redirects): the others skip the call and its boxed `now`.
    if (this.migration.monitored) node = this.migration.route(device, node, now);
    pool.node[task] = node;
    this.outstanding.add(node);
    const delay = this.network.transfer(device, node, UP, this.sourceRequestBytes[pool.source[task]], this.uplinkDelivery, task);
    pool.networkUpMs[task] = delay;
    if (delay === 0) this.servers.arrive(task);
    else if (delay > 0) this.sim.scheduleKind(delay, this.reachNodeKind, task);
    // NaN: the network delivers it (onUplinkDelivered).
  }

  /** With a control plane: the frame is admitted (FrameAdmission); the policy sees the catalog as its device does. */
  /** Places an admitted frame: by the policy (`released` -1), or on the node of the replica the activator released it to. */
  private placeAdmitted(task: number, released: number): void {
    // The request record was overwritten since the frame was created: rebuilt from the pool.
    const pool = this.pool;
    const now = this.sim.now;
    const source = pool.source[task];
    const device = pool.device[task];
    const request = this.request;
    request.sequence = pool.sequence[task];
    request.device = device;
    request.deviceId = this.view.deviceId(device);
    request.model = this.sourceModel[source];
    request.frameSizePx = this.sourceFrameSizePx[source];
    request.requestBytes = this.sourceRequestBytes[source];
    request.createdAt = pool.createdAt[task];
    pool.queueingMs[task] = now - pool.createdAt[task];
    if (released >= 0 && this.servers.hasService(released)) {
      this.dispatch(task, released, device);
      return;
    }
    const view = this.controlledView as ControlledFrameClusterView;
    view.viewer = device;
    const node = this.scheduler.place(request, view);
    view.viewer = -1;
    this.dispatch(task, node, device);
  }

  /** A frame's uplink the network delivered (shared link, wireless device): its time is measured now. */
  private onUplinkDelivered(task: number): void {
    const pool = this.pool;
    // Since its placement: the wait before it (a control plane's) is its queueing.
    pool.networkUpMs[task] = this.sim.now - pool.createdAt[task] - pool.queueingMs[task];
    if (this.network.lastDeliveryWaitMs > 0) pool.waited[task] = 1;
    this.servers.arrive(task);
  }

  /** An answer's downlink the network delivered; enqueuedAt holds when it left the node. */
  private onDownlinkDelivered(task: number): void {
    const pool = this.pool;
    if (this.network.lastDeliveryWaitMs > 0) pool.waited[task] = 1;
    pool.enqueuedAt[task] = this.sim.now - pool.enqueuedAt[task];
    this.onDelivered(task);
  }

  // The errors of an arrival, out of the hot function: its size decides whether V8 inlines it.
  private badGap(device: number, gap: number): never {
    throw new SimulationError(`device ${this.view.deviceId(device)}: interarrival draw ${gap} ms is negative; truncate it with "min": 0`);
  }

  private badPlacement(node: number, device: number, now: number): never {
    const policy = `scheduler ${this.scheduler.name}`;
    if (node === LOCAL_NODE) throw new SimulationError(`${policy} ran a request on device ${this.view.deviceId(device)} at t=${now} ms, which cannot run its model`);
    if (!(node >= 0 && node < this.view.nodeCount && Number.isInteger(node))) {
      throw new SimulationError(`${policy} returned node ${node} at t=${now} ms; expected an index 0..${this.view.nodeCount - 1}`);
    }
    throw new SimulationError(`${policy} placed a frame on node ${this.view.nodeId(node)} at t=${now} ms, which has no frame service`);
  }

  // Leaving the node ------------------------------------------------------------------------------
  /** SlotServiceEvents (called by the slot services): the frame's slot is free; its answer crosses the downlink. */
  served(task: number): void {
    const pool = this.pool;
    const device = pool.device[task];
    const delay = this.network.transfer(device, pool.node[task], DOWN, this.sourceResultBytes[pool.source[task]], this.downlinkDelivery, task);
    if (delay === 0) {
      pool.enqueuedAt[task] = 0;
      this.onDelivered(task);
    } else if (delay > 0) {
      // The downlink time is carried in enqueuedAt, free once the frame has left the queue.
      pool.enqueuedAt[task] = delay;
      this.sim.scheduleKind(delay, this.deliveredKind, task);
    } else pool.enqueuedAt[task] = this.sim.now; // NaN: the network delivers it; the time is measured then.
  }

  /** The answer reached the device; its downlink time is in enqueuedAt. */
  private onDelivered(task: number): void {
    const pool = this.pool;
    const node = pool.node[task];
    const now = this.sim.now;
    this.outstanding.remove(node);
    if (this.migration.monitored) this.migration.completed(node, now, now - pool.createdAt[task]);
    this.complete(task);
  }

  private onLocalDone(task: number): void {
    this.pool.enqueuedAt[task] = 0;
    this.complete(task);
  }

  /** The answer reached the device; its downlink time is in enqueuedAt (0 for a frame run on the device). */
  private complete(task: number): void {
    // The clock and the downlink are read here, not passed (a double argument to a call V8 does not inline is boxed).
    const now = this.sim.now;
    const pool = this.pool;
    const downlink = pool.enqueuedAt[task];
    const createdAt = pool.createdAt[task];
    const total = now - createdAt;
    const late = total > this.deadline;
    if (this.scheduler.observe !== undefined) this.observe(task, downlink, total, late);
    if (this.recorder.measured(createdAt)) {
      const device = pool.device[task];
      if (pool.waited[task] === 1) this.waits.add(device, late);
      this.recorder.completed(pool, task, late);
      if (this.taskSink !== undefined) this.report(task, downlink, total, late);
    }
    pool.release(task);
  }

  /** SlotServiceEvents: lost to a crash. */
  lost(task: number): void {
    this.leaveNode(task, (device, node, createdAt) => this.recorder.lost(device, node, createdAt));
  }

  /** SlotServiceEvents: the node's queues were full. */
  refused(task: number): void {
    this.leaveNode(task, (device, node, createdAt) => this.recorder.refused(device, node, createdAt));
  }

  /** A frame that will not be answered leaves its node: counted (when measured) and released. */
  private leaveNode(task: number, count: (device: number, node: number, createdAt: number) => void): void {
    const pool = this.pool;
    const node = pool.node[task];
    this.outstanding.remove(node);
    if (this.recorder.measured(pool.createdAt[task])) {
      count(pool.device[task], node, pool.createdAt[task]);
      if (pool.waited[task] === 1) this.waits.add(pool.device[task], false);
    }
    pool.release(task);
  }

  private observe(task: number, downlink: number, total: number, late: boolean): void {
    const pool = this.pool;
    const outcome = this.outcome;
    outcome.sequence = pool.sequence[task];
    outcome.device = pool.device[task];
    outcome.node = pool.node[task];
    outcome.createdAt = pool.createdAt[task];
    outcome.totalMs = total;
    outcome.networkMs = pool.networkUpMs[task] + downlink;
    outcome.queueingMs = pool.queueingMs[task];
    outcome.preprocessingMs = pool.preprocessingMs[task];
    outcome.inferenceMs = pool.inferenceMs[task];
    outcome.violatedQos = late;
    (this.scheduler.observe as NonNullable<Scheduler["observe"]>)(outcome);
  }

  private report(task: number, downlink: number, total: number, late: boolean): void {
    const pool = this.pool;
    (this.taskSink as TaskSink)({
      sequence: pool.sequence[task],
      device: this.view.deviceId(pool.device[task]),
      node: pool.node[task] === LOCAL_NODE ? "(local)" : this.view.nodeId(pool.node[task]),
      createdAt: pool.createdAt[task],
      networkUp: pool.networkUpMs[task],
      queueing: pool.queueingMs[task],
      preprocessing: pool.preprocessingMs[task],
      inference: pool.inferenceMs[task],
      networkDown: downlink,
      total,
      violatedQos: late,
    });
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
