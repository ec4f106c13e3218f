import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";
import { readTraceTimes } from "../scenario/trace.js";
import type { TimeUnit } from "../random/duration.js";

/** Rows of an LLM request trace (the Azure LLM inference trace format: TIMESTAMP, ContextTokens, GeneratedTokens). */
export interface QueryTrace {
  /** ms from the first row. */
  readonly times: Float64Array;
  readonly promptTokens: Float64Array;
  readonly outputTokens: Float64Array;
}

export function readQueryTrace(
  file: string,
  columns: { time: string; prompt: string; output: string },
  unit: TimeUnit,
  path: string,
): QueryTrace {
  const times = readTraceTimes(file, columns.time, unit, `${path}.timeColumn`);
  const lines = readFileSync(file, "utf8")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "");
  const header = lines[0].split(",").map((name) => name.trim());
  const column = (name: string, key: string): Float64Array => {
    const index = header.indexOf(name);
    if (index < 0) throw new InputError(file, [{ path: `${path}.${key}`, value: name, expected: `a column of the trace (columns: ${header.join(", ")})` }]);
    const values = new Float64Array(lines.length - 1);
    for (let row = 1; row < lines.length; row++) {
      const cell = (lines[row].split(",")[index] ?? "").trim();
      const value = Number(cell);
      if (cell === "" || !Number.isInteger(value) || value < 0) {
        throw new InputError(file, [{ path: `${path}.${key}`, value: cell, expected: `a whole number of tokens in column "${name}", row ${row + 1}` }]);
      }
      values[row - 1] = value;
    }
    return values;
  };
  return { times, promptTokens: column(columns.prompt, "promptColumn"), outputTokens: column(columns.output, "outputColumn") };
}
