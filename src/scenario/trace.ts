import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { parseDuration, type TimeUnit } from "../random/duration.js";

/**
 * Arrival times (ms, relative to the first row, non-decreasing) read from a column of a CSV trace
 * with a header. Numeric times are in `unit`; other values must be date-times, e.g. the public
 * Azure LLM traces' "2023-11-16 18:17:03.9799600" (fractions beyond milliseconds are kept).
 */
export function readTraceTimes(file: string, column: string, unit: TimeUnit, path: string): Float64Array {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(file, [{ path, value: file, expected: `a readable trace file (${(error as NodeJS.ErrnoException).code ?? "unreadable"})` }]);
  }
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = (lines[0] ?? "").split(",").map((name) => name.trim());
  const index = header.indexOf(column);
  if (index < 0) throw new InputError(file, [{ path, value: column, expected: `a column of the trace (columns: ${header.join(", ")})` }]);
  const scale = parseDuration(1, unit) as number;
  // Date-times are kept as whole milliseconds since the epoch plus a fraction, and each part is
  // subtracted from the first row's separately: epoch milliseconds leave a double no room for
  // sub-millisecond digits.
  const whole = new Float64Array(lines.length - 1);
  const fraction = new Float64Array(lines.length - 1);
  for (let row = 1; row < lines.length; row++) {
    const cell = (lines[row].split(",")[index] ?? "").trim();
    const parts = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell) ? [Number(cell) * scale, 0] : parseDateTimeMs(cell);
    if (!Number.isFinite(parts[0] + parts[1])) throw new InputError(file, [{ path, value: cell, expected: `a number or a date-time in column "${column}", row ${row + 1}` }]);
    whole[row - 1] = parts[0];
    fraction[row - 1] = parts[1];
  }
  if (whole.length === 0) throw new InputError(file, [{ path, value: file, expected: "a trace with at least one row" }]);
  const times = new Float64Array(whole.length);
  for (let i = 0; i < times.length; i++) {
    times[i] = whole[i] - whole[0] + (fraction[i] - fraction[0]);
    if (i > 0 && times[i] < times[i - 1]) {
      throw new InputError(file, [{ path, value: lines[i + 1], expected: `rows in time order (row ${i + 2} is earlier than row ${i + 1})` }]);
    }
  }
  return times;
}

/** "YYYY-MM-DD hh:mm:ss(.fraction)" or ISO 8601, read as UTC: [whole ms since the epoch, fraction in ms]; NaN when not a date-time. */
function parseDateTimeMs(text: string): [number, number] {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (match === null) return [NaN, 0];
  return [Date.parse(`${match[1]}T${match[2]}${match[4] ?? "Z"}`), match[3] === undefined ? 0 : Number(match[3]) * 1000];
}
