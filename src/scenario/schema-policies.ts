import * as z from "zod";
import { idSchema } from "./schema-common.js";
import { builtOnUse } from "./schema-on-use.js";

/**
 * A policy entry: one compared run. A name (or {name, label, options}) fills every workload
 * family present that the policy supports (schedulers place frames, routers route queries;
 * "local-only" and "cloud-only" are both); {frames, queries} names one per family.
 */

const pipelineMaxAttempts = z.number().int().positive().optional().meta({ description: "Queries: overrides every pipeline stage's maxAttempts in this run (e.g. 1: no retries)." });
const options = z.record(z.string(), z.unknown()).optional().meta({ description: "The policy's options (docs/policies.md, docs/llm.md); checked when the scenario loads." });

// The object forms are built on first use: most scenarios name their policies as strings.
const named = builtOnUse(() =>
  z.strictObject({
    name: idSchema,
    label: z.string().optional().meta({ description: "Names the run in results; default the policy name. Unique within the scenario." }),
    options,
    pipelineMaxAttempts,
  }),
);

const modulePolicy = builtOnUse(() =>
  z
    .strictObject({
      policy: z.literal("module"),
      path: z
        .string()
        .min(1)
        .meta({ description: "An ES module exporting a policy factory (createScheduler for frames, createRouter for queries, or a default export), relative to the scenario file." }),
      label: z.string().optional(),
      options: z.record(z.string(), z.unknown()).optional(),
      pipelineMaxAttempts,
    })
    .meta({ description: "A policy written as an ES module (docs/policies.md); in a scenario with both families, write it under frames or queries." }),
);

const externalPolicy = builtOnUse(() =>
  z
    .strictObject({
      policy: z.literal("external"),
      command: z.array(z.string().min(1)).min(1),
      label: z.string().optional(),
      timeoutMs: z.number().positive().optional(),
      agentOptions: z.record(z.string(), z.unknown()).optional(),
      transport: z.enum(["auto", "fifo", "worker"]).optional(),
      monitor: z.boolean().optional().meta({ description: "Frames: also ask the agent for migrations at every monitor tick." }),
      rewardPenalty: z.number().nonnegative().optional().meta({ description: "Frames: reward = -(total / deadline) - rewardPenalty when the deadline was missed." }),
      reward: z
        .record(z.string(), z.number())
        .optional()
        .meta({ description: "Queries: weights of each outcome's reward: violationPenalty (1), usdPerGoodAnswer (0.01), cloudPenalty (0), latencyPenaltyPerSecond (0)." }),
      pipelineMaxAttempts,
    })
    .meta({
      description: "A policy in another process, spoken to in JSON lines (docs/policy-protocol.md, docs/llm.md); in a scenario with both families, write it under frames or queries.",
    }),
);

export const singlePolicySchema = z.union([idSchema, named, modulePolicy, externalPolicy]);

const perFamily = builtOnUse(() =>
  z
    .strictObject({
      label: z.string().optional().meta({ description: "Names the run; default the members' labels joined by '+'." }),
      frames: singlePolicySchema.optional().meta({ description: "The scheduler that places frames." }),
      queries: singlePolicySchema.optional().meta({ description: "The router that routes queries." }),
      applications: singlePolicySchema.optional().meta({ description: 'The placement of application graphs: "per-stage" or "whole-graph" (docs/applications.md).' }),
    })
    .meta({ description: "One policy per workload family, compared as one run." }),
);

export const policyEntrySchema = z.union([idSchema, named, modulePolicy, externalPolicy, perFamily]);

export type SinglePolicyDocument = z.output<typeof singlePolicySchema>;
export type PolicyEntryDocument = z.output<typeof policyEntrySchema>;
