import * as z from "zod";
import { builtOnce } from "../../scenario/schema-on-use.js";
import { durationSchema } from "../../random/distribution-spec.js";
import type { QueryRouter, RouteMode, RouteOutcome, RouterFactory } from "./types.js";

export const learnedRouterOptions = builtOnce(() =>
  z.strictObject({
    modes: z
      .union([z.tuple([z.literal("local"), z.literal("cloud")]), z.tuple([z.literal("local"), z.literal("collaborative"), z.literal("cloud")])])
      .optional()
      .meta({ description: 'Routes in increasing complexity: ["local", "cloud"] learns one threshold (default), ["local", "collaborative", "cloud"] two.' }),
    initialThresholds: z.array(z.number().gte(0).lte(1)).min(1).max(2).optional().meta({
      description: "Where learning starts: one threshold, or [lower, upper] with three modes. Default: 1 (everything local), or [1, 1].",
    }),
    bins: z.number().int().min(2).max(100).optional().meta({ description: "Complexity bins the utility is estimated in. Default 10." }),
    epsilon: z.number().gte(0).lte(1).optional().meta({ description: "Share of queries sent on a uniformly random route to keep learning. Default 0.1." }),
    updateEvery: z.number().int().positive().optional().meta({ description: "Observations between re-derivations of the thresholds. Default 20." }),
    violationPenalty: z.number().nonnegative().optional().meta({ description: "Utility lost by a missed deadline. Default 1 (one good answer)." }),
    usdPerGoodAnswer: z
      .number()
      .positive()
      .optional()
      .meta({ description: "Money worth one good answer: utility = good - violationPenalty x violated - cost / this - cloudPenalty x reachedCloud. Default 0.01." }),
    latencyPenaltyPerSecond: z.number().nonnegative().optional().meta({ description: "Utility lost per second of total latency, beyond the deadline penalty. Default 0." }),
    cloudPenalty: z.number().nonnegative().optional().meta({ description: "Utility lost when a prompt (or its condensed form) reaches the cloud: the price put on privacy. Default 0." }),
    scope: z.enum(["global", "device"]).optional().meta({ description: "One learner at the gateway (global, default) or one per device." }),
    federatedInterval: durationSchema.optional().meta({ description: "With scope device: average the devices' statistics every interval (federated averaging; the bytes are counted)." }),
  }),
);

type Options = z.output<ReturnType<typeof learnedRouterOptions>>;

/** Per complexity bin and route: observations and summed utility. */
class UtilityTable {
  readonly count: Float64Array;
  readonly sum: Float64Array;
  thresholds: number[];

  constructor(
    readonly bins: number,
    readonly modes: readonly RouteMode[],
    initial: number[],
  ) {
    this.count = new Float64Array(bins * modes.length);
    this.sum = new Float64Array(bins * modes.length);
    this.thresholds = initial;
  }

  add(bin: number, mode: number, utility: number): void {
    this.count[bin * this.modes.length + mode]++;
    this.sum[bin * this.modes.length + mode] += utility;
  }

  /** Mean utility, shrunk towards 0 by one pseudo-observation so an untried route is neither favoured nor ruled out. */
  mean(bin: number, mode: number): number {
    const i = bin * this.modes.length + mode;
    return this.sum[i] / (this.count[i] + 1);
  }

  binWeight(bin: number): number {
    let n = 0;
    for (let m = 0; m < this.modes.length; m++) n += this.count[bin * this.modes.length + m];
    return n;
  }

  /**
   * The thresholds (multiples of 1/bins) that maximise the frequency-weighted utility of a
   * monotone policy: lower modes below, higher above. Ties keep the candidate nearest the current
   * thresholds, so the estimate does not wander on noise.
   */
  derive(): void {
    const B = this.bins;
    const score = (cuts: number[]): number => {
      let total = 0;
      for (let b = 0; b < B; b++) {
        let mode = 0;
        while (mode < cuts.length && b >= cuts[mode]) mode++;
        total += this.binWeight(b) * this.mean(b, mode);
      }
      return total;
    };
    const current = this.thresholds.map((t) => Math.round(t * B));
    let best: number[] = current;
    let bestScore = score(current);
    const consider = (cuts: number[]): void => {
      const s = score(cuts);
      const distance = cuts.reduce((d, c, i) => d + Math.abs(c - current[i]), 0);
      const bestDistance = best.reduce((d, c, i) => d + Math.abs(c - current[i]), 0);
      if (s > bestScore + 1e-12 || (Math.abs(s - bestScore) <= 1e-12 && distance < bestDistance)) {
        best = cuts;
        bestScore = s;
      }
    };
    if (this.modes.length === 2) for (let k = 0; k <= B; k++) consider([k]);
    else for (let k1 = 0; k1 <= B; k1++) for (let k2 = k1; k2 <= B; k2++) consider([k1, k2]);
    this.thresholds = best.map((k) => k / B);
  }

  route(complexity: number): number {
    let mode = 0;
    while (mode < this.thresholds.length && complexity >= this.thresholds[mode]) mode++;
    return mode;
  }
}

/**
 * Learns where to cut: per complexity bin it estimates each route's utility (a good answer,
 * minus a missed deadline, money, and optionally latency and the privacy of the cloud) from the
 * outcomes it observes, and routes by the
 * threshold(s) that maximise the estimated utility; an epsilon share of queries explores. With
 * one learner per device, federated averaging pools the devices' statistics every interval.
 */
export const createLearnedRouter: RouterFactory = (context) => {
  const options: Options = learnedRouterOptions().parse(context.options);
  const modes: readonly RouteMode[] = options.modes ?? ["local", "cloud"];
  const bins = options.bins ?? 10;
  const initial = options.initialThresholds ?? (modes.length === 2 ? [1] : [1, 1]);
  if (initial.length !== modes.length - 1) throw new Error(`learned-router: initialThresholds needs ${modes.length - 1} value(s) for ${modes.length} modes`);
  const epsilon = options.epsilon ?? 0.1;
  const updateEvery = options.updateEvery ?? 20;
  const violationPenalty = options.violationPenalty ?? 1;
  const usdPerGoodAnswer = options.usdPerGoodAnswer ?? 0.01;
  const cloudPenalty = options.cloudPenalty ?? 0;
  const latencyPenaltyPerSecond = options.latencyPenaltyPerSecond ?? 0;
  const perDevice = options.scope === "device";
  const tables = Array.from({ length: perDevice ? context.deviceCount : 1 }, () => new UtilityTable(bins, modes, [...initial]));
  const sinceUpdate = new Int32Array(tables.length);
  const roundMs = options.federatedInterval;
  let nextRound = roundMs ?? Infinity;
  let rounds = 0;
  let bytes = 0;
  let observed = 0;
  let explored = 0;
  const history: number[] = [];
  const modeIndex = new Map(modes.map((mode, i) => [mode, i]));
  const tableOf = (deviceIndex: number): UtilityTable => tables[perDevice ? deviceIndex : 0];
  const binOf = (complexity: number): number => Math.min(bins - 1, Math.floor(complexity * bins));
  const meanThresholds = (): number[] => initial.map((_, k) => tables.reduce((s, t) => s + t.thresholds[k], 0) / tables.length);

  const federate = (): void => {
    const count = new Float64Array(tables[0].count.length);
    const sum = new Float64Array(tables[0].sum.length);
    for (const table of tables) {
      for (let i = 0; i < count.length; i++) {
        count[i] += table.count[i];
        sum[i] += table.sum[i];
      }
    }
    for (const table of tables) {
      for (let i = 0; i < count.length; i++) {
        table.count[i] = count[i] / tables.length;
        table.sum[i] = sum[i] / tables.length;
      }
      table.derive();
    }
    rounds++;
    // Each device uploads its table and downloads the average: count and sum per cell, 8 bytes each.
    bytes += 2 * tables.length * count.length * 2 * 8;
  };

  const router: QueryRouter = {
    name: "learned-router",
    learned: true,
    route(query) {
      if (epsilon > 0 && context.random() < epsilon) {
        explored++;
        return modes[Math.min(modes.length - 1, Math.floor(context.random() * modes.length))];
      }
      return modes[tableOf(query.deviceIndex).route(query.complexity)];
    },
    observe(outcome: RouteOutcome) {
      const mode = modeIndex.get(outcome.mode);
      if (mode === undefined) return;
      if (perDevice && roundMs !== undefined) {
        while (nextRound <= outcome.at) {
          federate();
          nextRound += roundMs;
        }
      }
      const t = perDevice ? outcome.deviceIndex : 0;
      const utility = routeUtility(outcome, { violationPenalty, usdPerGoodAnswer, cloudPenalty, latencyPenaltyPerSecond });
      tables[t].add(binOf(outcome.complexity), mode, utility);
      observed++;
      if (++sinceUpdate[t] >= updateEvery) {
        sinceUpdate[t] = 0;
        tables[t].derive();
        if (history.length < 10_000) history.push(meanThresholds()[0]);
      }
    },
    statistics() {
      const final = meanThresholds();
      const stats: Record<string, number | number[]> = {
        observed,
        explored,
        initialThreshold: initial[0],
        finalThreshold: final[0],
        federatedRounds: rounds,
        federatedBytes: bytes,
      };
      if (modes.length === 3) {
        stats.initialUpperThreshold = initial[1];
        stats.finalUpperThreshold = final[1];
      }
      // The lower threshold after each update, thinned to at most 50 points.
      const step = Math.max(1, Math.ceil(history.length / 50));
      stats.thresholdHistory = history.filter((_, i) => i % step === 0);
      return stats;
    },
  };
  return router;
};

/** What one finished query was worth to the user, in good answers. */
export function routeUtility(outcome: RouteOutcome, weights: { violationPenalty: number; usdPerGoodAnswer: number; cloudPenalty: number; latencyPenaltyPerSecond: number }): number {
  // A refused query has no latency; its violation penalty stands for it.
  const seconds = Number.isNaN(outcome.totalMs) ? 0 : outcome.totalMs / 1000;
  return (
    (outcome.good ? 1 : 0) -
    (outcome.violated ? weights.violationPenalty : 0) -
    outcome.costUsd / weights.usdPerGoodAnswer -
    (outcome.reachedCloud ? weights.cloudPenalty : 0) -
    weights.latencyPenaltyPerSecond * seconds
  );
}
