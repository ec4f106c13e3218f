import type { JsonValue } from "./plan-types.js";
import type { AxisDocument, RangeDocument } from "./sweep-schema.js";

/** Values a grid takes on an axis: the listed values, or `steps` points spread over the range. */
export function gridValues(axis: AxisDocument): JsonValue[] {
  if ("values" in axis) return axis.values as JsonValue[];
  const { from, steps } = axis.range;
  if (steps === 1) return [finish(axis.range, from)];
  const values = Array.from({ length: steps }, (_, i) => pointAt(axis.range, i / (steps - 1)));
  // Integer rounding can merge neighbouring log points (1, 1.4, 2 -> 1, 1, 2); a grid visits each value once.
  return [...new Set(values)];
}

/** The axis value at a position u in [0, 1): an index into the list, or a point of the range. */
export function valueAt(axis: AxisDocument, u: number): JsonValue {
  if ("values" in axis) return axis.values[Math.min(axis.values.length - 1, Math.floor(u * axis.values.length))] as JsonValue;
  return pointAt(axis.range, u);
}

function pointAt(range: RangeDocument, u: number): number {
  const { from, to } = range;
  const raw = range.scale === "log" ? from * (to / from) ** u : from + (to - from) * u;
  return finish(range, raw);
}

function finish(range: RangeDocument, value: number): number {
  if (range.integer === true) return Math.round(value);
  return tidyNumber(value);
}

/**
 * A computed number as it enters a cell: 12 significant digits, so a linear step of 0.1 gives 0.3,
 * not 0.30000000000000004, in ids and CSV headers (range points and derived values alike).
 */
export function tidyNumber(value: number): number {
  return Number(value.toPrecision(12));
}
