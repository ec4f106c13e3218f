import * as z from "zod";
import { builtOnce } from "../scenario/schema-on-use.js";
import { PerformanceProfiler, rawFeatures } from "./node-features.js";
import type { ClusterView, NodeIndex, Scheduler, SchedulerContext, TaskOutcome, TaskRequest } from "./types.js";

export const weightedOptions = builtOnce(() =>
  z.strictObject({
    alpha: z.number().nonnegative().default(1).meta({ description: "Weight of W_cpu (preprocessing time under load)." }),
    beta: z.number().nonnegative().default(1).meta({ description: "Weight of W_ai (inference time under load)." }),
    gamma: z.number().nonnegative().default(1).meta({ description: "Weight of W_nl (network round trip)." }),
  }),
);

/**
 * W = alpha W_cpu + beta W_ai + gamma W_nl, lowest wins (ties to the lowest index).
 *
 * Normalisation: each component is divided by its largest value over the healthy nodes, so it
 * lies in [0, 1] and the worst node scores 1 on it; the weights are divided by their sum
 * (alpha + beta + gamma = 1 after renormalisation). Components are costs in ms from the
 * performance profiler (see node-features.ts), recomputed at every placement, so the scores follow
 * the load.
 */
export function createWeighted(context: SchedulerContext): Scheduler {
  const options = weightedOptions().parse(context.options);
  const sum = options.alpha + options.beta + options.gamma;
  if (!(sum > 0)) throw new RangeError("weighted: alpha + beta + gamma must be positive");
  const weights = [options.alpha / sum, options.beta / sum, options.gamma / sum];
  const profiler = new PerformanceProfiler(context.nodeCount, context.deviceCount);
  const features = new Float64Array(context.nodeCount * 3);
  const scratch = new Float64Array(3);
  return {
    name: "weighted",
    place(task: TaskRequest, view: ClusterView): NodeIndex {
      const max = [0, 0, 0];
      for (let node = 0; node < view.nodeCount; node++) {
        if (!view.isHealthy(node)) continue;
        rawFeatures(profiler, task.device, node, view, scratch);
        for (let k = 0; k < 3; k++) {
          features[node * 3 + k] = scratch[k];
          if (scratch[k] > max[k]) max[k] = scratch[k];
        }
      }
      let best = -1;
      let bestScore = Infinity;
      for (let node = 0; node < view.nodeCount; node++) {
        if (!view.isHealthy(node)) continue;
        let score = 0;
        for (let k = 0; k < 3; k++) score += max[k] > 0 ? (weights[k] * features[node * 3 + k]) / max[k] : 0;
        if (score < bestScore) {
          best = node;
          bestScore = score;
        }
      }
      return best >= 0 ? best : 0;
    },
    observe(outcome: TaskOutcome): void {
      profiler.observe(outcome.device, outcome.node, outcome.preprocessingMs, outcome.inferenceMs);
    },
  };
}
