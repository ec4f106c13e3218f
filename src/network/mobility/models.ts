import type { Uniform } from "../../engine/rng.js";
import { compileDistribution } from "../../random/distributions.js";
import { type Area, type Leg, type Point, reflectedLegs } from "./geometry.js";
import { type Range, type RandomWaypointSettings, randomWaypoint } from "./random-waypoint.js";
import { type LegSource, Trajectory } from "./trajectory.js";

export type { Range, RandomWaypointSettings } from "./random-waypoint.js";

/**
 * The mobility models, with every setting resolved (defaults applied by the caller, see
 * schema.ts). Speeds in m/s, times in ms, positions in metres in the area [0, width] x [0, height].
 */
export type MobilitySettings = StaticSettings | RandomWaypointSettings | RandomDirectionSettings | GaussMarkovSettings | TraceSettings;

export interface StaticSettings {
  model: "static";
  position: Point;
}

export interface RandomDirectionSettings {
  model: "random-direction";
  area: Area;
  speedMps: Range;
  /** How long each direction is kept, uniform in [min, max], ms; the device reflects off the border meanwhile. */
  travelMs: Range;
  pauseMs: Range;
}

export interface GaussMarkovSettings {
  model: "gauss-markov";
  area: Area;
  /** Memory: 1 = straight lines, 0 = a new independent speed and direction every step. */
  alpha: number;
  meanSpeedMps: number;
  /** Standard deviation of the speed noise, m/s. */
  speedSdMps: number;
  /** Mean direction, radians from the x axis; null: drawn uniform in [0, 2 pi) from the device's stream. */
  meanDirectionRad: number | null;
  directionSdRad: number;
  stepMs: number;
  /** Start point; null: uniform in the area. */
  start: Point | null;
}

export interface TraceSettings {
  model: "trace";
  /** The device's samples, time in ms, increasing. */
  samples: readonly TraceSample[];
}

export interface TraceSample {
  time: number;
  x: number;
  y: number;
}

/** The stream a device's mobility draws from: one per device, so adding a device shifts no other device's draws. */
export function mobilityStreamName(deviceId: string): string {
  return `mobility/${deviceId}`;
}

/** A device's lazily evaluated path under `settings`, drawing only from `u` (its own stream). */
export function createTrajectory(settings: MobilitySettings, u: Uniform, startTime = 0): Trajectory {
  return new Trajectory(legSource(settings, u, startTime), startTime);
}

function legSource(settings: MobilitySettings, u: Uniform, startTime: number): LegSource {
  switch (settings.model) {
    case "static": {
      const { x, y } = settings.position;
      return () => [{ start: startTime, end: Infinity, x, y, vx: 0, vy: 0 }];
    }
    case "random-waypoint":
      return randomWaypoint(settings, u, startTime);
    case "random-direction":
      return randomDirection(settings, u, startTime);
    case "gauss-markov":
      return gaussMarkov(settings, u, startTime);
    case "trace":
      return traceReplay(settings.samples, startTime);
  }
}

const uniformIn = (u: Uniform, { min, max }: Range): number => (max === min ? min : min + (max - min) * u());

/**
 * Random direction with reflection (Nain, Towsley, Liu, Liu, INFOCOM 2005): a uniform direction and
 * speed kept for a travel time, bouncing off the border, then a pause. Started at a uniform point,
 * the position stays uniform at all times. Draw order per epoch: direction, speed, travel, pause.
 */
function randomDirection(settings: RandomDirectionSettings, u: Uniform, startTime: number): LegSource {
  const { area } = settings;
  let here: Point = { x: u() * area.width, y: u() * area.height };
  let t = startTime;
  return () => {
    const angle = 2 * Math.PI * u();
    const speed = uniformIn(u, settings.speedMps) / 1000;
    const travel = uniformIn(u, settings.travelMs);
    const rest = uniformIn(u, settings.pauseMs);
    const { legs } = reflectedLegs(t, travel, here, speed * Math.cos(angle), speed * Math.sin(angle), area);
    const last = legs[legs.length - 1];
    here = clampTo(area, { x: last.x + last.vx * (last.end - last.start), y: last.y + last.vy * (last.end - last.start) });
    t += travel;
    if (rest > 0) {
      legs.push({ start: t, end: t + rest, x: here.x, y: here.y, vx: 0, vy: 0 });
      t += rest;
    }
    return legs;
  };
}

/**
 * Gauss-Markov (Liang & Haas, INFOCOM 1999; Camp, Boleng, Davies, WCMC 2002): speed and direction
 * are constant over each step and then updated as
 *   s_n = alpha s_{n-1} + (1 - alpha) s_mean + sqrt(1 - alpha^2) w_s,   w_s ~ N(0, speedSd^2)
 *   d_n = alpha d_{n-1} + (1 - alpha) d_mean + sqrt(1 - alpha^2) w_d,   w_d ~ N(0, directionSd^2)
 * (as NS-3 GaussMarkovMobilityModel::Start, whose noises are N(0, 1)). The speed is not clamped:
 * a negative speed moves backwards, which keeps the speed an exact AR(1) series with lag-1
 * autocorrelation alpha. At the border the step reflects where it meets the border, and the
 * direction and the mean direction are mirrored with it, so the device is not pulled back into
 * the wall. (NS-3's DoWalk instead reverses the whole step whose end would fall outside, and resets
 * the direction to the mirrored mean direction.) Draw order: start x, y (if drawn), mean direction
 * (if drawn), then per step the speed noise and the direction noise.
 */
function gaussMarkov(settings: GaussMarkovSettings, u: Uniform, startTime: number): LegSource {
  const { area, alpha, stepMs } = settings;
  const normal = compileDistribution({ dist: "normal", mean: 0, sd: 1 }, "mobility.gauss-markov").bind(u);
  let here: Point = settings.start ?? { x: u() * area.width, y: u() * area.height };
  let meanDirection = settings.meanDirectionRad ?? 2 * Math.PI * u();
  let speed = settings.meanSpeedMps;
  let direction = meanDirection;
  let t = startTime;
  const noise = Math.sqrt(Math.max(0, 1 - alpha * alpha));
  return () => {
    const v = speed / 1000;
    const { legs, vx, vy } = reflectedLegs(t, stepMs, here, v * Math.cos(direction), v * Math.sin(direction), area);
    const last = legs[legs.length - 1];
    here = clampTo(area, { x: last.x + last.vx * (last.end - last.start), y: last.y + last.vy * (last.end - last.start) });
    t = last.end;
    const startVx = v * Math.cos(direction);
    const startVy = v * Math.sin(direction);
    // An odd number of bounces off a side flips that velocity component: mirror the angles likewise.
    if (Math.sign(vx) !== Math.sign(startVx) && startVx !== 0) {
      direction = Math.PI - direction;
      meanDirection = Math.PI - meanDirection;
    }
    if (Math.sign(vy) !== Math.sign(startVy) && startVy !== 0) {
      direction = -direction;
      meanDirection = -meanDirection;
    }
    const ws = normal() * settings.speedSdMps;
    const wd = normal() * settings.directionSdRad;
    speed = alpha * speed + (1 - alpha) * settings.meanSpeedMps + noise * ws;
    direction = alpha * direction + (1 - alpha) * meanDirection + noise * wd;
    return legs;
  };
}

/** Linear interpolation between a device's samples, holding the first before it and the last after it. */
function traceReplay(samples: readonly TraceSample[], startTime: number): LegSource {
  let index = 0;
  return () => {
    const first = samples[0];
    if (index === 0 && samples.length > 0 && first.time > startTime) {
      index = 1;
      return [{ start: startTime, end: first.time, x: first.x, y: first.y, vx: 0, vy: 0 }];
    }
    if (index === 0) index = 1;
    if (index >= samples.length) {
      const last = samples[samples.length - 1];
      index = Infinity;
      return [{ start: last.time, end: Infinity, x: last.x, y: last.y, vx: 0, vy: 0 }];
    }
    const from = samples[index - 1];
    const to = samples[index];
    index++;
    const dt = to.time - from.time;
    const leg: Leg = { start: from.time, end: to.time, x: from.x, y: from.y, vx: (to.x - from.x) / dt, vy: (to.y - from.y) / dt };
    return [leg];
  };
}

function clampTo(area: Area, p: Point): Point {
  return { x: Math.min(Math.max(p.x, 0), area.width), y: Math.min(Math.max(p.y, 0), area.height) };
}
