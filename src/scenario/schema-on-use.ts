import * as z from "zod";

/**
 * Schemas built on first use. A process builds the zod schemas its modules define when it loads
 * them (about 40 ms of a 1-second run's start, issue 16); the parts of the scenario format a
 * scenario may leave out (the control plane, applications, mobility...) and the options of
 * policies a run does not compare need not be built by a run that has none of them.
 */

/** A function that builds its value on the first call and returns that same value after. */
export function builtOnce<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/**
 * A schema built the first time a value is parsed with it or its JSON Schema is written, as a
 * z.lazy of `build` (called once), which parses, fails (messages, paths) and writes its JSON
 * Schema as the schema `build` returns.
 *
 * A plain z.lazy would be built by the first parse of its object even where its key is absent:
 * an object asks each property's schema whether it may be absent (zod's `optin` and `optout`),
 * and z.lazy answers by building. The schema built here is never optional by itself (an object or
 * a union of objects: both answers undefined), so the answers are given up front and checked when
 * it is built. Put `.meta` on the built schema: `.meta` on the result copies the z.lazy without
 * the answers (it would then be built by its parent's first parse).
 *
 * An option of a z.discriminatedUnion gives its `tag`, the values of the discriminator it takes
 * (the union asks every option for them on its first parse), checked when it is built.
 */
export function builtOnUse<T extends z.ZodType>(build: () => T, tag?: { key: string; values: readonly string[] }): z.ZodLazy<T> {
  const schema = z.lazy(
    builtOnce(() => {
      const built = build();
      if (built._zod.optin !== undefined || built._zod.optout !== undefined)
        throw new Error("builtOnUse: the schema built may be absent by itself; write .optional() on the builtOnUse schema instead");
      if (tag !== undefined) {
        const values = [...(built._zod.propValues?.[tag.key] ?? [])];
        if (values.length !== tag.values.length || values.some((value, i) => value !== tag.values[i]))
          throw new Error(`builtOnUse: the schema built takes ${tag.key} ${values.join(", ")}, not ${tag.values.join(", ")}`);
      }
      return built;
    }),
  );
  const answers: Partial<z.core.$ZodTypeInternals> = { optin: undefined, optout: undefined };
  if (tag !== undefined) answers.propValues = { [tag.key]: new Set(tag.values) };
  for (const [key, value] of Object.entries(answers)) Object.defineProperty(schema._zod, key, { value, writable: true, configurable: true });
  return schema;
}

/**
 * An object whose properties are the schemas of `builders`, each built on its first read (a
 * registry's option schemas: a run builds those of the policies it compares). The keys are
 * enumerable, so the object reads as a plain record of schemas.
 */
export function schemasOnRead(builders: Readonly<Record<string, () => z.ZodType>>): Readonly<Record<string, z.ZodType>> {
  const schemas: Record<string, z.ZodType> = {};
  for (const [name, build] of Object.entries(builders)) Object.defineProperty(schemas, name, { enumerable: true, get: builtOnce(build) });
  return Object.freeze(schemas);
}
