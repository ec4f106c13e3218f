import type { ClusterView, DeviceIndex, Migration, NodeIndex, Scheduler, SchedulerContext, TaskRequest } from "./types.js";

/**
 * The published Algorithm 1 in full: each device's inference session is placed on the nearest
 * healthy node, then a monitor checks every node at each tick. A node that cannot guarantee the
 * QoS — known unhealthy, or its recent p95 total latency over the deadline — is made unreachable
 * for new placements for the cool-down, and each of its sessions migrates to the nearest
 * reachable healthy node by the same placement function. A session moves at most once per
 * cool-down, so it cannot oscillate between two struggling nodes.
 */
export function createNearestHealthyQos(context: SchedulerContext): Scheduler {
  const session = new Int32Array(context.deviceCount).fill(-1);
  const lastMigration = new Float64Array(context.deviceCount).fill(-Infinity);
  const unreachableUntil = new Float64Array(context.nodeCount).fill(-Infinity);
  const cooldown = context.monitorCooldownMs;

  function nearestReachable(device: DeviceIndex, view: ClusterView): NodeIndex {
    let best = -1;
    let bestLatency = Infinity;
    for (let node = 0; node < view.nodeCount; node++) {
      if (!view.isHealthy(node) || view.now < unreachableUntil[node]) continue;
      const latency = view.latency(device, node);
      if (latency < bestLatency) {
        best = node;
        bestLatency = latency;
      }
    }
    return best;
  }

  return {
    name: "nearest-healthy-qos",
    place(task: TaskRequest, view: ClusterView): NodeIndex {
      const current = session[task.device];
      if (current >= 0 && view.isHealthy(current)) return current;
      const chosen = nearestReachable(task.device, view);
      // Every node out of reach: keep (or take) the nearest at all rather than drop the request here.
      const node = chosen >= 0 ? chosen : current >= 0 ? current : nearestAtAll(task.device, view);
      session[task.device] = node;
      return node;
    },
    monitor(view: ClusterView): Migration[] {
      const migrations: Migration[] = [];
      for (let node = 0; node < view.nodeCount; node++) {
        const healthy = view.isHealthy(node);
        const recent = view.recentLatency(node);
        const slow = recent > view.qosDeadlineMs;
        if (healthy && !slow) continue;
        unreachableUntil[node] = view.now + cooldown;
        const reason = healthy ? `recent p95 ${recent.toFixed(1)} ms over the ${view.qosDeadlineMs} ms deadline` : "node unhealthy";
        for (let device = 0; device < view.deviceCount; device++) {
          if (session[device] !== node || view.now - lastMigration[device] < cooldown) continue;
          const target = nearestReachable(device, view);
          if (target < 0 || target === node) continue;
          migrations.push({ device, from: node, to: target, reason });
          session[device] = target;
          lastMigration[device] = view.now;
        }
      }
      return migrations;
    },
  };
}

function nearestAtAll(device: DeviceIndex, view: ClusterView): NodeIndex {
  let best = 0;
  for (let node = 1; node < view.nodeCount; node++) if (view.latency(device, node) < view.latency(device, best)) best = node;
  return best;
}
