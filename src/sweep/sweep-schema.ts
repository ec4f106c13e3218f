import * as z from "zod";
import { STAGES } from "../metrics/stage-stats.js";
import { isLlmMetricPath, LLM_METRIC_PATHS } from "../llm/llm-results.js";
import { suggestName } from "../text/nearest-name.js";

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

export const samplingSchema = z.discriminatedUnion("method", [
  z.strictObject({ method: z.literal("grid") }),
  z.strictObject({ method: z.literal("random"), count: z.number().int().positive() }),
  z.strictObject({ method: z.literal("latin-hypercube"), count: z.number().int().positive() }),
]);

const STAT_NAMES = ["count", "mean", "sd", "min", "p50", "p95", "p99", "max"] as const;

/** Every metric path a sweep may summarise: numeric fields of one scheduler's entry in results.json. */
export const METRIC_PATHS: readonly string[] = [
  "throughput",
  "events",
  "requests.generated",
  "requests.completed",
  "requests.dropped",
  "requests.lost",
  "requests.unfinished",
  "qos.late",
  "qos.unfinishedLate",
  "qos.violations",
  "qos.violationRate",
  ...STAGES.flatMap((stage) => STAT_NAMES.map((stat) => `latency.${stage}.${stat}`)),
];

export const DEFAULT_METRICS = ["qos.violationRate", "latency.total.mean", "latency.total.p95", "throughput"] as const;

const metric = z.string().refine((path) => METRIC_PATHS.includes(path) || isLlmMetricPath(path), {
  error: (issue) =>
    `a metric path into a scheduler's (or, for a language-model scenario, a router's) results: ${suggestName(String(issue.input), [...new Set([...METRIC_PATHS, ...LLM_METRIC_PATHS])])}`,
});

export const sweepSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "a name of letters, digits, '.', '_' or '-' (it names the output folder)" }),
  description: z.string().optional(),
  base: z.union([z.string().min(1), z.record(z.string(), z.json())]).meta({ description: "The base scenario: a file path relative to the sweep file, or the scenario object inline." }),
  set: z.record(pointer, scalarOrJson).optional().meta({ description: "Fixed changes to the base scenario for every run, pointer -> value (e.g. a shorter duration)." }),
  axes: z.array(axisSchema).min(1),
  sampling: samplingSchema.optional(),
  replications: z.number().int().positive().max(10_000).optional(),
  seed: z.union([z.number().int(), z.string().min(1)]).optional(),
  metrics: z.array(metric).min(1).optional(),
});

export type SweepDocument = z.infer<typeof sweepSchema>;
export type AxisDocument = z.infer<typeof axisSchema>;
export type RangeDocument = z.infer<typeof rangeSchema>;
export type SamplingDocument = z.infer<typeof samplingSchema>;
