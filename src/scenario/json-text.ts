import { readFileSync } from "node:fs";
import { InputError, jsonPath, type InputIssue } from "../errors.js";

/**
 * The one JSON reader for every file the tool reads (scenarios, sweeps, hardware profiles, results
 * given to `report`). JSON.parse alone accepts a duplicated key silently (the last value wins),
 * fails on a byte-order mark, says nothing useful about comments, and builds values so deep that
 * the recursive code after it (zod, structuredClone, key walks) overflows the stack. So a small
 * iterative scanner looks at the text first, with positions, and JSON.parse builds the value once
 * the scan found nothing wrong.
 */

/** Arrays and objects nested deeper than this are refused before any recursive processing; a scenario needs about 6. */
export const MAX_JSON_DEPTH = 64;

/** Reads a JSON file; `what` names it in errors ("scenario file", "sweep file", ...). Throws InputError. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(file, [{ path: "", value: file, expected: `a readable ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }]);
  }
  return parseJsonText(file, text);
}

/** Parses JSON text: a leading byte-order mark is ignored; comments, duplicated keys, excessive nesting and syntax errors are InputErrors with line and column. */
export function parseJsonText(source: string, text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") throw new InputError(source, [{ path: "", value: "", expected: "a JSON object (the file is empty)" }]);
  const issues = scanJson(body);
  if (issues.length > 0) throw new InputError(source, issues);
  try {
    return JSON.parse(body);
  } catch (error) {
    // V8 says "... in JSON at position 14" (and, in newer versions, "(line 1 column 15)"): one position, in lines and columns.
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const offset = position !== null ? Number(position[1]) : /end of JSON input/.test(message) ? body.length : undefined;
    const what = message.replace(/,? in JSON at position \d+.*$/s, "").replace(/ \(line \d+ column \d+\)$/, "");
    throw new InputError(source, [{ path: "", value: undefined, problem: `not valid JSON${offset === undefined ? "" : ` at ${lineColumn(body, offset)}`}`, expected: what }]);
  }
}

interface Frame {
  readonly kind: "object" | "array";
  /** Object keys seen so far, with the offset of each. */
  readonly keys: Map<string, number>;
  /** The key whose value is being read (objects), or the index of the current item (arrays). */
  segment: string | number | undefined;
  expectingKey: boolean;
}

/**
 * Walks the text once, without recursion, and returns the problems JSON.parse would not report
 * well: comments, duplicated keys, nesting deeper than MAX_JSON_DEPTH. Grammar errors are left to
 * JSON.parse: on anything it does not understand the scan stops with what it has found so far.
 */
export function scanJson(text: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const stack: Frame[] = [];
  /** The path of the innermost open object or array, plus `last`. */
  const pathHere = (last?: string | number): string => {
    const segments: (string | number)[] = [];
    for (let f = 0; f < stack.length - 1; f++) segments.push(stack[f].segment as string | number);
    if (last !== undefined) segments.push(last);
    return jsonPath(segments);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "/") {
      const next = text[i + 1];
      if (next !== "/" && next !== "*") return issues;
      issues.push({ path: pathHere(), value: undefined, problem: `JSON has no comments: "${c}${next}" at ${lineColumn(text, i)}`, expected: "remove the comment" });
      if (next === "/") {
        const end = text.indexOf("\n", i);
        i = end < 0 ? text.length : end + 1;
      } else {
        const end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length : end + 2;
      }
    } else if (c === "{" || c === "[") {
      if (stack.length >= MAX_JSON_DEPTH) {
        // One message for the whole excess: everything deeper is the same mistake.
        return [
          ...issues,
          {
            // The position says where; a path 64 segments long would not help.
            path: "",
            value: undefined,
            problem: `nested deeper than ${MAX_JSON_DEPTH} levels at ${lineColumn(text, i)}`,
            expected: `at most ${MAX_JSON_DEPTH} levels of arrays and objects (a scenario needs about 6)`,
          },
        ];
      }
      stack.push({ kind: c === "{" ? "object" : "array", keys: new Map(), segment: c === "[" ? 0 : undefined, expectingKey: c === "{" });
      i++;
    } else if (c === "}" || c === "]") {
      stack.pop();
      i++;
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.kind === "object") {
        top.expectingKey = true;
        top.segment = undefined;
      } else if (top?.kind === "array") top.segment = (top.segment as number) + 1;
      i++;
    } else if (c === ":") {
      i++;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return issues;
      const top = stack[stack.length - 1];
      if (top?.kind === "object" && top.expectingKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end)) as string;
        } catch {
          return issues;
        }
        const first = top.keys.get(key);
        if (first !== undefined) {
          issues.push({
            path: pathHere(key),
            value: undefined,
            problem: `duplicate key "${key}" at ${lineColumn(text, i)} (first at ${lineColumn(text, first)})`,
            expected: "each key once per object (a JSON reader would silently keep only the last value)",
          });
        } else top.keys.set(key, i);
        top.segment = key;
        top.expectingKey = false;
      }
      i = end;
    } else {
      // A number or a literal (true, false, null), or a grammar error JSON.parse will describe.
      i++;
      while (i < text.length && !' \t\n\r,:[]{}"/'.includes(text[i])) i++;
    }
  }
  return issues;
}

/** The offset just after the closing quote of the string opening at `start`, or -1 when it does not close. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else if (c === "\n") return -1;
    else i++;
  }
  return -1;
}

/** "line 3, column 7" (both from 1) of an offset into `text`. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf("\n"); at >= 0 && at < offset; at = text.indexOf("\n", at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}
