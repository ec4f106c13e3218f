import * as z from "zod";
import { distributionSpecSchema, durationSchema } from "../random/distribution-spec.js";
import { mobilitySchema } from "../network/mobility/schema.js";
import { DEFAULT_CONTEXT_TOKENS, DEFAULT_SHARING } from "./defaults.js";
import { idSchema } from "./schema-common.js";
import { builtOnce, builtOnUse } from "./schema-on-use.js";
import { workloadSchema } from "./schema-workloads.js";

/**
 * Devices (with their workloads) and nodes (with the services they host). The long form is
 * `devices[].workloads` and `nodes[].services`; the older one-workload and node-level keys are
 * shorthands the resolver compiles into it (docs/scenario-format.md), never both at once.
 */

const llmPath = z
  .enum(["cpu", "gpu", "npu", "cloud"])
  .optional()
  .meta({ description: "Where it runs on the hardware. Default: the only llm path of the profile that has the model, preferring gpu, npu, cloud, cpu." });

// The language-model parts are built on first use: frame scenarios have none.
const modelRefShape = builtOnce(() => ({
  model: z.string().min(1).meta({ description: "A model id of the profile's llm section (src/llm/model-catalog.ts for local models)." }),
  quantization: z.string().min(1).meta({ description: 'Quantization, e.g. "Q4_0", "Q4_K_M", "F16"; "served" for cloud endpoints.' }),
  path: llmPath,
}));

export const modelRefSchema = builtOnUse(() => z.strictObject(modelRefShape()));

// Slot-service settings: written in a `{"type": "slots"}` service or, as a shorthand, on the node itself.
const slotSettings = {
  path: z.enum(["accelerator", "cpu"]).optional().meta({
    description: "Where inference runs. Default: the accelerator when the profile has one, else the CPU.",
  }),
  slots: z.number().int().positive().optional().meta({
    description: "Frames inferred at once. Default: the accelerator's slots, or 1 on the CPU path (a measured CPU inference already uses every core).",
  }),
  cpuSlots: z.number().int().positive().optional().meta({
    description: "On the accelerator path: frames preprocessed at once on the CPU, a stage of their own before the accelerator. Default: the profile's CPU cores.",
  }),
  queueCapacity: z.number().int().nonnegative().optional().meta({
    description: "Requests that may wait in the service's queues together; an arrival to a full queue is refused and counted. Default unbounded.",
  }),
  inferenceTime: distributionSpecSchema.optional().meta({
    description: "Overrides the profile's inference time per request (then the profile is not consulted for it).",
  }),
  preprocessingTime: distributionSpecSchema.optional().meta({
    description: "Overrides the profile's preprocessing time per request. Default with inferenceTime given: 0.",
  }),
};

// Language-model service settings besides the model: in a `{"type": "llm"}` service or, as a shorthand, on the node next to `serve`.
const llmSettings = {
  maxBatch: z.number().int().positive().optional().meta({ description: "Queries served at once. Default: the profile path's maxBatch." }),
  contextTokens: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({
      description: `Context (prompt + output tokens) reserved per batch slot: checked against memory, and a longer query is refused. Default: the scenario's contextTokens (${DEFAULT_CONTEXT_TOKENS}; unlimited on a cloud endpoint unless given).`,
    }),
};

const slotService = z
  .strictObject({ type: z.literal("slots"), ...slotSettings })
  .meta({ description: "Frame serving: slots with preprocessing and inference (the detector of the profile's `models`)." });

const llmService = builtOnUse(
  () =>
    z
      .strictObject({
        type: z.literal("llm"),
        ...modelRefShape(),
        ...llmSettings,
        queueCapacity: z.number().int().nonnegative().optional().meta({ description: "Queries that may wait; more are refused (and count as violations). Default unbounded." }),
      })
      .meta({ description: "Query serving: a language model with batched prefill and decode." }),
  { key: "type", values: ["llm"] },
);

export const serviceSchema = z.discriminatedUnion("type", [slotService, llmService]);

const backgroundLoad = builtOnUse(() =>
  z.array(
    z.union([
      z.strictObject({
        from: durationSchema,
        to: durationSchema.optional().meta({ description: "End of the load; omitted: to the end of the run." }),
        slowdown: z.number().gte(1).meta({ description: "Service times are multiplied by this (at `from`)." }),
        rampTo: z.number().gte(1).optional().meta({ description: "If given, the slowdown grows linearly to this value at `to` (a ramp)." }),
      }),
      z.strictObject({
        trace: z
          .array(z.tuple([durationSchema, z.number().gte(1)]))
          .min(1)
          .meta({ description: "[time, slowdown] points, e.g. measured load: each slowdown holds until the next point (the last to the end of the run)." }),
      }),
    ]),
  ),
)
  .optional()
  .meta({ description: "Extra load on the node over time: service starting in an interval takes `slowdown` times longer (overlapping loads multiply)." });

export const nodeSchema = z
  .strictObject({
    id: idSchema,
    profile: idSchema.optional().meta({
      description: "A hardware profile id (a file name in hardware-profiles/ without .json). Optional for a node with only a slot service given an inferenceTime (an abstract server).",
    }),
    role: z.enum(["edge", "cloud"]).optional().meta({ description: "Where the node sits. Default: the profile's role (edge without a profile; end-device counts as edge)." }),
    sharing: z
      .enum(["time-slicing", "isolated"])
      .optional()
      .meta({
        description: `How services whose inference runs on the same compute unit share it: time-slicing (they contend) or isolated (each as if alone). Default ${DEFAULT_SHARING}. A cloud node never contends (docs/accelerator-sharing.md).`,
      }),
    services: z.array(serviceSchema).optional().meta({
      description:
        'What the node serves: at most one {"type": "slots"} (frames) and one {"type": "llm"} (queries); [] for a node that hosts only application stages (docs/applications.md). Default: one slot service with default settings.',
    }),
    costUsdPerHour: z.number().nonnegative().optional().meta({ description: "Hardware and hosting cost while the run lasts (amortisation). Default 0." }),
    backgroundLoad,
    // Shorthands (not with services): the slot-service keys on the node itself.
    ...slotSettings,
    serve: modelRefSchema
      .optional()
      .meta({ description: 'Shorthand of services[{"type": "llm", model, quantization, path}] (not with services); queueCapacity, maxBatch and contextTokens then belong to it.' }),
    ...llmSettings,
  })
  .meta({
    description:
      'A machine hosting services. Shorthands of `services` (never together with it): the slot keys (path, slots, cpuSlots, queueCapacity, inferenceTime, preprocessingTime) on the node are one {"type": "slots"} service; `serve` (with maxBatch, contextTokens, queueCapacity) is one {"type": "llm"} service.',
  });

export const deviceSchema = z.strictObject({
  id: idSchema,
  count: z.number().int().positive().optional().meta({
    description: "Number of identical devices; with count > 1 their ids are `<id>-0` ... `<id>-<count-1>`.",
  }),
  profile: idSchema.optional().meta({
    description: "Hardware profile of the end device: with it frames can run on the device itself (local-only), and it hosts localModel.",
  }),
  workloads: z.array(workloadSchema).min(1).optional().meta({ description: "What the device sends: one or more workloads of any type (required unless `workload` is given)." }),
  workload: workloadSchema.optional().meta({ description: "Shorthand of workloads: [workload] (not with workloads)." }),
  localModel: modelRefSchema.optional().meta({ description: "A small model on the device itself: the 'local' route of queries runs here, and nothing leaves the device." }),
  localNodes: z.array(idSchema).min(1).optional().meta({
    description: "Queries without localModel: the edge nodes the 'local' route uses (the least busy one is chosen per query). Default: every non-cloud node with a language-model service.",
  }),
  mobility: mobilitySchema.optional(),
});

export type NodeDocument = z.output<typeof nodeSchema>;
export type DeviceDocument = z.output<typeof deviceSchema>;
export type ServiceDocument = z.output<typeof serviceSchema>;
export type SlotServiceDocument = Extract<ServiceDocument, { type: "slots" }>;
export type LlmServiceDocument = Extract<ServiceDocument, { type: "llm" }>;
export type ModelRefDocument = z.output<typeof modelRefSchema>;
