import { createRequire } from "node:module";
import type * as MathJs from "mathjs";
import type { InputIssue } from "../errors.js";
import { nearestName, suggestName } from "../text/nearest-name.js";
import { tidyNumber } from "./axis-values.js";
import type { Cell, JsonValue } from "./plan-types.js";
import { type DerivedDocument, SYMBOL_PATTERN } from "./sweep-schema.js";

/*
 * Derived sweep parameters: `{ "name", "path", "expression" }`, a mathjs expression evaluated once
 * per cell with the axis values (by axis name) and the earlier derived values in scope. mathjs and
 * its dependencies take a noticeable share of start-up, so it is loaded here, on first use, and a
 * sweep without expressions never loads it (test/sweep/derived-lazy.test.ts checks this).
 * It is loaded with require, not import(): planning a sweep stays synchronous for every caller.
 */

type MathInstance = MathJs.MathJsInstance;

let math: { instance: MathInstance; parse: MathInstance["parse"] } | undefined;

/** A private mathjs instance with the functions that change it (import, createUnit) or evaluate text disabled: an expression can only compute. */
function loadMath(): { instance: MathInstance; parse: MathInstance["parse"] } {
  if (math !== undefined) return math;
  const mathjs = createRequire(import.meta.url)("mathjs") as typeof MathJs;
  const instance = mathjs.create(mathjs.all);
  // Taken before the override below disables it for expressions (the mathjs security guide's recipe).
  const parse = instance.parse;
  const disabled = (name: string) => () => {
    throw new Error(`function ${name} is not available in a sweep expression`);
  };
  instance.import(Object.fromEntries(["import", "createUnit", "evaluate", "parse", "simplify", "derivative", "compile", "reviver"].map((name) => [name, disabled(name)])), { override: true });
  math = { instance, parse };
  return math;
}

/** The values of every derived parameter, cell by cell (`values[d][c]`), or the issues that stop the sweep. */
export interface DerivedValues {
  values: JsonValue[][];
  issues: InputIssue[];
}

/**
 * Evaluates each expression for every cell, in the order listed (a later expression may use an
 * earlier one's name). What can be seen without evaluating (a syntax error, an unknown name) is
 * reported for every expression at once; evaluation then stops at the first failure, named with
 * its cell's values, since a missing value would fail every later expression that uses it.
 * Deterministic: plain double arithmetic on a private mathjs instance.
 */
export function evaluateDerived(documents: readonly DerivedDocument[], axisNames: readonly string[], cells: readonly Cell[]): DerivedValues {
  if (documents.length === 0) return { values: [], issues: [] };
  const { instance, parse } = loadMath();
  const issues: InputIssue[] = [];
  const values: JsonValue[][] = documents.map(() => []);
  const scopeNames = [...axisNames];
  const compiled = documents.map((derived, d) => {
    const path = `derived[${d}].expression`;
    let node: MathJs.MathNode;
    try {
      node = parse(derived.expression);
    } catch (error) {
      issues.push({ path, value: derived.expression, expected: `an expression mathjs can read (${messageOf(error)})` });
      scopeNames.push(derived.name);
      return undefined;
    }
    const unknown = unknownSymbol(node, scopeNames, instance);
    if (unknown !== undefined) {
      issues.push({ path, value: derived.expression, expected: `an expression of the axis values and earlier derived values: ${unknown}` });
    }
    scopeNames.push(derived.name);
    return node.compile();
  });
  // A failed expression would fail every later one that uses its name: one mistake, one message.
  if (issues.length > 0) return { values, issues };
  for (const cell of cells) {
    const scope = new Map<string, unknown>(Object.entries(cell.values));
    for (const [d, derived] of documents.entries()) {
      let outcome: { value: JsonValue } | { error: string };
      try {
        outcome = toJsonValue((compiled[d] as MathJs.EvalFunction).evaluate(new Map(scope)), instance);
      } catch (error) {
        outcome = { error: messageOf(error) };
      }
      if ("error" in outcome) {
        issues.push({ path: `derived[${d}].expression`, value: derived.expression, expected: `an expression that evaluates for every cell: with ${describeCell(scope)}: ${outcome.error}` });
        return { values, issues };
      }
      scope.set(derived.name, outcome.value);
      values[d].push(outcome.value);
    }
  }
  return { values, issues };
}

/**
 * "unknown name devicez; did you mean devices? ..." for the first symbol that is neither in scope
 * nor a mathjs function, constant or unit; undefined when every symbol is known.
 */
function unknownSymbol(node: MathJs.MathNode, scopeNames: readonly string[], instance: MathInstance): string | undefined {
  const functionNames = new Set<string>();
  node.traverse((child) => {
    if (instance.isFunctionNode(child) && instance.isSymbolNode(child.fn)) functionNames.add(child.fn.name);
  });
  let found: string | undefined;
  node.traverse((child) => {
    if (found !== undefined || !instance.isSymbolNode(child)) return;
    const name = child.name;
    if (scopeNames.includes(name)) return;
    if (functionNames.has(name)) {
      if (typeof (instance as unknown as Record<string, unknown>)[name] === "function") return;
      const close = nearestName(
        name,
        Object.keys(instance).filter((key) => typeof (instance as unknown as Record<string, unknown>)[key] === "function"),
      );
      found = `unknown function ${name}${close === undefined ? "" : `; did you mean "${close}"?`}`;
      return;
    }
    if (name in instance || instance.Unit.isValuelessUnit(name)) return;
    const named = scopeNames.filter((scopeName) => SYMBOL_PATTERN.test(scopeName));
    const unnamed = scopeNames.length - named.length;
    const hint = unnamed > 0 ? ` (${unnamed} axis/axes without a "name" cannot be referred to: give them one)` : "";
    found = `unknown name ${name}; ${named.length > 0 ? suggestName(name, named) : "no axis has a name an expression can use"}${hint}`;
  });
  return found;
}

/**
 * What a result means as a scenario value. A plain number is written as is (12 significant digits
 * unless whole); a boolean or a string too (e.g. `devices > 8 ? "least-loaded" : "random"`). A
 * quantity with a unit is written in the scenario's units: a time in milliseconds ("2 s" and
 * "2 s to ms" both give 2000), a rate (1/time) per second ("4 * 2 / (20 ms)" gives 400). Any other
 * unit must cancel out ("(2 GB) / (1 MB)" gives 2000): the scenario has no field that reads it.
 */
function toJsonValue(result: unknown, instance: MathInstance): { value: JsonValue } | { error: string } {
  if (instance.isBigNumber(result) || instance.isFraction(result)) return toJsonValue(instance.number(result), instance);
  if (typeof result === "number") {
    if (!Number.isFinite(result)) return { error: `the result is ${result}, not a finite number` };
    return { value: Number.isInteger(result) ? result : tidyNumber(result) };
  }
  if (typeof result === "boolean" || typeof result === "string") return { value: result };
  if (instance.isUnit(result)) {
    if (result.equalBase(instance.unit("1 ms"))) return toJsonValue(result.toNumber("ms"), instance);
    if (result.equalBase(instance.unit("1 Hz"))) return toJsonValue(result.toNumber("Hz"), instance);
    return { error: `the result ${result.toString()} has a unit other than a time or a rate (1/time); divide by the unit wanted, e.g. (x) / (1 MB)` };
  }
  const kind = instance.typeOf(result);
  return { error: `the result is a ${kind}, not a number, boolean or string` };
}

function describeCell(scope: ReadonlyMap<string, unknown>): string {
  return [...scope].map(([name, value]) => `${name} = ${JSON.stringify(value)}`).join(", ");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
