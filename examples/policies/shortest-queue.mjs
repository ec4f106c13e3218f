// An example policy module for continuum-sim: the healthy node with the shortest expected wait
// (queue + busy slots, per slot), optionally biased towards one node by `preferNode`.
// Use it from a scenario:
//   "policies": [{ "policy": "module", "path": "../examples/policies/shortest-queue.mjs",
//                    "options": { "preferNode": "coral", "bias": 0.5 } }]
// The types are in the package: import type { SchedulerFactory } from "continuum-sim".

/** @type {import("continuum-sim").SchedulerFactory} */
export default function createScheduler(context) {
  const preferNode = typeof context.options.preferNode === "string" ? context.options.preferNode : undefined;
  const bias = typeof context.options.bias === "number" ? context.options.bias : 0;
  let placements = 0;
  return {
    name: "shortest-queue",
    place(_task, view) {
      placements++;
      let best = -1;
      let bestScore = Infinity;
      for (let node = 0; node < view.nodeCount; node++) {
        if (!view.isHealthy(node)) continue;
        let score = (view.queueLength(node) + view.busySlots(node)) / view.slots(node);
        if (preferNode !== undefined && view.nodeId(node) === preferNode) score -= bias;
        if (score < bestScore) {
          best = node;
          bestScore = score;
        }
      }
      return best >= 0 ? best : 0;
    },
    statistics() {
      return { placements };
    },
  };
}
