/**
 * Straight-line legs in the plane and the exact times at which a point on a leg meets a circle or
 * a distance condition. Every mobility model is a sequence of legs (a pause is a leg with zero
 * velocity), so handover events can be found by solving quadratics instead of polling positions.
 * Units: metres and milliseconds (the engine's clock); velocities in metres per millisecond.
 */

export interface Point {
  x: number;
  y: number;
}

/** The rectangle [0, width] x [0, height], metres. */
export interface Area {
  width: number;
  height: number;
}

/** Position (x + vx (t - start), y + vy (t - start)) for start <= t <= end; end may be Infinity. */
export interface Leg {
  start: number;
  end: number;
  x: number;
  y: number;
  vx: number;
  vy: number;
}

/** Times closer than this (ms, 1 ns) are one instant seen through rounding. */
export const SAME_INSTANT_MS = 1e-6;

/** A closed time interval [from, to]. */
export interface Interval {
  from: number;
  to: number;
}

export function legPosition(leg: Leg, t: number): Point {
  const dt = t - leg.start;
  return { x: leg.x + leg.vx * dt, y: leg.y + leg.vy * dt };
}

export function legEndPosition(leg: Leg): Point {
  return leg.end === Infinity ? { x: leg.x, y: leg.y } : legPosition(leg, leg.end);
}

/**
 * Squared distance from the leg to `center` as a quadratic in s = t - leg.start:
 * q(s) = a s^2 + b s + c. Two such quadratics of one leg share `a`, so their difference is linear.
 */
export function squaredDistance(leg: Leg, center: Point): { a: number; b: number; c: number } {
  const dx = leg.x - center.x;
  const dy = leg.y - center.y;
  return { a: leg.vx * leg.vx + leg.vy * leg.vy, b: 2 * (dx * leg.vx + dy * leg.vy), c: dx * dx + dy * dy };
}

/**
 * The parts of [lo, hi] (in s) where a s^2 + b s + c <= 0, as up to two intervals in increasing
 * order. Roots come from the cancellation-free form (Numerical Recipes §5.6), so a tangent leg or a
 * nearly linear quadratic does not lose the crossing to rounding.
 */
export function whereNonPositive(a: number, b: number, c: number, lo: number, hi: number): Interval[] {
  const clip = (from: number, to: number): Interval[] => {
    const f = Math.max(from, lo);
    const t = Math.min(to, hi);
    return f <= t ? [{ from: f, to: t }] : [];
  };
  const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), Number.MIN_VALUE);
  if (Math.abs(a) <= 1e-14 * scale) {
    if (Math.abs(b) <= 1e-14 * scale) return c <= 0 ? clip(lo, hi) : [];
    const root = -c / b;
    return b > 0 ? clip(-Infinity, root) : clip(root, Infinity);
  }
  const discriminant = b * b - 4 * a * c;
  // Below rounding of b^2 the roots are one double root (a touch), whose two computed roots would
  // stand apart by sqrt(rounding) and fake a crossing.
  if (discriminant <= 1e-12 * b * b) {
    const touch = -b / (2 * a);
    return a < 0 ? clip(lo, hi) : clip(touch, touch);
  }
  const q = -0.5 * (b + Math.sign(b || 1) * Math.sqrt(discriminant));
  const r1 = q / a;
  const r2 = q === 0 ? 0 : c / q;
  const small = Math.min(r1, r2);
  const large = Math.max(r1, r2);
  if (a > 0) return clip(small, large);
  return [...clip(-Infinity, small), ...clip(large, Infinity)];
}

/** The intersection of two lists of intervals, sorted by start. */
export function intersect(first: Interval[], second: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const a of first) {
    for (const b of second) {
      const from = Math.max(a.from, b.from);
      const to = Math.min(a.to, b.to);
      if (from <= to) out.push({ from, to });
    }
  }
  return out.sort((p, q) => p.from - q.from);
}

/**
 * Times in (after, leg.end] at which the leg crosses the circle of radius `radius` around `center`
 * (entering or leaving; a tangent touch is not a crossing), in increasing order.
 */
export function circleCrossings(leg: Leg, center: Point, radius: number, after: number): number[] {
  const { a, b, c } = squaredDistance(leg, center);
  const inside = whereNonPositive(a, b, c - radius * radius, -Infinity, Infinity);
  const times: number[] = [];
  for (const { from, to } of inside) {
    // A touch (or a near-touch that rounding split into two roots) is not a crossing.
    if (!(to - from > SAME_INSTANT_MS)) continue;
    for (const s of [from, to]) {
      const t = leg.start + s;
      if (Number.isFinite(s) && s >= 0 && t > after && t <= leg.end) times.push(t);
    }
  }
  return times;
}

/**
 * Straight motion from (x, y) at velocity (vx, vy) for `duration` ms inside `area`, reflecting off
 * the border like a billiard ball (angle of incidence = angle of reflection), cut into legs at each
 * bounce. Returns the legs and the final velocity.
 */
export function reflectedLegs(start: number, duration: number, from: Point, vx: number, vy: number, area: Area): { legs: Leg[]; vx: number; vy: number } {
  const legs: Leg[] = [];
  let t = start;
  let { x, y } = from;
  const end = start + duration;
  // A corner hit reflects both components at once; the bound keeps a degenerate area from spinning.
  for (let bounce = 0; bounce < 10_000 && t < end; bounce++) {
    const toX = vx > 0 ? (area.width - x) / vx : vx < 0 ? -x / vx : Infinity;
    const toY = vy > 0 ? (area.height - y) / vy : vy < 0 ? -y / vy : Infinity;
    const step = Math.min(toX, toY, end - t);
    const legEnd = t + step >= end ? end : t + step;
    legs.push({ start: t, end: legEnd, x, y, vx, vy });
    x = Math.min(Math.max(x + vx * step, 0), area.width);
    y = Math.min(Math.max(y + vy * step, 0), area.height);
    t = legEnd;
    if (t >= end) break;
    if (toX <= step) vx = -vx;
    if (toY <= step) vy = -vy;
  }
  return { legs, vx, vy };
}
