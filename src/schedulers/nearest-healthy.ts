import type { ClusterView, NodeIndex, Scheduler, TaskRequest } from "./types.js";

/**
 * The placement part of the published Algorithm 1: the healthy node with the least network
 * latency to the device; ties go to the lowest node index. Falls back to the nearest node when
 * none is healthy, so the request is still sent (and its fate counted) rather than vanishing.
 */
export function createNearestHealthy(): Scheduler {
  return {
    name: "nearest-healthy",
    place(task: TaskRequest, view: ClusterView): NodeIndex {
      let best = -1;
      let bestLatency = Infinity;
      let nearest = 0;
      let nearestLatency = Infinity;
      for (let node = 0; node < view.nodeCount; node++) {
        const latency = view.latency(task.device, node);
        if (latency < nearestLatency) {
          nearest = node;
          nearestLatency = latency;
        }
        if (latency < bestLatency && view.isHealthy(node)) {
          best = node;
          bestLatency = latency;
        }
      }
      return best >= 0 ? best : nearest;
    },
  };
}
