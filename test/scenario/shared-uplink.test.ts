import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/run/simulate.js";
import { loadScenarioFile } from "../../src/scenario/resolve.js";
import { loadSweepFile } from "../../src/sweep/load-sweep.js";
import { REPO } from "../cli/helpers.js";

/*
 * scenarios/shared-uplink.json and its sweep (issue 15). Oracle: one link shared max-min fair by
 * Poisson transfers is an M/G/1 processor-sharing queue (Ben Fredj et al., SIGCOMM 2001; Kleinrock
 * 1976): mean transfer time (b/C)/(1 - rho), rho = n lambda b / C, whatever the size law; the
 * knee is at rho = 1, n* = C / (lambda b). Every constant below is the scenario's stated figure.
 */

const FILE = join(REPO, "scenarios", "shared-uplink.json");
const SWEEP = join(REPO, "sweeps", "shared-uplink.json");

/** The scenario's figures: frame bytes, uplink capacity (bit/s), rate per camera (1/s), fixed latency of the two links (ms). */
const FRAME_BYTES = 27_000;
const CAPACITY_BPS = 42.25e6;
const RATE_PER_S = 5;
const LATENCY_MS = 2;
/** b / C: a lone frame's transfer time over the uplink, ms. */
const LONE_MS = ((FRAME_BYTES * 8) / CAPACITY_BPS) * 1000;
const KNEE = CAPACITY_BPS / (RATE_PER_S * FRAME_BYTES * 8);

const rho = (cameras: number): number => (cameras * RATE_PER_S * FRAME_BYTES * 8) / CAPACITY_BPS;
/** Mean upload (network-up stage) by processor sharing: the links' latency, then the shared transfer. */
const psUploadMs = (cameras: number): number => LATENCY_MS + LONE_MS / (1 - rho(cameras));

function run(cameras: number, seed: number, duration: string) {
  const scenario = loadScenarioFile(FILE, {}, (document) => {
    (document.devices as { count: number }[])[0].count = cameras;
    document.seed = seed;
    document.duration = duration;
  });
  return simulate(scenario).runs[0];
}

describe("shared-uplink.json as shipped", () => {
  it("states a knee inside its sweep: n* = C / (lambda b) = 39.1 cameras, and 30 cameras at rho 0.77", () => {
    expect(LONE_MS).toBeCloseTo(5.112, 3);
    expect(KNEE).toBeCloseTo(39.12, 2);
    expect(rho(30)).toBeCloseTo(0.767, 3);
    const sweep = loadSweepFile(SWEEP);
    const cameras = sweep.axes.find((axis) => axis.name === "cameras");
    const values = (cameras?.values ?? []) as number[];
    expect(Math.min(...values)).toBe(1);
    expect(values.some((n) => n < KNEE && n > KNEE - 3)).toBe(true);
    expect(values.some((n) => n > KNEE)).toBe(true);
  });

  it("runs, and a frame alone on the uplink takes the links' 2 ms plus b/C: the fastest upload is 7.11 ms", () => {
    const result = run(30, 1, "1 min");
    const up = result.frames?.latency.networkUp;
    expect(result.frames?.jobs.completed).toBeGreaterThan(30 * RATE_PER_S * 45);
    // Without sharing every frame is alone; with it, many still find the link empty (P = 1 - rho = 0.23).
    expect(up?.min).toBeCloseTo(LATENCY_MS + LONE_MS, 6);
    // Nothing else is a bottleneck: the edge node is far from full.
    expect(result.nodes[0].utilisation).toBeLessThan(0.25);
  });
});

describe("the latency knee is processor sharing's", () => {
  /** Independent replications (seeds 1..R): the mean of their means, and its standard error from their spread. */
  function meanUpload(cameras: number, replications: number, duration: string): { mean: number; se: number } {
    const means = Array.from({ length: replications }, (_, r) => run(cameras, r + 1, duration).frames?.latency.networkUp.mean ?? Number.NaN);
    const mean = means.reduce((a, b) => a + b, 0) / replications;
    const variance = means.reduce((a, b) => a + (b - mean) ** 2, 0) / (replications - 1);
    return { mean, se: Math.sqrt(variance / replications) };
  }

  it.each([10, 20, 30])("%i cameras: mean upload = 2 ms + (b/C)/(1 - rho) within 3 standard errors (8 replications of 2 min)", (cameras) => {
    const { mean, se } = meanUpload(cameras, 8, "2 min");
    expect(Math.abs(mean - psUploadMs(cameras))).toBeLessThan(3 * se + 1e-9);
  });

  it("the uplink's utilisation is rho, and the run reports it (runs[].links)", () => {
    const result = run(30, 1, "2 min");
    const uplink = result.links?.links.find((link) => link.id === "ap--edge" && link.direction === "forward");
    expect(uplink?.capacityMbps).toBeCloseTo(42.25, 6);
    // Poisson count over 110 s at 150 frames/s: relative SE about 1/sqrt(16,500) = 0.8 %.
    expect(uplink?.utilisation).toBeGreaterThan(rho(30) * 0.97);
    expect(uplink?.utilisation).toBeLessThan(rho(30) * 1.03);
  });

  it("past the knee (44 cameras, rho 1.12) there is no steady state: the mean upload exceeds a second and grows with the window", () => {
    // Past the knee the transfers on the link grow by about (44 - 39.1) x 5 = 24 a second: short windows keep the run cheap.
    const short = run(44, 1, "40 s").frames?.latency.networkUp.mean ?? 0;
    const long = run(44, 1, "80 s").frames?.latency.networkUp.mean ?? 0;
    expect(short).toBeGreaterThan(1000);
    expect(long).toBeGreaterThan(short);
  });
});
