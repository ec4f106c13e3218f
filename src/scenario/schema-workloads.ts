import * as z from "zod";
import { distributionSpecSchema, durationSchema, timeUnitSchema } from "../random/distribution-spec.js";
import {
  DEFAULT_FRAME_SIZE_PX,
  DEFAULT_JPEG_RATIO,
  DEFAULT_OUTPUT_SHARE,
  DEFAULT_QUERY_TRACE_COLUMNS,
  DEFAULT_REQUESTS_PER_USER_PER_DAY,
  DEFAULT_STAGE_COMPLEXITY,
  DEFAULT_STAGE_MAX_ATTEMPTS,
  DEFAULT_SUCCESS_PROBABILITY,
  DEFAULT_TIME_SCALE,
  DEFAULT_TIME_UNIT,
  DEFAULT_VIDEO_RESULT_BYTES,
} from "./defaults.js";
import { idSchema } from "./schema-common.js";
import { builtOnce, builtOnUse } from "./schema-on-use.js";

/**
 * The workloads a device carries: frames (video, arrivals, trace), served by slot services, and
 * queries (queries, query-trace, pipeline), served by language-model services. Token counts and
 * complexity scores are distributions too: a plain number is a constant, and a distribution's
 * "ms" unit is read as tokens (or as a score) since they carry no unit. Every workload type but
 * video (the common one) is built on first use (schema-on-use.ts).
 */

const frameModel = idSchema.meta({ description: "Inference model, a key of the serving node's hardware profile `models`." });
const frameSize = z
  .number()
  .int()
  .positive()
  .optional()
  .meta({ description: `Input side in pixels; default ${DEFAULT_FRAME_SIZE_PX}.` });

const videoWorkload = z
  .strictObject({
    type: z.literal("video"),
    model: frameModel,
    fps: z.number().positive().meta({ description: "Frames per second." }),
    frameSizePx: z.number().int().positive().meta({ description: "Frame side in pixels (frames are square)." }),
    frameBytes: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .meta({ description: `Bytes sent per frame. Default: frameSizePx^2 x 3 / ${DEFAULT_JPEG_RATIO} (an RGB frame JPEG-compressed about ${DEFAULT_JPEG_RATIO}:1).` }),
    resultBytes: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .meta({ description: `Bytes of the reply (detections). Default ${DEFAULT_VIDEO_RESULT_BYTES}.` }),
    jitter: distributionSpecSchema.optional().meta({
      description: "Per-frame capture delay added to the nominal frame time k/fps, truncated to [0, 1/fps). Default 0.",
    }),
    startOffset: distributionSpecSchema.optional().meta({
      description: "Time of the first frame. Default uniform over one frame period, so cameras are not in lockstep.",
    }),
  })
  .meta({ description: "Frames: a camera streaming at a fixed rate." });

const arrivalsWorkload = builtOnUse(
  () =>
    z
      .strictObject({
        type: z.literal("arrivals"),
        model: frameModel,
        interarrival: distributionSpecSchema.meta({ description: "Time between consecutive requests of this device." }),
        frameSizePx: frameSize,
        requestBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes sent per request. Default 0." }),
        resultBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes of the reply. Default 0." }),
        startOffset: distributionSpecSchema.optional().meta({ description: "Time of the first request. Default: one interarrival draw." }),
      })
      .meta({ description: "Frames: requests separated by random gaps (e.g. Poisson arrivals with an exponential interarrival)." }),
  { key: "type", values: ["arrivals"] },
);

const traceWorkload = builtOnUse(
  () =>
    z
      .strictObject({
        type: z.literal("trace"),
        model: frameModel,
        file: z.string().min(1).meta({ description: "A CSV file with a header, relative to the scenario file." }),
        timeColumn: z.string().min(1).meta({ description: 'The column of arrival times: numbers (in timeUnit) or date-times such as "2023-11-16 18:17:03.9799600".' }),
        timeUnit: timeUnitSchema.optional().meta({ description: `Unit of numeric times. Default ${DEFAULT_TIME_UNIT}.` }),
        frameSizePx: frameSize,
        requestBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes sent per request. Default 0." }),
        resultBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes of the reply. Default 0." }),
      })
      .meta({
        description: "Frames replayed from a trace: times are taken relative to the first row; with count > 1 the rows are dealt to the devices in turn (row i to device i mod count).",
      }),
  { key: "type", values: ["trace"] },
);

const tokens = builtOnce(() => distributionSpecSchema.meta({ description: "A token count: a number or a distribution (draws are rounded, at least 1)." }));
const score = builtOnce(() => distributionSpecSchema.meta({ description: "A complexity score in [0, 1]: a number or a distribution (draws are clamped to [0, 1])." }));

const queriesWorkload = builtOnUse(
  () =>
    z
      .strictObject({
        type: z.literal("queries"),
        interarrival: distributionSpecSchema.optional().meta({ description: "Time between this device's queries. Give this or dailyActiveUsers." }),
        dailyActiveUsers: z.number().positive().optional().meta({
          description:
            "Users behind this device entry: Poisson arrivals at dailyActiveUsers x requestsPerUserPerDay per day (a flat day; no diurnal shape), shared evenly by the entry's count devices.",
        }),
        requestsPerUserPerDay: z
          .number()
          .positive()
          .optional()
          .meta({ description: `With dailyActiveUsers. Default ${DEFAULT_REQUESTS_PER_USER_PER_DAY}.` }),
        hourlyWeights: z.array(z.number().nonnegative()).length(24).optional().meta({
          description:
            "With dailyActiveUsers: relative arrival rate in each hour of the day (hour 0 starts at simulated time 0), e.g. a diurnal curve; scaled so the day's total is unchanged. Default flat.",
        }),
        promptTokens: tokens(),
        outputTokens: tokens(),
        complexity: score().optional().meta({ description: "How hard the query is, in [0, 1]. Default uniform on [0, 1]." }),
      })
      .meta({ description: "Queries with random gaps, prompt and output lengths and complexity." }),
  { key: "type", values: ["queries"] },
);

const queryTraceWorkload = builtOnUse(
  () =>
    z
      .strictObject({
        type: z.literal("query-trace"),
        file: z.string().min(1).meta({ description: "CSV with a header, relative to the scenario file (the Azure LLM inference trace format)." }),
        timeColumn: z
          .string()
          .min(1)
          .optional()
          .meta({ description: `Arrival times: numbers in timeUnit or date-times. Default "${DEFAULT_QUERY_TRACE_COLUMNS.time}".` }),
        timeUnit: timeUnitSchema.optional().meta({ description: `Unit of numeric times. Default ${DEFAULT_TIME_UNIT}.` }),
        promptColumn: z
          .string()
          .min(1)
          .optional()
          .meta({ description: `Prompt tokens. Default "${DEFAULT_QUERY_TRACE_COLUMNS.prompt}".` }),
        outputColumn: z
          .string()
          .min(1)
          .optional()
          .meta({ description: `Output tokens. Default "${DEFAULT_QUERY_TRACE_COLUMNS.output}".` }),
        complexity: score().optional().meta({ description: "The trace has no complexity column: drawn per query. Default uniform on [0, 1]." }),
        timeScale: z
          .number()
          .positive()
          .optional()
          .meta({ description: `Gaps between rows are multiplied by this (0.5 replays twice as fast). Default ${DEFAULT_TIME_SCALE}.` }),
      })
      .meta({ description: "Queries replayed from a trace; with count > 1 rows are dealt to the devices in turn." }),
  { key: "type", values: ["query-trace"] },
);

/**
 * The fields of a language-model query stage: one schema for a pipeline workload's stages (with
 * `name`) and an application's query stages (with `referenceNode`, schema-applications.ts).
 */
export const queryStageFields = builtOnce(() => {
  const stageOutcome = z.strictObject({
    time: durationSchema.meta({ description: "Mean wall time of an attempt with this outcome on the reference placement (LLM exchange + tool work)." }),
    tokens: z.number().positive().meta({ description: "Mean total tokens (prompt + output) of an attempt with this outcome." }),
  });

  return {
    successProbability: z
      .number()
      .gte(0)
      .lte(1)
      .optional()
      .meta({ description: `Chance that an attempt on the reference model passes. Default ${DEFAULT_SUCCESS_PROBABILITY}.` }),
    passed: stageOutcome,
    failed: stageOutcome,
    outputShare: z
      .number()
      .gt(0)
      .lt(1)
      .optional()
      .meta({
        description: `Share of an attempt's tokens that are output (the rest is prompt). Default ${DEFAULT_OUTPUT_SHARE} (estimate: multi-turn exchanges re-send their context, so most tokens are prompt).`,
      }),
    complexity: z
      .number()
      .gte(0)
      .lte(1)
      .optional()
      .meta({ description: `The stage's complexity score, used to route it and to scale its success on other models. Default ${DEFAULT_STAGE_COMPLEXITY}.` }),
    maxAttempts: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: `Attempts before the job fails at this stage (1 = no retries). Default ${DEFAULT_STAGE_MAX_ATTEMPTS}.` }),
  };
});

const pipelineWorkload = builtOnUse(
  () => {
    const pipelineStage = z.strictObject({
      name: z.string().min(1).meta({ description: "The stage's name (unique in the pipeline): results and messages name the stage by it." }),
      ...queryStageFields(),
    });
    return z
      .strictObject({
        type: z.literal("pipeline"),
        interarrival: distributionSpecSchema.meta({ description: "Time between job starts of this device." }),
        referenceNode: idSchema.meta({ description: "The node on which the stage figures were measured; each attempt's tool time = measured time - the LLM time there." }),
        stages: z.array(pipelineStage).min(1),
      })
      .meta({ description: "Queries: multi-stage LLM-assisted jobs; each stage is an LLM exchange that passes with a probability and is retried up to a limit." });
  },
  { key: "type", values: ["pipeline"] },
);

const dagWorkload = builtOnUse(
  () =>
    z
      .strictObject({
        type: z.literal("dag"),
        application: idSchema.meta({ description: "The id of an application in `applications`." }),
        fps: z.number().positive().optional().meta({ description: "Jobs per second at a fixed rate, as a camera's frames. Give this or interarrival." }),
        interarrival: distributionSpecSchema.optional().meta({ description: "Time between consecutive jobs of this device. Give this or fps." }),
        startOffset: distributionSpecSchema.optional().meta({
          description: "Time of the first job. Default: with fps uniform over one period (as video), with interarrival one interarrival draw (as arrivals).",
        }),
      })
      .meta({ description: "Applications: jobs of an application graph (docs/applications.md), placed stage by stage by the run's applications policy." }),
  { key: "type", values: ["dag"] },
);

export const FRAME_WORKLOAD_TYPES = ["video", "arrivals", "trace"] as const;
export const QUERY_WORKLOAD_TYPES = ["queries", "query-trace", "pipeline"] as const;

export const APPLICATION_WORKLOAD_TYPES = ["dag"] as const;

export const workloadSchema = z.discriminatedUnion("type", [videoWorkload, arrivalsWorkload, traceWorkload, queriesWorkload, queryTraceWorkload, pipelineWorkload, dagWorkload]);

export type WorkloadDocument = z.output<typeof workloadSchema>;
/** A query stage's fields as written (without the pipeline stage's name). */
export type QueryStageFieldsDocument = Omit<z.output<typeof pipelineWorkload>["stages"][number], "name">;
export type FrameWorkloadDocument = Extract<WorkloadDocument, { type: (typeof FRAME_WORKLOAD_TYPES)[number] }>;
export type QueryWorkloadDocument = Extract<WorkloadDocument, { type: (typeof QUERY_WORKLOAD_TYPES)[number] }>;
export type DagWorkloadDocument = Extract<WorkloadDocument, { type: "dag" }>;

export function isFrameWorkload(workload: WorkloadDocument): workload is FrameWorkloadDocument {
  return (FRAME_WORKLOAD_TYPES as readonly string[]).includes(workload.type);
}

export function isQueryWorkload(workload: WorkloadDocument): workload is QueryWorkloadDocument {
  return (QUERY_WORKLOAD_TYPES as readonly string[]).includes(workload.type);
}
