import type { ClusterView, NodeIndex, Scheduler, TaskRequest } from "./types.js";

/** Cycles through the healthy nodes in index order, one request each. */
export function createRoundRobin(): Scheduler {
  let next = 0;
  return {
    name: "round-robin",
    place(_task: TaskRequest, view: ClusterView): NodeIndex {
      for (let tried = 0; tried < view.nodeCount; tried++) {
        const node = (next + tried) % view.nodeCount;
        if (view.isHealthy(node)) {
          next = (node + 1) % view.nodeCount;
          return node;
        }
      }
      const node = next;
      next = (next + 1) % view.nodeCount;
      return node;
    },
  };
}
