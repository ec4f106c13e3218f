import { RandomStreams, type Uniform } from "../engine/rng.js";
import { Simulator } from "../engine/simulator.js";
import { StageStats } from "../metrics/stage-stats.js";
import type { Sampler } from "../random/distributions.js";
import { LlmServer, type ServerJob } from "./llm-server.js";
import { LlmTimeSeriesRecorder } from "./llm-time-series.js";
import { FaultInjector, type FaultTarget } from "../world/faults.js";
import type { LlmStage } from "./llm-results.js";
import { answerQuality } from "./quality.js";
import { attemptToolMs } from "./resolve.js";
import type { LlmDevice, PipelineStageSpec, ResolvedLlmScenario, ServingSpec } from "./resolved.js";
import type { QueryInfo, QueryRouter, RouteMode, RouterView } from "./routers/types.js";

/** Where an exchange runs: a server, and the node it sits on (undefined: the device itself). */
interface Target {
  readonly server: LlmServer;
  readonly node: number | undefined;
}

/** Times of one exchange, ms; a refused exchange has refused = true, one lost to a crash lost = true. */
interface ExchangeTimes {
  refused: boolean;
  lost: boolean;
  network: number;
  queueing: number;
  prefill: number;
  decode: number;
  /** Arrival of the first and of the last token at the device (absolute). */
  firstTokenAt: number;
  doneAt: number;
}

interface ExchangeCallbacks {
  firstToken(times: ExchangeTimes): void;
  done(times: ExchangeTimes): void;
}

/** A query in flight: what is needed to classify it if the run ends first. */
interface InFlight {
  readonly createdAt: number;
  readonly group: GroupMeter;
  firstTokenSeen: boolean;
}

/** What one device group's measured queries saw: the per-class view (phones vs laptops, say). */
export class GroupMeter {
  devices = 0;
  generated = 0;
  completed = 0;
  refused = 0;
  lost = 0;
  late = 0;
  unfinished = 0;
  unfinishedLate = 0;
  local = 0;
  offDevice = 0;
  toCloud = 0;
  apiUsd = 0;
  qualitySum = 0;
  readonly ttft = new StageStats();
  readonly total = new StageStats();

  constructor(readonly group: string) {}
}

export interface PipelineStageMeter {
  attempts: number;
  passed: number;
  reached: number;
  stagePassed: number;
  timePassed: number;
  timeFailed: number;
  tokensPassed: number;
  tokensFailed: number;
}

/** Counters of one run, over measured queries (created at or after the warm-up). */
export class LlmMeter {
  generated = 0;
  completed = 0;
  refused = 0;
  /** Lost to a node crash (queued or in service at the crash, or arriving while it was down). */
  lost = 0;
  late = 0;
  unfinished = 0;
  unfinishedLate = 0;
  routes = { local: 0, cloud: 0, collaborative: 0 };
  promptTokens = 0;
  outputTokens = 0;
  tokensAtEdge = 0;
  tokensInCloud = 0;
  apiUsd = 0;
  queriesOffDevice = 0;
  queriesToCloud = 0;
  promptTokensOffDevice = 0;
  promptTokensToCloud = 0;
  qualitySum = 0;
  good = 0;
  readonly latency: Record<LlmStage, StageStats> = {
    ttft: new StageStats(),
    total: new StageStats(),
    network: new StageStats(),
    queueing: new StageStats(),
    prefill: new StageStats(),
    decode: new StageStats(),
    tool: new StageStats(),
  };
  readonly decodeRate: StageStats[];
  /** Per device group, in the order the groups appear in the scenario. */
  readonly groups: GroupMeter[] = [];
  // Pipelines.
  jobsStarted = 0;
  jobsSucceeded = 0;
  jobsFailed = 0;
  jobsUnfinished = 0;
  jobTime = new StageStats();
  tokensSucceeded = 0;
  tokensEnded = 0;
  costEnded = 0;
  attemptsEnded = 0;
  stages: PipelineStageMeter[] = [];

  constructor(nodeCount: number) {
    this.decodeRate = Array.from({ length: nodeCount }, () => new StageStats());
  }
}

interface Job {
  readonly device: LlmDevice;
  readonly stages: readonly PipelineStageSpec[];
  readonly createdAt: number;
  readonly measured: boolean;
  stage: number;
  attempt: number;
  tokens: number;
  costUsd: number;
  attempts: number;
}

/**
 * One routing policy on one language-model scenario: devices issue queries (or multi-stage jobs),
 * the router picks a route per query, servers run prefill and decode in batches, links carry
 * prompts and tokens, and the meter records latency, violations, money, privacy and quality.
 */
export class LlmWorld implements FaultTarget {
  readonly sim = new Simulator();
  readonly meter: LlmMeter;
  readonly series: LlmTimeSeriesRecorder;
  readonly servers: LlmServer[];
  readonly deviceServers: (LlmServer | undefined)[];
  private readonly streams: RandomStreams;
  /** Per (device, node, direction), created on first use: index (device x nodes + node) x 2 + (down ? 1 : 0). */
  private readonly linkSamplers: ({ latency: Sampler; jitter: Sampler | undefined; bytesPerMs: number } | undefined)[] = [];
  private readonly inFlight = new Map<number, InFlight>();
  private nextQueryId = 0;
  private readonly view: RouterView;
  private readonly maxAttemptsOverride: number | undefined;
  private readonly querySink: QuerySink | undefined;
  /** Each device's group meter. */
  private readonly groupOf: GroupMeter[];

  constructor(
    readonly scenario: ResolvedLlmScenario,
    private readonly router: QueryRouter,
    options: { pipelineMaxAttempts?: number; querySink?: QuerySink } = {},
  ) {
    this.querySink = options.querySink;
    this.streams = new RandomStreams(scenario.seed);
    this.meter = new LlmMeter(scenario.nodes.length);
    this.series = new LlmTimeSeriesRecorder(scenario.warmupMs, scenario.durationMs, scenario.binWidthMs);
    const byGroup = new Map<string, GroupMeter>();
    this.groupOf = scenario.devices.map((device) => {
      let meter = byGroup.get(device.group);
      if (meter === undefined) {
        meter = new GroupMeter(device.group);
        byGroup.set(device.group, meter);
        this.meter.groups.push(meter);
      }
      meter.devices++;
      return meter;
    });
    this.servers = scenario.nodes.map((node) => new LlmServer(this.sim, node.serving));
    this.deviceServers = scenario.devices.map((device) => (device.localServing === undefined ? undefined : new LlmServer(this.sim, device.localServing)));
    this.maxAttemptsOverride = options.pipelineMaxAttempts;
    this.tieBreak = new Int32Array(scenario.devices.length);
    this.knownUp = new Uint8Array(scenario.nodes.length).fill(1);
    const pairs = scenario.devices.length * scenario.nodes.length;
    this.latencyFactor = new Float64Array(pairs).fill(1);
    this.addedLatencyMs = new Float64Array(pairs);
    this.bandwidthFactor = new Float64Array(pairs).fill(1);
    this.faults = new FaultInjector(this.sim, scenario, this.streams, this, scenario.durationMs + scenario.drainMs);
    const world = this;
    this.view = {
      get now() {
        return world.sim.now;
      },
      localOutstanding: (d) => world.localKnownUp(d)?.server.outstanding ?? Infinity,
      hasLocal: (d) => world.localKnownUp(d) !== undefined,
      hasCloud: () => scenario.cloudNode !== undefined && world.knownUp[scenario.cloudNode] === 1,
    };
  }

  run(): void {
    const s = this.scenario;
    this.faults.start();
    for (const device of s.devices) this.startDevice(device);
    if (s.warmupMs > 0) {
      this.sim.run({ until: s.warmupMs });
      for (const server of [...this.servers, ...this.deviceServers]) server?.resetStatistics();
    }
    this.sim.run({ until: s.durationMs + s.drainMs });
    const end = this.sim.now;
    for (const query of this.inFlight.values()) {
      const elapsed = end - query.createdAt;
      this.meter.unfinished++;
      query.group.unfinished++;
      if (elapsed > s.totalDeadlineMs || (!query.firstTokenSeen && elapsed > s.ttftDeadlineMs)) {
        this.meter.unfinishedLate++;
        query.group.unfinishedLate++;
        this.series.recordUnfinishedLate(query.createdAt);
      }
    }
    this.meter.jobsUnfinished = this.pendingJobs.size;
  }

  get measuredMs(): number {
    return this.scenario.durationMs + this.scenario.drainMs - this.scenario.warmupMs;
  }

  private stream(name: string): Uniform {
    return this.streams.stream(name);
  }

  /** Per device, the stream of its answers' good / not-good judgements (looked up once). */
  private readonly qualityStreams: (Uniform | undefined)[] = [];

  private qualityStream(device: LlmDevice): Uniform {
    const known = this.qualityStreams[device.index];
    if (known !== undefined) return known;
    const stream = this.stream(`device/${device.id}/quality`);
    this.qualityStreams[device.index] = stream;
    return stream;
  }

  private startDevice(device: LlmDevice): void {
    const w = device.workload;
    const base = `device/${device.id}`;
    if (w.type === "query-trace") {
      const complexity = w.complexity.bind(this.stream(`${base}/complexity`));
      for (let i = 0; i < w.times.length; i++) {
        const at = w.times[i] / this.scenario.loadScale;
        if (at >= this.scenario.durationMs) break;
        const prompt = w.promptTokens[i];
        const output = w.outputTokens[i];
        this.sim.schedule(at, () => this.newQuery(device, { deviceIndex: device.index, promptTokens: prompt, outputTokens: output, complexity: clamp01(complexity()), purpose: "query" }));
      }
      return;
    }
    const draw = w.interarrival.bind(this.stream(`${base}/arrivals`));
    const scale = this.scenario.loadScale;
    const gap = scale === 1 ? draw : () => draw() / scale;
    if (w.type === "queries") {
      const prompt = w.promptTokens.bind(this.stream(`${base}/prompt`));
      const output = w.outputTokens.bind(this.stream(`${base}/output`));
      const complexity = w.complexity.bind(this.stream(`${base}/complexity`));
      const acceptance = w.hourlyAcceptance;
      const thinning = acceptance === undefined ? undefined : this.stream(`${base}/thinning`);
      const arrive = (): void => {
        const hour = Math.floor((this.sim.now % DAY_MS) / HOUR_MS);
        if (thinning === undefined || thinning() < (acceptance as readonly number[])[hour]) {
          this.newQuery(device, { deviceIndex: device.index, promptTokens: tokenCount(prompt()), outputTokens: tokenCount(output()), complexity: clamp01(complexity()), purpose: "query" });
        }
        this.scheduleNext(gap(), arrive);
      };
      this.scheduleNext(gap(), arrive);
      return;
    }
    const outcomes = this.stream(`${base}/pipeline`);
    const arrive = (): void => {
      this.startJob(device, w.stages, outcomes);
      this.scheduleNext(gap(), arrive);
    };
    this.scheduleNext(gap(), arrive);
  }

  private scheduleNext(delay: number, handler: () => void): void {
    if (this.sim.now + delay < this.scenario.durationMs) this.sim.schedule(delay, handler);
  }

  /**
   * The device's own model, or the edge node with the fewest outstanding queries; ties are
   * broken in turn (a per-device rotating start), so idle replicas share the load as a
   * least-connections balancer would rather than the first taking everything.
   */
  private localTarget(deviceIndex: number): Target | undefined {
    return this.localKnownUp(deviceIndex) ?? this.localTargetAnyHealth(deviceIndex);
  }

  /** The device's own model, or its least busy edge node among those known up; undefined when none is. */
  private localKnownUp(deviceIndex: number): Target | undefined {
    const own = this.deviceServers[deviceIndex];
    if (own !== undefined) return { server: own, node: undefined };
    const nodes = this.scenario.devices[deviceIndex].localNodes;
    if (nodes.length === 0) return undefined;
    const start = this.tieBreak[deviceIndex] % nodes.length;
    let best = -1;
    for (let k = 0; k < nodes.length; k++) {
      const node = nodes[(start + k) % nodes.length];
      if (this.knownUp[node] === 0) continue;
      if (best < 0 || this.servers[node].outstanding < this.servers[best].outstanding) best = node;
    }
    return best < 0 ? undefined : { server: this.servers[best], node: best };
  }

  /** With every local node known down: the least busy of them anyway (the query will be lost if it is still down). */
  private localTargetAnyHealth(deviceIndex: number): Target | undefined {
    let best = -1;
    for (const node of this.scenario.devices[deviceIndex].localNodes) if (best < 0 || this.servers[node].outstanding < this.servers[best].outstanding) best = node;
    return best < 0 ? undefined : { server: this.servers[best], node: best };
  }

  /** Per device: where the next tie-break starts; advanced each time a query is sent on the local route. */
  private readonly tieBreak: Int32Array;
  /** Node health as the health checks know it (1 up): routing avoids nodes known down. */
  private readonly knownUp: Uint8Array;
  /** Per (device, node): link degradation in force (faults). */
  private readonly latencyFactor: Float64Array;
  private readonly addedLatencyMs: Float64Array;
  private readonly bandwidthFactor: Float64Array;
  readonly faults: FaultInjector;

  // FaultTarget: what the fault injector (src/world/faults.ts) acts on.
  isUp(node: number): boolean {
    return this.servers[node].up;
  }

  isHealthy(node: number): boolean {
    return this.knownUp[node] === 1;
  }

  crashNode(node: number): void {
    this.servers[node].crash();
  }

  recoverNode(node: number): void {
    this.servers[node].recover();
  }

  setKnownHealth(node: number, healthy: boolean): void {
    this.knownUp[node] = healthy ? 1 : 0;
  }

  setLinkDegradation(node: number, devices: readonly number[], latencyFactor: number, addedLatencyMs: number, bandwidthFactor: number): void {
    for (const device of devices) {
      const pair = device * this.scenario.nodes.length + node;
      this.latencyFactor[pair] = latencyFactor;
      this.addedLatencyMs[pair] = addedLatencyMs;
      this.bandwidthFactor[pair] = bandwidthFactor;
    }
  }

  private cloudTarget(): Target | undefined {
    const c = this.scenario.cloudNode;
    return c === undefined ? undefined : { server: this.servers[c], node: c };
  }

  /**
   * A route the device can take: a router asking for a route the scenario does not give the
   * device gets the one it has. A route whose nodes are known down is not switched here: failing
   * over is the router's decision (the view says what is known up); a query sent to a down node
   * is lost.
   */
  private feasible(mode: RouteMode, deviceIndex: number): RouteMode {
    const hasLocal = this.deviceServers[deviceIndex] !== undefined || this.scenario.devices[deviceIndex].localNodes.length > 0;
    const hasCloud = this.scenario.cloudNode !== undefined;
    if (mode === "collaborative" && !(hasLocal && hasCloud)) return hasCloud ? "cloud" : "local";
    if (mode === "local" && !hasLocal) return "cloud";
    if (mode === "cloud" && !hasCloud) return "local";
    return mode;
  }

  private link(device: LlmDevice, node: number, direction: "up" | "down") {
    const key = (device.index * this.scenario.nodes.length + node) * 2 + (direction === "down" ? 1 : 0);
    let sampler = this.linkSamplers[key];
    if (sampler === undefined) {
      const link = this.scenario.links[device.index][node];
      const name = `link/${device.id}/${this.scenario.nodes[node].id}/${direction}`;
      sampler = {
        latency: link.latency.bind(this.stream(`${name}/latency`)),
        jitter: link.jitter?.bind(this.stream(`${name}/jitter`)),
        bytesPerMs: link.bytesPerMs,
      };
      this.linkSamplers[key] = sampler;
    }
    return sampler;
  }

  private transferMs(device: LlmDevice, node: number, direction: "up" | "down", bytes: number): number {
    const link = this.link(device, node, direction);
    const pair = device.index * this.scenario.nodes.length + node;
    const latency = Math.max(0, link.latency() + (link.jitter === undefined ? 0 : link.jitter())) * this.latencyFactor[pair] + this.addedLatencyMs[pair];
    return latency + (link.bytesPerMs === Infinity ? 0 : bytes / (link.bytesPerMs * this.bandwidthFactor[pair]));
  }

  /**
   * One prompt in, tokens out, on a target: uplink (prompt bytes), the server's fixed overhead,
   * queueing, prefill, decode; the first and the last token each take a downlink latency.
   */
  private exchange(device: LlmDevice, target: Target, promptTokens: number, outputTokens: number, callbacks: ExchangeCallbacks): void {
    const s = this.scenario;
    const times: ExchangeTimes = { refused: false, lost: false, network: 0, queueing: 0, prefill: 0, decode: 0, firstTokenAt: NaN, doneAt: NaN };
    const node = target.node;
    const up = node === undefined ? 0 : this.transferMs(device, node, "up", promptTokens * s.bytesPerToken + s.requestOverheadBytes);
    const overhead = target.server.spec.requestOverheadMs;
    let submittedAt = 0;
    const job: ServerJob = {
      promptTokens,
      outputTokens,
      startedAt: NaN,
      prefillEndedAt: NaN,
      firstToken: () => {
        times.queueing = job.startedAt - submittedAt;
        times.prefill = job.prefillEndedAt - job.startedAt;
        const down = node === undefined ? 0 : this.transferMs(device, node, "down", s.bytesPerToken);
        times.firstTokenAt = this.sim.now + down;
        this.sim.schedule(down, () => callbacks.firstToken(times));
      },
      done: () => {
        times.decode = this.sim.now - job.prefillEndedAt;
        if (node !== undefined) this.meter.decodeRate[node].add((outputTokens / Math.max(times.decode, 1e-9)) * 1000);
        const down = node === undefined ? 0 : this.transferMs(device, node, "down", s.bytesPerToken);
        // Tokens stream in order: the last cannot arrive before the first.
        times.doneAt = Math.max(this.sim.now + down, times.firstTokenAt);
        times.network = up + (times.doneAt - this.sim.now);
        this.sim.schedule(times.doneAt - this.sim.now, () => callbacks.done(times));
      },
      lost: () => {
        times.lost = true;
        times.network = up;
        callbacks.done(times);
      },
    };
    target.server.inTransit++;
    this.sim.schedule(up + overhead, () => {
      target.server.inTransit--;
      submittedAt = this.sim.now;
      const accepted = target.server.submit(job);
      if (accepted === "lost") job.lost();
      else if (!accepted) {
        times.refused = true;
        times.network = up;
        callbacks.done(times);
      }
    });
  }

  private newQuery(device: LlmDevice, info: QueryInfo): void {
    this.runQuery(device, info, this.sim.now >= this.scenario.warmupMs, () => undefined);
  }

  /**
   * Routes and runs one query; `finished` is called once it has completed (true) or was refused (false).
   * Pipelines pass their attempt's tokens here like any query.
   */
  private runQuery(device: LlmDevice, info: QueryInfo, measured: boolean, finished: (ok: boolean, outcome: QueryOutcome) => void, routed?: RouteMode): void {
    const s = this.scenario;
    const mode = routed ?? this.feasible(this.router.route(info, this.view), device.index);
    const createdAt = this.sim.now;
    const id = this.nextQueryId++;
    const group = this.groupOf[device.index];
    const flight: InFlight = { createdAt, group, firstTokenSeen: false };
    if (measured) {
      this.meter.generated++;
      group.generated++;
      this.inFlight.set(id, flight);
    }
    const local = mode === "cloud" ? undefined : this.localTarget(device.index);
    if (local?.node !== undefined) this.tieBreak[device.index]++;
    const cloud = this.cloudTarget();
    const totals = { network: 0, queueing: 0, prefill: 0, decode: 0 };
    const add = (t: ExchangeTimes): void => {
      totals.network += t.network;
      totals.queueing += t.queueing;
      totals.prefill += t.prefill;
      totals.decode += t.decode;
    };
    let ttftAt = NaN;
    let finalServing: ServingSpec;
    let costUsd = 0;
    let offDevicePrompt = 0;
    let cloudPrompt = 0;
    let edgeTokens = 0;
    let cloudTokens = 0;
    const charge = (spec: ServingSpec, prompt: number, output: number, inCloud: boolean): void => {
      costUsd += prompt * spec.inputUsdPerToken + output * spec.outputUsdPerToken;
      if (inCloud) cloudTokens += prompt + output;
      else edgeTokens += prompt + output;
    };
    const end = (times: ExchangeTimes): void => {
      this.inFlight.delete(id);
      add(times);
      const m = this.meter;
      const failed = times.refused || times.lost;
      const violated = failed || ttftAt - createdAt > s.ttftDeadlineMs || times.doneAt - createdAt > s.totalDeadlineMs;
      let quality = 0;
      let good = false;
      if (!failed) {
        quality = answerQuality(s.quality, finalServing.paramsB, info.complexity) * (mode === "collaborative" ? s.collaboration.qualityFactor : 1);
        good = this.qualityStream(device)() < quality;
      }
      const outcome: QueryOutcome = { mode, quality, good, violated, costUsd, ttftMs: ttftAt - createdAt, totalMs: times.doneAt - createdAt, serving: finalServing };
      if (measured && this.querySink !== undefined) {
        this.querySink({
          device: device.id,
          purpose: info.purpose,
          route: mode,
          createdAt,
          promptTokens: info.promptTokens,
          outputTokens: info.outputTokens,
          complexity: info.complexity,
          refused: times.refused,
          lost: times.lost,
          ttft: failed ? NaN : ttftAt - createdAt,
          total: failed ? NaN : times.doneAt - createdAt,
          network: totals.network,
          queueing: totals.queueing,
          prefill: totals.prefill,
          decode: totals.decode,
          costUsd,
          quality,
          good,
          violated,
        });
      }
      if (measured) {
        this.series.record(createdAt, {
          refused: times.refused,
          lost: times.lost,
          late: violated,
          ttftMs: ttftAt - createdAt,
          totalMs: times.doneAt - createdAt,
          local: mode === "local",
          toCloud: cloudPrompt > 0,
          apiUsd: costUsd,
          quality,
        });
        if (mode === "local") group.local++;
        if (offDevicePrompt > 0) group.offDevice++;
        if (cloudPrompt > 0) group.toCloud++;
        group.apiUsd += costUsd;
        if (times.refused) group.refused++;
        else if (times.lost) group.lost++;
        else {
          group.completed++;
          if (violated) group.late++;
          group.ttft.add(ttftAt - createdAt);
          group.total.add(times.doneAt - createdAt);
          group.qualitySum += quality;
        }
        m.routes[mode]++;
        m.apiUsd += costUsd;
        m.tokensAtEdge += edgeTokens;
        m.tokensInCloud += cloudTokens;
        m.promptTokens += info.promptTokens;
        if (offDevicePrompt > 0) {
          m.queriesOffDevice++;
          m.promptTokensOffDevice += offDevicePrompt;
        }
        if (cloudPrompt > 0) {
          m.queriesToCloud++;
          m.promptTokensToCloud += cloudPrompt;
        }
        if (times.refused) m.refused++;
        else if (times.lost) m.lost++;
        else {
          m.completed++;
          m.outputTokens += info.outputTokens;
          if (violated) m.late++;
          m.latency.ttft.add(ttftAt - createdAt);
          m.latency.total.add(times.doneAt - createdAt);
          m.latency.network.add(totals.network);
          m.latency.queueing.add(totals.queueing);
          m.latency.prefill.add(totals.prefill);
          m.latency.decode.add(totals.decode);
          m.qualitySum += quality;
          if (good) m.good++;
        }
      }
      this.router.observe?.({
        deviceIndex: device.index,
        mode,
        complexity: info.complexity,
        ttftMs: failed ? NaN : ttftAt - createdAt,
        totalMs: failed ? NaN : times.doneAt - createdAt,
        violated,
        costUsd,
        reachedCloud: cloudPrompt > 0,
        quality,
        good,
        at: this.sim.now,
      });
      finished(!failed, outcome);
    };
    const firstToken = (times: ExchangeTimes): void => {
      ttftAt = times.firstTokenAt;
      flight.firstTokenSeen = true;
    };
    const target = mode === "cloud" ? (cloud as Target) : (local as Target);
    // The prompt leaves the device when it is sent; tokens are paid for only when they are served.
    if (mode !== "collaborative") {
      finalServing = target.server.spec;
      if (target.node !== undefined) offDevicePrompt = info.promptTokens;
      if (mode === "cloud") cloudPrompt = info.promptTokens;
      this.exchange(device, target, info.promptTokens, info.outputTokens, {
        firstToken,
        done: (times) => {
          if (!times.refused && !times.lost) charge(finalServing, info.promptTokens, info.outputTokens, mode === "cloud");
          end(times);
        },
      });
      return;
    }
    // Collaborative: the local model condenses the prompt, then the cloud model answers from the condensed prompt.
    const draft = Math.max(1, Math.round(info.promptTokens * s.collaboration.draftRatio));
    const cloudPromptTokens = draft + s.collaboration.instructionTokens;
    const localTarget = local as Target;
    const cloudTarget = cloud as Target;
    finalServing = cloudTarget.server.spec;
    if (localTarget.node !== undefined) offDevicePrompt = info.promptTokens;
    this.exchange(device, localTarget, info.promptTokens, draft, {
      firstToken: () => undefined,
      done: (first) => {
        if (first.refused || first.lost) {
          end(first);
          return;
        }
        charge(localTarget.server.spec, info.promptTokens, draft, false);
        add(first);
        if (localTarget.node === undefined) offDevicePrompt = cloudPromptTokens;
        cloudPrompt = cloudPromptTokens;
        this.exchange(device, cloudTarget, cloudPromptTokens, info.outputTokens, {
          firstToken,
          done: (times) => {
            if (!times.refused && !times.lost) charge(finalServing, cloudPromptTokens, info.outputTokens, true);
            end(times);
          },
        });
      },
    });
  }

  // ---- Pipelines ----

  private startJob(device: LlmDevice, stages: readonly PipelineStageSpec[], outcomes: Uniform): void {
    const measured = this.sim.now >= this.scenario.warmupMs;
    const job: Job = { device, stages, createdAt: this.sim.now, measured, stage: 0, attempt: 0, tokens: 0, costUsd: 0, attempts: 0 };
    if (measured) {
      this.meter.jobsStarted++;
      this.pendingJobs.add(job);
      if (this.meter.stages.length === 0) {
        this.meter.stages = stages.map(() => ({ attempts: 0, passed: 0, reached: 0, stagePassed: 0, timePassed: 0, timeFailed: 0, tokensPassed: 0, tokensFailed: 0 }));
      }
      this.meter.stages[0].reached++;
    }
    this.attempt(job, outcomes);
  }

  /** Jobs started in the measured window and not yet ended (unfinished if still here when the run stops). */
  private readonly pendingJobs = new Set<Job>();

  private attempt(job: Job, outcomes: Uniform): void {
    const stage = job.stages[job.stage];
    const reference = this.scenario.nodes[(job.device.workload as { referenceNode: number }).referenceNode];
    const startedAt = this.sim.now;
    job.attempt++;
    job.attempts++;
    const draw = outcomes();
    const info: QueryInfo = { deviceIndex: job.device.index, promptTokens: 0, outputTokens: 0, complexity: stage.complexity, purpose: stage.name };
    // The outcome decides the tokens, but the success chance depends on where the attempt runs: route first.
    const mode = this.feasible(this.router.route(info, this.view), job.device.index);
    const servingFor = (m: RouteMode): ServingSpec => (m === "local" ? (this.localTarget(job.device.index) as Target).server.spec : (this.cloudTarget() as Target).server.spec);
    const target = servingFor(mode);
    const q = this.scenario.quality;
    const p =
      target.model === reference.serving.model && target.quantization === reference.serving.quantization
        ? stage.successProbability
        : Math.min(
            1,
            (stage.successProbability * answerQuality(q, target.paramsB, stage.complexity) * (mode === "collaborative" ? this.scenario.collaboration.qualityFactor : 1)) /
              answerQuality(q, reference.serving.paramsB, stage.complexity),
          );
    const passed = draw < p;
    const outcome = passed ? stage.passed : stage.failed;
    const output = Math.max(1, Math.round(outcome.tokens * stage.outputShare));
    const prompt = Math.max(1, Math.round(outcome.tokens - output));
    const link = this.scenario.links[job.device.index][reference.index];
    const toolMs = Math.max(0, attemptToolMs(reference.serving, outcome, stage.outputShare, link.nominalLatencyMs));
    const query: QueryInfo = { ...info, promptTokens: prompt, outputTokens: output };
    this.runQuery(
      job.device,
      query,
      job.measured,
      (ok, result) => {
        job.costUsd += result.costUsd;
        job.tokens += prompt + output;
        this.sim.schedule(ok ? toolMs : 0, () => {
          const success = ok && passed;
          const m = this.meter;
          if (job.measured) {
            m.latency.tool.add(ok ? toolMs : 0);
            const sm = m.stages[job.stage];
            sm.attempts++;
            if (success) {
              sm.passed++;
              sm.timePassed += this.sim.now - startedAt;
              sm.tokensPassed += prompt + output;
            } else {
              sm.timeFailed += this.sim.now - startedAt;
              sm.tokensFailed += prompt + output;
            }
          }
          const maxAttempts = this.maxAttemptsOverride ?? stage.maxAttempts;
          if (success) {
            if (job.measured) m.stages[job.stage].stagePassed++;
            job.stage++;
            job.attempt = 0;
            if (job.stage === job.stages.length) this.endJob(job, true);
            else {
              if (job.measured) m.stages[job.stage].reached++;
              this.attempt(job, outcomes);
            }
          } else if (job.attempt < maxAttempts) this.attempt(job, outcomes);
          else this.endJob(job, false);
        });
      },
      // Routed already: the success chance depended on the route, and the tokens on the outcome.
      mode,
    );
  }

  private endJob(job: Job, succeeded: boolean): void {
    if (!job.measured) return;
    this.pendingJobs.delete(job);
    const m = this.meter;
    m.tokensEnded += job.tokens;
    m.costEnded += job.costUsd;
    m.attemptsEnded += job.attempts;
    if (succeeded) {
      m.jobsSucceeded++;
      m.tokensSucceeded += job.tokens;
      m.jobTime.add(this.sim.now - job.createdAt);
    } else m.jobsFailed++;
  }
}

// The per-query record is the one world's (this file goes when the old path does).
export type { QueryRecord, QuerySink } from "../world/queries/query-traffic.js";
import type { QuerySink } from "../world/queries/query-traffic.js";

interface QueryOutcome {
  readonly mode: RouteMode;
  readonly quality: number;
  readonly good: boolean;
  readonly violated: boolean;
  readonly costUsd: number;
  readonly ttftMs: number;
  readonly totalMs: number;
  readonly serving: ServingSpec;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function tokenCount(x: number): number {
  return Math.max(1, Math.round(x));
}
