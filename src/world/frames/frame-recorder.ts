import type { FrameNodeResults } from "../../metrics/results-schema.js";
import { mergeStageSets, newStageSet, StageStats, summarizeStageSet } from "../../metrics/stage-stats.js";
import { TimeSeriesRecorder } from "../../metrics/time-series.js";
import { type JobTally, jobCountsOf, newJobTally } from "../../metrics/job-counts.js";
import type { ResolvedScenario } from "../../scenario/resolved-scenario.js";
import type { FrameFamilyResults } from "../traffic-context.js";
import { CompletionBatch } from "./completion-batch.js";
import { NodeMeter } from "./node-meter.js";
import type { TaskPool } from "./task-pool.js";

/** Where the results sample the total-latency distribution: every percentile plus the far tail. */
const CDF_PROBABILITIES: readonly number[] = [...Array.from({ length: 100 }, (_, i) => i / 100), 0.995, 0.999, 1];

/**
 * What frame traffic measures, and its part of the results. The window is the scenario's
 * [warmup, duration): a job is counted when it was created in it, whenever it ends (drain
 * included); throughput is completed / (duration - warmup); the nodes' time averages (utilisation,
 * queue length, busy slots) and the time series cover [warmup, duration) too, so a drain never
 * dilutes them. A policy that returns DROP drops the frame: `dropped` (no node involved).
 */
export class FrameRecorder {
  readonly meters: NodeMeter[];
  /** Frames run on their own devices (local-only); its "slots" are the devices. */
  readonly localMeter: NodeMeter;
  readonly series: TimeSeriesRecorder;
  private readonly counts: JobTally = newJobTally();
  private readonly groupOfDevice: Int32Array;
  private readonly groupCounts: JobTally[] = [];
  private readonly groupTotals: StageStats[] = [];
  private readonly groupNames: string[] = [];
  private readonly groupDevices: number[] = [];
  private readonly warmupMs: number;
  private readonly durationMs: number;
  /** Completions whose latencies are not yet in the meters, the series and the groups' totals (flushed before any is read). */
  private readonly batch: CompletionBatch;
  /** Per time bin and node, the integrals already attributed to earlier bins. */
  private readonly binAreas: { queue: number; busy: number }[];

  constructor(
    private readonly scenario: ResolvedScenario,
    /** The simulation clock (a completion's total is measured at it). */
    clock: { readonly now: number },
  ) {
    this.warmupMs = scenario.warmupMs;
    this.durationMs = scenario.durationMs;
    this.meters = scenario.nodes.map((node) => new NodeMeter(node.frames?.slots ?? 0, scenario.warmupMs, scenario.durationMs));
    this.localMeter = new NodeMeter(scenario.devices.length, scenario.warmupMs, scenario.durationMs);
    this.series = new TimeSeriesRecorder(scenario.warmupMs, scenario.durationMs, scenario.binWidthMs);
    this.binAreas = scenario.nodes.map(() => ({ queue: 0, busy: 0 }));
    // Groups with a frame workload, in scenario order (devices of a group are contiguous).
    this.groupOfDevice = new Int32Array(scenario.devices.length).fill(-1);
    for (const device of scenario.devices) {
      if (!device.workloads.some((workload) => workload.family === "frames")) continue;
      let group = this.groupNames.lastIndexOf(device.group);
      if (group < 0) {
        group = this.groupNames.length;
        this.groupNames.push(device.group);
        this.groupDevices.push(0);
        this.groupCounts.push(newJobTally());
        this.groupTotals.push(new StageStats());
      }
      this.groupDevices[group]++;
      this.groupOfDevice[device.index] = group;
    }
    // The local meter is the last: completed() passes it as meters.length.
    this.batch = new CompletionBatch([...this.meters, this.localMeter], this.series, this.groupTotals, clock);
  }

  /** True for a job created in the measurement window. */
  measured(createdAt: number): boolean {
    return createdAt >= this.warmupMs && createdAt < this.durationMs;
  }

  generated(device: number, createdAt: number): void {
    if (!this.measured(createdAt)) return;
    this.counts.generated++;
    this.groupCounts[this.groupOfDevice[device]].generated++;
  }

  /** Frame `task` of the pool completed now (node -1: run on its device); its downlink in `enqueuedAt` (CompletionBatch.add). */
  completed(pool: TaskPool, task: number, late: boolean): void {
    const device = pool.device[task];
    const node = pool.node[task];
    const meter = node < 0 ? this.localMeter : this.meters[node];
    meter.served++;
    this.counts.completed++;
    const group = this.groupOfDevice[device];
    this.groupCounts[group].completed++;
    if (late) {
      meter.late++;
      this.counts.late++;
      this.groupCounts[group].late++;
    }
    // With one group its latency is the family's, merged at the end (a sketch insertion saved per frame).
    const groupTotal = this.groupNames.length > 1 ? group : -1;
    this.batch.add(node < 0 ? this.meters.length : node, groupTotal, pool, task, late);
  }

  /** The policy chose not to run the frame (measured frames only). */
  dropped(device: number, createdAt: number): void {
    this.counts.dropped++;
    this.groupCounts[this.groupOfDevice[device]].dropped++;
    this.series.recordDropped(createdAt);
  }

  /** A node's full queues turned the frame away (measured frames only). */
  refused(device: number, node: number, createdAt: number): void {
    this.counts.refused++;
    this.groupCounts[this.groupOfDevice[device]].refused++;
    this.meters[node].refused++;
    this.series.recordRefused(createdAt);
  }

  /** Lost to a crash of its node (measured frames only). */
  lost(device: number, node: number, createdAt: number): void {
    this.counts.lost++;
    this.groupCounts[this.groupOfDevice[device]].lost++;
    this.meters[node].lost++;
    this.series.recordLost(createdAt);
  }

  /** Still in flight at the end of the run (measured frames only). */
  unfinished(device: number, createdAt: number, endMs: number, deadlineMs: number): void {
    const group = this.groupCounts[this.groupOfDevice[device]];
    this.counts.unfinished++;
    group.unfinished++;
    // A backlog must not flatter an overloaded run: frames in flight past the deadline are violations already.
    if (endMs - createdAt > deadlineMs) {
      this.counts.unfinishedLate++;
      group.unfinishedLate++;
      this.series.recordUnfinishedLate(createdAt);
    }
  }

  /** Stores the node time averages of a bin ending at `end` (at most the window's end). */
  closeBin(bin: number, end: number): void {
    const length = end - Math.max(this.series.binStart(bin), this.warmupMs);
    this.series.closeBin(
      bin,
      this.meters.map((meter, node) => {
        const areas = meter.areasAt(end);
        const previous = this.binAreas[node];
        this.binAreas[node] = areas;
        if (meter.slots === 0) return { utilisation: 0, meanQueueLength: 0 };
        return {
          utilisation: length > 0 ? (areas.busy - previous.busy) / length / meter.slots : 0,
          meanQueueLength: length > 0 ? (areas.queue - previous.queue) / length : 0,
        };
      }),
    );
  }

  /** Schedules the closing of every bin but the last (closed by `finish`). */
  scheduleBins(schedule: (at: number, close: () => void) => void): void {
    for (let bin = 0; bin < this.series.binCount - 1; bin++) {
      const end = this.series.binStart(bin + 1);
      schedule(end, () => this.closeBin(bin, end));
    }
  }

  finish(): void {
    this.batch.flush();
    this.closeBin(this.series.binCount - 1, this.durationMs);
  }

  results(migrations: FrameFamilyResults["migrations"], timeInViolationMs: number | null): Omit<FrameFamilyResults, "waited"> {
    this.batch.flush();
    const overall = newStageSet();
    for (const meter of this.meters) mergeStageSets(overall, meter.stages);
    mergeStageSets(overall, this.localMeter.stages);
    const measuredSeconds = (this.durationMs - this.warmupMs) / 1000;
    const local = this.localMeter;
    return {
      section: {
        jobs: jobCountsOf(this.counts),
        throughput: measuredSeconds > 0 ? this.counts.completed / measuredSeconds : 0,
        latency: summarizeStageSet(overall),
        latencyCdf: overall.total.cdf(CDF_PROBABILITIES),
        // utilisation: mean fraction of the devices busy running their own frames.
        local: local.served === 0 ? null : { completed: local.served, late: local.late, utilisation: local.utilisation, latency: summarizeStageSet(local.stages) },
        timeSeries: this.series.result(),
      },
      nodes: this.scenario.nodes.map((node, index) => (node.frames === undefined ? null : this.nodeResults(this.meters[index]))),
      groups: this.groupNames.map((group, index) => ({
        group,
        devices: this.groupDevices[index],
        jobs: jobCountsOf(this.groupCounts[index]),
        frames: { latency: { total: (this.groupNames.length === 1 ? overall.total : this.groupTotals[index]).summary() } },
      })),
      migrations,
      timeInViolationMs,
    };
  }

  private nodeResults(meter: NodeMeter): FrameNodeResults {
    return {
      completed: meter.served,
      late: meter.late,
      dropped: 0,
      refused: meter.refused,
      lost: meter.lost,
      utilisation: meter.utilisation,
      meanQueueLength: meter.meanQueueLength,
      meanBusySlots: meter.meanBusySlots,
      latency: summarizeStageSet(meter.stages),
    };
  }
}
