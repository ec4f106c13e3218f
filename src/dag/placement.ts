import { DEVICE_END, type DagApplication, ON_DEVICE, type Place } from "./types.js";

/** What a placement policy may ask about a job about to start: expected times, ms. */
export interface PlacementEstimates {
  /** Expected time of `bytes` from one place to another for this job's device; 0 between a place and itself. */
  transferMs(from: Place, to: Place, bytes: number): number;
  /** Expected wait of stage `stage` at its host `host` (an index into the stage's hosts). */
  waitMs(stage: number, host: number): number;
}

/** Chooses a host per stage (an index into each stage's hosts, by stage index) for one job. */
export type PlacementPolicy = (app: DagApplication, estimates: PlacementEstimates) => Int32Array;

/**
 * Assignments the whole-graph policy enumerates before it stops being exhaustive: the product of
 * the stages' host counts (3 stages on device, edge and cloud = 27; 6 stages on 4 places = 4,096).
 * Placement runs at every job's arrival, so this bounds the work per job (each assignment costs one
 * pass over the edges).
 */
export const WHOLE_GRAPH_EXHAUSTIVE_LIMIT = 4096;

/**
 * Expected end-to-end latency of one assignment: each stage starts when its last input is
 * expected in (its predecessors' expected finish plus the edge's transfer, a source edge leaving
 * the device at 0), then waits and serves for their expected times; the job ends when the last
 * sink edge is back on the device. `finish` receives each stage's expected finish.
 */
export function expectedLatencyMs(app: DagApplication, hosts: Int32Array, estimates: PlacementEstimates, finish = new Float64Array(app.stages.length)): number {
  for (const s of app.order) finish[s] = expectedFinishMs(app, s, hosts[s], hosts, finish, estimates);
  let end = 0;
  for (const k of app.sinkEdges) {
    const edge = app.edges[k];
    const from = app.stages[edge.from].hosts[hosts[edge.from]].place;
    end = Math.max(end, finish[edge.from] + estimates.transferMs(from, ON_DEVICE, edge.bytes));
  }
  return end;
}

/** Expected finish of stage `s` on its host `host`, its predecessors' finishes known (in `finish`, places from `hosts`). */
function expectedFinishMs(app: DagApplication, s: number, host: number, hosts: Int32Array, finish: Float64Array, estimates: PlacementEstimates): number {
  const stage = app.stages[s];
  const place = stage.hosts[host].place;
  let ready = 0;
  for (const k of stage.inputs) {
    const edge = app.edges[k];
    const fromPlace = edge.from === DEVICE_END ? ON_DEVICE : app.stages[edge.from].hosts[hosts[edge.from]].place;
    const fromFinish = edge.from === DEVICE_END ? 0 : finish[edge.from];
    ready = Math.max(ready, fromFinish + estimates.transferMs(fromPlace, place, edge.bytes));
  }
  return ready + estimates.waitMs(s, host) + stage.hosts[host].meanServiceMs;
}

/**
 * Per stage (greedy): in topological
 * order, each stage on the host where it is expected to finish first given where its inputs were
 * placed (transfer in + expected wait + mean service). It does not look ahead: the sink edge's way
 * back and the successors' costs do not count.
 */
export const perStagePlacement: PlacementPolicy = (app, estimates) => {
  const hosts = new Int32Array(app.stages.length);
  const finish = new Float64Array(app.stages.length);
  for (const s of app.order) {
    let best = -1;
    let bestFinish = Infinity;
    for (let h = 0; h < app.stages[s].hosts.length; h++) {
      const at = expectedFinishMs(app, s, h, hosts, finish, estimates);
      // Strictly lower only: a tie keeps the earlier place.
      if (best < 0 || at < bestFinish) {
        best = h;
        bestFinish = at;
      }
    }
    hosts[s] = best;
    finish[s] = bestFinish;
  }
  return hosts;
};

/**
 * Whole graph: the assignment with the lowest expected end-to-end latency (expectedLatencyMs).
 * Exhaustive while the assignments number at most `limit`, enumerated with the first stage in
 * topological order varying slowest and each stage's hosts in place order (DagStage.hosts), so a tie goes to the
 * assignment whose earliest differing stage is on the earlier place. Beyond `limit` it is a local
 * search: it starts from the per-stage placement and
 * moves one stage at a time (topological order, place order) to any host that lowers the
 * expected latency, sweeping until a sweep changes nothing; every move lowers a finite sum, so it
 * ends, at an assignment no single move improves (not necessarily the optimum).
 */
export function wholeGraphPlacement(limit = WHOLE_GRAPH_EXHAUSTIVE_LIMIT): PlacementPolicy {
  return (app, estimates) => {
    let assignments = 1;
    for (const stage of app.stages) assignments *= stage.hosts.length;
    return assignments <= limit ? exhaustive(app, estimates) : localSearch(app, estimates);
  };
}

function exhaustive(app: DagApplication, estimates: PlacementEstimates): Int32Array {
  const order = app.order;
  const counts = order.map((s) => app.stages[s].hosts.length);
  const digit = new Int32Array(order.length);
  const hosts = new Int32Array(app.stages.length);
  const finish = new Float64Array(app.stages.length);
  let best: Int32Array | undefined;
  let bestLatency = Infinity;
  for (;;) {
    for (let i = 0; i < order.length; i++) hosts[order[i]] = digit[i];
    const latency = expectedLatencyMs(app, hosts, estimates, finish);
    if (best === undefined || latency < bestLatency) {
      best = hosts.slice();
      bestLatency = latency;
    }
    // Odometer, the last stage in topological order turning fastest.
    let i = order.length - 1;
    while (i >= 0 && ++digit[i] === counts[i]) digit[i--] = 0;
    if (i < 0) return best;
  }
}

function localSearch(app: DagApplication, estimates: PlacementEstimates): Int32Array {
  const hosts = perStagePlacement(app, estimates);
  const finish = new Float64Array(app.stages.length);
  let latency = expectedLatencyMs(app, hosts, estimates, finish);
  let moved = true;
  while (moved) {
    moved = false;
    for (const s of app.order) {
      for (let h = 0; h < app.stages[s].hosts.length; h++) {
        if (h === hosts[s]) continue;
        const was = hosts[s];
        hosts[s] = h;
        const trial = expectedLatencyMs(app, hosts, estimates, finish);
        if (trial < latency) {
          latency = trial;
          moved = true;
        } else hosts[s] = was;
      }
    }
  }
  return hosts;
}
