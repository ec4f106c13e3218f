import * as z from "zod";
import { parseDuration, TIME_UNIT_LIST, TIME_UNITS_MS, type TimeUnit } from "./duration.js";
import { DISTRIBUTION_PRESETS } from "./presets.js";

/**
 * The one distribution-spec format used everywhere a scenario states a random time.
 * Input is JSON; output of parsing is the same spec with every time converted to milliseconds.
 */

export const timeUnitSchema = z.enum(Object.keys(TIME_UNITS_MS) as [TimeUnit, ...TimeUnit[]]);

/** A duration as a number of milliseconds or a string with a unit: "250 ms", "2 s", "1.5 min". */
export const durationSchema = z
  .union([z.number(), z.string()])
  .transform((value, context) => {
    const ms = parseDuration(value);
    if (ms === undefined || !Number.isFinite(ms)) {
      context.issues.push({
        code: "custom",
        input: value,
        message: `expected a duration: a number of milliseconds or a string such as "250 ms", "2 s", "1.5 min" (units: ${TIME_UNIT_LIST})`,
      });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: `A time: a number of milliseconds, or a string with a unit (${TIME_UNIT_LIST}), e.g. "250 ms".` });

/** Parameters in `unit` (default ms) unless given as a string with its own unit. */
const quantity = z.union([z.number(), z.string()]);

const truncation = {
  unit: timeUnitSchema.optional().meta({ description: "Unit of bare numbers in this spec (default ms)." }),
  min: quantity.optional().meta({ description: "Lower bound; draws below it are handled by `truncation`." }),
  max: quantity.optional().meta({ description: "Upper bound; draws above it are handled by `truncation`." }),
  truncation: z.enum(["redraw", "clamp"]).optional().meta({ description: "redraw (default): draw again until inside [min, max]; clamp: move the draw to the bound." }),
};

const constantSpec = z.strictObject({ dist: z.literal("constant"), value: quantity, ...truncation });
const uniformSpec = z.strictObject({ dist: z.literal("uniform"), low: quantity, high: quantity, ...truncation });
const exponentialSpec = z.strictObject({
  dist: z.literal("exponential"),
  mean: quantity.optional(),
  rate: z.number().positive().optional().meta({ description: "Events per `unit` (default per ms); give mean or rate." }),
  ...truncation,
});
const normalSpec = z.strictObject({ dist: z.literal("normal"), mean: quantity, sd: quantity, ...truncation });
const lognormalSpec = z.strictObject({
  dist: z.literal("lognormal"),
  mean: quantity.optional().meta({ description: "Mean of the variate (with sd or cv)." }),
  sd: quantity.optional(),
  cv: z.number().nonnegative().optional().meta({ description: "Coefficient of variation sd/mean." }),
  mu: z.number().optional().meta({ description: "Mean of ln(X) with X in `unit` (with sigma)." }),
  sigma: z.number().nonnegative().optional(),
  ...truncation,
});
const gammaSpec = z
  .strictObject({
    dist: z.literal("gamma"),
    shape: z.number().positive().optional().meta({ description: "Shape k (with scale, or with mean)." }),
    scale: quantity.optional().meta({ description: "Scale theta: mean = shape x scale." }),
    mean: quantity.optional().meta({ description: "Mean (with shape or cv)." }),
    cv: z.number().positive().optional().meta({ description: "Coefficient of variation sd/mean = 1/sqrt(shape) (with mean)." }),
    ...truncation,
  })
  .meta({ description: "Gamma: give shape and scale, shape and mean, or mean and cv." });
const empiricalSpec = z.strictObject({
  dist: z.literal("empirical"),
  samples: z.array(quantity).min(1).meta({ description: "Draws pick one of these uniformly at random." }),
  ...truncation,
});
const stableSpec = z.strictObject({
  dist: z.literal("stable"),
  alpha: z.number().gt(0).lte(2),
  beta: z.number().gte(-1).lte(1).optional().meta({ description: "Skewness, default 0." }),
  scale: quantity,
  loc: quantity.optional(),
  parameterization: z.enum(["S0", "S1"]).optional().meta({ description: "Nolan's S1 (default, as SciPy's levy_stable) or S0." }),
  ...truncation,
});
// An enum, so a misspelt preset is refused with the nearest name, and editors offer the names.
const presetSpec = z.strictObject({
  preset: z.enum(Object.keys(DISTRIBUTION_PRESETS) as [string, ...string[]]).meta({ description: 'A named distribution, e.g. "5g-stable-calibrated".' }),
});

export const distributionSpecSchema = z
  .union([
    z.number().meta({ description: "A constant number of milliseconds." }),
    z.string().meta({ description: 'A constant duration such as "13 ms".' }),
    presetSpec,
    z.discriminatedUnion("dist", [constantSpec, uniformSpec, exponentialSpec, normalSpec, lognormalSpec, gammaSpec, empiricalSpec, stableSpec]),
  ])
  .meta({ id: "Distribution", description: "A random time: a constant, a preset name, or a {dist, ...} spec." });

export type DistributionSpecInput = z.input<typeof distributionSpecSchema>;
export type DistributionSpec = z.output<typeof distributionSpecSchema>;
