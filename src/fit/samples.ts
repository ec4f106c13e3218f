import { InputError } from "../errors.js";
import { TIME_UNITS_MS, type TimeUnit } from "../random/duration.js";
import { CsvSyntaxError, parseCsv } from "../io/csv.js";
import { printable } from "../text/printable.js";

export type SampleFormat = "ping" | "csv" | "whitespace";

export interface SampleColumn {
  /** Samples in milliseconds, in file order. */
  values: number[];
  format: SampleFormat;
  /** The header name that matched. */
  column: string;
  /** Rows whose cell was empty or not a finite number (skipped, counted so the user sees them). */
  skipped: number;
}

/** `time=12.3 ms` in a line of Linux `ping` output; ping prints the unit, which overrides --unit. */
const PING_TIME = /\btime[=<]([0-9]*\.?[0-9]+(?:e[-+]?\d+)?)\s*(ms|s|us|ns)?\b/i;

/**
 * Reads one numeric column, converted to milliseconds. Three layouts are recognised:
 * raw Linux `ping` output (column `time`, from `time=… ms`), CSV with a header line, and
 * whitespace-separated text with a header line. A header cell matches NAME exactly or with a unit
 * suffix in parentheses (`delay(ms)` matches `delay`), so the CICV5G traces need no editing.
 */
export function readSampleColumn(text: string, source: string, column: string, unit: TimeUnit = "ms"): SampleColumn {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
  if (lines.length === 0) throw new InputError(source, [{ path: "", value: "", expected: "a file with a header line and samples (it is empty)" }]);
  if (isPingOutput(lines)) return readPing(lines, source, column);
  const format: SampleFormat = lines[0].includes(",") ? "csv" : "whitespace";
  const rows = format === "csv" ? csvRows(lines, source) : lines.map((line) => line.trim().split(/\s+/));
  const names = rows[0] ?? [];
  const index = findColumn(names, column);
  if (index < 0) {
    throw new InputError(source, [{ path: "--column", value: column, expected: `a column of the header (columns: ${printable(names.join(", "))})` }]);
  }
  const factor = TIME_UNITS_MS[unit];
  const values: number[] = [];
  let skipped = 0;
  for (let i = 1; i < rows.length; i++) {
    const cell = rows[i][index];
    const value = cell === undefined || cell.trim() === "" ? NaN : Number(cell);
    if (Number.isFinite(value)) values.push(value * factor);
    else skipped++;
  }
  return checked({ values, format, column: names[index], skipped }, source);
}

/** The lines (blank and `#` lines already dropped) as CSV records; a CSV mistake is bad input, named by line and kind only. */
function csvRows(lines: string[], source: string): string[][] {
  try {
    return parseCsv(lines.join("\n"));
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new InputError(source, [
        { path: "", value: undefined, problem: `${error.message} (counting lines that are not blank or comments)`, expected: "comma-separated values with a header line" },
      ]);
    throw error;
  }
}

function isPingOutput(lines: string[]): boolean {
  return /^PING\s/.test(lines[0]) || lines.slice(0, 5).some((line) => /icmp_seq=/.test(line));
}

function readPing(lines: string[], source: string, column: string): SampleColumn {
  if (column !== "time") {
    throw new InputError(source, [{ path: "--column", value: column, expected: 'time (the file is ping output: the only column is "time", from time=… ms)' }]);
  }
  const values: number[] = [];
  let skipped = 0;
  for (const line of lines) {
    if (!/icmp_seq=/.test(line)) continue; // the PING banner and the statistics footer
    const match = PING_TIME.exec(line);
    if (match === null) {
      skipped++; // "Destination Host Unreachable" and similar replies without a time
      continue;
    }
    const value = Number(match[1]) * TIME_UNITS_MS[(match[2]?.toLowerCase() ?? "ms") as TimeUnit];
    if (Number.isFinite(value)) values.push(value);
    else skipped++;
  }
  return checked({ values, format: "ping", column: "time", skipped }, source);
}

function checked(result: SampleColumn, source: string): SampleColumn {
  if (result.values.length === 0) {
    throw new InputError(source, [{ path: "--column", value: result.column, expected: `a column with numeric samples (found none; ${result.skipped} non-numeric rows)` }]);
  }
  return result;
}

function findColumn(names: string[], column: string): number {
  const exact = names.indexOf(column);
  if (exact >= 0) return exact;
  const wanted = column.toLowerCase();
  return names.findIndex((name) => name.toLowerCase() === wanted || name.toLowerCase().replace(/\s*\(.*\)\s*$/, "") === wanted);
}
