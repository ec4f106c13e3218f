import type { ClusterView, NodeIndex, Scheduler, SchedulerContext, TaskRequest } from "./types.js";

/** A healthy node chosen uniformly at random from the scheduler's own stream. */
export function createRandom(context: SchedulerContext): Scheduler {
  const healthy = new Int32Array(context.nodeCount);
  return {
    name: "random",
    place(_task: TaskRequest, view: ClusterView): NodeIndex {
      let count = 0;
      for (let node = 0; node < view.nodeCount; node++) if (view.isHealthy(node)) healthy[count++] = node;
      if (count === 0) return Math.floor(context.random() * view.nodeCount);
      return healthy[Math.floor(context.random() * count)];
    },
  };
}
