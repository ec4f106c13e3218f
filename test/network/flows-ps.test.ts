import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { FlowNetwork } from "../../src/network/flows/flow-network.js";
import { batchMeans } from "../batch-means.js";

/**
 * One shared link with Poisson flow arrivals is an M/G/1 processor-sharing queue (Ben Fredj et
 * al., SIGCOMM 2001): E[T | x] = (x / C) / (1 - rho), so E[T] = (E[S] / C) / (1 - rho) whatever the
 * size law (insensitivity; Kleinrock, Queueing Systems Vol. 2; Harchol-Balter 2013). Each mean is
 * checked within 3 standard errors estimated from batch means of consecutive flows.
 */
const CAPACITY = 100; // bytes/ms
const MEAN_SIZE = 1000; // bytes: E[S] / C = 10 ms
const WARMUP_FLOWS = 2_000;
const BATCHES = 20;
const BATCH_FLOWS = 10_000;

interface PsRun {
  /** Transfer time of each flow, in arrival order. */
  times: Float64Array;
  sizes: Float64Array;
  net: FlowNetwork;
  end: number;
}

function runPs(seed: string, rho: number, size: (u: () => number) => number): PsRun {
  const streams = new RandomStreams(seed);
  const arrivals = streams.stream("arrivals");
  const sizeStream = streams.stream("sizes");
  const sim = new Simulator();
  const net = new FlowNetwork(sim, [CAPACITY]);
  const total = WARMUP_FLOWS + BATCHES * BATCH_FLOWS;
  const times = new Float64Array(total);
  const sizes = new Float64Array(total);
  const meanGap = MEAN_SIZE / CAPACITY / rho;
  let started = 0;
  const arrive = (): void => {
    const index = started++;
    const at = sim.now;
    sizes[index] = size(sizeStream);
    net.start([0], sizes[index], () => (times[index] = sim.now - at));
    if (started < total) sim.schedule(-Math.log(1 - arrivals()) * meanGap, arrive);
  };
  sim.schedule(0, arrive);
  sim.run();
  return { times, sizes, net, end: sim.now };
}

/** Mean and standard error of `value(i)` over the flows after warm-up, from batch means. */
function flowBatchMeans(value: (i: number) => number): { mean: number; se: number } {
  return batchMeans(
    Float64Array.from({ length: BATCHES * BATCH_FLOWS }, (_, i) => value(WARMUP_FLOWS + i)),
    BATCHES,
  );
}

const exponential = (u: () => number): number => -Math.log(1 - u()) * MEAN_SIZE;
const deterministic = (): number => MEAN_SIZE;

describe("one shared link is a processor-sharing queue", () => {
  for (const rho of [0.5, 0.8]) {
    it(`M/M/1-PS at rho ${rho}: mean transfer time (E[S]/C)/(1-rho), and E[T/x] = 1/(C(1-rho)) (PS, not FIFO)`, () => {
      const run = runPs(`mm1-ps-${rho}`, rho, exponential);
      const time = flowBatchMeans((i) => run.times[i]);
      const expected = MEAN_SIZE / CAPACITY / (1 - rho);
      expect(Math.abs(time.mean - expected)).toBeLessThan(3 * time.se);
      // The slowdown T/x has the same mean for every size under PS; under FIFO small flows would wait as long as big ones.
      const slowdown = flowBatchMeans((i) => run.times[i] / run.sizes[i]);
      expect(Math.abs(slowdown.mean - 1 / (CAPACITY * (1 - rho)))).toBeLessThan(3 * slowdown.se);
    });
  }

  it("M/D/1-PS at rho 0.8 has the same mean as M/M/1-PS (insensitivity; FIFO M/D/1 would give 30 ms, not 50)", () => {
    const run = runPs("md1-ps-0.8", 0.8, deterministic);
    const time = flowBatchMeans((i) => run.times[i]);
    expect(Math.abs(time.mean - MEAN_SIZE / CAPACITY / 0.2)).toBeLessThan(3 * time.se);
  });

  it("accounts the whole run exactly: bytes carried = bytes sent, flows in flight integrate to the sum of transfer times", () => {
    const run = runPs("little", 0.5, exponential);
    const bytes = run.sizes.reduce((a, b) => a + b, 0);
    const usage = run.net.linkUsage(0);
    expect(usage.bytes / bytes).toBeCloseTo(1, 9);
    // Little's law on the sample path: the area under N(t) is the sum of the sojourns when the link ends empty.
    const area = (run.net.meanInFlight() as number) * run.end;
    expect(area / run.times.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // Utilisation over the run is the offered load up to the sampled arrivals: bytes / (C x end).
    expect(usage.utilisation).toBeCloseTo(bytes / (CAPACITY * run.end), 12);
  });
});
