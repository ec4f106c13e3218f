import { AtomicLineWriter } from "./atomic-file.js";

/**
 * The one CSV writer (the per-job `--tasks` file of every workload family). Hand-written rather
 * than csv-stringify (csv-parse's sibling, not a dependency): RFC 4180 quoting is a few lines, and
 * rows are streamed one at a time from the run's sink, synchronously, into the atomic line writer,
 * where csv-stringify's sync API formats whole documents and its streaming API is asynchronous.
 */

/** A cell: text, a number (NaN: an empty cell, "no value"), or a flag (1 / 0). */
export type CsvValue = string | number | boolean;

/**
 * Text as one RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF (quotes
 * doubled), and also when it begins or ends with white space, which readers that trim cells (ours,
 * src/io/csv.ts, included) would otherwise drop.
 */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (no line break) of the given cells. */
export function csvLine(cells: readonly CsvValue[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (i > 0) line += ",";
    if (typeof cell === "string") line += csvField(cell);
    else if (typeof cell === "boolean") line += cell ? "1" : "0";
    else if (!Number.isNaN(cell)) line += String(cell);
  }
  return line;
}

/**
 * A CSV file written atomically (src/io/atomic-file.ts): the header at once, then one row per
 * call; every row must have the header's number of cells. Nothing appears at `file` until
 * `commit`; `abort` leaves the previous file, if any, as it was.
 */
export class CsvFileWriter {
  private readonly lines: AtomicLineWriter;

  constructor(
    readonly file: string,
    private readonly columns: readonly string[],
  ) {
    this.lines = new AtomicLineWriter(file);
    this.lines.writeLine(csvLine(columns));
  }

  row(cells: readonly CsvValue[]): void {
    if (cells.length !== this.columns.length) throw new Error(`CSV row of ${cells.length} cells for ${this.columns.length} columns (${this.file})`);
    this.lines.writeLine(csvLine(cells));
  }

  commit(): void {
    this.lines.commit();
  }

  abort(): void {
    this.lines.abort();
  }
}
