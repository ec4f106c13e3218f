import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { InputError } from "../errors.js";
import { suggestName } from "../text/nearest-name.js";
import { CsvSyntaxError, parseCsv } from "./csv.js";

/**
 * The one way a scenario's trace file is read (edge `trace` workloads and language-model
 * `query-trace` workloads): path resolution, the file checks, the CSV header, and the rule that an
 * error never shows the file's content. A scenario can name any path, so a mistyped or hostile
 * path (`../../../../etc/passwd`, `/etc/shadow`, `/dev/zero`) must not have its bytes echoed,
 * hang the process or exhaust memory.
 */

/** The largest trace read, in bytes: a week of the public Azure LLM inference traces is well under it. */
export const MAX_TRACE_BYTES = 256 * 1024 * 1024;

/** A CSV trace split into its header names and data rows (cells trimmed, blank lines dropped). */
export interface TraceTable {
  /** The resolved path, for messages. */
  readonly file: string;
  /** Header names, or undefined when the first line does not look like a header row (its content is then never shown). */
  readonly header: readonly string[] | undefined;
  readonly rows: readonly string[][];
}

/** Paths already warned about, so a sweep's many resolutions of one scenario warn once per thread. */
const warnedOutside = new Set<string>();

/**
 * Reads a CSV trace named in a scenario: `given` is resolved against `baseDir` (the scenario
 * file's folder). Refused at `path` (the `.file` key) before reading: a missing or unreadable
 * file, anything but a regular file (a device such as /dev/zero, a FIFO, a folder), and a file
 * larger than MAX_TRACE_BYTES. A path that leaves the scenario's folder tree is read, with a
 * warning on stderr naming it (traces/README.md says why it is not refused).
 */
export function readTraceTable(given: string, baseDir: string, path: string): TraceTable {
  const file = resolve(baseDir, given);
  const fail = (expected: string): never => {
    throw new InputError(file, [{ path, value: given, expected }]);
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return fail(`a readable trace file (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  let text: string;
  try {
    // fstat on the opened descriptor: what is checked is what is read.
    const stat = fstatSync(fd);
    if (!stat.isFile()) fail(`a regular file (this is ${kindOf(stat)})`);
    if (stat.size > MAX_TRACE_BYTES) fail(`a trace of at most ${MAX_TRACE_BYTES} bytes (${MAX_TRACE_BYTES / 2 ** 20} MiB); this one has ${stat.size} bytes`);
    text = readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
  warnIfOutside(file, baseDir, path);
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return fail(`a CSV trace (${error.message})`);
    throw error;
  }
  const first = records[0] ?? [];
  const header = first.length > 0 && first.every(isHeaderName) ? first : undefined;
  return { file, header, rows: records.slice(1) };
}

/**
 * The index of `column` in the trace's header; bad input at `path` (the scenario key that names
 * the column) otherwise. The header's names are shown only when they parsed as names; anything
 * else in the file is never shown.
 */
export function traceColumn(table: TraceTable, column: string, path: string): number {
  const index = table.header?.indexOf(column) ?? -1;
  if (index >= 0) return index;
  const expected =
    table.header === undefined
      ? `a column of the trace's header row, but the file has no header row with column "${column}" (its first line is not a row of column names)`
      : `a column of the trace (${suggestName(column, table.header)})`;
  throw new InputError(table.file, [{ path, value: column, expected }]);
}

/** A header name: letters, digits and the punctuation real headers use (`delay(ms)`, `Total Tokens`), starting with a letter or _. */
function isHeaderName(name: string): boolean {
  return /^[A-Za-z_][\w .()[\]/%#-]{0,63}$/.test(name);
}

function kindOf(stat: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

function warnIfOutside(file: string, baseDir: string, path: string): void {
  const inside = relative(resolve(baseDir), file);
  if (!(inside.split(sep)[0] === ".." || isAbsolute(inside)) || warnedOutside.has(file)) return;
  warnedOutside.add(file);
  process.stderr.write(`simulate: warning: ${path} reads ${file}, outside the scenario's folder ${resolve(baseDir)}\n`);
}
