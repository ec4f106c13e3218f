import * as z from "zod";

/** Hardware profile files (`hardware-profiles/*.json`). All times in milliseconds. */

const sourced = {
  source: z.string().min(1).meta({ description: "Where the figure comes from (paper and table, datasheet, data row) or the estimate's reasoning." }),
  estimate: z.boolean().optional().meta({ description: "True when the figure is estimated rather than measured." }),
};

const servicePoint = z.strictObject({
  frameSizePx: z.number().positive().meta({ description: "Frame side in pixels." }),
  meanMs: z.number().nonnegative().meta({ description: "Mean time per frame at that size, ms." }),
});

export const serviceCurveSchema = z
  .strictObject({
    points: z.array(servicePoint).min(1),
    cv: z.number().nonnegative().meta({ description: "Coefficient of variation of the per-frame time (drawn lognormal)." }),
    ...sourced,
  })
  .meta({
    description:
      "Mean time per frame as a function of frame size: linear in pixel count between points, extrapolated from the last two (constant with one point).",
  });

const modelService = z.strictObject({
  accelerator: serviceCurveSchema.optional(),
  cpu: serviceCurveSchema.optional(),
  preprocessing: serviceCurveSchema.optional(),
  memoryMiB: z.number().positive().optional().meta({
    description: "Memory the loaded model occupies on this device (weights, runtime buffers), MiB; the models a node serves must fit in its memoryMiB.",
  }),
  memorySource: z.string().optional(),
});

export const hardwareProfileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z.string().min(1),
    name: z.string().min(1),
    role: z.enum(["edge", "end-device", "cloud"]),
    cpu: z.strictObject({ cores: z.number().int().positive(), model: z.string(), ...sourced }),
    accelerator: z.strictObject({
      kind: z.enum(["gpu", "tpu", "vpu", "none"]),
      model: z.string().optional(),
      slots: z.number().int().positive().optional(),
      ...sourced,
    }),
    memoryMiB: z.number().positive(),
    memorySource: z.string().optional(),
    power: z
      .strictObject({ idleW: z.number().nonnegative(), busyW: z.number().nonnegative(), ...sourced })
      .optional(),
    models: z.record(z.string(), modelService),
    notes: z.string().optional(),
  })
  .meta({ title: "continuum-sim hardware profile" });

export type HardwareProfile = z.output<typeof hardwareProfileSchema>;
export type ServiceCurve = z.output<typeof serviceCurveSchema>;
