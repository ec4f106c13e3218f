import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { createTrajectory, mobilityStreamName } from "../../src/network/mobility/models.js";
import { meanRectangleDistance } from "../../src/network/mobility/random-waypoint.js";
import { type Cell, cellShares } from "./mobility-helpers.js";

/**
 * The mobility models against published stationary laws. Shares of time are integrated exactly
 * per leg (segment clipping); tolerances are batch-means standard errors.
 */

const SIDE = 1000;
const AREA = { width: SIDE, height: SIDE };
const CENTRAL: Cell = { x0: 400, x1: 600, y0: 400, y1: 600 };

/** Distance from (x, y) to the border of the unit square along (c, s). */
function toBorder(x: number, y: number, c: number, s: number): number {
  let t = Infinity;
  if (c > 0) t = Math.min(t, (1 - x) / c);
  if (c < 0) t = Math.min(t, -x / c);
  if (s > 0) t = Math.min(t, (1 - y) / s);
  if (s < 0) t = Math.min(t, -y / s);
  return t;
}

/**
 * Exact stationary density of random waypoint in the unit square (Hyytiä, Lassila, Virtamo 2006;
 * derived independently: a leg through x from P1 at distance s behind to P2 ahead weighs its
 * length, so f(x) = 1/(A^2 E[L]) * integral over 0..pi of a1 a2 (a1 + a2) dphi, with a1, a2 the
 * distances to the border ahead and behind), by the midpoint rule.
 */
function exactRwpDensity(x: number, y: number, meanLength: number, steps = 720): number {
  let sum = 0;
  for (let k = 0; k < steps; k++) {
    const phi = ((k + 0.5) * Math.PI) / steps;
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    const a1 = toBorder(x, y, c, s);
    const a2 = toBorder(x, y, -c, -s);
    sum += a1 * a2 * (a1 + a2);
  }
  return (sum * Math.PI) / steps / meanLength;
}

function exactRwpMass(x0: number, x1: number, y0: number, y1: number, n: number): number {
  const meanLength = meanRectangleDistance({ width: 1, height: 1 });
  const hx = (x1 - x0) / n;
  const hy = (y1 - y0) / n;
  let mass = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) mass += exactRwpDensity(x0 + (i + 0.5) * hx, y0 + (j + 0.5) * hy, meanLength);
  return mass * hx * hy;
}

/** Bettstetter, Resta, Santi (2003): f(x, y) = (36/a^6)(x^2 - a^2/4)(y^2 - a^2/4), centred square; its mass on [-h, h]^2 in closed form. */
function bettstetterCentralMass(a: number, h: number): number {
  const oneAxis = (6 / a ** 3) * ((a * a * h) / 2 - (2 * h ** 3) / 3);
  return oneAxis * oneAxis;
}

describe("random waypoint: stationary density", () => {
  it("the mean leg length is Ghosh's 0.5214 a for a square", () => {
    expect(meanRectangleDistance({ width: 1, height: 1 })).toBeCloseTo(0.52140543, 7);
    // A 2 x 1 rectangle against Monte Carlo (an independent oracle), within 3 SE.
    const u = new RandomStreams(14).stream("pairs");
    const n = 200_000;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.hypot(2 * (u() - u()), u() - u());
      sum += d;
      sumSquares += d * d;
    }
    const mean = sum / n;
    const se = Math.sqrt((sumSquares / n - mean * mean) / n);
    expect(Math.abs(meanRectangleDistance({ width: 2, height: 1 }) - mean)).toBeLessThan(3 * se);
  });

  it("the exact density integrates to 1 (checks the oracle)", () => {
    expect(exactRwpMass(0, 1, 0, 1, 40)).toBeCloseTo(1, 2);
  });

  it("more time in the central cell than uniform: matches the exact law within 3 SE and Bettstetter's product formula within its 3% approximation", () => {
    const streams = new RandomStreams(15);
    const trajectory = createTrajectory(
      { model: "random-waypoint", area: AREA, speedMps: { min: 10, max: 10 }, pauseMs: { min: 0, max: 0 }, stationaryStart: true },
      streams.stream(mobilityStreamName("walker")),
    );
    // About 200,000 legs of 52 s on average.
    const total = 200_000 * 52_140;
    const [share] = cellShares(trajectory, [CENTRAL], total, 40);
    const exact = exactRwpMass(0.4, 0.6, 0.4, 0.6, 16);
    const bettstetter = bettstetterCentralMass(1, 0.1);
    expect(exact).toBeCloseTo(0.085125, 4);
    expect(Math.abs(share.mean - exact)).toBeLessThan(3 * share.se);
    // The product form is an approximation (Bettstetter et al. say so): 0.08762 against 0.08513.
    expect(Math.abs(share.mean - bettstetter) / bettstetter).toBeLessThan(0.04);
    // Uniform would give 0.04: the centre holds more than twice that.
    expect(share.mean - 0.04).toBeGreaterThan(20 * share.se);
  });

  it("stationary start: at time 0 the position already has the stationary law, and the speed the 1/v-weighted one", () => {
    // 20,000 independent devices looked at once, at t = 0: a uniform start would put 4% of them
    // in the central cell and average 10 m/s; the stationary state puts 8.51% there (exact law
    // above) and averages (vmax - vmin) / ln(vmax / vmin) = 9.10 m/s (Yoon, Liu, Noble 2003).
    const streams = new RandomStreams(16);
    const n = 20_000;
    let inside = 0;
    let speedSum = 0;
    let speedSquares = 0;
    for (let d = 0; d < n; d++) {
      const trajectory = createTrajectory(
        { model: "random-waypoint", area: AREA, speedMps: { min: 5, max: 15 }, pauseMs: { min: 0, max: 0 }, stationaryStart: true },
        streams.stream(mobilityStreamName(`d${d}`)),
      );
      const leg = trajectory.legAt(0);
      if (leg.x >= CENTRAL.x0 && leg.x <= CENTRAL.x1 && leg.y >= CENTRAL.y0 && leg.y <= CENTRAL.y1) inside++;
      const speed = Math.hypot(leg.vx, leg.vy) * 1000;
      speedSum += speed;
      speedSquares += speed * speed;
    }
    const exact = 0.085125;
    expect(Math.abs(inside / n - exact)).toBeLessThan(3 * Math.sqrt((exact * (1 - exact)) / n));
    const meanSpeed = speedSum / n;
    const speedSe = Math.sqrt((speedSquares / n - meanSpeed * meanSpeed) / n);
    expect(Math.abs(meanSpeed - 10 / Math.log(3))).toBeLessThan(3 * speedSe);
  });

  it("with pauses, the stationary start puts the paused share of devices at E[P] / (E[P] + E[L] E[1/V])", () => {
    const streams = new RandomStreams(17);
    const pauseMs = { min: 20_000, max: 60_000 };
    const speedMps = { min: 1, max: 5 };
    let paused = 0;
    const n = 4000;
    for (let d = 0; d < n; d++) {
      const trajectory = createTrajectory({ model: "random-waypoint", area: AREA, speedMps, pauseMs, stationaryStart: true }, streams.stream(`p${d}`));
      const leg = trajectory.legAt(0);
      if (leg.vx === 0 && leg.vy === 0) paused++;
    }
    const meanTravelS = 521.4054 * (Math.log(5) / 4);
    const expected = 40 / (40 + meanTravelS);
    const se = Math.sqrt((expected * (1 - expected)) / n);
    expect(Math.abs(paused / n - expected)).toBeLessThan(3 * se);
  });
});

describe("random direction with reflection: uniform", () => {
  it("every cell of a 5 x 5 grid holds 1/25 of the time within 4 SE (Bonferroni over 25 cells)", () => {
    const streams = new RandomStreams(18);
    const trajectory = createTrajectory(
      { model: "random-direction", area: AREA, speedMps: { min: 5, max: 15 }, travelMs: { min: 20_000, max: 200_000 }, pauseMs: { min: 0, max: 10_000 } },
      streams.stream(mobilityStreamName("rd")),
    );
    const cells: Cell[] = [];
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) cells.push({ x0: i * 200, x1: (i + 1) * 200, y0: j * 200, y1: (j + 1) * 200 });
    const shares = cellShares(trajectory, cells, 2e9, 40);
    for (const share of shares) expect(Math.abs(share.mean - 0.04)).toBeLessThan(4 * share.se);
    // And the centre is not favoured as under random waypoint (0.0851).
    expect(shares[12].mean).toBeLessThan(0.05);
  });
});

describe("Gauss-Markov", () => {
  const base = {
    model: "gauss-markov" as const,
    area: { width: 100_000, height: 100_000 },
    meanSpeedMps: 10,
    speedSdMps: 1,
    meanDirectionRad: Math.PI / 6,
    directionSdRad: 0.5,
    stepMs: 1000,
    start: { x: 50_000, y: 50_000 },
  };

  it("alpha = 1 moves in a straight line at the mean speed", () => {
    const trajectory = createTrajectory({ ...base, alpha: 1 }, new RandomStreams(19).stream("gm"));
    for (const t of [0, 1500, 10_000, 99_999, 600_000]) {
      const p = trajectory.positionAt(t);
      expect(p.x).toBeCloseTo(50_000 + 10 * Math.cos(Math.PI / 6) * (t / 1000), 6);
      expect(p.y).toBeCloseTo(50_000 + 10 * Math.sin(Math.PI / 6) * (t / 1000), 6);
    }
  });

  /** The per-step speeds, read off the legs that start a step. */
  function stepSpeeds(alpha: number, steps: number): number[] {
    const trajectory = createTrajectory({ ...base, alpha }, new RandomStreams(20).stream(`gm-${alpha}`));
    const speeds: number[] = [];
    for (const leg of trajectory.legsBetween(0, (steps - 0.5) * 1000)) {
      if (leg.start % 1000 === 0) speeds.push(Math.hypot(leg.vx, leg.vy) * 1000);
    }
    return speeds;
  }

  function lagOneAutocorrelation(series: number[]): number {
    const mean = series.reduce((s, v) => s + v, 0) / series.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < series.length; i++) {
      den += (series[i] - mean) ** 2;
      if (i > 0) num += (series[i] - mean) * (series[i - 1] - mean);
    }
    return num / den;
  }

  for (const alpha of [0, 0.5, 0.9]) {
    it(`alpha = ${alpha}: the speed's lag-1 autocorrelation is alpha (AR(1)), within 3 SE`, () => {
      const n = 20_000;
      const speeds = stepSpeeds(alpha, n);
      expect(speeds.length).toBe(n);
      // Bartlett: the sample lag-1 autocorrelation of an AR(1) has variance (1 - alpha^2) / n.
      const se = Math.sqrt((1 - alpha * alpha) / n);
      expect(Math.abs(lagOneAutocorrelation(speeds) - alpha)).toBeLessThan(3 * se + 1 / n);
      // Stationary mean of the speed: the mean speed; stationary sd: speedSd (the sqrt(1 - alpha^2) scaling).
      const mean = speeds.reduce((s, v) => s + v, 0) / n;
      const sd = Math.sqrt(speeds.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
      expect(Math.abs(mean - 10)).toBeLessThan(3 * Math.sqrt((1 + alpha) / (1 - alpha) / n));
      expect(Math.abs(sd - 1)).toBeLessThan(0.05);
    });
  }

  it("stays in the area, reflecting at the border", () => {
    const trajectory = createTrajectory({ ...base, area: { width: 200, height: 100 }, start: null, alpha: 0.75 }, new RandomStreams(21).stream("gm-box"));
    let outside = 0;
    let nearBorder = 0;
    for (let t = 0; t <= 3_600_000; t += 250) {
      const p = trajectory.positionAt(t);
      if (p.x < -1e-9 || p.x > 200 + 1e-9 || p.y < -1e-9 || p.y > 100 + 1e-9) outside++;
      if (p.x < 1 || p.x > 199 || p.y < 1 || p.y > 99) nearBorder++;
    }
    expect(outside).toBe(0);
    // It does reach the border (else the check above proves nothing).
    expect(nearBorder).toBeGreaterThan(10);
  });
});
