import { SimulationError } from "../errors.js";
import { RandomStreams, type StreamTable } from "../engine/rng.js";
import { Simulator } from "../engine/simulator.js";
import { meanOf, type Sampler } from "../random/distributions.js";
import type { ResolvedScenario } from "../scenario/resolved.js";
import { LOCAL_NODE, type ClusterView, type Scheduler, type TaskOutcome, type TaskRequest } from "../schedulers/types.js";
import { IntQueue, TaskPool } from "./frames/task-pool.js";
import { NodeMeter } from "./frames/node-meter.js";
import { TimeSeriesRecorder } from "../metrics/time-series.js";
import { FaultInjector, type FaultRecord } from "./faults.js";
import { RecentLatency } from "./frames/recent-latency.js";
import type { MigrationResult } from "../metrics/results.js";

/** Called for every measured request that completes, for per-task output. */
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

export interface WorldRunOptions {
  scheduler: Scheduler;
  taskSink?: TaskSink;
}

export interface WorldRunCounts {
  generated: number;
  /** Completed requests created at or after the warm-up. */
  measured: number;
  /** Requests refused by a full node queue (created at or after the warm-up). */
  dropped: number;
  /** Requests lost to a crashed node: queued or in service when it crashed, or reaching it while down. */
  lost: number;
  /** Requests still in flight when the run ended. */
  unfinished: number;
  /** Of those (created in the window), the ones already older than the deadline: certain violations. */
  unfinishedLate: number;
  late: number;
  events: number;
  /** Largest number of requests in flight at once. */
  peakInFlight: number;
}

/**
 * One simulation of the scenario's edge world under one scheduler.
 *
 * A request's life: the device creates it (a video frame or an arrival), the scheduler places it,
 * it crosses the uplink (base latency + jitter + bytes / bandwidth), waits in the node's FIFO
 * queue for a free slot, is preprocessed and inferred in that slot, and its answer crosses the
 * downlink. Each stage's duration is recorded. All state lives in typed arrays; events carry a
 * request or device index, so the hot path allocates nothing.
 */
export class EdgeWorld implements ClusterView {
  readonly sim: Simulator;
  private readonly scenario: ResolvedScenario;
  private readonly streams: RandomStreams;
  private readonly scheduler: Scheduler;
  private readonly taskSink: TaskSink | undefined;
  private readonly pool: TaskPool;

  private readonly deviceCountValue: number;
  private readonly nodeCountValue: number;
  private readonly nextArrival: Float64Array;
  private readonly deviceServiceClass: Int32Array;
  private readonly deviceResultBytes: Float64Array;
  private readonly arrivalSamplers: Sampler[];
  private readonly jitterSamplers: (Sampler | undefined)[];
  /** Per (device, node, direction): index into linkStreams, or -1 before first use. */
  private readonly linkStream: Int32Array;
  /** Per (device, node): index into linkModels. */
  private readonly linkModel: Int32Array;
  private readonly linkModels: LinkSampler[];
  private readonly linkStreams: StreamTable;
  /** Waiting for a serving slot (single-stage nodes) or for the accelerator (two-stage nodes). */
  private readonly nodeQueues: IntQueue[];
  /** Two-stage (accelerator path) nodes: preprocessing on CPU cores first, then the accelerator. */
  private readonly twoStage: Uint8Array;
  private readonly cpuSlotsOf: Int32Array;
  private readonly cpuBusy: Int32Array;
  private readonly cpuQueues: IntQueue[];
  private readonly busy: Int32Array;
  private readonly slotsOf: Int32Array;
  private readonly queueCapacity: Float64Array;
  private readonly outstandingCount: Int32Array;
  /** What the orchestrator knows from health checks (what schedulers see). */
  private readonly healthy: Uint8Array;
  /** Whether the node is actually up. */
  private readonly up: Uint8Array;
  /** Bumped at every crash: a service completion from an older epoch belongs to a lost request. */
  private readonly epoch: Int32Array;
  /** Per (device, node) link: factors of an active degradation (1, 0, 1 when none). */
  private readonly latencyFactor: Float64Array;
  private readonly addedLatency: Float64Array;
  private readonly bandwidthFactor: Float64Array;
  /** 1 where a degradation is active (one load on the hot path instead of three). */
  private readonly degradedPair: Uint8Array;
  private readonly nominalLatency: Float64Array;
  private readonly preprocessingSamplers: Sampler[];
  /** Mean preprocessing and inference time per (node, service class), interleaved. */
  private readonly serviceMeans: Float64Array;
  private readonly inferenceSamplers: Sampler[];
  readonly meters: NodeMeter[];
  /** Requests run on their own device (local-only): one at a time per device, no network. */
  readonly localMeter: NodeMeter;
  private readonly localBusy: Uint8Array;
  private localBusyCount = 0;
  private readonly localQueues: (IntQueue | undefined)[];
  private readonly localSamplers: ({ preprocessing: Sampler; inference: Sampler } | undefined)[];
  private readonly localDoneKind: number;
  readonly series: TimeSeriesRecorder;
  private readonly faults: FaultInjector;
  /** True when the scheduler monitors QoS (implements `monitor`): recent latencies are tracked then. */
  readonly monitored: boolean;
  private readonly recent: RecentLatency[];
  /** While a session migrates, its requests still go to the old node until the switch completes. */
  private readonly redirectNode: Int32Array;
  private readonly redirectUntil: Float64Array;
  private readonly redirectMigration: Int32Array;
  readonly migrationRecords: MigrationResult[] = [];
  timeInViolationMs = 0;
  /** Per node: service-time multipliers from background load. */
  private readonly loads: (readonly { fromMs: number; toMs: number; slowdown: number; rampTo: number | undefined }[])[];

  private readonly endOfArrivals: number;
  private readonly endOfRun: number;
  private readonly warmupMs: number;
  private readonly deadline: number;
  private readonly request: MutableTaskRequest;
  private readonly outcome: MutableTaskOutcome;

  private readonly arrivalKind: number;
  private readonly reachNodeKind: number;
  private readonly serviceDoneKind: number;
  private readonly deliveredKind: number;
  private readonly preprocessedKind: number;

  readonly counts: WorldRunCounts = { generated: 0, measured: 0, dropped: 0, lost: 0, unfinished: 0, unfinishedLate: 0, late: 0, events: 0, peakInFlight: 0 };

  constructor(scenario: ResolvedScenario, options: WorldRunOptions) {
    this.scenario = scenario;
    this.scheduler = options.scheduler;
    this.taskSink = options.taskSink;
    this.streams = new RandomStreams(scenario.seed);
    this.sim = new Simulator(Math.max(1024, scenario.devices.length * 4));
    this.pool = new TaskPool(Math.max(1024, scenario.devices.length * 4));
    const devices = scenario.devices;
    const nodes = scenario.nodes;
    this.deviceCountValue = devices.length;
    this.nodeCountValue = nodes.length;
    this.endOfArrivals = scenario.durationMs;
    this.endOfRun = scenario.durationMs + scenario.drainMs;
    this.warmupMs = scenario.warmupMs;
    this.deadline = scenario.qosDeadlineMs;

    this.nextArrival = new Float64Array(devices.length);
    this.deviceServiceClass = Int32Array.from(devices.map((device) => device.workload.serviceClass));
    this.deviceResultBytes = Float64Array.from(devices.map((device) => device.workload.resultBytes));
    this.arrivalSamplers = devices.map((device) => {
      const workload = device.workload;
      const times = device.arrivalTimes;
      if (times !== undefined) {
        // Replay: the first call gives the first arrival time, each later one the gap to the next.
        let next = 0;
        return () => {
          const at = next < times.length ? times[next] - (next > 0 ? times[next - 1] : 0) : Infinity;
          next++;
          return at;
        };
      }
      const stream = this.streams.stream(`device/${device.id}/arrivals`);
      if (workload.interarrival !== undefined) return workload.interarrival.bind(stream);
      const period = workload.periodMs as number;
      return () => period;
    });
    this.jitterSamplers = devices.map((device) => (device.workload.jitter === undefined ? undefined : device.workload.jitter.bind(this.streams.stream(`device/${device.id}/jitter`))));
    this.linkStream = new Int32Array(devices.length * nodes.length * 2).fill(-1);
    this.linkStreams = this.streams.table();
    // Links with the same parameters share one compiled sampler; each keeps its own stream.
    const models = new Map<object, number>();
    this.linkModels = [];
    this.linkModel = new Int32Array(devices.length * nodes.length);
    for (const device of devices) {
      for (const node of nodes) {
        const link = scenario.links[device.index][node.index];
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
        this.linkModel[device.index * nodes.length + node.index] = model;
      }
    }
    this.nodeQueues = nodes.map(() => new IntQueue());
    this.twoStage = Uint8Array.from(nodes.map((node) => (node.cpuSlots > 0 ? 1 : 0)));
    this.cpuSlotsOf = Int32Array.from(nodes.map((node) => node.cpuSlots));
    this.cpuBusy = new Int32Array(nodes.length);
    this.cpuQueues = nodes.map(() => new IntQueue(4));
    this.busy = new Int32Array(nodes.length);
    this.slotsOf = Int32Array.from(nodes.map((node) => node.slots));
    this.queueCapacity = Float64Array.from(nodes.map((node) => node.queueCapacity));
    this.outstandingCount = new Int32Array(nodes.length);
    this.healthy = new Uint8Array(nodes.length).fill(1);
    this.up = new Uint8Array(nodes.length).fill(1);
    this.epoch = new Int32Array(nodes.length);
    this.latencyFactor = new Float64Array(devices.length * nodes.length).fill(1);
    this.addedLatency = new Float64Array(devices.length * nodes.length);
    this.bandwidthFactor = new Float64Array(devices.length * nodes.length).fill(1);
    this.degradedPair = new Uint8Array(devices.length * nodes.length);
    this.nominalLatency = new Float64Array(devices.length * nodes.length);
    for (const device of devices) {
      for (const node of nodes) this.nominalLatency[device.index * nodes.length + node.index] = scenario.links[device.index][node.index].nominalLatencyMs;
    }
    const classes = scenario.serviceClasses.length;
    this.preprocessingSamplers = new Array(nodes.length * classes);
    this.inferenceSamplers = new Array(nodes.length * classes);
    this.serviceMeans = new Float64Array(nodes.length * classes * 2);
    const meanStreams = new RandomStreams("service-means");
    for (const node of nodes) {
      node.service.forEach((service, serviceClass) => {
        const at = (node.index * classes + serviceClass) * 2;
        this.serviceMeans[at] = meanOf(service.preprocessing, meanStreams.stream(`${node.id}/${serviceClass}/p`));
        this.serviceMeans[at + 1] = meanOf(service.inference, meanStreams.stream(`${node.id}/${serviceClass}/i`));
      });
    }
    for (const node of nodes) {
      const stream = this.streams.stream(`node/${node.id}/service`);
      node.service.forEach((service, serviceClass) => {
        this.preprocessingSamplers[node.index * classes + serviceClass] = service.preprocessing.bind(stream);
        this.inferenceSamplers[node.index * classes + serviceClass] = service.inference.bind(stream);
      });
    }
    this.meters = nodes.map((node) => new NodeMeter(node.slots));
    this.localMeter = new NodeMeter(devices.length);
    this.localBusy = new Uint8Array(devices.length);
    this.localQueues = devices.map(() => undefined);
    this.localSamplers = devices.map((device) => {
      if (device.localService === undefined) return undefined;
      const stream = this.streams.stream(`device/${device.id}/local`);
      return { preprocessing: device.localService.preprocessing.bind(stream), inference: device.localService.inference.bind(stream) };
    });
    this.series = new TimeSeriesRecorder(scenario.warmupMs, this.endOfRun, scenario.binWidthMs);
    this.faults = new FaultInjector(this.sim, scenario, this.streams, this, this.endOfRun);
    this.monitored = this.scheduler.monitor !== undefined;
    this.recent = nodes.map(() => new RecentLatency());
    this.redirectNode = new Int32Array(devices.length).fill(-1);
    this.redirectUntil = new Float64Array(devices.length);
    this.redirectMigration = new Int32Array(devices.length).fill(-1);
    this.loads = nodes.map((node) => node.backgroundLoad);
    this.request = { sequence: 0, device: 0, deviceId: "", model: "", frameSizePx: 0, requestBytes: 0, createdAt: 0 };
    this.outcome = {
      sequence: 0,
      device: 0,
      node: 0,
      createdAt: 0,
      totalMs: 0,
      networkMs: 0,
      queueingMs: 0,
      preprocessingMs: 0,
      inferenceMs: 0,
      violatedQos: false,
    };

    this.arrivalKind = this.sim.registerKind((device) => this.onArrival(device));
    this.reachNodeKind = this.sim.registerKind((task) => this.onReachNode(task));
    this.serviceDoneKind = this.sim.registerKind((task) => this.onServiceDone(task));
    this.deliveredKind = this.sim.registerKind((task) => this.onDelivered(task));
    this.preprocessedKind = this.sim.registerKind((task) => this.onPreprocessed(task));
    this.localDoneKind = this.sim.registerKind((task) => this.onLocalDone(task));
  }

  // ClusterView --------------------------------------------------------------------------------
  get now(): number {
    return this.sim.now;
  }
  get nodeCount(): number {
    return this.nodeCountValue;
  }
  get deviceCount(): number {
    return this.deviceCountValue;
  }
  get qosDeadlineMs(): number {
    return this.deadline;
  }
  nodeId(node: number): string {
    return this.scenario.nodes[node].id;
  }
  deviceId(device: number): string {
    return this.scenario.devices[device].id;
  }
  isHealthy(node: number): boolean {
    return this.healthy[node] === 1;
  }
  slots(node: number): number {
    return this.slotsOf[node];
  }
  busySlots(node: number): number {
    return this.busy[node];
  }
  queueLength(node: number): number {
    return this.waiting(node);
  }
  queueDelay(node: number): number {
    let oldest = Infinity;
    for (const queue of [this.nodeQueues[node], this.cpuQueues[node]]) if (queue.size > 0) oldest = Math.min(oldest, this.pool.enqueuedAt[queue.peek()]);
    return oldest === Infinity ? 0 : this.sim.now - oldest;
  }
  isOverloaded(node: number): boolean {
    return this.queueDelay(node) > this.deadline;
  }
  outstanding(node: number): number {
    return this.outstandingCount[node];
  }
  latency(device: number, node: number): number {
    return this.nominalLatency[device * this.nodeCountValue + node];
  }
  profilePreprocessingMs(device: number, node: number): number {
    return this.serviceMeans[(node * this.scenario.serviceClasses.length + this.deviceServiceClass[device]) * 2];
  }
  profileInferenceMs(device: number, node: number): number {
    return this.serviceMeans[(node * this.scenario.serviceClasses.length + this.deviceServiceClass[device]) * 2 + 1];
  }
  isCloud(node: number): boolean {
    return this.scenario.nodes[node].role === "cloud";
  }
  canRunLocally(device: number): boolean {
    return this.localSamplers[device] !== undefined;
  }
  recentLatency(node: number): number {
    const monitor = this.scenario.monitor;
    return this.recent[node].percentile(this.sim.now, monitor.windowMs, monitor.percentile, monitor.minSamples);
  }

  // Running ------------------------------------------------------------------------------------
  /** Runs the whole scenario and returns the counts; node meters hold the statistics. */
  run(): WorldRunCounts {
    for (const device of this.scenario.devices) this.scheduleFirstArrival(device.index);
    if (this.warmupMs > 0) {
      this.sim.schedule(this.warmupMs, () => {
        for (const meter of [...this.meters, this.localMeter]) meter.startWindow(this.sim.now);
      });
    }
    this.scheduleBinBoundaries();
    this.faults.start();
    if (this.monitored) this.sim.schedule(this.scenario.monitor.intervalMs, () => this.monitorTick());
    this.sim.run({ until: this.endOfRun });
    for (const meter of this.meters) meter.endWindow(this.endOfRun);
    this.localMeter.endWindow(this.endOfRun);
    this.closeBin(this.series.binCount - 1, this.endOfRun);
    this.counts.unfinished = this.pool.inFlight;
    // A backlog must not flatter an overloaded run: requests in flight past the deadline are violations already.
    this.pool.forEachLive((task) => {
      const createdAt = this.pool.createdAt[task];
      if (createdAt >= this.warmupMs && this.endOfRun - createdAt > this.deadline) {
        this.counts.unfinishedLate++;
        this.series.recordUnfinishedLate(createdAt);
      }
    });
    this.counts.events = this.sim.eventsExecuted;
    return this.counts;
  }

  /** Node state per time bin: the integrals' growth over each bin, divided by its length. */
  private readonly binAreas: { queue: number; busy: number }[] = [];

  private scheduleBinBoundaries(): void {
    for (let node = 0; node < this.meters.length; node++) this.binAreas.push({ queue: 0, busy: 0 });
    for (let bin = 0; bin < this.series.binCount - 1; bin++) {
      const end = this.series.binStart(bin + 1);
      this.sim.schedule(end, () => this.closeBin(bin, end));
    }
  }

  private closeBin(bin: number, end: number): void {
    const length = end - Math.max(this.series.binStart(bin), this.warmupMs);
    this.series.closeBin(
      bin,
      this.meters.map((meter, node) => {
        const areas = meter.areasAt(end);
        const previous = this.binAreas[node];
        const state = {
          utilisation: length > 0 ? (areas.busy - previous.busy) / length / meter.slots : 0,
          meanQueueLength: length > 0 ? (areas.queue - previous.queue) / length : 0,
        };
        this.binAreas[node] = areas;
        return state;
      }),
    );
  }

  /** The faults that happened in the run, in order of their start. */
  get faultRecords(): readonly FaultRecord[] {
    return this.faults.records;
  }

  /** Bytes held by request records and node queues (what grows with a backlog). */
  get requestMemoryBytes(): number {
    const queues = [...this.nodeQueues, ...this.cpuQueues];
    return this.pool.allocatedBytes + queues.reduce((sum, queue) => sum + queue.allocatedBytes, 0);
  }

  get inFlight(): number {
    return this.pool.inFlight;
  }

  private scheduleFirstArrival(device: number): void {
    const workload = this.scenario.devices[device].workload;
    const stream = this.streams.stream(`device/${this.scenario.devices[device].id}/start`);
    const offset = workload.startOffset !== undefined ? workload.startOffset.bind(stream)() : this.arrivalSamplers[device]();
    if (!(offset >= 0)) throw new SimulationError(`device ${this.deviceId(device)}: start offset ${offset} ms is negative`);
    this.nextArrival[device] = offset;
    this.scheduleArrival(device, offset);
  }

  private scheduleArrival(device: number, nominal: number): void {
    if (nominal >= this.endOfArrivals) return;
    let time = nominal;
    const jitter = this.jitterSamplers[device];
    if (jitter !== undefined) {
      const period = this.scenario.devices[device].workload.periodMs as number;
      const draw = jitter();
      // Capture jitter delays a frame within its own period, so frames stay in order.
      time += draw < 0 ? 0 : draw >= period ? period * (1 - 1e-9) : draw;
    }
    this.sim.scheduleKindAt(time < this.sim.now ? this.sim.now : time, this.arrivalKind, device);
  }

  private onArrival(device: number): void {
    const now = this.sim.now;
    const gap = this.arrivalSamplers[device]();
    if (!(gap >= 0)) throw new SimulationError(`device ${this.deviceId(device)}: interarrival draw ${gap} ms is negative; truncate it with "min": 0`);
    this.nextArrival[device] += gap;
    this.scheduleArrival(device, this.nextArrival[device]);

    const pool = this.pool;
    const task = pool.allocate();
    if (pool.inFlight > this.counts.peakInFlight) this.counts.peakInFlight = pool.inFlight;
    const deviceInfo = this.scenario.devices[device];
    const request = this.request;
    request.sequence = this.counts.generated++;
    request.device = device;
    request.deviceId = deviceInfo.id;
    request.model = deviceInfo.workload.model;
    request.frameSizePx = deviceInfo.workload.frameSizePx;
    request.requestBytes = deviceInfo.workload.requestBytes;
    request.createdAt = now;
    let node = this.scheduler.place(request, this);
    if (node === LOCAL_NODE) {
      pool.createdAt[task] = now;
      pool.device[task] = device;
      pool.node[task] = LOCAL_NODE;
      pool.sequence[task] = request.sequence;
      this.runLocally(task, device, now);
      return;
    }
    if (!(node >= 0 && node < this.nodeCountValue && Number.isInteger(node))) {
      throw new SimulationError(`scheduler ${this.scheduler.name} returned node ${node} at t=${now} ms; expected an index 0..${this.nodeCountValue - 1}`);
    }
    if (this.redirectNode[device] >= 0) {
      if (now < this.redirectUntil[device]) {
        node = this.redirectNode[device];
        this.migrationRecords[this.redirectMigration[device]].requestsDuringSwitch++;
      } else this.redirectNode[device] = -1;
    }
    pool.createdAt[task] = now;
    pool.device[task] = device;
    pool.node[task] = node;
    pool.sequence[task] = request.sequence;
    this.outstandingCount[node]++;
    const delay = this.transferDelay(device, node, 0, deviceInfo.workload.requestBytes);
    pool.networkUpMs[task] = delay;
    if (delay === 0) this.onReachNode(task);
    else this.sim.scheduleKind(delay, this.reachNodeKind, task);
  }

  private transferDelay(device: number, node: number, direction: 0 | 1, bytes: number): number {
    const pair = device * this.nodeCountValue + node;
    const link = this.linkModels[this.linkModel[pair]];
    const degraded = this.degradedPair[pair] === 1;
    if (link.instantaneous && !degraded) return 0;
    const index = (pair << 1) | direction;
    let stream = this.linkStream[index];
    if (stream < 0) {
      stream = this.linkStreams.add(`link/${this.deviceId(device)}/${this.nodeId(node)}/${direction === 0 ? "up" : "down"}`);
      this.linkStream[index] = stream;
    }
    this.linkStreams.select(stream);
    let delay = link.latency();
    if (link.jitter !== undefined) delay += link.jitter();
    if (degraded) delay = delay * this.latencyFactor[pair] + this.addedLatency[pair];
    if (bytes > 0) delay += bytes / (link.bytesPerMs * this.bandwidthFactor[pair]);
    if (!(delay >= 0)) {
      throw new SimulationError(`link ${this.deviceId(device)} <-> ${this.nodeId(node)}: one-way delay draw ${delay} ms is negative; truncate latency or jitter with "min"`);
    }
    return delay;
  }

  private onReachNode(task: number): void {
    const node = this.pool.node[task];
    const now = this.sim.now;
    const meter = this.meters[node];
    if (this.up[node] === 0) {
      this.loseTask(task);
      return;
    }
    this.pool.queueingMs[task] = 0;
    if (this.twoStage[node] === 1) {
      if (this.cpuBusy[node] < this.cpuSlotsOf[node]) this.startPreprocessing(task, node, now);
      else if (this.admit(task, node)) {
        this.pool.enqueuedAt[task] = now;
        this.cpuQueues[node].push(task);
        meter.queueChanged(now, this.waiting(node));
      }
      return;
    }
    if (this.busy[node] < this.slotsOf[node]) {
      this.startService(task, node, now);
      return;
    }
    if (!this.admit(task, node)) return;
    this.pool.enqueuedAt[task] = now;
    this.nodeQueues[node].push(task);
    meter.queueChanged(now, this.waiting(node));
  }

  /** Requests waiting at the node, in either stage. */
  private waiting(node: number): number {
    return this.nodeQueues[node].size + this.cpuQueues[node].size;
  }

  /** False (and the request dropped and counted) when the node's queues are full. */
  private admit(task: number, node: number): boolean {
    if (this.waiting(node) < this.queueCapacity[node]) return true;
    this.outstandingCount[node]--;
    if (this.pool.createdAt[task] >= this.warmupMs) {
      this.counts.dropped++;
      this.meters[node].dropped++;
      this.series.recordDropped(this.pool.createdAt[task]);
    }
    this.pool.release(task);
    return false;
  }

  private draw(samplers: Sampler[], task: number, node: number, now: number, what: string): number {
    const classes = this.scenario.serviceClasses.length;
    const slowdown = this.loads[node].length === 0 ? 1 : this.slowdownAt(node, now);
    const value = samplers[node * classes + this.deviceServiceClass[this.pool.device[task]]]() * slowdown;
    if (!(value >= 0)) throw new SimulationError(`node ${this.nodeId(node)}: ${what} time draw ${value} ms is negative`);
    return value;
  }

  /** Two-stage nodes: a CPU core preprocesses the frame. */
  private startPreprocessing(task: number, node: number, now: number): void {
    const preprocessing = this.draw(this.preprocessingSamplers, task, node, now, "preprocessing");
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
      this.startPreprocessing(next, node, now);
    }
    if (this.busy[node] < this.slotsOf[node]) this.startInference(task, node, now);
    else {
      pool.enqueuedAt[task] = now;
      this.nodeQueues[node].push(task);
    }
    this.meters[node].queueChanged(now, this.waiting(node));
  }

  /** Two-stage nodes: the accelerator infers on a preprocessed frame. */
  private startInference(task: number, node: number, now: number): void {
    const inference = this.draw(this.inferenceSamplers, task, node, now, "inference");
    this.pool.inferenceMs[task] = inference;
    this.meters[node].busyChanged(now, ++this.busy[node]);
    this.sim.scheduleKind(inference, this.serviceDoneKind, task);
  }

  /** Single-stage nodes: preprocessing and inference in one serving slot. */
  private startService(task: number, node: number, now: number): void {
    const preprocessing = this.draw(this.preprocessingSamplers, task, node, now, "preprocessing");
    const inference = this.draw(this.inferenceSamplers, task, node, now, "inference");
    this.pool.preprocessingMs[task] = preprocessing;
    this.pool.inferenceMs[task] = inference;
    this.pool.epoch[task] = this.epoch[node];
    this.meters[node].busyChanged(now, ++this.busy[node]);
    this.sim.scheduleKind(preprocessing + inference, this.serviceDoneKind, task);
  }

  private onServiceDone(task: number): void {
    if (this.lostToCrash(task)) return;
    const pool = this.pool;
    const node = pool.node[task];
    const now = this.sim.now;
    const meter = this.meters[node];
    meter.busyChanged(now, --this.busy[node]);
    const queue = this.nodeQueues[node];
    if (queue.size > 0) {
      const next = queue.shift();
      meter.queueChanged(now, this.waiting(node));
      pool.queueingMs[next] += now - pool.enqueuedAt[next];
      if (this.twoStage[node] === 1) this.startInference(next, node, now);
      else this.startService(next, node, now);
    }
    const device = pool.device[task];
    const delay = this.transferDelay(device, node, 1, this.deviceResultBytes[device]);
    if (delay === 0) this.onDelivered(task, delay);
    else {
      // The downlink time is carried in enqueuedAt, free once the request has left the queue.
      pool.enqueuedAt[task] = delay;
      this.sim.scheduleKind(delay, this.deliveredKind, task);
    }
  }

  private onDelivered(task: number, downlink = this.pool.enqueuedAt[task]): void {
    const pool = this.pool;
    const node = pool.node[task];
    this.outstandingCount[node]--;
    const createdAt = pool.createdAt[task];
    if (this.monitored) this.recent[node].add(this.sim.now, this.sim.now - createdAt);
    if (this.scheduler.observe !== undefined) this.observe(task, downlink);
    if (createdAt >= this.warmupMs) {
      const total = this.sim.now - createdAt;
      const late = total > this.deadline;
      this.counts.measured++;
      if (late) this.counts.late++;
      const meter = this.meters[node];
      meter.record(pool.networkUpMs[task], pool.queueingMs[task], pool.preprocessingMs[task], pool.inferenceMs[task], downlink, total, late);
      this.series.recordCompleted(createdAt, total, late);
      if (this.taskSink !== undefined) this.report(task, downlink, total, late);
    }
    pool.release(task);
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

  private monitorTick(): void {
    const now = this.sim.now;
    const interval = this.scenario.monitor.intervalMs;
    let violating = false;
    for (let node = 0; node < this.nodeCountValue; node++) if (this.recentLatency(node) > this.deadline) violating = true;
    if (violating && now > this.warmupMs) this.timeInViolationMs += Math.min(interval, now - this.warmupMs);
    const migrations = (this.scheduler.monitor as NonNullable<Scheduler["monitor"]>)(this);
    for (const migration of migrations) this.applyMigration(migration.device, migration.from, migration.to, migration.reason);
    if (now + interval <= this.endOfRun) this.sim.schedule(interval, () => this.monitorTick());
  }

  /** Make-before-break: the old node keeps the session until the model is loaded and the state has crossed to the target. */
  private applyMigration(device: number, from: number, to: number, reason: string): void {
    const valid = (index: number) => Number.isInteger(index) && index >= 0;
    if (!(valid(device) && device < this.deviceCountValue && valid(from) && from < this.nodeCountValue && valid(to) && to < this.nodeCountValue)) {
      throw new SimulationError(`scheduler ${this.scheduler.name} returned an invalid migration (device ${device}, ${from} -> ${to}) at t=${this.sim.now} ms`);
    }
    const settings = this.scenario.migration;
    const link = this.scenario.links[device][to];
    const stateTransfer = settings.stateBytes > 0 ? link.nominalLatencyMs + settings.stateBytes / link.bytesPerMs : 0;
    const switchMs = (settings.preloaded ? 0 : settings.modelLoadMs) + stateTransfer;
    this.migrationRecords.push({
      timeMs: this.sim.now,
      device: this.deviceId(device),
      from: this.nodeId(from),
      to: this.nodeId(to),
      reason,
      switchMs,
      requestsDuringSwitch: 0,
    });
    // A session leaving a node known to be down cannot be served there meanwhile: it switches at once.
    if (switchMs > 0 && this.isHealthy(from)) {
      this.redirectNode[device] = from;
      this.redirectUntil[device] = this.sim.now + switchMs;
      this.redirectMigration[device] = this.migrationRecords.length - 1;
    }
  }

  private runLocally(task: number, device: number, now: number): void {
    if (this.localSamplers[device] === undefined) {
      throw new SimulationError(`scheduler ${this.scheduler.name} ran a request on device ${this.deviceId(device)} at t=${now} ms, which cannot run its model`);
    }
    const pool = this.pool;
    pool.networkUpMs[task] = 0;
    pool.queueingMs[task] = 0;
    if (this.localBusy[device] === 0) {
      this.startLocal(task, device, now);
      return;
    }
    let queue = this.localQueues[device];
    if (queue === undefined) {
      queue = new IntQueue(4);
      this.localQueues[device] = queue;
    }
    pool.enqueuedAt[task] = now;
    queue.push(task);
  }

  private startLocal(task: number, device: number, now: number): void {
    const samplers = this.localSamplers[device] as { preprocessing: Sampler; inference: Sampler };
    const preprocessing = samplers.preprocessing();
    const inference = samplers.inference();
    this.pool.preprocessingMs[task] = preprocessing;
    this.pool.inferenceMs[task] = inference;
    this.localBusy[device] = 1;
    this.localMeter.busyChanged(now, ++this.localBusyCount);
    this.sim.scheduleKind(preprocessing + inference, this.localDoneKind, task);
  }

  private onLocalDone(task: number): void {
    const pool = this.pool;
    const device = pool.device[task];
    const now = this.sim.now;
    this.localBusy[device] = 0;
    this.localMeter.busyChanged(now, --this.localBusyCount);
    const queue = this.localQueues[device];
    if (queue !== undefined && queue.size > 0) {
      const next = queue.shift();
      pool.queueingMs[next] = now - pool.enqueuedAt[next];
      this.startLocal(next, device, now);
    }
    const createdAt = pool.createdAt[task];
    if (this.scheduler.observe !== undefined) this.observe(task, 0);
    if (createdAt >= this.warmupMs) {
      const total = now - createdAt;
      const late = total > this.deadline;
      this.counts.measured++;
      if (late) this.counts.late++;
      this.localMeter.record(0, pool.queueingMs[task], pool.preprocessingMs[task], pool.inferenceMs[task], 0, total, late);
      this.series.recordCompleted(createdAt, total, late);
      if (this.taskSink !== undefined) this.report(task, 0, total, late);
    }
    pool.release(task);
  }

  /**
   * True (and the request counted lost) when the node crashed since this request's service
   * began: its slot was freed at the crash, so the completion must not touch the node again.
   */
  private lostToCrash(task: number): boolean {
    if (this.pool.epoch[task] === this.epoch[this.pool.node[task]]) return false;
    this.loseTask(task);
    return true;
  }

  private loseTask(task: number): void {
    const node = this.pool.node[task];
    this.outstandingCount[node]--;
    const createdAt = this.pool.createdAt[task];
    if (createdAt >= this.warmupMs) {
      this.counts.lost++;
      this.meters[node].lost++;
      this.series.recordLost(createdAt);
    }
    this.pool.release(task);
  }

  /** Fault hooks (see faults.ts) ---------------------------------------------------------------- */

  isUp(node: number): boolean {
    return this.up[node] === 1;
  }

  /** The node stops: its queue is lost now; requests in service are lost when their slot would have finished. */
  crashNode(node: number): void {
    if (this.up[node] === 0) return;
    const now = this.sim.now;
    this.up[node] = 0;
    this.epoch[node]++;
    const meter = this.meters[node];
    meter.downChanged(now, true);
    this.busy[node] = 0;
    this.cpuBusy[node] = 0;
    meter.busyChanged(now, 0);
    for (const queue of [this.nodeQueues[node], this.cpuQueues[node]]) while (queue.size > 0) this.loseTask(queue.shift());
    meter.queueChanged(now, 0);
  }

  recoverNode(node: number): void {
    if (this.up[node] === 1) return;
    this.up[node] = 1;
    this.meters[node].downChanged(this.sim.now, false);
  }

  /** What a health check found: schedulers see this, not the node's actual state. */
  setKnownHealth(node: number, healthy: boolean): void {
    this.healthy[node] = healthy ? 1 : 0;
  }

  /** Applies (or, with factors 1, 0, 1, lifts) a degradation on the links from `devices` to `node`. */
  setLinkDegradation(node: number, devices: readonly number[], latencyFactor: number, addedLatencyMs: number, bandwidthFactor: number): void {
    for (const device of devices) {
      const pair = device * this.nodeCountValue + node;
      this.latencyFactor[pair] = latencyFactor;
      this.addedLatency[pair] = addedLatencyMs;
      this.bandwidthFactor[pair] = bandwidthFactor;
      this.degradedPair[pair] = latencyFactor !== 1 || addedLatencyMs !== 0 || bandwidthFactor !== 1 ? 1 : 0;
    }
  }

  private observe(task: number, downlink: number): void {
    const pool = this.pool;
    const outcome = this.outcome;
    const total = this.sim.now - pool.createdAt[task];
    outcome.sequence = pool.sequence[task];
    outcome.device = pool.device[task];
    outcome.node = pool.node[task];
    outcome.createdAt = pool.createdAt[task];
    outcome.totalMs = total;
    outcome.networkMs = pool.networkUpMs[task] + downlink;
    outcome.queueingMs = pool.queueingMs[task];
    outcome.preprocessingMs = pool.preprocessingMs[task];
    outcome.inferenceMs = pool.inferenceMs[task];
    outcome.violatedQos = total > this.deadline;
    (this.scheduler.observe as NonNullable<Scheduler["observe"]>)(outcome);
  }

  private report(task: number, downlink: number, total: number, late: boolean): void {
    const pool = this.pool;
    if (this.taskSink !== undefined) {
      this.taskSink({
        sequence: pool.sequence[task],
        device: this.deviceId(pool.device[task]),
        node: pool.node[task] === LOCAL_NODE ? "(local)" : this.nodeId(pool.node[task]),
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
}

interface LinkSampler {
  latency: Sampler;
  jitter: Sampler | undefined;
  bytesPerMs: number;
  /** A link with constant zero latency, no jitter and no bandwidth limit delivers at once. */
  instantaneous: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableTaskRequest = Mutable<TaskRequest>;
type MutableTaskOutcome = Mutable<TaskOutcome>;
