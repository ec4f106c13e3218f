import type { ClusterView, NodeIndex, Scheduler, TaskRequest } from "./types.js";

/** Every request to the nearest healthy cloud node (ties to the lowest index); the scenario must have one. */
export function createCloudOnly(): Scheduler {
  return {
    name: "cloud-only",
    place(task: TaskRequest, view: ClusterView): NodeIndex {
      let best = -1;
      let fallback = -1;
      for (let node = 0; node < view.nodeCount; node++) {
        if (!view.isCloud(node)) continue;
        if (fallback < 0 || view.latency(task.device, node) < view.latency(task.device, fallback)) fallback = node;
        if (view.isHealthy(node) && (best < 0 || view.latency(task.device, node) < view.latency(task.device, best))) best = node;
      }
      // No healthy cloud node: still send to the nearest cloud node, where the request is lost.
      return best >= 0 ? best : fallback;
    },
  };
}
