import type { LlmStage } from "../../llm/llm-results.js";
import { LlmTimeSeriesRecorder, type SeriesQuery } from "../../llm/llm-time-series.js";
import { type JobTally, newJobTally } from "../../metrics/job-counts.js";
import { StageStats } from "../../metrics/stage-stats.js";

/** What one device group's measured queries saw: the per-class view (phones vs laptops, say). */
export class GroupMeter {
  devices = 0;
  readonly jobs: JobTally = newJobTally();
  local = 0;
  offDevice = 0;
  toCloud = 0;
  apiUsd = 0;
  qualitySum = 0;
  readonly ttft = new StageStats();
  readonly total = new StageStats();
  /**
   * What a completed query's latencies go into, in the order of QueryMeter.latencies: this group's
   * ttft and total, then the run's (set by the QueryMeter the group joins).
   */
  stats: StageStats[] = [];

  constructor(readonly group: string) {}
}

/** Latencies of a completed query, in the order of GroupMeter.stats. */
const LATENCIES = 8;

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

/** How one measured query ended, as the meter records it. */
export interface EndedQuery extends SeriesQuery {
  readonly group: GroupMeter;
  readonly createdAt: number;
  /** Summed over the query's exchanges. */
  readonly network: number;
  readonly queueing: number;
  readonly prefill: number;
  readonly decode: number;
  readonly promptTokens: number;
  readonly outputTokens: number;
  readonly offDevicePrompt: number;
  readonly edgeTokens: number;
  readonly cloudTokens: number;
  readonly good: boolean;
}

/** Counters of one run, over measured queries (created in [warmup, duration)), whenever they end. */
export class QueryMeter {
  /** Lost = to a node crash (queued or in service at the crash, or arriving while it was down); no query policy drops. */
  readonly jobs: JobTally = newJobTally();
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
  /** Per node: the decode rate each measured query saw there (tokens/s). */
  readonly decodeRate: StageStats[];
  /** Per device group with query workloads, in the order the groups appear in the scenario (`addGroup`). */
  readonly groups: GroupMeter[] = [];
  /** A completed query's latencies, refilled per query (see `ended`). */
  private readonly latencies = new Float64Array(LATENCIES);
  readonly series: LlmTimeSeriesRecorder;
  // Pipelines.
  jobsStarted = 0;
  jobsSucceeded = 0;
  jobsFailed = 0;
  jobsUnfinished = 0;
  readonly jobTime = new StageStats();
  tokensSucceeded = 0;
  tokensEnded = 0;
  costEnded = 0;
  attemptsEnded = 0;
  stages: PipelineStageMeter[] = [];

  constructor(nodeCount: number, warmupMs: number, durationMs: number, binWidthMs: number) {
    this.decodeRate = Array.from({ length: nodeCount }, () => new StageStats());
    this.series = new LlmTimeSeriesRecorder(warmupMs, durationMs, binWidthMs);
  }

  /** A device group with query workloads. */
  addGroup(group: GroupMeter): void {
    this.groups.push(group);
    const l = this.latency;
    group.stats = [group.ttft, group.total, l.ttft, l.total, l.network, l.queueing, l.prefill, l.decode];
  }

  /** A measured query was created. */
  created(group: GroupMeter): void {
    this.jobs.generated++;
    group.jobs.generated++;
  }

  /** A measured query ended (completed, refused or lost). */
  ended(q: EndedQuery): void {
    const group = q.group;
    this.series.record(q.createdAt, q);
    // Branches, not `routes[q.mode]++`: a keyed increment on a string was a runtime look-up per query.
    const mode = q.mode;
    if (mode === "local") {
      group.local++;
      this.routes.local++;
    } else if (mode === "cloud") this.routes.cloud++;
    else this.routes.collaborative++;
    if (q.offDevicePrompt > 0) group.offDevice++;
    if (q.cloudPrompt > 0) group.toCloud++;
    group.apiUsd += q.costUsd;
    this.apiUsd += q.costUsd;
    this.tokensAtEdge += q.edgeTokens;
    this.tokensInCloud += q.cloudTokens;
    this.promptTokens += q.promptTokens;
    if (q.offDevicePrompt > 0) {
      this.queriesOffDevice++;
      this.promptTokensOffDevice += q.offDevicePrompt;
    }
    if (q.cloudPrompt > 0) {
      this.queriesToCloud++;
      this.promptTokensToCloud += q.cloudPrompt;
    }
    if (q.refused) {
      this.jobs.refused++;
      group.jobs.refused++;
      return;
    }
    if (q.lost) {
      this.jobs.lost++;
      group.jobs.lost++;
      return;
    }
    this.jobs.completed++;
    group.jobs.completed++;
    this.outputTokens += q.outputTokens;
    if (q.violated) {
      this.jobs.late++;
      group.jobs.late++;
    }
    group.qualitySum += q.quality;
    // One call site for the eight adds (in the order they were written one by one): it is inlined,
    // where eight sites were calls, each boxing its double argument.
    const latencies = this.latencies;
    latencies[0] = q.ttftMs;
    latencies[1] = q.totalMs;
    latencies[2] = q.ttftMs;
    latencies[3] = q.totalMs;
    latencies[4] = q.network;
    latencies[5] = q.queueing;
    latencies[6] = q.prefill;
    latencies[7] = q.decode;
    const stats = group.stats;
    for (let i = 0; i < LATENCIES; i++) stats[i].add(latencies[i]);
    this.qualitySum += q.quality;
    if (q.good) this.good++;
  }

  /** A measured query still in flight at the end of the run; `late` when already past a deadline. */
  unfinishedAtEnd(group: GroupMeter, createdAt: number, late: boolean): void {
    this.jobs.unfinished++;
    group.jobs.unfinished++;
    if (late) {
      this.jobs.unfinishedLate++;
      group.jobs.unfinishedLate++;
      this.series.recordUnfinishedLate(createdAt);
    }
  }
}
