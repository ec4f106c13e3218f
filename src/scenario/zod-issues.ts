import type * as z from "zod";
import { jsonPath, type InputIssue } from "../errors.js";
import { nearestName, suggestName } from "../text/nearest-name.js";

/**
 * Turns zod's issues into InputIssues that name the JSON path, the value found there and what
 * was expected, in words a scenario author understands. With `schema` (the one that was parsed)
 * an unknown key suggests the nearest valid key of its object, and an unknown key that is the
 * nearest name of a missing required key of the same object replaces the "missing" issue: one
 * typo, one message.
 */
export function toInputIssues(error: z.ZodError, input: unknown, schema?: z.ZodType): InputIssue[] {
  const found: Found[] = [];
  for (const issue of error.issues) collect(issue, input, found);
  const missing = new Set(found.filter((f) => f.kind === "missing").map((f) => f.issue.path));
  const validKeys = (entry: Extract<Found, { kind: "unknown" }>): string[] | undefined => (schema === undefined ? undefined : objectKeysAt(schema, input, entry.parent));
  const replaced = new Set<string>();
  for (const entry of found) {
    if (entry.kind !== "unknown") continue;
    const valid = validKeys(entry);
    const near = valid === undefined ? undefined : nearestName(entry.key, valid);
    if (near !== undefined && missing.has(jsonPath([...entry.parent, near]))) replaced.add(jsonPath([...entry.parent, near]));
  }
  const issues: InputIssue[] = [];
  for (const entry of found) {
    if (entry.kind === "missing" && replaced.has(entry.issue.path)) continue;
    if (entry.kind !== "unknown") {
      issues.push(entry.issue);
      continue;
    }
    const valid = validKeys(entry);
    issues.push({
      ...entry.issue,
      problem: "no such key",
      expected: valid === undefined ? "unknown keys are errors so that typos do not pass silently" : suggestName(entry.key, valid),
    });
  }
  return issues;
}

type ZodIssue = z.core.$ZodIssue;

type Found = { kind: "unknown"; issue: InputIssue; parent: PropertyKey[]; key: string } | { kind: "missing" | "other"; issue: InputIssue };

function collect(issue: ZodIssue, input: unknown, out: Found[]): void {
  const path = jsonPath(issue.path);
  const value = valueAt(input, issue.path);
  const push = (expected: string): void => {
    out.push({ kind: value === undefined ? "missing" : "other", issue: { path, value, expected } });
  };
  switch (issue.code) {
    case "unrecognized_keys":
      for (const key of issue.keys) {
        out.push({ kind: "unknown", parent: [...issue.path], key, issue: { path: jsonPath([...issue.path, key]), value: valueAt(input, [...issue.path, key]), expected: "" } });
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
        const known = (options ?? []).map(String);
        push(value === undefined ? `a "${discriminator}": one of ${known.join(", ")}` : `a known "${discriminator}": ${suggestName(String(value), known)}`);
        return;
      }
      push(value === undefined ? `${describeUnion(issue.errors)} (required)` : describeUnion(issue.errors));
      return;
    }
    case "invalid_type":
      push(value === undefined ? `${typeName(issue.expected)} here (required)` : typeName(issue.expected));
      return;
    case "invalid_value": {
      const known = issue.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
      push(typeof value === "string" ? `a known value: ${suggestName(value, known)}` : `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`);
      return;
    }
    case "too_small":
      push(describeBound(issue.origin, issue.minimum, issue.inclusive, "at least", "more than"));
      return;
    case "too_big":
      push(describeBound(issue.origin, issue.maximum, issue.inclusive, "at most", "less than"));
      return;
    default:
      push(stripPrefix(issue.message));
  }
}

/** zod's type names in words, with the right article: "an integer", "an object". */
export function typeName(expected: string): string {
  const words: Record<string, string> = {
    int: "an integer",
    number: "a number",
    string: "a string",
    boolean: "true or false",
    object: "an object",
    array: "an array",
    null: "null",
    bigint: "an integer",
    tuple: "an array",
    record: "an object",
  };
  return words[expected] ?? `${/^[aeiou]/i.test(expected) ? "an" : "a"} ${expected}`;
}

/**
 * In a failed union, the branch that got furthest into the value is the one the author meant; of
 * branches equally far, the one that recognises most of the object's keys (a uniform spec with a
 * misspelt key, rather than a preset spec that knows none of them), then the one with fewest issues.
 */
function mostSpecificBranch(branches: ZodIssue[][]): ZodIssue[] | undefined {
  let best: ZodIssue[] | undefined;
  let bestRank: number[] = [0];
  for (const branch of branches) {
    if (branch.length === 0) continue;
    const unknownKeys = branch.reduce((sum, issue) => sum + (issue.code === "unrecognized_keys" ? issue.keys.length : 0), 0);
    const rank = [Math.min(...branch.map(issueDepth)), -unknownKeys, -branch.length];
    if (compareRanks(rank, bestRank) > 0) {
      best = branch;
      bestRank = rank;
    }
  }
  return best;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -Infinity) - (b[i] ?? -Infinity);
    if (d !== 0) return d;
  }
  return 0;
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
      if (issue.code === "invalid_type") kinds.add(typeName(issue.expected));
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

/** The parts of a zod schema definition the key lookup reads. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  getter?: () => z.core.$ZodType;
  options?: z.core.$ZodType[];
  discriminator?: string;
  element?: z.core.$ZodType;
  items?: z.core.$ZodType[];
  rest?: z.core.$ZodType | null;
  valueType?: z.core.$ZodType;
  values?: unknown[];
}

const defOf = (schema: z.core.$ZodType): SchemaDef => schema._zod.def as unknown as SchemaDef;

/** A schema without its wrappers (optional, default, transform, ...). */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (let guard = 0; guard < 100; guard++) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === "pipe" ? def.in : undefined) ?? (def.type === "lazy" ? def.getter?.() : undefined);
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

/** Of a union's options, the one meant for `value`: the one its discriminator names, else the object option sharing most keys with it. */
function unionOption(def: SchemaDef, value: unknown): z.core.$ZodType | undefined {
  return rankedOption(def, value)?.schema;
}

function rankedOption(def: SchemaDef, value: unknown): { schema: z.core.$ZodType; score: number } | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  let best: { schema: z.core.$ZodType; score: number } | undefined;
  for (const option of def.options ?? []) {
    const inner = unwrap(option);
    const innerDef = defOf(inner);
    let candidate: { schema: z.core.$ZodType; score: number } | undefined;
    if (innerDef.type === "union") candidate = rankedOption(innerDef, value);
    else if (innerDef.shape !== undefined) {
      const tag = def.discriminator === undefined ? undefined : innerDef.shape[def.discriminator];
      if (tag !== undefined) {
        // A discriminated option is meant exactly when its tag matches.
        if ((defOf(unwrap(tag)).values ?? []).includes(record[def.discriminator as string])) candidate = { schema: inner, score: Infinity };
      } else candidate = { schema: inner, score: Object.keys(record).filter((key) => key in (innerDef.shape as object)).length };
    }
    if (candidate !== undefined && (best === undefined || candidate.score > best.score)) best = candidate;
  }
  return best;
}

/** The keys the object at `path` may have, or undefined when the schema does not say (or the path leaves it). */
export function objectKeysAt(schema: z.core.$ZodType, input: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.core.$ZodType | undefined = unwrap(schema);
  let value = input;
  let step = 0;
  for (let guard = 0; current !== undefined && guard < 10_000; guard++) {
    const def = defOf(current);
    if (def.type === "union") {
      current = unionOption(def, value);
      if (current !== undefined) current = unwrap(current);
      continue;
    }
    if (step === path.length) return def.shape === undefined ? undefined : Object.keys(def.shape);
    const segment = path[step];
    if (def.shape !== undefined) current = def.shape[String(segment)];
    else if (def.element !== undefined) current = def.element;
    else if (def.items !== undefined) current = def.items[Number(segment)] ?? def.rest ?? undefined;
    else if (def.valueType !== undefined) current = def.valueType;
    else return undefined;
    if (current !== undefined) current = unwrap(current);
    value = valueAt(value, [segment]);
    step++;
  }
  return undefined;
}
