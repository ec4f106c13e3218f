import * as z from "zod";
import { builtOnce } from "../scenario/schema-on-use.js";
import { PerformanceProfiler, rawFeatures } from "./node-features.js";
import type { ClusterView, NodeIndex, Scheduler, SchedulerContext, TaskOutcome, TaskRequest } from "./types.js";

export const learnedOptions = builtOnce(() =>
  z.strictObject({
    initial: z
      .strictObject({
        alpha: z.number().default(0),
        beta: z.number().default(0),
        gamma: z.number().default(1),
        bias: z.number().default(0),
      })
      .prefault({})
      .meta({ description: "Starting weights of the CPU, accelerator and network features and the bias. Default: network only (nearest node)." }),
    learningRate: z.number().gt(0).lte(1).default(0.05).meta({ description: "Step of the normalised least-mean-squares update." }),
    exploration: z.number().gte(0).lte(1).default(0.1).meta({ description: "Initial probability of placing on a random healthy node." }),
    explorationHalfLife: z.number().positive().default(2000).meta({ description: "Decisions after which the exploration probability has halved." }),
    violationPenaltyMs: z.number().nonnegative().optional().meta({ description: "Added to the latency of a request that missed the deadline. Default: the deadline." }),
    perDevice: z.boolean().default(false).meta({ description: "One model per device instead of one shared model." }),
    federatedRoundMs: z.number().positive().optional().meta({ description: "With perDevice: average the device models every this many ms (federated averaging)." }),
  }),
);

const FEATURES = 4;
/** Decisions remembered until their outcome arrives (in-flight requests beyond this are not learned from). */
const MEMORY = 1 << 16;

/**
 * The weighted score with learned weights: a linear model predicts a request's total latency
 * from the profiler's features (CPU time, accelerator time, network round trip, all under load,
 * in ms, plus a bias) and the node with the lowest prediction wins; with probability epsilon
 * (halving every `explorationHalfLife` decisions) a random healthy node is tried instead.
 * Learning is a normalised least-mean-squares step towards the observed latency (plus a penalty
 * when the deadline was missed): w += rate * (target - w.x) * x / (1 + |x|^2), stable whatever the
 * scale of the features. With `perDevice`, each device learns its own weights; every
 * `federatedRoundMs` the device models are replaced by their average (federated averaging),
 * counting 2 x devices x 4 parameters x 8 bytes per round.
 */
export function createLearned(context: SchedulerContext): Scheduler {
  const options = learnedOptions().parse(context.options);
  const models = options.perDevice ? context.deviceCount : 1;
  const weights = new Float64Array(models * FEATURES);
  for (let m = 0; m < models; m++) {
    weights.set([options.initial.alpha, options.initial.beta, options.initial.gamma, options.initial.bias], m * FEATURES);
  }
  const profiler = new PerformanceProfiler(context.nodeCount, context.deviceCount);
  const remembered = new Float64Array(MEMORY * FEATURES);
  const rememberedSequence = new Float64Array(MEMORY).fill(-1);
  const x = new Float64Array(FEATURES);
  let decisions = 0;
  let nextRound = options.federatedRoundMs ?? Infinity;
  let rounds = 0;
  let bytesExchanged = 0;
  let observed = 0;
  let deadlineMs = 0;

  const modelOf = (device: number) => (options.perDevice ? device : 0) * FEATURES;
  const predict = (offset: number, features: Float64Array) => {
    let sum = 0;
    for (let k = 0; k < FEATURES; k++) sum += weights[offset + k] * features[k];
    return sum;
  };

  function average(): void {
    for (let k = 0; k < FEATURES; k++) {
      let sum = 0;
      for (let m = 0; m < models; m++) sum += weights[m * FEATURES + k];
      for (let m = 0; m < models; m++) weights[m * FEATURES + k] = sum / models;
    }
    rounds++;
    bytesExchanged += 2 * models * FEATURES * 8;
  }

  return {
    name: "learned",
    learned: true,
    place(task: TaskRequest, view: ClusterView): NodeIndex {
      deadlineMs = view.qosDeadlineMs;
      const epsilon = options.exploration * 0.5 ** (decisions / options.explorationHalfLife);
      decisions++;
      let chosen = -1;
      if (context.random() < epsilon) {
        let healthy = 0;
        for (let node = 0; node < view.nodeCount; node++) if (view.isHealthy(node)) healthy++;
        let pick = Math.floor(context.random() * healthy);
        for (let node = 0; node < view.nodeCount && chosen < 0; node++) if (view.isHealthy(node) && pick-- === 0) chosen = node;
      } else {
        const offset = modelOf(task.device);
        let best = Infinity;
        for (let node = 0; node < view.nodeCount; node++) {
          if (!view.isHealthy(node)) continue;
          rawFeatures(profiler, task.device, node, view, x);
          x[3] = 1;
          const predicted = predict(offset, x);
          if (predicted < best) {
            best = predicted;
            chosen = node;
          }
        }
      }
      if (chosen < 0) chosen = 0;
      rawFeatures(profiler, task.device, chosen, view, x);
      x[3] = 1;
      const slot = task.sequence % MEMORY;
      remembered.set(x, slot * FEATURES);
      rememberedSequence[slot] = task.sequence;
      return chosen;
    },
    observe(outcome: TaskOutcome): void {
      profiler.observe(outcome.device, outcome.node, outcome.preprocessingMs, outcome.inferenceMs);
      const finishedAt = outcome.createdAt + outcome.totalMs;
      if (options.perDevice && finishedAt >= nextRound) {
        average();
        while (nextRound <= finishedAt) nextRound += options.federatedRoundMs as number;
      }
      const slot = outcome.sequence % MEMORY;
      if (rememberedSequence[slot] !== outcome.sequence) return;
      const features = remembered.subarray(slot * FEATURES, slot * FEATURES + FEATURES);
      const offset = modelOf(outcome.device);
      const penalty = outcome.violatedQos ? (options.violationPenaltyMs ?? deadlineMs) : 0;
      const error = outcome.totalMs + penalty - predict(offset, features);
      let norm = 1;
      for (let k = 0; k < FEATURES; k++) norm += features[k] * features[k];
      for (let k = 0; k < FEATURES; k++) weights[offset + k] += (options.learningRate * error * features[k]) / norm;
      observed++;
    },
    statistics(): Record<string, number> {
      const stats: Record<string, number> = { decisions, observed, federatedRounds: rounds, federatedBytes: bytesExchanged };
      const names = ["alpha", "beta", "gamma", "bias"];
      for (let k = 0; k < FEATURES; k++) {
        let sum = 0;
        for (let m = 0; m < models; m++) sum += weights[m * FEATURES + k];
        stats[`weight.${names[k]}`] = sum / models;
      }
      return stats;
    },
  };
}
