import type { Leg } from "../../src/network/mobility/geometry.js";
import type { Trajectory } from "../../src/network/mobility/trajectory.js";
import { meanAndSe } from "../batch-means.js";

/** An axis-aligned cell [x0, x1] x [y0, y1], metres. */
export interface Cell {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Time (ms) the leg spends inside the cell during [from, to], by clipping the segment to the cell
 * (Liang-Barsky): exact, so the time-average needs no position sampling.
 */
export function timeInCell(leg: Leg, cell: Cell, from: number, to: number): number {
  let lo = Math.max(from, leg.start) - leg.start;
  let hi = Math.min(to, leg.end) - leg.start;
  if (!(hi > lo)) return 0;
  const clip = (x: number, v: number, min: number, max: number): boolean => {
    if (v === 0) return x >= min && x <= max;
    const a = (min - x) / v;
    const b = (max - x) / v;
    lo = Math.max(lo, Math.min(a, b));
    hi = Math.min(hi, Math.max(a, b));
    return hi > lo;
  };
  if (!clip(leg.x, leg.vx, cell.x0, cell.x1) || !clip(leg.y, leg.vy, cell.y0, cell.y1)) return 0;
  return hi > lo ? hi - lo : 0;
}

/**
 * The share of time in each cell over [0, total], cut into `batches` equal time batches: returns
 * per cell the grand mean and its batch-means standard error (batches long against the leg time
 * are nearly independent).
 */
export function cellShares(trajectory: Trajectory, cells: Cell[], total: number, batches: number): { mean: number; se: number }[] {
  const width = total / batches;
  const perBatch = cells.map(() => new Float64Array(batches));
  for (const leg of trajectory.legsBetween(0, total)) {
    const first = Math.max(0, Math.floor(leg.start / width));
    const last = Math.min(batches - 1, Math.floor(Math.min(leg.end, total) / width));
    for (let b = first; b <= last; b++) {
      cells.forEach((cell, c) => {
        perBatch[c][b] += timeInCell(leg, cell, b * width, (b + 1) * width) / width;
      });
    }
  }
  return perBatch.map((shares) => meanAndSe(shares));
}
