import { InputError, type InputIssue } from "../../errors.js";
import { readTraceTable, type TraceTable, traceColumn } from "../../io/trace-file.js";
import type { TraceSample } from "./models.js";

/** The columns of a mobility trace: time in seconds from the start of the run, device id, x and y in metres. */
export const MOBILITY_TRACE_COLUMNS = ["time", "device", "x", "y"] as const;

/**
 * Reads a position trace named in a scenario (through the one trace-file reader, so the same
 * path, size and no-echo rules hold) into each device's samples, time in ms, in time order.
 */
export function readMobilityTrace(given: string, baseDir: string, path: string): Map<string, TraceSample[]> {
  return mobilityTraceSamples(readTraceTable(given, baseDir, path), path);
}

/**
 * Each device's samples from a parsed trace table. Rows may come in any order (devices
 * interleaved); a device's samples are sorted by time, and two samples of one device at the same
 * time are refused (the position there would be ambiguous). Devices come out in sorted id order.
 */
export function mobilityTraceSamples(table: TraceTable, path: string): Map<string, TraceSample[]> {
  const [time, device, x, y] = MOBILITY_TRACE_COLUMNS.map((column) => traceColumn(table, column, path));
  const issues: InputIssue[] = [];
  const byDevice = new Map<string, TraceSample[]>();
  table.rows.forEach((row, index) => {
    const line = index + 2;
    const values = [time, x, y].map((column) => Number(row[column] ?? ""));
    const id = row[device] ?? "";
    if (id === "" || values.some((value, k) => !Number.isFinite(value) || (row[[time, x, y][k]] ?? "") === "")) {
      issues.push({ path, value: `row ${line}`, expected: "a device id and finite numbers for time (s), x and y (m) in every row" });
      return;
    }
    const samples = byDevice.get(id) ?? [];
    samples.push({ time: values[0] * 1000, x: values[1], y: values[2] });
    byDevice.set(id, samples);
  });
  if (table.rows.length === 0) issues.push({ path, value: table.file, expected: "a trace with at least one row below its header" });
  const out = new Map<string, TraceSample[]>();
  for (const id of [...byDevice.keys()].sort()) {
    const samples = (byDevice.get(id) as TraceSample[]).sort((a, b) => a.time - b.time);
    for (let i = 1; i < samples.length; i++) {
      if (samples[i].time === samples[i - 1].time) {
        issues.push({ path, value: id, expected: `one sample per device and time (device "${id}" has two at ${samples[i].time / 1000} s)` });
        break;
      }
    }
    out.set(id, samples);
  }
  if (issues.length > 0) throw new InputError(table.file, issues);
  return out;
}
