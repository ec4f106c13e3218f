import { createRequire } from "node:module";
import type * as CsvParseSync from "csv-parse/sync";

/**
 * csv-parse is required on the first CSV read, not imported: its ES build is ten modules a run
 * without traces would load for nothing (start-up, docs/performance.md); the CommonJS build the
 * same package ships for `require` is the same parser in one file, and a require can be lazy
 * where the callers (trace readers, resolving a scenario) are synchronous.
 */
let csvParse: typeof CsvParseSync.parse | undefined;
function csvParser(): typeof CsvParseSync.parse {
  csvParse ??= (createRequire(import.meta.url)("csv-parse/sync") as typeof CsvParseSync).parse;
  return csvParse;
}

/**
 * The one CSV reader (traces, `simulate fit`): csv-parse, RFC 4180 quoting included (a quoted cell
 * may hold commas, doubled quotes and line breaks), cells trimmed, blank lines and all-blank
 * records dropped, rows of any length (a short row is the caller's to report, at its column).
 */

/** A CSV that does not parse: where, and what kind of mistake, never the file's content. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`not valid CSV at line ${line}: ${reason}`);
    this.name = "CsvSyntaxError";
  }
}

/** csv-parse's error codes in words; its own messages quote the offending cell, which must not reach the terminal. */
const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted cell is never closed",
  CSV_INVALID_CLOSING_QUOTE: "a quote inside an unquoted cell",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "text after a closing quote",
  CSV_MAX_RECORD_SIZE: "a record too large",
};

/** Parses CSV text into rows of trimmed cells; `comments` drops lines that start with `#`. */
export function parseCsv(text: string, options: { comments?: boolean } = {}): string[][] {
  try {
    return csvParser()(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      ...(options.comments === true ? { comment: "#", comment_no_infix: true } : {}),
    }) as string[][];
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    throw new CsvSyntaxError(lines ?? 0, REASONS[code ?? ""] ?? "the file is not comma-separated values");
  }
}
