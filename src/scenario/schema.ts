import * as z from "zod";
import { durationSchema } from "../random/distribution-spec.js";
import { DEFAULT_QUALITY } from "../llm/quality.js";
import { DEFAULT_COLLABORATION, DEFAULT_CONTEXT_TOKENS, DEFAULT_ELECTRICITY_USD_PER_KWH, DEFAULT_LOAD_SCALE, DEFAULT_SEED } from "./defaults.js";
import { faultSchema, healthCheckSchema, idSchema, metricsSchema, migrationSchema, monitorSchema, networkSchema } from "./schema-common.js";
import { applicationSchema } from "./schema-applications.js";
import { controlSchema } from "./schema-control.js";
import { deviceSchema, nodeSchema } from "./schema-nodes.js";
import { builtOnUse } from "./schema-on-use.js";
import { policyEntrySchema } from "./schema-policies.js";

/**
 * The one scenario format (docs/scenario-format.md): devices carrying frame and query workloads,
 * nodes hosting slot and language-model services, one network, the policies compared. Objects are
 * strict (an unknown key is an error, so typos never pass silently). Parsing converts durations to
 * milliseconds; names, references and distribution parameters are checked by the resolver
 * (resolve.ts), which knows the profiles on disk and the policy registries. The parts a scenario
 * may leave out are built on first use (schema-on-use.ts), so a run builds the schemas it parses.
 */

export { bandwidthSchema, faultSchema, healthCheckSchema } from "./schema-common.js";
export { workloadSchema, type WorkloadDocument } from "./schema-workloads.js";

const policies = z.array(policyEntrySchema).min(1);

const qos = z
  .strictObject({
    frames: durationSchema.optional().meta({ description: "Frames: total-latency deadline; a slower frame is a violation. Required when a device has a frame workload." }),
    queries: builtOnUse(() =>
      z.strictObject({
        ttft: durationSchema.optional().meta({ description: "Time-to-first-token deadline." }),
        total: durationSchema.optional().meta({ description: "Total-latency deadline." }),
      }),
    )
      .optional()
      .meta({
        description:
          "Queries: a query is a violation when it misses either deadline given, is refused, or is unfinished past its deadline. At least one is required when a device has a query workload; one not given is no deadline.",
      }),
    ttft: durationSchema.optional().meta({ description: "Shorthand of queries.ttft (older language-model scenarios)." }),
    total: durationSchema.optional().meta({ description: "Shorthand of queries.total (older language-model scenarios)." }),
  })
  .meta({ description: "Deadlines per workload family." });

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    kind: z.string().optional().meta({ description: 'Ignored: older files marked language-model scenarios with "kind": "llm"; every scenario now has one format.' }),
    name: idSchema,
    description: z.string().optional(),
    seed: z
      .union([z.number().int(), z.string()])
      .optional()
      .meta({ description: `Master seed. Default ${DEFAULT_SEED}.` }),
    duration: durationSchema.meta({ description: "Simulated time during which jobs (frames, queries) are generated." }),
    warmup: durationSchema.optional().meta({ description: "Jobs created before this time are not measured. Default 0." }),
    drain: durationSchema.optional().meta({
      description: "Extra simulated time after `duration` for jobs in flight to finish (never negative). Default 0; jobs still in flight then are counted as unfinished.",
    }),
    loadScale: z
      .number()
      .positive()
      .optional()
      .meta({ description: `Queries: multiplies every random-arrival query workload's rate and compresses query traces: one knob for a saturation sweep. Default ${DEFAULT_LOAD_SCALE}.` }),
    qos: qos.optional(),
    qosDeadline: durationSchema.optional().meta({ description: "Shorthand of qos.frames (older frame scenarios)." }),
    contextTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({
        description: `Queries: context (prompt + output tokens) reserved per batch slot on edge nodes and devices: checked against memory; a longer query is refused. Default ${DEFAULT_CONTEXT_TOKENS}.`,
      }),
    devices: z.array(deviceSchema).min(1),
    nodes: z.array(nodeSchema).min(1),
    cloudNode: idSchema.optional().meta({ description: "Queries: the node the 'cloud' route uses. Default: the only node with role cloud and a language-model service." }),
    network: networkSchema.optional(),
    policies: policies.optional().meta({ description: "Policies compared on the same arrivals, one run each (required; `schedulers` and `routers` are older names of this list)." }),
    schedulers: policies.optional().meta({ description: "Older name of policies (not with policies)." }),
    routers: policies.optional().meta({ description: "Older name of policies (not with policies)." }),
    healthCheck: healthCheckSchema.optional(),
    monitor: monitorSchema.optional(),
    migration: migrationSchema.optional(),
    faults: z.array(faultSchema).optional().meta({
      description: "Node crashes (at a time, or from MTBF/MTTR draws) and link degradations: jobs on a crashed node are lost; policies avoid nodes known down.",
    }),
    metrics: metricsSchema.optional(),
    control: controlSchema.optional(),
    applications: z.array(applicationSchema).optional().meta({ description: "Applications as graphs of stages (docs/applications.md); devices send their jobs with workloads of type dag." }),
    collaboration: builtOnUse(() =>
      z.strictObject({
        draftRatio: z
          .number()
          .gt(0)
          .lte(1)
          .optional()
          .meta({ description: `The local first pass writes this share of the prompt's length as a condensed prompt. Default ${DEFAULT_COLLABORATION.draftRatio}.` }),
        instructionTokens: z
          .number()
          .int()
          .nonnegative()
          .optional()
          .meta({ description: `Tokens of instructions added to the condensed prompt sent to the cloud. Default ${DEFAULT_COLLABORATION.instructionTokens}.` }),
        qualityFactor: z
          .number()
          .gt(0)
          .lte(1)
          .optional()
          .meta({ description: `Quality of a collaborative answer relative to the cloud model alone. Default ${DEFAULT_COLLABORATION.qualityFactor} (estimate).` }),
      }),
    )
      .optional()
      .meta({ description: "Queries: the gray-zone collaborative mode: a local first pass condenses the prompt, the cloud model answers." }),
    quality: builtOnUse(() =>
      z.strictObject({
        intercept: z
          .number()
          .optional()
          .meta({ description: `Capability of a 1B model. Default ${DEFAULT_QUALITY.intercept}.` }),
        slope: z
          .number()
          .optional()
          .meta({ description: `Capability gained per tenfold parameters. Default ${DEFAULT_QUALITY.slope}.` }),
        steepness: z
          .number()
          .positive()
          .optional()
          .meta({ description: `How sharply success falls once complexity exceeds capability. Default ${DEFAULT_QUALITY.steepness}.` }),
      }),
    )
      .optional()
      .meta({ description: "Queries: quality proxy: P(good answer) = 1 / (1 + exp(steepness x (complexity - capability))), capability = intercept + slope x log10(params in B)." }),
    electricityUsdPerKWh: z
      .number()
      .nonnegative()
      .optional()
      .meta({ description: `Price of the energy edge nodes and devices use. Default ${DEFAULT_ELECTRICITY_USD_PER_KWH}.` }),
  })
  .meta({
    title: "continuum-sim scenario",
    description: "A deployment of end devices (cameras, phones...), edge and cloud nodes hosting services, and a network to simulate.",
  });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioDocument = z.output<typeof scenarioSchema>;
