import type { RouteMode } from "./routers/types.js";
import { COARSE_BUCKETS_PER_OCTAVE, QuantileSketch } from "../metrics/sketch.js";

/** One bin of queries by creation time. */
export interface LlmTimeBin {
  startMs: number;
  completed: number;
  refused: number;
  /** Lost to node crashes. */
  lost: number;
  late: number;
  /** Created in this bin, still in flight when the run ended and already past a deadline. */
  unfinishedLate: number;
  violationRate: number | null;
  ttftP50: number | null;
  ttftP95: number | null;
  totalP95: number | null;
  /** Shares of the bin's ended queries (completed, refused or lost). */
  shareLocal: number | null;
  shareToCloud: number | null;
  apiUsd: number;
  /** Mean P(good answer) of the bin's completed queries. */
  meanQuality: number | null;
}

export interface LlmTimeSeries {
  binMs: number;
  bins: LlmTimeBin[];
}

interface BinCounters {
  completed: number;
  refused: number;
  lost: number;
  late: number;
  unfinishedLate: number;
  local: number;
  toCloud: number;
  apiUsd: number;
  quality: number;
  ttft: QuantileSketch | undefined;
  total: QuantileSketch | undefined;
}

/** An ended query as the time series reads it (the meter's EndedQuery: no object is built per query). */
export interface SeriesQuery {
  readonly refused: boolean;
  readonly lost: boolean;
  /** Missed a deadline. */
  readonly violated: boolean;
  readonly ttftMs: number;
  readonly totalMs: number;
  readonly mode: RouteMode;
  /** Prompt tokens that reached the cloud node (> 0: the query reached it). */
  readonly cloudPrompt: number;
  readonly costUsd: number;
  readonly quality: number;
}

/** Measured queries binned by creation time over [startMs, endMs): how a run evolves (saturation, learning). Quantiles use the coarse sketch (2%). */
export class LlmTimeSeriesRecorder {
  private readonly bins: BinCounters[];

  constructor(
    readonly startMs: number,
    readonly endMs: number,
    readonly binMs: number,
  ) {
    const count = Math.max(1, Math.ceil((endMs - startMs) / binMs));
    this.bins = Array.from({ length: count }, () => ({
      completed: 0,
      refused: 0,
      lost: 0,
      late: 0,
      unfinishedLate: 0,
      local: 0,
      toCloud: 0,
      apiUsd: 0,
      quality: 0,
      ttft: undefined,
      total: undefined,
    }));
  }

  private bin(createdAt: number): BinCounters {
    const index = Math.floor((createdAt - this.startMs) / this.binMs);
    return this.bins[index < 0 ? 0 : index >= this.bins.length ? this.bins.length - 1 : index];
  }

  record(createdAt: number, query: SeriesQuery): void {
    const bin = this.bin(createdAt);
    if (query.mode === "local") bin.local++;
    if (query.cloudPrompt > 0) bin.toCloud++;
    bin.apiUsd += query.costUsd;
    if (query.refused || query.lost) {
      if (query.refused) bin.refused++;
      else bin.lost++;
      return;
    }
    bin.completed++;
    if (query.violated) bin.late++;
    bin.quality += query.quality;
    bin.ttft ??= new QuantileSketch(COARSE_BUCKETS_PER_OCTAVE);
    bin.total ??= new QuantileSketch(COARSE_BUCKETS_PER_OCTAVE);
    bin.ttft.add(query.ttftMs);
    bin.total.add(query.totalMs);
  }

  recordUnfinishedLate(createdAt: number): void {
    this.bin(createdAt).unfinishedLate++;
  }

  result(): LlmTimeSeries {
    return {
      binMs: this.binMs,
      bins: this.bins.map((b, i) => {
        const ended = b.completed + b.refused + b.lost;
        const attempts = ended + b.unfinishedLate;
        return {
          startMs: this.startMs + i * this.binMs,
          completed: b.completed,
          refused: b.refused,
          lost: b.lost,
          late: b.late,
          unfinishedLate: b.unfinishedLate,
          violationRate: attempts === 0 ? null : (b.late + b.refused + b.lost + b.unfinishedLate) / attempts,
          ttftP50: b.ttft === undefined ? null : b.ttft.quantile(0.5),
          ttftP95: b.ttft === undefined ? null : b.ttft.quantile(0.95),
          totalP95: b.total === undefined ? null : b.total.quantile(0.95),
          shareLocal: ended === 0 ? null : b.local / ended,
          shareToCloud: ended === 0 ? null : b.toCloud / ended,
          apiUsd: b.apiUsd,
          meanQuality: b.completed === 0 ? null : b.quality / b.completed,
        };
      }),
    };
  }
}
