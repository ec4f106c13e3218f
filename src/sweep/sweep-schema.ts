import * as z from "zod";
import { isMetricPath, metricSuggestion } from "./metric-paths.js";

/**
 * The sweep file format. Objects are strict like the scenario format: an unknown key is an error,
 * so a misspelt "replication" never silently runs one replication.
 */

const pointer = z.string().regex(/^(\/([^~/]|~[01])*)+$/, { error: 'a JSON pointer such as "/devices/0/count" (RFC 6901)' });

const scalarOrJson = z.json();

const rangeSchema = z
  .strictObject({
    from: z.number(),
    to: z.number(),
    steps: z.number().int().positive().meta({ description: "Grid points from `from` to `to` inclusive (grid sampling)." }),
    scale: z.enum(["linear", "log"]).optional().meta({ description: "Spacing of the points; log needs from, to > 0. Default linear." }),
    integer: z.boolean().optional().meta({ description: "Round every value to a whole number (e.g. a device count)." }),
  })
  .meta({ description: "A numeric range: `steps` points for a grid, any value in [from, to] for random or Latin-hypercube sampling." });

const valuesAxis = z.strictObject({
  name: z.string().min(1).optional(),
  path: pointer,
  values: z.array(scalarOrJson).min(1),
});

const rangeAxis = z.strictObject({
  name: z.string().min(1).optional(),
  path: pointer,
  range: rangeSchema,
});

export const axisSchema = z.union([valuesAxis, rangeAxis]);

/** A name an expression can refer to: a mathjs symbol (letters, digits, "_", not starting with a digit). */
export const SYMBOL_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const derivedSchema = z
  .strictObject({
    name: z
      .string()
      .regex(SYMBOL_PATTERN, { error: 'a name of letters, digits and "_" that does not start with a digit (later expressions refer to it)' })
      .meta({ description: "The column name in summary.csv and the symbol later expressions use." }),
    path: pointer.meta({ description: "The JSON pointer the value is written to, like an axis path." }),
    expression: z.string().min(1).meta({
      description:
        'A mathjs expression of the axis values (by axis name) and earlier derived values, e.g. "ceil(devices / 8)". A time result is written in ms and a rate (1/time) per s; any other unit must cancel out.',
    }),
  })
  .meta({ description: "A parameter computed per cell from the axis values (see docs/sweeps.md, Derived parameters)." });

export const samplingSchema = z.discriminatedUnion("method", [
  z.strictObject({ method: z.literal("grid") }),
  z.strictObject({ method: z.literal("random"), count: z.number().int().positive() }),
  z.strictObject({ method: z.literal("latin-hypercube"), count: z.number().int().positive() }),
]);

const metric = z
  .string()
  .refine(isMetricPath, { error: (issue) => `a metric path: ${metricSuggestion(String(issue.input))}` })
  .meta({
    description: 'A path into one run of results@2: a number ("frames.latency.total.p95", "nodes.0.utilisation") or an array, counted ("migrations").',
  });

export const sweepSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "a name of letters, digits, '.', '_' or '-' (it names the output folder)" }),
  description: z.string().optional(),
  base: z.union([z.string().min(1), z.record(z.string(), z.json())]).meta({ description: "The base scenario: a file path relative to the sweep file, or the scenario object inline." }),
  set: z.record(pointer, scalarOrJson).optional().meta({ description: "Fixed changes to the base scenario for every run, pointer -> value (e.g. a shorter duration)." }),
  axes: z.array(axisSchema).min(1),
  derived: z.array(derivedSchema).optional().meta({ description: "Parameters computed per cell from the axis values, in order." }),
  sampling: samplingSchema.optional(),
  replications: z.number().int().positive().max(10_000).optional(),
  seed: z.union([z.number().int(), z.string().min(1)]).optional(),
  metrics: z.array(metric).min(1).optional(),
});

export type SweepDocument = z.infer<typeof sweepSchema>;
export type AxisDocument = z.infer<typeof axisSchema>;
export type DerivedDocument = z.infer<typeof derivedSchema>;
export type RangeDocument = z.infer<typeof rangeSchema>;
export type SamplingDocument = z.infer<typeof samplingSchema>;
