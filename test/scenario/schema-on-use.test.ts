import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ROUTER_OPTIONS } from "../../src/llm/routers/registry.js";
import { accessSchema, mobilitySchema } from "../../src/network/mobility/schema.js";
import { SCHEDULER_OPTIONS } from "../../src/schedulers/registry.js";
import { scenarioSchema } from "../../src/scenario/schema.js";
import { applicationSchema } from "../../src/scenario/schema-applications.js";
import { faultSchema, healthCheckSchema } from "../../src/scenario/schema-common.js";
import { controlSchema } from "../../src/scenario/schema-control.js";
import { modelRefSchema } from "../../src/scenario/schema-nodes.js";
import { builtOnUse, schemasOnRead } from "../../src/scenario/schema-on-use.js";
import { REPO } from "../cli/helpers.js";

// Whether a z.lazy has built its schema (zod keeps it on the definition).
const isBuilt = (schema: z.ZodLazy): boolean => (schema._zod.def as { _cachedInner?: unknown })._cachedInner !== undefined;

/** A builder that counts its calls. */
function counted<T>(build: () => T): { build: () => T; calls: () => number } {
  let calls = 0;
  return {
    build: () => {
      calls++;
      return build();
    },
    calls: () => calls,
  };
}

const issuesOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues.map(({ code, path, message }) => ({ code, path, message }));

describe("schemas built on first use", () => {
  // First in this file (its own module graph), so nothing else has built them yet.
  it("parsing the testbed (frames only) builds none of the parts it leaves out", () => {
    const document = JSON.parse(readFileSync(join(REPO, "scenarios", "edge-ai-testbed.json"), "utf8"));
    expect(scenarioSchema.safeParse(document).success).toBe(true);
    const parts = { controlSchema, applicationSchema, mobilitySchema, accessSchema, faultSchema, healthCheckSchema, modelRefSchema };
    expect(
      Object.entries(parts)
        .filter(([, schema]) => isBuilt(schema))
        .map(([name]) => name),
    ).toEqual([]);
    // A part that is present is built (the check above can fail).
    expect(scenarioSchema.safeParse({ ...document, healthCheck: { interval: "1 s" } }).success).toBe(true);
    expect(isBuilt(healthCheckSchema)).toBe(true);
  });

  it("an absent key does not build its schema; a present one builds it once, and it parses and fails as the schema itself", () => {
    const inner = () => z.strictObject({ interval: z.number().positive(), label: z.string().optional() }).meta({ description: "A part." });
    const part = counted(inner);
    const lazy = z.strictObject({ name: z.string(), part: builtOnUse(part.build).optional() });
    const eager = z.strictObject({ name: z.string(), part: inner().optional() });
    expect(lazy.parse({ name: "a" })).toEqual({ name: "a" });
    expect(part.calls()).toBe(0);
    for (const value of [{ name: "a", part: { interval: 2 } }, { name: "a", part: { interval: -1, lable: "x" } }, { name: "a", part: 3 }, { name: 1 }]) {
      expect(lazy.safeParse(value).data).toEqual(eager.safeParse(value).data);
      expect(issuesOf(lazy, value)).toEqual(issuesOf(eager, value));
    }
    expect(part.calls()).toBe(1);
    expect(z.toJSONSchema(z.strictObject({ part: builtOnUse(inner) }), { io: "input" })).toEqual(z.toJSONSchema(z.strictObject({ part: inner() }), { io: "input" }));
  });

  it("an option of a discriminated union is built only for a value with its tag, and the union fails as with the option itself", () => {
    const first = () => z.strictObject({ type: z.literal("a"), x: z.number() });
    const second = () => z.strictObject({ type: z.literal("b"), y: z.string() });
    const built = counted(second);
    const lazy = z.discriminatedUnion("type", [first(), builtOnUse(built.build, { key: "type", values: ["b"] })]);
    const eager = z.discriminatedUnion("type", [first(), second()]);
    expect(lazy.parse({ type: "a", x: 1 })).toEqual({ type: "a", x: 1 });
    expect(issuesOf(lazy, { type: "c" })).toEqual(issuesOf(eager, { type: "c" }));
    expect(built.calls()).toBe(0);
    for (const value of [
      { type: "b", y: "s" },
      { type: "b", y: 1 },
    ])
      expect(issuesOf(lazy, value)).toEqual(issuesOf(eager, value));
    expect(built.calls()).toBe(1);
  });

  it("refuses, when built, a schema that may be absent by itself or whose tag is not the one given", () => {
    expect(() => z.strictObject({ part: builtOnUse(() => z.strictObject({}).optional()) }).parse({})).toThrow(/may be absent/);
    const wrongTag = builtOnUse(() => z.strictObject({ type: z.literal("b") }), { key: "type", values: ["c"] });
    expect(() => z.discriminatedUnion("type", [z.strictObject({ type: z.literal("a") }), wrongTag]).parse({ type: "c" })).toThrow(/takes type b, not c/);
  });

  it("a registry's option schemas are built on their first read, once, and read as a plain record", () => {
    const weighted = counted(() => z.strictObject({ alpha: z.number() }));
    const options = schemasOnRead({ weighted: weighted.build, learned: () => z.strictObject({}) });
    expect(Object.keys(options)).toEqual(["weighted", "learned"]);
    expect(weighted.calls()).toBe(0);
    expect(options.weighted).toBe(options.weighted);
    expect(weighted.calls()).toBe(1);
    expect(options.missing).toBeUndefined();
    expect(Object.keys(SCHEDULER_OPTIONS)).toEqual(["weighted", "learned", "external"]);
    expect(Object.keys(ROUTER_OPTIONS)).toEqual(["complexity-threshold", "gray-zone", "edge-first", "learned-router", "external"]);
  });
});
