import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { circleCrossings, type Point } from "../../src/network/mobility/geometry.js";
import { createTrajectory, type MobilitySettings, mobilityStreamName } from "../../src/network/mobility/models.js";

const AREA = { width: 500, height: 300 };

const MODELS: MobilitySettings[] = [
  { model: "random-waypoint", area: AREA, speedMps: { min: 1, max: 20 }, pauseMs: { min: 0, max: 5000 }, stationaryStart: true },
  { model: "random-waypoint", area: AREA, speedMps: { min: 1, max: 20 }, pauseMs: { min: 0, max: 0 }, stationaryStart: false },
  { model: "random-direction", area: AREA, speedMps: { min: 1, max: 20 }, travelMs: { min: 1000, max: 60_000 }, pauseMs: { min: 0, max: 2000 } },
  {
    model: "gauss-markov",
    area: AREA,
    alpha: 0.8,
    meanSpeedMps: 8,
    speedSdMps: 2,
    meanDirectionRad: null,
    directionSdRad: 0.6,
    stepMs: 1000,
    start: null,
  },
];

const HOUR = 3_600_000;

describe("lazy evaluation", () => {
  for (const settings of MODELS) {
    const label = `${settings.model}${"stationaryStart" in settings ? ` (stationary start ${settings.stationaryStart})` : ""}`;

    it(`${label}: positions at sparse increasing times equal a fine-step reference, and the path is continuous`, () => {
      const reference = createTrajectory(settings, new RandomStreams(7).stream(mobilityStreamName("cam")));
      const lazy = createTrajectory(settings, new RandomStreams(7).stream(mobilityStreamName("cam")));
      const step = 50;
      const fine: Point[] = [];
      for (let t = 0; t <= HOUR; t += step) fine.push(reference.positionAt(t));
      // Continuity and bounds: no step moves faster than the top speed (plus Gauss-Markov's tails).
      let fastest = 0;
      let outside = 0;
      for (let i = 1; i < fine.length; i++) {
        fastest = Math.max(fastest, Math.hypot(fine[i].x - fine[i - 1].x, fine[i].y - fine[i - 1].y));
        const p = fine[i];
        if (p.x < -1e-9 || p.x > AREA.width + 1e-9 || p.y < -1e-9 || p.y > AREA.height + 1e-9) outside++;
      }
      expect(fastest).toBeLessThanOrEqual((40 * step) / 1000);
      expect(outside).toBe(0);
      const u = new RandomStreams(8).stream("query-times");
      let index = 0;
      while (index < fine.length) {
        expect(lazy.positionAt(index * step)).toEqual(fine[index]);
        index += 1 + Math.floor(u() * 5000);
      }
    });

    it(`${label}: legs are generated only as far as asked`, () => {
      const trajectory = createTrajectory(settings, new RandomStreams(9).stream(mobilityStreamName("cam")));
      trajectory.positionAt(60_000);
      const before = trajectory.keptLegs;
      const kept = [...trajectory.legsBetween(0, 60_000)];
      expect(trajectory.keptLegs).toBe(before);
      // Past the time asked, only the rest of the cycle that covers it was drawn (a leg, its few
      // bounces and a pause), not the hour of legs that a fixed-step tick would make.
      expect(before - kept.length).toBeLessThanOrEqual(4);
      trajectory.positionAt(HOUR);
      expect(trajectory.keptLegs).toBeGreaterThan(before);
    });

    it(`${label}: the next circle crossing is the first sign change of (distance - r) on a 1 ms grid`, () => {
      const trajectory = createTrajectory(settings, new RandomStreams(10).stream(mobilityStreamName("cam")));
      const center = { x: 250, y: 150 };
      const radius = 90;
      let after = 0;
      for (let crossing = 0; crossing < 6; crossing++) {
        const found = trajectory.nextCircleCrossing(center, radius, after, HOUR);
        expect(found).not.toBeNull();
        const inside = (t: number) => {
          const p = trajectory.positionAt(t);
          return Math.hypot(p.x - center.x, p.y - center.y) < radius;
        };
        let t = Math.floor(after) + 1;
        // Just after the previous crossing (at it, the point is on the circle and rounding decides).
        const start = inside(after + 1e-3);
        while (inside(t) === start) t++;
        expect(Math.abs((found as number) - t)).toBeLessThanOrEqual(1);
        after = found as number;
      }
    });
  }

  it("circleCrossings solves the quadratic: a chord through the centre and a tangent that does not count", () => {
    const leg = { start: 1000, end: 5000, x: -10, y: 0, vx: 0.01, vy: 0 };
    // |(-10 + 0.01 s, 0)| = 5 at s = 500 and 1500.
    expect(circleCrossings(leg, { x: 0, y: 0 }, 5, 0)).toEqual([1500, 2500]);
    expect(circleCrossings(leg, { x: 0, y: 0 }, 5, 1500)).toEqual([2500]);
    expect(circleCrossings({ ...leg, y: 5 }, { x: 0, y: 0 }, 5, 0)).toEqual([]);
    expect(circleCrossings({ ...leg, end: 2000 }, { x: 0, y: 0 }, 5, 0)).toEqual([1500]);
  });
});

describe("determinism and stream isolation", () => {
  const sample = (seed: number, devices: string[], order: string[]): Map<string, Point[]> => {
    const streams = new RandomStreams(seed);
    const trajectories = new Map(devices.map((id) => [id, createTrajectory(MODELS[0], streams.stream(mobilityStreamName(id)))]));
    const out = new Map<string, Point[]>(devices.map((id) => [id, []]));
    for (let t = 0; t <= HOUR; t += 60_000) for (const id of order) trajectories.get(id)?.positionAt(t) && out.get(id)?.push(trajectories.get(id)?.positionAt(t) as Point);
    return out;
  };

  it("the same seed gives identical positions; another seed does not", () => {
    const a = sample(3, ["a", "b"], ["a", "b"]);
    const b = sample(3, ["a", "b"], ["b", "a"]);
    expect(b.get("a")).toEqual(a.get("a"));
    expect(b.get("b")).toEqual(a.get("b"));
    expect(sample(4, ["a"], ["a"]).get("a")).not.toEqual(a.get("a"));
  });

  it("adding a device changes no other device's positions", () => {
    const without = sample(3, ["a", "b"], ["a", "b"]);
    const withExtra = sample(3, ["extra", "a", "b"], ["extra", "a", "extra", "b"]);
    expect(withExtra.get("a")).toEqual(without.get("a"));
    expect(withExtra.get("b")).toEqual(without.get("b"));
  });
});
