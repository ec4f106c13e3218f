import * as z from "zod";
import { LLM_RESULTS_SCHEMA, type LlmResults } from "../../llm/llm-results.js";
import { parseTaggedResults } from "../results-input.js";

/*
 * The part of a language-model results file (`continuum-sim/llm-results@1`, src/llm/llm-results.ts)
 * that the LLM charts and index.html read, checked at run time like src/report/results-input.ts
 * does for edge results: charts take the parsed value, never the raw JSON, so a hand-edited or
 * truncated file is a clear input error instead of a chart that silently draws nothing. Objects
 * strip unknown keys (the latency stages the charts do not draw, per-node details), so newer
 * files still load.
 */

const num = z.number();
const nullableNum = z.number().nullable();
const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1);

const stageSummary = z.object({
  count,
  mean: nullableNum,
  sd: nullableNum,
  min: nullableNum,
  p50: nullableNum,
  p95: nullableNum,
  p99: nullableNum,
  max: nullableNum,
});

const pipelineStage = z.object({
  name: z.string(),
  attempts: count,
  passed: count,
  attemptPassRate: share.nullable(),
  stageSuccessRate: share.nullable(),
});

const pipelines = z.object({
  started: count,
  succeeded: count,
  failed: count,
  unfinished: count,
  successProbability: share.nullable(),
  timePerFinishedJobMs: stageSummary,
  tokensPerFinishedJob: nullableNum,
  costPerSucceededJobUsd: nullableNum,
  stages: z.array(pipelineStage),
});

const llmRun = z.object({
  router: z.string(),
  label: z.string(),
  queries: z.object({ generated: count, completed: count, refused: count, unfinished: count }),
  routes: z.object({ local: count, cloud: count, collaborative: count }),
  latency: z.object({ ttft: stageSummary, total: stageSummary }),
  qos: z.object({
    ttftDeadlineMs: nullableNum,
    totalDeadlineMs: nullableNum,
    violations: count,
    violationRate: share.nullable(),
  }),
  cost: z.object({ apiUsd: num, energyUsd: num, hardwareUsd: num, totalUsd: num, perQueryUsd: nullableNum, perDayUsd: num }),
  privacy: z.object({
    queriesOffDevice: count,
    queriesToCloud: count,
    shareOfQueriesOffDevice: share.nullable(),
    shareOfQueriesToCloud: share.nullable(),
  }),
  quality: z.object({ meanProbability: share.nullable(), goodShare: share.nullable() }),
  throughput: z.object({ queriesPerS: num, outputTokensPerS: num }),
  pipelines: pipelines.nullable(),
  /** Optional: files written before the time series existed still draw the other charts. */
  timeSeries: z
    .object({
      binMs: num,
      bins: z.array(z.object({ startMs: num, completed: count, violationRate: share.nullable(), ttftP95: nullableNum, shareToCloud: share.nullable() })),
    })
    .optional(),
  /** Router-specific numbers; the learning chart reads `thresholdHistory` (and `initialThreshold`) of learned routers. */
  routerStatistics: z.record(z.string(), z.union([num, z.array(num)])),
});

export const llmReportResultsSchema = z.object({
  schema: z.literal(LLM_RESULTS_SCHEMA),
  simulator: z.object({ name: z.string(), version: z.string() }),
  scenario: z.object({
    name: z.string(),
    description: z.string(),
    hash: z.string(),
    devices: count,
    nodes: z.array(
      z.object({
        id: z.string(),
        profile: z.string(),
        role: z.string(),
        model: z.string(),
        quantization: z.string(),
        path: z.string(),
        maxBatch: count,
        prefillTokensPerS: num,
        decodeTokensPerS: num,
        memoryMiB: nullableNum,
        usableMemoryMiB: nullableNum,
      }),
    ),
  }),
  seed: z.union([z.number(), z.string()]),
  window: z.object({ warmupMs: num, durationMs: num, drainMs: num, measuredMs: num }),
  quantiles: z.object({ method: z.string(), relativeError: num }),
  runs: z.array(llmRun).min(1),
});

/** What the LLM charts read: the results file as checked by llmReportResultsSchema. */
export type LlmReportResults = z.infer<typeof llmReportResultsSchema>;
export type LlmReportRun = LlmReportResults["runs"][number];

// Compile-time: every results object simulateLlm returns is something the charts can read.
const _simulatedResultsAreReportable = (results: LlmResults): LlmReportResults => results;
void _simulatedResultsAreReportable;

/** True when a parsed JSON document says it is a language-model results file. */
export function isLlmResultsJson(json: unknown): boolean {
  return json !== null && typeof json === "object" && !Array.isArray(json) && (json as Record<string, unknown>).schema === LLM_RESULTS_SCHEMA;
}

/** Checks a parsed language-model results document; throws InputError naming every problem with its JSON path. */
export function parseLlmReportResults(json: unknown, source: string): LlmReportResults {
  return parseTaggedResults(json, source, LLM_RESULTS_SCHEMA, "a results.json written by simulate for a language-model scenario", llmReportResultsSchema, crossCheck);
}

/** Consistency the schema cannot express: labels name the series of every chart, so they must be unique. */
function crossCheck(results: LlmReportResults): { path: string; value: unknown; expected: string }[] {
  const issues: { path: string; value: unknown; expected: string }[] = [];
  const seen = new Set<string>();
  results.runs.forEach((run, r) => {
    if (seen.has(run.label)) issues.push({ path: `runs[${r}].label`, value: run.label, expected: "a label not used by another run" });
    seen.add(run.label);
  });
  return issues;
}
