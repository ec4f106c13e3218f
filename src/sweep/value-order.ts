import { canonicalJson } from "./canonical-json.js";
import type { JsonValue } from "./plan-types.js";

/**
 * Orders axis values for the summary: by their place in the axis's list when there is one (the
 * author's order), numbers numerically, anything else by canonical JSON. Never by completion order.
 */
export function compareJsonValues(a: JsonValue, b: JsonValue, listed?: readonly JsonValue[]): number {
  if (listed !== undefined) {
    const ia = indexOf(listed, a);
    const ib = indexOf(listed, b);
    if (ia !== ib) return ia - ib;
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  const ca = canonicalJson(a);
  const cb = canonicalJson(b);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

function indexOf(list: readonly JsonValue[], value: JsonValue): number {
  const text = canonicalJson(value);
  return list.findIndex((item) => canonicalJson(item) === text);
}
