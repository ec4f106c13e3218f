/**
 * RFC 6901 JSON pointers ("/devices/0/count"): how a sweep axis names the scenario value it varies.
 * Only existing locations can be set, so an axis can never invent a key the loader would reject
 * later with a less helpful message.
 */

/** Splits a pointer into unescaped reference tokens; undefined when it is not a pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  const tokens = pointer.slice(1).split("/");
  // "~" must be followed by 0 or 1 (RFC 6901 section 3).
  if (tokens.some((token) => /~(?![01])/.test(token))) return undefined;
  return tokens.map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Where resolving a pointer stopped: the tokens that were found and the one that was not. */
export interface PointerMiss {
  /** Pointer of the deepest value that exists. */
  found: string;
  /** The key (or array index) that the value at `found` does not have. */
  missing: string;
  /** Keys the value at `found` does have (indexes for an array), to help spot a typo. */
  available: string[];
}

export type PointerLookup = { ok: true; value: unknown } | { ok: false; miss: PointerMiss };

/** Looks a pointer up in a JSON document without changing it. */
export function lookupPointer(document: unknown, tokens: readonly string[]): PointerLookup {
  let current: unknown = document;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const found = formatPointer(tokens.slice(0, i));
    if (Array.isArray(current)) {
      const index = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : -1;
      if (index < 0 || index >= current.length) {
        return { ok: false, miss: { found, missing: token, available: current.length === 0 ? [] : [`0..${current.length - 1}`] } };
      }
      current = current[index];
    } else if (current !== null && typeof current === "object" && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      const available = current !== null && typeof current === "object" ? Object.keys(current).sort() : [];
      return { ok: false, miss: { found, missing: token, available } };
    }
  }
  return { ok: true, value: current };
}

/** Replaces the value at an existing location (the caller checked it with lookupPointer). */
export function setPointer(document: unknown, tokens: readonly string[], value: unknown): void {
  if (tokens.length === 0) throw new Error("cannot replace the whole document through a sweep axis");
  let current = document as Record<string, unknown>;
  for (const token of tokens.slice(0, -1)) current = current[token] as Record<string, unknown>;
  current[tokens[tokens.length - 1]] = structuredClone(value);
}

export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((token) => `/${token.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
