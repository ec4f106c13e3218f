import type { ClusterView, NodeIndex, Scheduler, TaskRequest } from "./types.js";

/** The healthy node with the fewest outstanding requests (placed, not yet answered); ties to the lowest index. */
export function createLeastLoaded(): Scheduler {
  return {
    name: "least-loaded",
    place(_task: TaskRequest, view: ClusterView): NodeIndex {
      // A view that tracks the minimum answers at once (frames: a tournament tree), else the scan below.
      const least = view.leastOutstanding === undefined ? -1 : view.leastOutstanding();
      if (least >= 0) return least;
      let best = -1;
      let bestLoad = Infinity;
      for (let node = 0; node < view.nodeCount; node++) {
        if (!view.isHealthy(node)) continue;
        const load = view.outstanding(node);
        if (load < bestLoad) {
          best = node;
          bestLoad = load;
        }
      }
      return best >= 0 ? best : 0;
    },
  };
}
