// Hand-written reference loop of the `mm1` benchmark model (src/bench/models.ts): Poisson arrivals
// at rate lambda per ms, one server, exponential service of rate mu per ms, arrivals until
// n / lambda ms (about n requests), FIFO. `node bench/reference/mm1.mjs` runs the benchmark's
// parameters, prints one JSON line and exits 1 when the mean wait misses M/M/1 theory.
//
// A single-server FIFO queue needs no event set: the pending events are the next arrival and the
// next departure, compared directly, and the waiting requests' arrival times sit in a ring buffer.
import { BatchMeans, histogramPercentile, mainIfRun, Streams } from "./common.mjs";

/** The benchmark's parameters (src/bench/models.ts, `queue("mm1", 0.9, 1, 1_000_000)`). */
export const MM1 = { lambda: 0.9, mu: 1, n: 1_000_000, seed: 1 };

/** Histogram bin of the sojourn time (ms) for its 95th percentile. */
const BIN_MS = 0.01;
const BINS = 50_000;

/** Runs the loop; returns counts, mean wait with its batch-means standard error, mean sojourn, p95 sojourn. */
export function runMm1({ lambda, mu, n, seed }) {
  const arrivalMean = 1 / lambda;
  const serviceMean = 1 / mu;
  const endOfArrivals = n / lambda;
  // The simulator's stream names for this scenario: the device "source" and the node "server".
  const streams = new Streams(seed, 2, (i) => (i === 0 ? "device/source/arrivals" : "node/server/service"));
  const waits = new BatchMeans(n);
  const histogram = new Uint32Array(BINS + 1);
  let ring = new Float64Array(1024);
  let head = 0;
  let queued = 0;
  let busy = false;
  let generated = 0;
  let events = 0;
  let sojournSum = 0;
  let nextArrival = streams.exponential(0, arrivalMean);
  if (nextArrival >= endOfArrivals) nextArrival = Number.POSITIVE_INFINITY;
  let nextDeparture = Number.POSITIVE_INFINITY;

  for (;;) {
    // The arrival time of the request whose service starts now, or -1 when none starts.
    let startsFor = -1;
    let now;
    if (nextArrival <= nextDeparture) {
      if (nextArrival === Number.POSITIVE_INFINITY) break;
      now = nextArrival;
      events++;
      generated++;
      nextArrival = now + streams.exponential(0, arrivalMean);
      if (nextArrival >= endOfArrivals) nextArrival = Number.POSITIVE_INFINITY;
      if (!busy) {
        busy = true;
        startsFor = now;
      } else {
        if (queued === ring.length) {
          const grown = new Float64Array(ring.length * 2);
          for (let k = 0; k < queued; k++) grown[k] = ring[(head + k) & (ring.length - 1)];
          ring = grown;
          head = 0;
        }
        ring[(head + queued) & (ring.length - 1)] = now;
        queued++;
      }
    } else {
      now = nextDeparture;
      events++;
      if (queued === 0) {
        busy = false;
        nextDeparture = Number.POSITIVE_INFINITY;
      } else {
        startsFor = ring[head];
        head = (head + 1) & (ring.length - 1);
        queued--;
      }
    }
    if (startsFor >= 0) {
      const wait = now - startsFor;
      const service = streams.exponential(1, serviceMean);
      nextDeparture = now + service;
      waits.add(wait);
      const sojourn = wait + service;
      sojournSum += sojourn;
      const bin = Math.floor(sojourn / BIN_MS);
      histogram[bin < BINS ? bin : BINS]++;
    }
  }
  const wait = waits.summary();
  return {
    model: "mm1",
    requests: generated,
    events,
    meanWaitMs: wait.mean,
    waitSeMs: wait.se,
    meanSojournMs: sojournSum / wait.count,
    p95SojournMs: histogramPercentile(histogram, BIN_MS, wait.count, 0.95),
  };
}

/**
 * M/M/1 theory at the NOMINAL parameters (not the ones the loop ran with, so a wrong parameter
 * shows): mean wait in queue rho / (mu - lambda) (9 ms at rho 0.9), within 3 batch-means SE.
 */
export function checkMm1(result, { lambda, mu }) {
  const rho = lambda / mu;
  const expected = rho / (mu - lambda);
  const off = Math.abs(result.meanWaitMs - expected);
  return [
    {
      name: "mean wait = rho / (mu - lambda)",
      ok: off <= 3 * result.waitSeMs,
      detail: `${result.meanWaitMs.toFixed(4)} ms against ${expected.toFixed(4)} ms (3 SE = ${(3 * result.waitSeMs).toFixed(4)} ms)`,
    },
  ];
}

mainIfRun(import.meta.url, () => {
  const result = runMm1(MM1);
  return { result, checks: checkMm1(result, MM1) };
});
