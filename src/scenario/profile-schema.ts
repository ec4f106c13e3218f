import * as z from "zod";
import { builtOnce, builtOnUse } from "./schema-on-use.js";

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
    description: "Mean time per frame as a function of frame size: linear in pixel count between points, extrapolated from the last two (constant with one point).",
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

const llmRate = builtOnce(() =>
  z
    .strictObject({
      prefillTokensPerS: z.number().positive().meta({ description: "Prompt tokens processed per second by one query alone (compute bound)." }),
      decodeTokensPerS: z.number().positive().meta({ description: "Output tokens per second of one query alone (memory-bandwidth bound)." }),
      requestOverheadMs: z.number().nonnegative().optional().meta({ description: "Fixed time per query before prefill (API gateway, scheduling). Default 0." }),
      inputUsdPerMTok: z.number().nonnegative().optional().meta({ description: "Price per million prompt tokens (cloud endpoints). Default 0." }),
      outputUsdPerMTok: z.number().nonnegative().optional().meta({ description: "Price per million output tokens (cloud endpoints). Default 0." }),
      paramsB: z.number().positive().optional().meta({
        description: "Parameters in billions, for a model not in the catalogue (src/llm/model-catalog.ts); used by the quality proxy only.",
      }),
      ...sourced,
    })
    .meta({ description: "Token rates of one model at one quantization on one path." }),
);

const llmPath = builtOnce(() =>
  z
    .strictObject({
      memoryBandwidthGBs: z.number().positive().optional().meta({ description: "Datasheet peak bandwidth of the memory the weights are read from, GB/s." }),
      effectiveBandwidthGBs: z.number().positive().optional().meta({ description: "Sustained bandwidth the runtime reaches; derived decode rates are this / weight bytes." }),
      effectiveGflops: z.number().positive().optional().meta({ description: "Sustained compute for prefill; derived prefill rates are this / (2 x parameters)." }),
      usableMemoryMiB: z.number().positive().optional().meta({
        description: "Memory models may occupy on this path (weights + KV cache + runtime). Omitted: not checked (cloud endpoints).",
      }),
      maxBatch: z.number().int().positive().meta({ description: "Queries served at once; more wait in the queue." }),
      decodeSpeedup: z.array(z.number().positive()).min(1).optional().meta({
        description:
          "Aggregate decode throughput with b queries in the batch relative to one query, for b = 1, 2, ...; beyond the list the last value holds. Each stream decodes at rate x speedup[b] / b. Default [1] (streams share the rate). Ignored on the cloud path, where every query runs at the full rate (the provider scales out) and maxBatch is the concurrency limit.",
      }),
      prefillSpeedup: z.array(z.number().positive()).min(1).optional().meta({
        description: "The same for prefill. Default [1]: prefill is compute bound, so concurrent prompts share the rate.",
      }),
      models: z.record(z.string(), z.record(z.string(), llmRate())).meta({ description: "model id -> quantization -> rates." }),
      ...sourced,
    })
    .meta({ description: "One place a language model runs on this hardware (CPU, GPU, NPU or a cloud endpoint)." }),
);

export const LLM_PATHS = ["cpu", "gpu", "npu", "cloud"] as const;

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
    power: z.strictObject({ idleW: z.number().nonnegative(), busyW: z.number().nonnegative(), ...sourced }).optional(),
    models: z.record(z.string(), modelService),
    // Built on first use: most profiles serve no language model.
    llm: builtOnUse(() => z.strictObject({ cpu: llmPath().optional(), gpu: llmPath().optional(), npu: llmPath().optional(), cloud: llmPath().optional() }))
      .optional()
      .meta({ description: "Language-model serving: token rates per path, model and quantization (docs/llm.md)." }),
    notes: z.string().optional(),
  })
  .meta({ title: "continuum-sim hardware profile" });

export type HardwareProfile = z.output<typeof hardwareProfileSchema>;
export type ServiceCurve = z.output<typeof serviceCurveSchema>;
export type LlmPathProfile = z.output<ReturnType<typeof llmPath>>;
export type LlmRateProfile = z.output<ReturnType<typeof llmRate>>;
export type LlmPathName = (typeof LLM_PATHS)[number];
