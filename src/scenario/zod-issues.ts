import type * as z from "zod";
import { jsonPath, type InputIssue } from "../errors.js";

/**
 * Turns zod's issues into InputIssues that name the JSON path, the value found there and what
 * was expected, in words a scenario author understands.
 */
export function toInputIssues(error: z.ZodError, input: unknown): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const issue of error.issues) collect(issue, input, issues);
  return dedupe(issues);
}

type ZodIssue = z.core.$ZodIssue;

function collect(issue: ZodIssue, input: unknown, out: InputIssue[]): void {
  const path = jsonPath(issue.path);
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      for (const key of issue.keys) {
        out.push({
          path: path === "" ? key : `${path}.${key}`,
          value: valueAt(input, [...issue.path, key]),
          expected: "no such key here (unknown keys are errors so that typos do not pass silently)",
        });
      }
      return;
    case "invalid_union": {
      const best = mostSpecificBranch(issue.errors);
      if (best !== undefined) {
        for (const branchIssue of best) collect({ ...branchIssue, path: [...issue.path, ...branchIssue.path] }, input, out);
        return;
      }
      const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
      if (discriminator !== undefined) {
        const known = (options ?? []).map((option) => JSON.stringify(option)).join(", ");
        out.push({ path, value, expected: `one of the known "${discriminator}" values: ${known}` });
        return;
      }
      out.push({ path, value, expected: describeUnion(issue.errors) });
      return;
    }
    case "invalid_type":
      out.push({ path, value, expected: value === undefined ? `a ${issue.expected} here (required)` : `a ${issue.expected}` });
      return;
    case "invalid_value":
      out.push({ path, value, expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` });
      return;
    case "too_small":
      out.push({ path, value, expected: describeBound(issue.origin, issue.minimum, issue.inclusive, "at least", "more than") });
      return;
    case "too_big":
      out.push({ path, value, expected: describeBound(issue.origin, issue.maximum, issue.inclusive, "at most", "less than") });
      return;
    default:
      out.push({ path, value, expected: stripPrefix(issue.message) });
  }
}

/** In a failed union, the branch that got furthest into the value is the one the author meant. */
function mostSpecificBranch(branches: ZodIssue[][]): ZodIssue[] | undefined {
  let best: ZodIssue[] | undefined;
  let bestDepth = 0;
  for (const branch of branches) {
    if (branch.length === 0) continue;
    const depth = Math.min(...branch.map(issueDepth));
    if (depth > bestDepth) {
      best = branch;
      bestDepth = depth;
    }
  }
  return best;
}

function issueDepth(issue: ZodIssue): number {
  // An unknown key or a discriminator mismatch inside an object means that object's shape was recognised.
  if (issue.code === "unrecognized_keys") return issue.path.length + 1;
  if (issue.code === "invalid_union" && (issue as { discriminator?: string }).discriminator !== undefined) return issue.path.length + 1;
  if (issue.code === "invalid_type" && issue.expected === "object") return issue.path.length;
  return issue.path.length + (issue.code === "invalid_type" ? 0 : 1);
}

function describeUnion(branches: ZodIssue[][]): string {
  const kinds = new Set<string>();
  for (const branch of branches) {
    for (const issue of branch) {
      if (issue.code === "invalid_type") kinds.add(`a ${issue.expected}`);
      else kinds.add(stripPrefix(issue.message));
    }
  }
  return kinds.size > 0 ? `one of: ${[...kinds].join("; ")}` : "a value of another form";
}

function describeBound(origin: string, bound: unknown, inclusive: boolean | undefined, inclusiveWord: string, exclusiveWord: string): string {
  const word = inclusive === false ? exclusiveWord : inclusiveWord;
  const what = origin === "array" ? "items" : origin === "string" ? "characters" : "";
  return what === "" ? `a number ${word} ${String(bound)}` : `${word} ${String(bound)} ${what}`;
}

function stripPrefix(message: string): string {
  return message.replace(/^Invalid input: /, "").replace(/^expected /, "");
}

export function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function dedupe(issues: InputIssue[]): InputIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
