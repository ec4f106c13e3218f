import { STAGES, type StageSet, type StageStats } from "../../metrics/stage-stats.js";
import type { TimeSeriesRecorder } from "../../metrics/time-series.js";
import type { TaskPool } from "./task-pool.js";

/** Completions held before their statistics are updated: 512 x 9 columns, about 30 kB, whatever the node count. */
export const COMPLETION_BATCH = 512;

// `add` writes the six stages by hand in STAGES order, total last: a stage added to STAGES fails this type.
const STAGE_COUNT: 6 = STAGES.length;
const TOTAL = STAGES.indexOf("total");

/**
 * The measured completions of frame traffic, held in columns and added to their statistics
 * (each meter's stage statistics, the time series, the groups' totals) in batches.
 *
 * Adding one completion at a time cost a fifth of `mm1`'s simulation (issue 16): eight
 * statistics updates per frame, each reached through calls whose floating-point arguments V8
 * boxes. A batch is added stage by stage in tight loops instead. Every statistic still receives
 * its values in completion order, so every sum, extreme and sketch is the one the frame-by-frame
 * updates gave. Integer counters are not held: the recorder counts at once.
 */
export class CompletionBatch {
  private count = 0;
  /** Per held completion: its meter's index into `stageTargets` (a node, or the local meter last). */
  private readonly meter = new Int32Array(COMPLETION_BATCH);
  /** Per held completion: its group's total-latency statistics' index, -1 when not kept (one group). */
  private readonly group = new Int32Array(COMPLETION_BATCH);
  private readonly createdAt = new Float64Array(COMPLETION_BATCH);
  private readonly late = new Uint8Array(COMPLETION_BATCH);
  /** Stage-major: stage s of held completion i at s * COMPLETION_BATCH + i, in STAGES order (as `add` takes them). */
  private readonly stages = new Float64Array(COMPLETION_BATCH * STAGE_COUNT);
  /** Per meter, its stage statistics in STAGES order. */
  private readonly stageTargets: StageStats[];

  constructor(
    meters: readonly { readonly stages: StageSet }[],
    private readonly series: TimeSeriesRecorder,
    private readonly groupTotals: readonly StageStats[],
    /** The simulation clock: a completion's total is `clock.now - createdAt`, computed here. */
    private readonly clock: { readonly now: number },
  ) {
    this.stageTargets = meters.flatMap((meter) => STAGES.map((stage) => meter.stages[stage]));
  }

  /**
   * Holds the completion of frame `task` now, its stages read from the pool's columns (the
   * downlink from `enqueuedAt`, where the caller leaves it) and its total `clock.now - createdAt`.
   * `group` is -1 when the groups' totals are not kept. Nothing but integers is passed: seven
   * doubles passed to a call V8 does not inline were seven heap numbers per frame, 80 MB of
   * garbage at 1M frames (issue 16).
   */
  add(meter: number, group: number, pool: TaskPool, task: number, late: boolean): void {
    const i = this.count;
    const stages = this.stages;
    const createdAt = pool.createdAt[task];
    stages[i] = pool.networkUpMs[task];
    stages[COMPLETION_BATCH + i] = pool.queueingMs[task];
    stages[2 * COMPLETION_BATCH + i] = pool.preprocessingMs[task];
    stages[3 * COMPLETION_BATCH + i] = pool.inferenceMs[task];
    stages[4 * COMPLETION_BATCH + i] = pool.enqueuedAt[task];
    stages[5 * COMPLETION_BATCH + i] = this.clock.now - createdAt;
    this.meter[i] = meter;
    this.group[i] = group;
    this.createdAt[i] = createdAt;
    this.late[i] = late ? 1 : 0;
    if (++this.count === COMPLETION_BATCH) this.flush();
  }

  /** Adds every held completion to its statistics and empties the batch. */
  flush(): void {
    const count = this.count;
    this.count = 0;
    const targets = this.stageTargets;
    const meter = this.meter;
    const stages = this.stages;
    for (let stage = 0; stage < STAGE_COUNT; stage++) {
      const base = stage * COMPLETION_BATCH;
      for (let i = 0; i < count; i++) targets[meter[i] * STAGE_COUNT + stage].add(stages[base + i]);
    }
    const totals = TOTAL * COMPLETION_BATCH;
    const series = this.series;
    for (let i = 0; i < count; i++) series.recordCompleted(this.createdAt[i], stages[totals + i], this.late[i] === 1);
    const group = this.group;
    for (let i = 0; i < count; i++) if (group[i] >= 0) this.groupTotals[group[i]].add(stages[totals + i]);
  }
}
