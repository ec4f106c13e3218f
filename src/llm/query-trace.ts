import { InputError } from "../errors.js";
import { readTraceTable, traceColumn } from "../io/trace-file.js";
import { readTraceTimes } from "../scenario/trace.js";
import type { TimeUnit } from "../random/duration.js";

/** Rows of an LLM request trace (the Azure LLM inference trace format: TIMESTAMP, ContextTokens, GeneratedTokens). */
export interface QueryTrace {
  /** ms from the first row. */
  readonly times: Float64Array;
  readonly promptTokens: Float64Array;
  readonly outputTokens: Float64Array;
}

/**
 * Reads a query trace named at `path` (the workload; `file` is relative to `baseDir`, the
 * scenario's folder). Each column error is at the key naming the column; a token count that is
 * not a whole number >= 0 is refused, naming its row (the cell itself is not shown).
 */
export function readQueryTrace(file: string, baseDir: string, columns: { time: string; prompt: string; output: string }, unit: TimeUnit, path: string): QueryTrace {
  const table = readTraceTable(file, baseDir, `${path}.file`);
  const times = readTraceTimes(table, columns.time, unit, `${path}.timeColumn`);
  const column = (name: string, key: string): Float64Array => {
    const index = traceColumn(table, name, `${path}.${key}`);
    const values = new Float64Array(table.rows.length);
    table.rows.forEach((row, r) => {
      const cell = row[index] ?? "";
      const value = Number(cell);
      if (cell === "" || !Number.isInteger(value) || value < 0) {
        throw new InputError(table.file, [
          { path: `${path}.${key}`, value: name, expected: `a whole number of tokens (0 or more) in every row of column "${name}" (row ${r + 2} of the file is not)` },
        ]);
      }
      values[r] = value;
    });
    return values;
  };
  return { times, promptTokens: column(columns.prompt, "promptColumn"), outputTokens: column(columns.output, "outputColumn") };
}
