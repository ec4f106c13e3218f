import * as z from "zod";
import { distributionSpecSchema, durationSchema } from "../random/distribution-spec.js";
import { bandwidthSchema, faultSchema, healthCheckSchema } from "../scenario/schema.js";

/**
 * The language-model scenario format (`"kind": "llm"`): devices that ask questions, nodes that
 * serve a model, a cloud endpoint, and the routers compared on the same queries. Token counts
 * and complexity scores are distributions too: a plain number is a constant, and a
 * distribution's "ms" unit is read as tokens (or as a score) since they carry no unit.
 */

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "expected an id of letters, digits, '.', '_' or '-'" })
  .meta({ description: "An identifier: letters, digits, '.', '_' and '-'." });

const tokens = distributionSpecSchema.meta({ description: "A token count: a number or a distribution (draws are rounded, at least 1)." });
const score = distributionSpecSchema.meta({ description: "A complexity score in [0, 1]: a number or a distribution (draws are clamped to [0, 1])." });

const modelRef = z.strictObject({
  model: z.string().min(1).meta({ description: "A model id of the profile's llm section (src/llm/model-catalog.ts for local models)." }),
  quantization: z.string().min(1).meta({ description: 'Quantization, e.g. "Q4_0", "Q4_K_M", "F16"; "served" for cloud endpoints.' }),
  path: z
    .enum(["cpu", "gpu", "npu", "cloud"])
    .optional()
    .meta({ description: "Where it runs on the hardware. Default: the only llm path of the profile that has the model, preferring gpu, npu, cloud, cpu." }),
});

const queryContent = {
  promptTokens: tokens,
  outputTokens: tokens,
  complexity: score.optional().meta({ description: "How hard the query is, in [0, 1]. Default uniform on [0, 1]." }),
};

const queriesWorkload = z
  .strictObject({
    type: z.literal("queries"),
    interarrival: distributionSpecSchema.optional().meta({ description: "Time between this device's queries. Give this or dailyActiveUsers." }),
    dailyActiveUsers: z.number().positive().optional().meta({
      description: "Users behind this device entry: Poisson arrivals at dailyActiveUsers x requestsPerUserPerDay per day (a flat day; no diurnal shape), shared evenly by the entry's count devices.",
    }),
    requestsPerUserPerDay: z.number().positive().optional().meta({ description: "With dailyActiveUsers. Default 15." }),
    hourlyWeights: z.array(z.number().nonnegative()).length(24).optional().meta({
      description:
        "With dailyActiveUsers: relative arrival rate in each hour of the day (hour 0 starts at simulated time 0), e.g. a diurnal curve; scaled so the day's total is unchanged. Default flat.",
    }),
    ...queryContent,
  })
  .meta({ description: "Queries with random gaps, prompt and output lengths and complexity." });

const traceWorkload = z
  .strictObject({
    type: z.literal("query-trace"),
    file: z.string().min(1).meta({ description: "CSV with a header, relative to the scenario file (the Azure LLM inference trace format)." }),
    timeColumn: z.string().min(1).optional().meta({ description: 'Arrival times: numbers in timeUnit or date-times. Default "TIMESTAMP".' }),
    timeUnit: z.enum(["ns", "us", "µs", "ms", "s", "sec", "min", "h"]).optional().meta({ description: "Unit of numeric times. Default s." }),
    promptColumn: z.string().min(1).optional().meta({ description: 'Prompt tokens. Default "ContextTokens".' }),
    outputColumn: z.string().min(1).optional().meta({ description: 'Output tokens. Default "GeneratedTokens".' }),
    complexity: score.optional().meta({ description: "The trace has no complexity column: drawn per query. Default uniform on [0, 1]." }),
    timeScale: z.number().positive().optional().meta({ description: "Gaps between rows are multiplied by this (0.5 replays twice as fast). Default 1." }),
  })
  .meta({ description: "Queries replayed from a trace; with count > 1 rows are dealt to the devices in turn." });

const stageOutcome = z.strictObject({
  time: durationSchema.meta({ description: "Mean wall time of an attempt with this outcome on the reference placement (LLM exchange + tool work)." }),
  tokens: z.number().positive().meta({ description: "Mean total tokens (prompt + output) of an attempt with this outcome." }),
});

const pipelineStage = z.strictObject({
  name: z.string().min(1),
  successProbability: z.number().gt(0).lte(1).meta({ description: "Chance that an attempt on the reference model passes." }),
  passed: stageOutcome,
  failed: stageOutcome,
  outputShare: z
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .meta({ description: "Share of an attempt's tokens that are output (the rest is prompt). Default 0.1 (estimate: multi-turn exchanges re-send their context, so most tokens are prompt)." }),
  complexity: z.number().gte(0).lte(1).optional().meta({ description: "The stage's complexity score, used to route it and to scale its success on other models. Default 0.5." }),
  maxAttempts: z.number().int().positive().optional().meta({ description: "Attempts before the job fails at this stage (1 = no retries). Default 1." }),
});

const pipelineWorkload = z
  .strictObject({
    type: z.literal("pipeline"),
    interarrival: distributionSpecSchema.meta({ description: "Time between job starts of this device." }),
    referenceNode: id.meta({ description: "The node on which the stage figures were measured; each attempt's tool time = measured time - the LLM time there." }),
    stages: z.array(pipelineStage).min(1),
  })
  .meta({ description: "Multi-stage LLM-assisted jobs: each stage is an LLM exchange that passes with a probability and is retried up to a limit." });

export const llmWorkloadSchema = z.discriminatedUnion("type", [queriesWorkload, traceWorkload, pipelineWorkload]);

const device = z.strictObject({
  id,
  count: z.number().int().positive().optional().meta({ description: "Identical devices; ids `<id>-0` ... with count > 1." }),
  profile: id.optional().meta({ description: "Hardware profile of the device; needed for localModel." }),
  localModel: modelRef.optional().meta({ description: "A small model on the device itself: the 'local' route runs here, and nothing leaves the device." }),
  localNodes: z.array(id).min(1).optional().meta({
    description: "Without localModel: the edge nodes the 'local' route uses (the least busy one is chosen per query). Default: every non-cloud node.",
  }),
  workload: llmWorkloadSchema,
});

const node = z.strictObject({
  id,
  profile: id,
  serve: modelRef,
  role: z.enum(["edge", "cloud"]).optional().meta({ description: "Default: the profile's role (end-device counts as edge)." }),
  maxBatch: z.number().int().positive().optional().meta({ description: "Queries served at once. Default: the profile path's maxBatch." }),
  queueCapacity: z.number().int().nonnegative().optional().meta({ description: "Queries that may wait; more are refused (and count as violations). Default unbounded." }),
  contextTokens: z.number().int().positive().optional().meta({
    description:
      "Context (prompt + output tokens) reserved per batch slot: checked against memory, and a longer query is refused. Default: the scenario's contextTokens (unlimited on a cloud endpoint unless given).",
  }),
  costUsdPerHour: z.number().nonnegative().optional().meta({ description: "Hardware and hosting cost while the run lasts (amortisation). Default 0." }),
});

const linkParameters = {
  latency: distributionSpecSchema.optional().meta({ description: "Base one-way latency." }),
  jitter: distributionSpecSchema.optional().meta({ description: "Added to the base latency on every transfer." }),
  bandwidth: z.union([bandwidthSchema, z.null()]).optional().meta({ description: "null: no transfer-time term." }),
};

const network = z.strictObject({
  default: z.strictObject(linkParameters).optional(),
  links: z
    .array(z.strictObject({ between: z.tuple([id, id]), ...linkParameters }))
    .optional()
    .meta({ description: "Per (device group, node) parameters." }),
  bytesPerToken: z.number().positive().optional().meta({ description: "Bytes on the wire per token of prompt or output. Default 4 (UTF-8 text, about 4 characters per token)." }),
  requestOverheadBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes added to every request (headers, JSON). Default 500." }),
});

const pipelineMaxAttempts = z.number().int().positive().optional().meta({ description: "Overrides every pipeline stage's maxAttempts in this run (e.g. 1: no retries)." });

const routerEntry = z.union([
  id,
  z.strictObject({
    name: id,
    label: z.string().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    pipelineMaxAttempts,
  }),
  z
    .strictObject({
      policy: z.literal("module"),
      path: z.string().min(1).meta({ description: "An ES module exporting a router factory (default export or createRouter), relative to the scenario file." }),
      label: z.string().optional(),
      options: z.record(z.string(), z.unknown()).optional(),
      pipelineMaxAttempts,
    })
    .meta({ description: "A router written as an ES module (docs/llm.md)." }),
  z
    .strictObject({
      policy: z.literal("external"),
      command: z.array(z.string().min(1)).min(1),
      label: z.string().optional(),
      timeoutMs: z.number().positive().optional(),
      agentOptions: z.record(z.string(), z.unknown()).optional(),
      transport: z.enum(["auto", "fifo", "worker"]).optional(),
      reward: z
        .record(z.string(), z.number())
        .optional()
        .meta({ description: "Weights of each outcome's reward: violationPenalty (1), usdPerGoodAnswer (0.01), cloudPenalty (0), latencyPenaltyPerSecond (0)." }),
      pipelineMaxAttempts,
    })
    .meta({ description: "A router in another process, spoken to in JSON lines (protocol continuum-sim/router@1, docs/llm.md)." }),
]);

export const llmScenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    kind: z.literal("llm").meta({ description: "Marks a language-model scenario." }),
    name: id,
    description: z.string().optional(),
    seed: z.union([z.number().int(), z.string()]).optional(),
    duration: durationSchema.meta({ description: "Simulated time during which queries arrive." }),
    warmup: durationSchema.optional(),
    drain: durationSchema.optional().meta({ description: "Extra time for queries in flight to finish. Default 0." }),
    qos: z
      .strictObject({
        ttft: durationSchema.optional().meta({ description: "Time-to-first-token deadline." }),
        total: durationSchema.optional().meta({ description: "Total-latency deadline." }),
      })
      .meta({ description: "A query is a violation when it misses either deadline given, is refused, or is unfinished past its deadline." }),
    loadScale: z.number().positive().optional().meta({
      description: "Multiplies every device's arrival rate (gaps and trace times are divided by it): one knob for a saturation sweep. Default 1.",
    }),
    contextTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "Context (prompt + output tokens) reserved per batch slot on edge nodes and devices: checked against memory; a longer query is refused. Default 4096." }),
    devices: z.array(device).min(1),
    nodes: z.array(node).min(1),
    cloudNode: id.optional().meta({ description: "The node the 'cloud' route uses. Default: the only node with role cloud." }),
    network: network.optional(),
    collaboration: z
      .strictObject({
        draftRatio: z.number().gt(0).lte(1).optional().meta({ description: "The local first pass writes this share of the prompt's length as a condensed prompt. Default 0.25." }),
        instructionTokens: z.number().int().nonnegative().optional().meta({ description: "Tokens of instructions added to the condensed prompt sent to the cloud. Default 50." }),
        qualityFactor: z.number().gt(0).lte(1).optional().meta({ description: "Quality of a collaborative answer relative to the cloud model alone. Default 0.95 (estimate)." }),
      })
      .optional()
      .meta({ description: "The gray-zone collaborative mode: a local first pass condenses the prompt, the cloud model answers." }),
    quality: z
      .strictObject({
        intercept: z.number().optional().meta({ description: "Capability of a 1B model. Default 0.3." }),
        slope: z.number().optional().meta({ description: "Capability gained per tenfold parameters. Default 0.3." }),
        steepness: z.number().positive().optional().meta({ description: "How sharply success falls once complexity exceeds capability. Default 10." }),
      })
      .optional()
      .meta({ description: "Quality proxy: P(good answer) = 1 / (1 + exp(steepness x (complexity - capability))), capability = intercept + slope x log10(params in B)." }),
    metrics: z
      .strictObject({
        binWidth: durationSchema.optional().meta({ description: "Width of the time-series bins. Default: the arrival window / 60, rounded down to 1, 2 or 5 x 10^k ms." }),
      })
      .optional(),
    faults: z.array(faultSchema).optional().meta({
      description: "Node crashes (at a time, or from MTBF/MTTR draws) and link degradations, as in video scenarios: queries on a crashed node are lost; routing avoids nodes known down.",
    }),
    healthCheck: healthCheckSchema.optional(),
    electricityUsdPerKWh: z.number().nonnegative().optional().meta({ description: "Price of the energy edge nodes and devices use. Default 0." }),
    routers: z.array(routerEntry).min(1).meta({ description: "Routing policies compared on the same queries." }),
  })
  .meta({ title: "continuum-sim language-model scenario" });

export type LlmScenarioDocument = z.output<typeof llmScenarioSchema>;
export type LlmWorkloadDocument = z.output<typeof llmWorkloadSchema>;
