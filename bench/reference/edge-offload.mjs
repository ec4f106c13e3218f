// Hand-written reference loop of the `edge-offload` benchmark model (src/bench/models.ts): 1,000
// devices send requests at exponential gaps (mean 100 ms) until 60 s; each request is placed on
// the node with the fewest outstanding requests (placed, not yet answered; ties to the lowest
// index), crosses an uplink (exponential, mean 10 ms), waits FIFO for one of the node's 2 slots,
// is served (exponential, mean 1.6 ms) and crosses the downlink (exponential, mean 10 ms) back.
// The run ends at 60 s, as the simulator's does: requests answered by then are measured (each
// stage at its answer), the few still in flight are not.
// `node bench/reference/edge-offload.mjs` runs the benchmark's parameters, prints one JSON line
// and exits 1 when a check against theory fails (see checkEdgeOffload).
//
// Pending events sit in a binary heap on typed arrays (time, then insertion order for ties);
// requests are rows of typed-array columns reused through a free list.
import { BatchMeans, histogramPercentile, iidSummary, mainIfRun, mmcMeanWait, Streams } from "./common.mjs";

/** The benchmark's parameters (src/bench/models.ts, `edge("edge-offload", 1.6)`). */
export const EDGE_OFFLOAD = { devices: 1000, gapMeanMs: 100, linkMeanMs: 10, nodes: 10, slots: 2, serviceMeanMs: 1.6, durationMs: 60_000, seed: 1 };

const ARRIVAL = 0;
const REACH_NODE = 1;
const SERVICE_DONE = 2;
const DELIVERED = 3;

/** Histogram bin of the end-to-end time (ms) for its 95th percentile. */
const BIN_MS = 0.01;
const BINS = 100_000;

/** A binary min-heap of (time, insertion order) keys with an int payload, on typed arrays. */
class EventHeap {
  constructor(capacity) {
    this.time = new Float64Array(capacity);
    this.order = new Float64Array(capacity);
    this.payload = new Int32Array(capacity);
    this.size = 0;
    this.inserted = 0;
  }

  push(time, payload) {
    if (this.size === this.time.length) this.grow();
    const order = this.inserted++;
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const pt = this.time[parent];
      if (pt < time || (pt === time && this.order[parent] < order)) break;
      this.time[at] = pt;
      this.order[at] = this.order[parent];
      this.payload[at] = this.payload[parent];
      at = parent;
    }
    this.time[at] = time;
    this.order[at] = order;
    this.payload[at] = payload;
  }

  /** Removes the earliest event; its time and payload are read from topTime/topPayload before. */
  pop() {
    const last = --this.size;
    const time = this.time[last];
    const order = this.order[last];
    const payload = this.payload[last];
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && (this.time[right] < this.time[child] || (this.time[right] === this.time[child] && this.order[right] < this.order[child]))) child = right;
      const ct = this.time[child];
      if (time < ct || (time === ct && order < this.order[child])) break;
      this.time[at] = ct;
      this.order[at] = this.order[child];
      this.payload[at] = this.payload[child];
      at = child;
    }
    this.time[at] = time;
    this.order[at] = order;
    this.payload[at] = payload;
  }

  grow() {
    const size = this.time.length * 2;
    const time = new Float64Array(size);
    const order = new Float64Array(size);
    const payload = new Int32Array(size);
    time.set(this.time);
    order.set(this.order);
    payload.set(this.payload);
    this.time = time;
    this.order = order;
    this.payload = payload;
  }
}

/** Request rows: typed-array columns, grown by doubling, rows reused through a free list. */
class Requests {
  constructor(capacity) {
    this.alloc(capacity);
    this.free = new Int32Array(capacity);
    this.freeCount = 0;
    this.used = 0;
  }

  alloc(capacity) {
    const grow = (Type, old) => {
      const column = new Type(capacity);
      if (old !== undefined) column.set(old);
      return column;
    };
    this.createdAt = grow(Float64Array, this.createdAt);
    this.upMs = grow(Float64Array, this.upMs);
    // When the request reached its node, then (from its service start) when its service started.
    this.reachedAt = grow(Float64Array, this.reachedAt);
    this.waitMs = grow(Float64Array, this.waitMs);
    this.serviceMs = grow(Float64Array, this.serviceMs);
    this.downMs = grow(Float64Array, this.downMs);
    this.device = grow(Int32Array, this.device);
    this.node = grow(Int32Array, this.node);
  }

  take() {
    if (this.freeCount > 0) return this.free[--this.freeCount];
    if (this.used === this.device.length) {
      this.alloc(this.used * 2);
      const free = new Int32Array(this.used * 2);
      free.set(this.free);
      this.free = free;
    }
    return this.used++;
  }

  release(row) {
    this.free[this.freeCount++] = row;
  }
}

/** Runs the loop; returns counts and the mean (with standard error) of each stage. */
export function runEdgeOffload({ devices, gapMeanMs, linkMeanMs, nodes, slots, serviceMeanMs, durationMs, seed }) {
  // One stream per purpose, named as the simulator names them: arrivals per device, service per
  // node, and each direction of a device's links (one stream a direction, whatever the node).
  const serviceBase = devices;
  const linkBase = devices + nodes;
  const streams = new Streams(seed, linkBase + devices * 2, (i) => {
    if (i < serviceBase) return `device/device-${i}/arrivals`;
    if (i < linkBase) return `node/edge-${i - serviceBase}/service`;
    const link = i - linkBase;
    return `link/device-${link >> 1}/${(link & 1) === 0 ? "up" : "down"}`;
  });
  const heap = new EventHeap(4096);
  const requests = new Requests(4096);
  const outstanding = new Int32Array(nodes);
  const busy = new Int32Array(nodes);
  // One FIFO ring of request rows per node, grown by doubling.
  const queues = Array.from({ length: nodes }, () => ({ ring: new Int32Array(256), head: 0, size: 0 }));
  const expected = (devices * durationMs) / gapMeanMs;
  const waits = new BatchMeans(expected);
  const histogram = new Uint32Array(BINS + 1);
  let generated = 0;
  let delivered = 0;
  let events = 0;
  let upSum = 0;
  let upSquares = 0;
  let downSum = 0;
  let downSquares = 0;
  let serviceSum = 0;
  let serviceSquares = 0;
  // Service times of every completed service, answered or not: the slots' busy time.
  let busySum = 0;
  let busySquares = 0;
  let totalSum = 0;

  for (let d = 0; d < devices; d++) {
    const first = streams.exponential(d, gapMeanMs);
    if (first < durationMs) heap.push(first, d * 4 + ARRIVAL);
  }

  const startService = (row, node, now) => {
    busy[node]++;
    requests.waitMs[row] = now - requests.reachedAt[row];
    heap.push(now + streams.exponential(serviceBase + node, serviceMeanMs), row * 4 + SERVICE_DONE);
    requests.reachedAt[row] = now;
  };

  while (heap.size > 0 && heap.time[0] <= durationMs) {
    const now = heap.time[0];
    const payload = heap.payload[0];
    heap.pop();
    events++;
    const index = payload >> 2;
    switch (payload & 3) {
      case ARRIVAL: {
        const device = index;
        const next = now + streams.exponential(device, gapMeanMs);
        if (next < durationMs) heap.push(next, device * 4 + ARRIVAL);
        generated++;
        let node = 0;
        for (let n = 1; n < nodes; n++) if (outstanding[n] < outstanding[node]) node = n;
        outstanding[node]++;
        const row = requests.take();
        requests.createdAt[row] = now;
        requests.device[row] = device;
        requests.node[row] = node;
        const up = streams.exponential(linkBase + device * 2, linkMeanMs);
        requests.upMs[row] = up;
        heap.push(now + up, row * 4 + REACH_NODE);
        break;
      }
      case REACH_NODE: {
        const row = index;
        const node = requests.node[row];
        requests.reachedAt[row] = now;
        if (busy[node] < slots) startService(row, node, now);
        else {
          const q = queues[node];
          if (q.size === q.ring.length) {
            const grown = new Int32Array(q.ring.length * 2);
            for (let k = 0; k < q.size; k++) grown[k] = q.ring[(q.head + k) & (q.ring.length - 1)];
            q.ring = grown;
            q.head = 0;
          }
          q.ring[(q.head + q.size) & (q.ring.length - 1)] = row;
          q.size++;
        }
        break;
      }
      case SERVICE_DONE: {
        const row = index;
        const node = requests.node[row];
        // reachedAt holds the service start since startService.
        const service = now - requests.reachedAt[row];
        requests.serviceMs[row] = service;
        busySum += service;
        busySquares += service * service;
        const down = streams.exponential(linkBase + requests.device[row] * 2 + 1, linkMeanMs);
        requests.downMs[row] = down;
        heap.push(now + down, row * 4 + DELIVERED);
        busy[node]--;
        const q = queues[node];
        if (q.size > 0) {
          const next = q.ring[q.head];
          q.head = (q.head + 1) & (q.ring.length - 1);
          q.size--;
          startService(next, node, now);
        }
        break;
      }
      default: {
        const row = index;
        outstanding[requests.node[row]]--;
        delivered++;
        const total = now - requests.createdAt[row];
        const up = requests.upMs[row];
        const wait = requests.waitMs[row];
        const service = requests.serviceMs[row];
        const down = requests.downMs[row];
        upSum += up;
        upSquares += up * up;
        waits.add(wait);
        serviceSum += service;
        serviceSquares += service * service;
        downSum += down;
        downSquares += down * down;
        totalSum += total;
        const bin = Math.floor(total / BIN_MS);
        histogram[bin < BINS ? bin : BINS]++;
        requests.release(row);
      }
    }
  }
  const wait = waits.summary();
  return {
    model: "edge-offload",
    requests: generated,
    delivered,
    events,
    meanWaitMs: wait.mean,
    waitSeMs: wait.se,
    uplink: iidSummary(delivered, upSum, upSquares),
    downlink: iidSummary(delivered, downSum, downSquares),
    service: iidSummary(delivered, serviceSum, serviceSquares),
    // Busy slot-time is the sum of the completed services (those in progress at the end, under
    // 20 x 1.6 ms of 1.2 M slot-ms, are left out: a bias below 1e-4).
    utilisation: { mean: busySum / (nodes * slots * durationMs), se: Math.sqrt(busySquares) / (nodes * slots * durationMs) },
    meanSojournAtNodeMs: wait.mean + serviceSum / delivered,
    meanTotalMs: totalSum / delivered,
    p95TotalMs: histogramPercentile(histogram, BIN_MS, delivered, 0.95),
  };
}

/**
 * Theory at the NOMINAL parameters (a loop run with a wrong one fails). Least-loaded placement is
 * not random splitting, so no closed form gives the mean wait; what holds:
 * - requests: a superposition of Poisson streams, so the count is Poisson with mean
 *   devices x duration / gap (600,000; within 3 sd);
 * - uplink, downlink and service means are the distributions' means (10, 10, 1.6 ms; within 3 SE);
 * - the slots' utilisation is the offered load, rate x mean service / (nodes x slots) = 0.8
 *   (within 3 SE of a compound Poisson sum, sqrt(sum of squared service times) / capacity);
 * - the mean wait lies between two queues: the pooled M/M/(nodes x slots) queue at the total rate
 *   (a lower bound: a request committed to a node may wait while another node's slot is idle, the
 *   pooled queue never does) and M/M/slots at the per-node rate, which random splitting would give
 *   (an upper bound expected of least-loaded, not proved: it places on the node with the fewest
 *   outstanding requests, counted at placement, so it cannot herd); each widened by 3 batch-means SE.
 */
export function checkEdgeOffload(result, { devices, gapMeanMs, linkMeanMs, nodes, slots, serviceMeanMs, durationMs }) {
  const checks = [];
  const expectedRequests = (devices * durationMs) / gapMeanMs;
  const sd = Math.sqrt(expectedRequests);
  checks.push({
    name: "requests ~ Poisson(devices x duration / gap)",
    ok: Math.abs(result.requests - expectedRequests) <= 3 * sd,
    detail: `${result.requests} against ${expectedRequests} (3 sd = ${(3 * sd).toFixed(0)})`,
  });
  for (const [name, measured, mean] of [
    ["uplink", result.uplink, linkMeanMs],
    ["downlink", result.downlink, linkMeanMs],
    ["service", result.service, serviceMeanMs],
  ]) {
    checks.push({
      name: `mean ${name} = ${mean} ms`,
      ok: Math.abs(measured.mean - mean) <= 3 * measured.se,
      detail: `${measured.mean.toFixed(4)} ms (3 SE = ${(3 * measured.se).toFixed(4)} ms)`,
    });
  }
  const lambda = 1 / gapMeanMs;
  const mu = 1 / serviceMeanMs;
  const offered = (devices * lambda * serviceMeanMs) / (nodes * slots);
  checks.push({
    name: "utilisation = offered load",
    ok: Math.abs(result.utilisation.mean - offered) <= 3 * result.utilisation.se,
    detail: `${result.utilisation.mean.toFixed(4)} against ${offered.toFixed(4)} (3 SE = ${(3 * result.utilisation.se).toFixed(4)})`,
  });
  const pooled = mmcMeanWait(devices * lambda, mu, nodes * slots);
  const split = mmcMeanWait((devices * lambda) / nodes, mu, slots);
  const margin = 3 * result.waitSeMs;
  checks.push({
    name: `M/M/${nodes * slots} pooled <= mean wait <= M/M/${slots} per node`,
    ok: result.meanWaitMs + margin >= pooled && result.meanWaitMs - margin <= split,
    detail: `${pooled.toFixed(4)} <= ${result.meanWaitMs.toFixed(4)} ms (3 SE = ${margin.toFixed(4)}) <= ${split.toFixed(4)} ms`,
  });
  return checks;
}

mainIfRun(import.meta.url, () => {
  const result = runEdgeOffload(EDGE_OFFLOAD);
  return { result, checks: checkEdgeOffload(result, EDGE_OFFLOAD) };
});
