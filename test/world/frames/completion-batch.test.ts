import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../src/engine/rng.js";
import { newStageSet, StageStats, STAGES, summarizeStageSet } from "../../../src/metrics/stage-stats.js";
import { TimeSeriesRecorder } from "../../../src/metrics/time-series.js";
import { COMPLETION_BATCH, CompletionBatch } from "../../../src/world/frames/completion-batch.js";
import { TaskPool } from "../../../src/world/frames/task-pool.js";

/** One completion: meter, group (-1: none kept), createdAt, its six stages in STAGES order, late. */
interface Completion {
  meter: number;
  group: number;
  createdAt: number;
  stages: number[];
  late: boolean;
}

function completions(count: number, meters: number, groups: number): Completion[] {
  const u = new RandomStreams(7).stream("completions");
  return Array.from({ length: count }, (_, i) => {
    // Zeros, repeats and spread values: what the stages of a run hold (constant network, waits of 0).
    const stages = STAGES.map((_, s) => (s % 2 === 0 && u() < 0.5 ? 0 : -Math.log(1 - u()) * (s + 1)));
    return { meter: Math.floor(u() * meters), group: groups > 1 ? i % groups : -1, createdAt: i * 3.7, stages, late: u() < 0.1 };
  });
}

/** Feeds a completion as frame traffic does: its stages in a pool record, the downlink in enqueuedAt, the clock at createdAt + total. */
function feeder(batch: CompletionBatch, clock: { now: number }): (meter: number, group: number, createdAt: number, stages: number[], late: boolean) => void {
  const pool = new TaskPool(16);
  return (meter, group, createdAt, stages, late) => {
    const task = pool.allocate();
    pool.createdAt[task] = createdAt;
    pool.networkUpMs[task] = stages[0];
    pool.queueingMs[task] = stages[1];
    pool.preprocessingMs[task] = stages[2];
    pool.inferenceMs[task] = stages[3];
    pool.enqueuedAt[task] = stages[4];
    clock.now = createdAt + stages[5];
    batch.add(meter, group, pool, task, late);
    pool.release(task);
  };
}

describe("CompletionBatch", () => {
  // The oracle: every statistic fed one value at a time, in completion order (what NodeMeter.record did).
  it("leaves every statistic as adding each completion at once did, across batch boundaries", () => {
    const meters = 3;
    const groups = 2;
    const list = completions(COMPLETION_BATCH * 2 + 37, meters, groups);

    const direct = Array.from({ length: meters }, () => newStageSet());
    const directSeries = new TimeSeriesRecorder(0, 10_000, 1000);
    const directGroups = Array.from({ length: groups }, () => new StageStats());
    for (const c of list) {
      // The total as the batch measures it: the clock at completion minus createdAt.
      c.stages[5] = c.createdAt + c.stages[5] - c.createdAt;
      STAGES.forEach((stage, s) => {
        direct[c.meter][stage].add(c.stages[s]);
      });
      directSeries.recordCompleted(c.createdAt, c.stages[5], c.late);
      if (c.group >= 0) directGroups[c.group].add(c.stages[5]);
    }

    const batched = Array.from({ length: meters }, () => ({ stages: newStageSet() }));
    const series = new TimeSeriesRecorder(0, 10_000, 1000);
    const groupTotals = Array.from({ length: groups }, () => new StageStats());
    const clock = { now: 0 };
    const batch = new CompletionBatch(batched, series, groupTotals, clock);
    const add = feeder(batch, clock);
    for (const c of list) add(c.meter, c.group, c.createdAt, c.stages, c.late);
    batch.flush();

    for (let m = 0; m < meters; m++) {
      // toStrictEqual on the summaries compares every double exactly (sums, extremes, sketch quantiles).
      expect(summarizeStageSet(batched[m].stages)).toStrictEqual(summarizeStageSet(direct[m]));
      expect(batched[m].stages.total.cdf([0.1, 0.5, 0.9, 0.999])).toStrictEqual(direct[m].total.cdf([0.1, 0.5, 0.9, 0.999]));
    }
    expect(series.result()).toStrictEqual(directSeries.result());
    for (let g = 0; g < groups; g++) expect(groupTotals[g].summary()).toStrictEqual(directGroups[g].summary());
    expect(batched.reduce((sum, meter) => sum + meter.stages.total.count, 0)).toBe(list.length);
  });

  it("holds completions until a batch fills or flush is called", () => {
    const meter = { stages: newStageSet() };
    const clock = { now: 0 };
    const batch = new CompletionBatch([meter], new TimeSeriesRecorder(0, 1000, 1000), [], clock);
    const add = feeder(batch, clock);
    for (let i = 0; i < COMPLETION_BATCH - 1; i++) add(0, -1, 0, [0, 1, 0, 2, 0, 3], false);
    expect(meter.stages.total.count).toBe(0);
    add(0, -1, 0, [0, 1, 0, 2, 0, 3], false);
    expect(meter.stages.total.count).toBe(COMPLETION_BATCH);
    add(0, -1, 0, [0, 1, 0, 2, 0, 5], true);
    batch.flush();
    expect(meter.stages.total.count).toBe(COMPLETION_BATCH + 1);
    expect(meter.stages.total.summary().max).toBe(5);
    expect(meter.stages.queueing.summary().mean).toBe(1);
    // A second flush with nothing held changes nothing.
    batch.flush();
    expect(meter.stages.total.count).toBe(COMPLETION_BATCH + 1);
  });
});
