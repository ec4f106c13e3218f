import { InputError } from "../errors.js";
import { traceColumn, type TraceTable } from "../io/trace-file.js";
import { parseDuration, type TimeUnit } from "../random/duration.js";

/**
 * Arrival times (ms, relative to the first row, non-decreasing) read from a column of a CSV trace
 * (read with readTraceTable). Numeric times are in `unit`; other values must be date-times, e.g.
 * the public Azure LLM traces' "2023-11-16 18:17:03.9799600" (fractions beyond milliseconds are
 * kept). `path` is the scenario key naming the column; a bad cell is named by row, not shown.
 */
export function readTraceTimes(table: TraceTable, column: string, unit: TimeUnit, path: string): Float64Array {
  const index = traceColumn(table, column, path);
  const rows = table.rows;
  if (rows.length === 0) throw new InputError(table.file, [{ path, value: column, expected: "a trace with at least one row below its header" }]);
  const scale = parseDuration(1, unit) as number;
  // Date-times are kept as whole milliseconds since the epoch plus a fraction, and each part is
  // subtracted from the first row's separately: epoch milliseconds leave a double no room for
  // sub-millisecond digits.
  const whole = new Float64Array(rows.length);
  const fraction = new Float64Array(rows.length);
  for (let row = 0; row < rows.length; row++) {
    const cell = rows[row][index] ?? "";
    const parts = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cell) ? [Number(cell) * scale, 0] : parseDateTimeMs(cell);
    if (!Number.isFinite(parts[0] + parts[1])) {
      throw new InputError(table.file, [{ path, value: column, expected: `a number or a date-time in every row of column "${column}" (row ${row + 2} of the file is neither)` }]);
    }
    whole[row] = parts[0];
    fraction[row] = parts[1];
  }
  const times = new Float64Array(whole.length);
  for (let i = 0; i < times.length; i++) {
    times[i] = whole[i] - whole[0] + (fraction[i] - fraction[0]);
    if (i > 0 && times[i] < times[i - 1]) {
      throw new InputError(table.file, [{ path, value: column, expected: `rows in time order (row ${i + 2} of the file is earlier than row ${i + 1})` }]);
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
