import { SimulationError } from "../../errors.js";
import type { EventHandle, Simulator } from "../../engine/simulator.js";
import type { Sampler } from "../../random/distributions.js";
import type { BackgroundLoad } from "../../scenario/resolved.js";
import type { ComputeUnit, TrafficContext } from "../traffic-context.js";
import type { NodeMeter } from "./node-meter.js";
import { IntQueue, type TaskPool } from "./task-pool.js";

/** What the slot services tell the frame traffic about a frame leaving them. */
export interface SlotServiceEvents {
  /** Its inference ended and its slot is free; the answer still has to cross the downlink. */
  served(task: number): void;
  /** Lost to a crash of its node (queued, in service, or reaching the node while it was down). */
  lost(task: number): void;
  /** Turned away: the node's queues held queueCapacity frames already. */
  refused(task: number): void;
}

/**
 * The slot services of every node that serves frames (SlotServiceSpec), in typed arrays.
 *
 * Single-stage nodes: a frame waits in the node's FIFO queue for a free slot, and is preprocessed
 * and inferred in that slot. Two-stage nodes (cpuSlots > 0, accelerator path): it is preprocessed
 * on one of the CPU cores first (FIFO queue of its own), then waits for an accelerator slot.
 *
 * queueCapacity bounds the frames waiting at the node, both queues together: at most
 * queueCapacity frames ever wait. A frame reaching the node waits only when fewer wait already;
 * a preprocessed frame that finds every accelerator slot busy joins the accelerator queue under
 * the same rule, and is otherwise refused (its preprocessing is lost, as with a bounded buffer
 * between the stages). With capacity 0 no frame ever waits.
 *
 * Inference runs on the node's compute unit (ctx.unit): the accelerator stage on two-stage nodes,
 * the whole slot time on single-stage ones. While in service a frame progresses at the speed the
 * unit gives this service; when that speed changes, the remaining work of every frame in service
 * is rescheduled (at speed 1, a completion is scheduled after exactly the drawn time, as before
 * sharing existed).
 */
export class SlotServices {
  private readonly queues: IntQueue[];
  private readonly cpuQueues: IntQueue[];
  private readonly twoStage: Uint8Array;
  private readonly cpuSlots: Int32Array;
  private readonly cpuBusy: Int32Array;
  private readonly busy: Int32Array;
  /** Busy slots as last told to the unit and the world. */
  private readonly reportedBusy: Int32Array;
  private readonly slotsOf: Int32Array;
  private readonly queueCapacity: Float64Array;
  /** Bumped at every crash: a completion from an older epoch belongs to a lost frame. */
  private readonly epoch: Int32Array;
  private readonly classes: number;
  /** Per (node, service class): samplers of the node's service stream. */
  private readonly preprocessingSamplers: Sampler[];
  private readonly inferenceSamplers: Sampler[];
  /** Per (node, service class): the constant a sampler above returns without drawing (fixedValue), NaN where it draws: no call per frame for it. */
  private readonly preprocessingFixed: Float64Array;
  private readonly inferenceFixed: Float64Array;
  private readonly loads: (readonly BackgroundLoad[])[];
  private readonly units: (ComputeUnit | undefined)[];
  private readonly unitIds: Int32Array;
  /** Speed at which the node's frames in service have progressed since their `since`. */
  private readonly speed: Float64Array;
  // Frames on the unit, per node in slots [slotBase[node], slotBase[node] + inService[node]).
  private readonly slotBase: Int32Array;
  private readonly inService: Int32Array;
  private readonly serviceTask: Int32Array;
  private readonly workLeft: Float64Array;
  private readonly since: Float64Array;
  private readonly handle: Float64Array;
  private readonly startedAt: Float64Array;
  private readonly work: Float64Array;
  /** 1 when the frame ran at a speed other than 1: its stages on the unit are stretched to the time they took. */
  private readonly stretched: Uint8Array;
  /** 1 where the node's frames share their unit with a language model (servicesContend): only there is speed tracked. */
  private readonly contended: Uint8Array;
  private readonly preprocessedKind: number;
  private readonly serviceDoneKind: number;
  // Read on every event: kept here rather than behind ctx.
  private readonly sim: Simulator;
  private readonly up: Uint8Array;
  /** Per node, 1 while its slot service takes new frames (the control plane's; undefined without one: always). */
  private readonly accepting: Uint8Array | undefined;
  private readonly inCluster: Uint8Array | undefined;

  constructor(
    private readonly ctx: TrafficContext,
    private readonly pool: TaskPool,
    private readonly meters: readonly NodeMeter[],
    /** Service class of each frame source (pool.source). */
    private readonly sourceClass: Int32Array,
    private readonly events: SlotServiceEvents,
  ) {
    this.sim = ctx.sim;
    this.up = ctx.up;
    this.accepting = ctx.control?.accepting.frames;
    this.inCluster = ctx.control?.inCluster;
    const nodes = ctx.scenario.nodes;
    const spec = nodes.map((node) => node.frames);
    this.queues = nodes.map(() => new IntQueue());
    this.cpuQueues = nodes.map(() => new IntQueue(4));
    this.twoStage = Uint8Array.from(spec.map((frames) => ((frames?.cpuSlots ?? 0) > 0 ? 1 : 0)));
    this.cpuSlots = Int32Array.from(spec.map((frames) => frames?.cpuSlots ?? 0));
    this.cpuBusy = new Int32Array(nodes.length);
    this.busy = new Int32Array(nodes.length);
    this.reportedBusy = new Int32Array(nodes.length);
    this.slotsOf = Int32Array.from(spec.map((frames) => frames?.slots ?? 0));
    this.queueCapacity = Float64Array.from(spec.map((frames) => frames?.queueCapacity ?? 0));
    this.epoch = new Int32Array(nodes.length);
    this.classes = ctx.scenario.serviceClasses.length;
    this.preprocessingSamplers = new Array(nodes.length * this.classes);
    this.inferenceSamplers = new Array(nodes.length * this.classes);
    this.preprocessingFixed = new Float64Array(nodes.length * this.classes).fill(Number.NaN);
    this.inferenceFixed = new Float64Array(nodes.length * this.classes).fill(Number.NaN);
    for (const node of nodes) {
      if (node.frames === undefined) continue;
      const stream = ctx.streams.stream(`node/${node.id}/service`);
      node.frames.service.forEach((service, serviceClass) => {
        this.preprocessingSamplers[node.index * this.classes + serviceClass] = service.preprocessing.bind(stream);
        this.inferenceSamplers[node.index * this.classes + serviceClass] = service.inference.bind(stream);
        this.preprocessingFixed[node.index * this.classes + serviceClass] = service.preprocessing.fixedValue ?? Number.NaN;
        this.inferenceFixed[node.index * this.classes + serviceClass] = service.inference.fixedValue ?? Number.NaN;
      });
    }
    this.loads = nodes.map((node) => node.backgroundLoad);
    this.slotBase = new Int32Array(nodes.length);
    let slots = 0;
    for (const node of nodes) {
      this.slotBase[node.index] = slots;
      slots += this.slotsOf[node.index];
    }
    this.inService = new Int32Array(nodes.length);
    this.serviceTask = new Int32Array(slots);
    this.workLeft = new Float64Array(slots);
    this.since = new Float64Array(slots);
    this.handle = new Float64Array(slots);
    this.startedAt = new Float64Array(slots);
    this.work = new Float64Array(slots);
    this.stretched = new Uint8Array(slots);
    this.speed = new Float64Array(nodes.length).fill(1);
    this.contended = Uint8Array.from(nodes.map((node) => (ctx.contends(node.index) ? 1 : 0)));
    this.unitIds = new Int32Array(nodes.length).fill(-1);
    this.units = nodes.map((node) => {
      if (node.frames === undefined) return undefined;
      const unit = ctx.unit(node.index, "frames");
      this.unitIds[node.index] = unit.register(() => this.speedChanged(node.index));
      return unit;
    });
    this.preprocessedKind = ctx.sim.registerKind((task) => this.onPreprocessed(task));
    this.serviceDoneKind = ctx.sim.registerKind((task) => this.onServiceDone(task));
  }

  hasService(node: number): boolean {
    return this.units[node] !== undefined;
  }

  slots(node: number): number {
    return this.slotsOf[node];
  }

  /** Inference slots busy now. */
  busySlots(node: number): number {
    return this.busy[node];
  }

  /** Frames waiting at the node, in either stage. */
  waiting(node: number): number {
    return this.queues[node].size + this.cpuQueues[node].size;
  }

  /** Frames waiting or in service at the node (either stage): the control plane's jobs metric. */
  jobs(node: number): number {
    return this.waiting(node) + this.busy[node] + this.cpuBusy[node];
  }

  /** How long the oldest waiting frame has waited, ms (0 when none waits). */
  queueDelay(node: number): number {
    let oldest = Infinity;
    for (const queue of [this.queues[node], this.cpuQueues[node]]) if (queue.size > 0) oldest = Math.min(oldest, this.pool.enqueuedAt[queue.peek()]);
    return oldest === Infinity ? 0 : this.sim.now - oldest;
  }

  /** Bytes held by the queues (what grows with a backlog). */
  get queueBytes(): number {
    return [...this.queues, ...this.cpuQueues].reduce((sum, queue) => sum + queue.allocatedBytes, 0);
  }

  /** The frame reaches its node (pool.node[task]) after the uplink. */
  arrive(task: number): void {
    const node = this.pool.node[task];
    const now = this.sim.now;
    if (this.up[node] === 0) {
      // Down because it left the cluster (a stale view sent it), or crashed (lost to the fault).
      if (this.inCluster !== undefined && this.inCluster[node] === 0) this.reject(task, node);
      else this.events.lost(task);
      return;
    }
    const accepting = this.accepting;
    if (accepting !== undefined && accepting[node] === 0) {
      this.reject(task, node);
      return;
    }
    if (this.twoStage[node] === 1) {
      if (this.cpuBusy[node] < this.cpuSlots[node]) this.startPreprocessing(task, node);
      else this.enqueue(task, node, this.cpuQueues[node], now);
      return;
    }
    if (this.busy[node] < this.slotsOf[node]) {
      this.startService(task, node);
      this.unitChanged(node);
      return;
    }
    this.enqueue(task, node, this.queues[node], now);
  }

  /** The node's service is gone (scaled down, evicted) and the frame's sender saw it late: lost, and counted by the catalog as stale. */
  private reject(task: number, node: number): void {
    (this.ctx.control as NonNullable<TrafficContext["control"]>).rejected(node, "frames");
    this.events.lost(task);
  }

  /** The frame waits in `queue` if fewer than queueCapacity frames wait at the node; else it is refused. */
  private enqueue(task: number, node: number, queue: IntQueue, now: number): void {
    if (this.waiting(node) >= this.queueCapacity[node]) {
      this.events.refused(task);
      return;
    }
    this.pool.enqueuedAt[task] = now;
    queue.push(task);
    this.meters[node].queueChanged(now, this.waiting(node));
  }

  private draw(samplers: Sampler[], fixed: Float64Array, task: number, node: number, now: number, what: string): number {
    const slowdown = this.loads[node].length === 0 ? 1 : this.slowdownAt(node, now);
    const at = node * this.classes + this.sourceClass[this.pool.source[task]];
    const constant = fixed[at];
    const value = (Number.isNaN(constant) ? samplers[at]() : constant) * slowdown;
    if (!(value >= 0)) this.badDraw(node, what, value);
    return value;
  }

  /** Out of `draw`, which runs twice per frame: its size decides whether V8 inlines it. */
  private badDraw(node: number, what: string, value: number): never {
    throw new SimulationError(`node ${this.ctx.scenario.nodes[node].id}: ${what} time draw ${value} ms is negative`);
  }

  /** Product of the node's active background loads at `now` (a ramp interpolates linearly). */
  private slowdownAt(node: number, now: number): number {
    let factor = 1;
    for (const load of this.loads[node]) {
      if (now < load.fromMs || now >= load.toMs) continue;
      factor *= load.rampTo === undefined ? load.slowdown : load.slowdown + ((load.rampTo - load.slowdown) * (now - load.fromMs)) / (load.toMs - load.fromMs);
    }
    return factor;
  }

  /** Two-stage nodes: a CPU core preprocesses the frame (not on the compute unit). */
  private startPreprocessing(task: number, node: number): void {
    const now = this.sim.now;
    const preprocessing = this.draw(this.preprocessingSamplers, this.preprocessingFixed, task, node, now, "preprocessing");
    this.pool.preprocessingMs[task] = preprocessing;
    this.pool.epoch[task] = this.epoch[node];
    this.cpuBusy[node]++;
    this.sim.scheduleKind(preprocessing, this.preprocessedKind, task);
  }

  private onPreprocessed(task: number): void {
    if (this.lostToCrash(task)) return;
    const pool = this.pool;
    const node = pool.node[task];
    const now = this.sim.now;
    this.cpuBusy[node]--;
    const cpuQueue = this.cpuQueues[node];
    if (cpuQueue.size > 0) {
      const next = cpuQueue.shift();
      pool.queueingMs[next] += now - pool.enqueuedAt[next];
      this.startPreprocessing(next, node);
    }
    if (this.busy[node] < this.slotsOf[node]) {
      this.startInference(task, node);
      this.unitChanged(node);
    } else this.enqueue(task, node, this.queues[node], now);
    this.meters[node].queueChanged(now, this.waiting(node));
  }

  /** Two-stage nodes: the accelerator infers on a preprocessed frame. */
  private startInference(task: number, node: number): void {
    const now = this.sim.now;
    const inference = this.draw(this.inferenceSamplers, this.inferenceFixed, task, node, now, "inference");
    this.pool.inferenceMs[task] = inference;
    this.meters[node].busyChanged(now, ++this.busy[node]);
    // Alone on its unit (not contended): always full speed, nothing to track; the check is here so that the draw is not boxed into a call.
    if (this.contended[node] === 0) this.sim.scheduleKind(inference, this.serviceDoneKind, task);
    else this.beginOnUnit(task, node, inference);
  }

  /** Single-stage nodes: preprocessing and inference in one serving slot, all of it on the unit. */
  private startService(task: number, node: number): void {
    // The clock is read here, not passed: a double argument to a call V8 does not inline is boxed (a heap number per frame).
    const now = this.sim.now;
    const preprocessing = this.draw(this.preprocessingSamplers, this.preprocessingFixed, task, node, now, "preprocessing");
    const inference = this.draw(this.inferenceSamplers, this.inferenceFixed, task, node, now, "inference");
    this.pool.preprocessingMs[task] = preprocessing;
    this.pool.inferenceMs[task] = inference;
    this.pool.epoch[task] = this.epoch[node];
    this.meters[node].busyChanged(now, ++this.busy[node]);
    if (this.contended[node] === 0) this.sim.scheduleKind(preprocessing + inference, this.serviceDoneKind, task);
    else this.beginOnUnit(task, node, preprocessing + inference);
  }

  /** On a contended node: puts `work` ms (at full speed) of the frame on the node's unit and schedules its end at the current speed. */
  private beginOnUnit(task: number, node: number, work: number): void {
    const now = this.sim.now;
    if (this.inService[node] === 0) {
      // The unit must know this service is busy before telling its speed (sharing divides it).
      (this.units[node] as ComputeUnit).setBusy(this.unitIds[node], true);
      this.speed[node] = (this.units[node] as ComputeUnit).speedOf(this.unitIds[node]);
    }
    const slot = this.slotBase[node] + this.inService[node]++;
    this.serviceTask[slot] = task;
    this.workLeft[slot] = work;
    this.since[slot] = now;
    this.startedAt[slot] = now;
    this.work[slot] = work;
    this.stretched[slot] = this.speed[node] === 1 ? 0 : 1;
    this.handle[slot] = this.sim.scheduleKind(work / this.speed[node], this.serviceDoneKind, task);
  }

  /** The unit's speed for this node's frames changed: every frame in service keeps the work it has left. */
  private speedChanged(node: number): void {
    const speed = (this.units[node] as ComputeUnit).speedOf(this.unitIds[node]);
    const old = this.speed[node];
    this.speed[node] = speed;
    if (speed === old) return;
    const now = this.sim.now;
    const sim = this.ctx.sim;
    for (let slot = this.slotBase[node], end = slot + this.inService[node]; slot < end; slot++) {
      this.workLeft[slot] -= (now - this.since[slot]) * old;
      this.since[slot] = now;
      this.stretched[slot] = 1;
      sim.cancel(this.handle[slot] as EventHandle);
      this.handle[slot] = sim.scheduleKind(Math.max(0, this.workLeft[slot]) / speed, this.serviceDoneKind, this.serviceTask[slot]);
    }
  }

  /** Tells the unit (busy or idle) and the world (busy slots / slots) how loaded the service is now, when that changed. */
  private unitChanged(node: number): void {
    const busy = this.busy[node];
    const reported = this.reportedBusy[node];
    if (busy === reported) return;
    this.reportedBusy[node] = busy;
    if (this.contended[node] === 1 && (busy === 0 || reported === 0)) (this.units[node] as ComputeUnit).setBusy(this.unitIds[node], busy > 0);
    this.ctx.loadChanged(node, "frames", busy / this.slotsOf[node]);
  }

  private onServiceDone(task: number): void {
    if (this.lostToCrash(task)) return;
    const pool = this.pool;
    const node = pool.node[task];
    const now = this.sim.now;
    if (this.contended[node] === 1) this.leaveUnit(task, node);
    const meter = this.meters[node];
    meter.busyChanged(now, --this.busy[node]);
    const queue = this.queues[node];
    if (queue.size > 0) {
      const next = queue.shift();
      meter.queueChanged(now, this.waiting(node));
      pool.queueingMs[next] += now - pool.enqueuedAt[next];
      if (this.twoStage[node] === 1) this.startInference(next, node);
      else this.startService(next, node);
    }
    this.unitChanged(node);
    this.events.served(task);
  }

  /**
   * Removes the frame from the node's frames in service, on a contended node (elsewhere nothing is tracked; their order does not matter: each has
   * its own event). A frame that did not run at full speed throughout has its stages on the unit stretched in
   * proportion to the time they took, so the stages still add up to its total latency.
   */
  private leaveUnit(task: number, node: number): void {
    const now = this.sim.now;
    const base = this.slotBase[node];
    const last = base + --this.inService[node];
    let slot = base;
    while (this.serviceTask[slot] !== task) slot++;
    if (this.stretched[slot] === 1 && this.work[slot] > 0) {
      const stretch = (now - this.startedAt[slot]) / this.work[slot];
      this.pool.inferenceMs[task] *= stretch;
      if (this.twoStage[node] === 0) this.pool.preprocessingMs[task] *= stretch;
    }
    this.serviceTask[slot] = this.serviceTask[last];
    this.workLeft[slot] = this.workLeft[last];
    this.since[slot] = this.since[last];
    this.handle[slot] = this.handle[last];
    this.startedAt[slot] = this.startedAt[last];
    this.work[slot] = this.work[last];
    this.stretched[slot] = this.stretched[last];
  }

  /**
   * True (and the frame lost) when the node crashed since this frame's service began: its slot
   * was freed at the crash, so the completion must not touch the node again.
   */
  private lostToCrash(task: number): boolean {
    if (this.pool.epoch[task] === this.epoch[this.pool.node[task]]) return false;
    this.events.lost(task);
    return true;
  }

  /** The node stops: its queues are lost now; frames in service are lost when their slot would have finished. */
  crash(node: number): void {
    if (!this.hasService(node)) return;
    const now = this.sim.now;
    this.epoch[node]++;
    this.busy[node] = 0;
    this.cpuBusy[node] = 0;
    this.inService[node] = 0;
    const meter = this.meters[node];
    meter.busyChanged(now, 0);
    for (const queue of [this.queues[node], this.cpuQueues[node]]) while (queue.size > 0) this.events.lost(queue.shift());
    meter.queueChanged(now, 0);
    this.unitChanged(node);
  }
}
