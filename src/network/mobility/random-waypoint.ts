import type { Uniform } from "../../engine/rng.js";
import type { Area, Leg, Point } from "./geometry.js";
import type { LegSource } from "./trajectory.js";

/** A closed range [min, max]; min = max is a constant. */
export interface Range {
  min: number;
  max: number;
}

export interface RandomWaypointSettings {
  model: "random-waypoint";
  area: Area;
  /** Speed of each leg, uniform in [min, max], m/s; min > 0 (Yoon, Liu, Noble: with min 0 the mean speed decays to 0). */
  speedMps: Range;
  /** Pause at each waypoint, uniform in [min, max], ms. */
  pauseMs: Range;
  /** Start in the stationary state (Navidi & Camp) instead of at a uniform point, so there is no warm-up transient. */
  stationaryStart: boolean;
}

/**
 * Mean distance between two independent uniform points of a w x h rectangle (Ghosh 1951; for a
 * square of side a, 0.5214 a): the mean RWP leg length.
 */
export function meanRectangleDistance({ width: a, height: b }: Area): number {
  const d = Math.hypot(a, b);
  return (a ** 3 / b ** 2 + b ** 3 / a ** 2 + d * (3 - a ** 2 / b ** 2 - b ** 2 / a ** 2)) / 15 + ((b ** 2 / a) * Math.log((a + d) / b) + (a ** 2 / b) * Math.log((b + d) / a)) / 6;
}

/** E[1/V] for V uniform in the range (m/s): the mean time per metre of a leg. */
function meanInverseSpeed({ min, max }: Range): number {
  return max === min ? 1 / min : Math.log(max / min) / (max - min);
}

const uniformIn = (u: Uniform, { min, max }: Range): number => (max === min ? min : min + (max - min) * u());
const uniformPoint = (u: Uniform, area: Area): Point => ({ x: u() * area.width, y: u() * area.height });

/**
 * Random waypoint (Johnson & Maltz; as analysed by Bettstetter, Resta, Santi, IEEE TMC 2003):
 * pick a uniform destination and a uniform speed, go there in a straight line, pause, repeat.
 * Draw order per cycle: destination x, y, speed, pause.
 */
export function randomWaypoint(settings: RandomWaypointSettings, u: Uniform, startTime: number): LegSource {
  const { area, speedMps, pauseMs } = settings;
  let t = startTime;
  let here: Point;
  let pending: Leg[] = [];
  if (settings.stationaryStart) {
    const initial = stationaryState(settings, u);
    here = initial.position;
    if (initial.pauseLeftMs !== undefined) {
      pending.push({ start: t, end: t + initial.pauseLeftMs, x: here.x, y: here.y, vx: 0, vy: 0 });
      t += initial.pauseLeftMs;
    } else if (initial.destination !== undefined && initial.speedMps !== undefined) {
      const leg = travel(here, initial.destination, initial.speedMps, t);
      pending.push(leg);
      t = leg.end;
      here = initial.destination;
      pending.push(pause(here, uniformIn(u, pauseMs), t));
      t = pending[pending.length - 1].end;
    }
  } else {
    here = uniformPoint(u, area);
  }
  return () => {
    if (pending.length > 0) {
      const out = pending;
      pending = [];
      return out;
    }
    const destination = uniformPoint(u, area);
    const speed = uniformIn(u, speedMps);
    const leg = travel(here, destination, speed, t);
    here = destination;
    const rest = pause(here, uniformIn(u, pauseMs), leg.end);
    t = rest.end;
    return rest.end > rest.start ? [leg, rest] : [leg];
  };
}

function travel(from: Point, to: Point, speedMps: number, start: number): Leg {
  const metresPerMs = speedMps / 1000;
  const duration = Math.hypot(to.x - from.x, to.y - from.y) / metresPerMs;
  if (duration === 0) return { start, end: start, x: from.x, y: from.y, vx: 0, vy: 0 };
  return { start, end: start + duration, x: from.x, y: from.y, vx: (to.x - from.x) / duration, vy: (to.y - from.y) / duration };
}

function pause(at: Point, durationMs: number, start: number): Leg {
  return { start, end: start + durationMs, x: at.x, y: at.y, vx: 0, vy: 0 };
}

interface StationaryState {
  position: Point;
  /** Set when the device starts paused: the residual pause. */
  pauseLeftMs?: number;
  destination?: Point;
  speedMps?: number;
}

/**
 * The stationary state of random waypoint (Navidi & Camp, IEEE TMC 3(1) 2004):
 * - paused with probability E[P] / (E[P] + E[L] E[1/V]) (share of time spent pausing), at a
 *   uniform waypoint, with the residual of a length-biased pause (density p f(p) / E[P], then a
 *   uniform fraction of it);
 * - otherwise on a leg drawn with density proportional to its length (rejection against the
 *   diagonal), at a uniform point of it, at a speed with density proportional to f(v) / v
 *   (for uniform speeds v = min (max/min)^U).
 */
function stationaryState({ area, speedMps, pauseMs }: RandomWaypointSettings, u: Uniform): StationaryState {
  const meanPauseMs = (pauseMs.min + pauseMs.max) / 2;
  const meanTravelMs = meanRectangleDistance(area) * meanInverseSpeed(speedMps) * 1000;
  const pausedShare = meanPauseMs / (meanPauseMs + meanTravelMs);
  if (u() < pausedShare) {
    const position = uniformPoint(u, area);
    const { min, max } = pauseMs;
    const length = max === min ? min : Math.sqrt(min * min + u() * (max * max - min * min));
    return { position, pauseLeftMs: u() * length };
  }
  const diagonal = Math.hypot(area.width, area.height);
  for (;;) {
    const from = uniformPoint(u, area);
    const to = uniformPoint(u, area);
    if (u() * diagonal > Math.hypot(to.x - from.x, to.y - from.y)) continue;
    const along = u();
    const position = { x: from.x + along * (to.x - from.x), y: from.y + along * (to.y - from.y) };
    const { min, max } = speedMps;
    const speed = max === min ? min : min * (max / min) ** u();
    return { position, destination: to, speedMps: speed };
  }
}
