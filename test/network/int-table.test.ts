import { describe, expect, it } from "vitest";
import { IntTable } from "../../src/network/int-table.js";

describe("IntTable", () => {
  it("agrees with a Map through growth, for consecutive keys and keys up to 2^53, overwrites included", () => {
    const table = new IntTable();
    const reference = new Map<number, number>();
    let state = 12345;
    // A small LCG: keys spread over [0, 2^53) plus runs of consecutive keys (a device's pairs).
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state;
    };
    for (let i = 0; i < 20_000; i++) {
      const key = i % 3 === 0 ? i : (next() * 2 ** 21 + next()) % 2 ** 53;
      const value = next() & 0x7fffffff;
      table.set(key, value);
      reference.set(key, value);
    }
    expect(table.size).toBe(reference.size);
    for (const [key, value] of reference) expect(table.get(key)).toBe(value);
    for (let i = 0; i < 2000; i++) {
      const absent = 2 ** 52 + i * 7 + 1;
      if (!reference.has(absent)) expect(table.get(absent)).toBe(-1);
    }
  });
});
