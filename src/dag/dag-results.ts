import { jobCountsOf, newJobTally } from "../metrics/job-counts.js";
import type { JobCounts } from "../metrics/results-schema.js";
import { StageStats, type StageSummary } from "../metrics/stage-stats.js";
import type { DagJobRecord, DagObserver } from "./dag-runner.js";
import { DEVICE_END, DEVICE_NAME, type DagApplication, ON_DEVICE, placeName } from "./types.js";

/** Where a stage ran: the place and its share of the stage's runs (jobs completed in the window). */
export interface DagPlaceShare {
  place: string;
  runs: number;
  share: number;
}

export interface DagStageResult {
  id: string;
  service: string;
  /** Wait in the station's queue, ms. */
  wait: StageSummary;
  /** Service at the station, ms. */
  serviceTime: StageSummary;
  /** Places in place order (the device, then nodes in their order); only places that ran it. */
  places: DagPlaceShare[];
}

export interface DagEdgeResult {
  /** A stage id, or "device". */
  from: string;
  to: string;
  bytes: number;
  /** Transfer time, ms (0 where both ends were on one place). */
  transfer: StageSummary;
}

/** One application's results: the shape a results file's runs[] can take when the world runs graphs. */
export interface DagResults {
  application: string;
  /** Jobs submitted in [warmup, end): the results@2 counts (late by deadlineMs). */
  jobs: JobCounts;
  /**
   * Only for an application with a query stage (one that can fail a job): jobs submitted in the
   * window that failed (a stage's last attempt failed). Not in `jobs`: they are neither completed
   * nor lost, and do not count as violations there.
   */
  failed?: number;
  deadlineMs: number | null;
  /** From arrival at the device to the last byte back, ms, of the jobs completed. */
  latency: StageSummary;
  /** By stage index. */
  stages: DagStageResult[];
  /** By edge index. */
  edges: DagEdgeResult[];
}

/**
 * Collects a runner's jobs into DagResults: jobs submitted before `warmupMs` are not counted
 * (neither generated nor completed), as everywhere in results@2.
 */
export class DagResultsRecorder implements DagObserver {
  private readonly tally = newJobTally();
  private failedJobs = 0;
  private readonly latency = new StageStats();
  private readonly waits: StageStats[];
  private readonly services: StageStats[];
  private readonly transfers: StageStats[];
  /** Runs per stage and place, the place at index place + 1 (ON_DEVICE is -1). */
  private readonly runs: Int32Array[];

  constructor(
    private readonly app: DagApplication,
    private readonly warmupMs = 0,
  ) {
    this.waits = app.stages.map(() => new StageStats());
    this.services = app.stages.map(() => new StageStats());
    this.transfers = app.edges.map(() => new StageStats());
    this.runs = app.stages.map(() => new Int32Array(app.nodes.length + 1));
  }

  submitted(_device: number, arrivalMs: number): void {
    if (arrivalMs >= this.warmupMs) this.tally.generated++;
  }

  lost(_device: number, arrivalMs: number): void {
    if (arrivalMs >= this.warmupMs) this.tally.lost++;
  }

  failed(record: DagJobRecord): void {
    if (record.arrivalMs >= this.warmupMs) this.failedJobs++;
  }

  completed(record: DagJobRecord): void {
    if (record.arrivalMs < this.warmupMs) return;
    this.tally.completed++;
    if (this.app.deadlineMs !== undefined && record.latencyMs > this.app.deadlineMs) this.tally.late++;
    this.latency.add(record.latencyMs);
    for (let s = 0; s < this.app.stages.length; s++) {
      this.waits[s].add(record.waitMs[s]);
      this.services[s].add(record.serviceMs[s]);
      this.runs[s][record.places[s] - ON_DEVICE]++;
    }
    for (let k = 0; k < this.app.edges.length; k++) this.transfers[k].add(record.transferMs[k]);
  }

  /** The results at `endMs`, the runner's jobs still in flight given by their arrival times. */
  results(endMs: number, inFlightArrivalsMs: readonly number[]): DagResults {
    const app = this.app;
    const tally = { ...this.tally };
    for (const arrival of inFlightArrivalsMs) {
      if (arrival < this.warmupMs) continue;
      tally.unfinished++;
      if (app.deadlineMs !== undefined && endMs - arrival > app.deadlineMs) tally.unfinishedLate++;
    }
    const endName = (end: number): string => (end === DEVICE_END ? DEVICE_NAME : app.stages[end].id);
    return {
      application: app.id,
      jobs: jobCountsOf(tally),
      ...(app.canFail ? { failed: this.failedJobs } : {}),
      deadlineMs: app.deadlineMs ?? null,
      latency: this.latency.summary(),
      stages: app.stages.map((stage, s) => {
        const total = this.services[s].count;
        const places: DagPlaceShare[] = [];
        this.runs[s].forEach((runs, i) => {
          if (runs > 0) places.push({ place: placeName(app, i + ON_DEVICE), runs, share: runs / total });
        });
        return { id: stage.id, service: stage.service, wait: this.waits[s].summary(), serviceTime: this.services[s].summary(), places };
      }),
      edges: app.edges.map((edge, k) => ({ from: endName(edge.from), to: endName(edge.to), bytes: edge.bytes, transfer: this.transfers[k].summary() })),
    };
  }
}
