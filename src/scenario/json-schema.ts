import * as z from "zod";
import { hardwareProfileSchema } from "./profile-schema.js";
import { scenarioSchema } from "./schema.js";

/**
 * JSON Schemas (draft 2020-12) generated from the zod schemas the loader uses, so editors
 * autocomplete exactly what the loader accepts. They describe the input side: durations may be
 * numbers or strings. Checks that need the profiles on disk (profile names, link endpoints,
 * policy names) are done by the resolver only. One scenario schema covers every workload family.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(scenarioSchema, { io: "input", target: "draft-2020-12" }), $id: "https://continuum-sim.dev/schemas/scenario.schema.json" };
}

export function hardwareProfileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(hardwareProfileSchema, { io: "input", target: "draft-2020-12" }),
    $id: "https://continuum-sim.dev/schemas/hardware-profile.schema.json",
  };
}

export const JSON_SCHEMA_FILES: Readonly<Record<string, () => Record<string, unknown>>> = {
  "scenario.schema.json": scenarioJsonSchema,
  "hardware-profile.schema.json": hardwareProfileJsonSchema,
};
