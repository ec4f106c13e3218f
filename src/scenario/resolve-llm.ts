import { defineApplication } from "../dag/application.js";
import { DEVICE_NAME, type QueryStageSpec } from "../dag/types.js";
import { RandomStreams } from "../engine/rng.js";
import { InputError } from "../errors.js";
import { LLM_MODELS, QUANTIZATIONS, RUNTIME_OVERHEAD_MIB, kvBytesPerToken, servingMemoryMiB, weightBytes, type Quantization } from "../llm/model-catalog.js";
import { attemptToolMs } from "../llm/pipeline-tool-time.js";
import { type QueryTrace, readQueryTrace } from "../llm/query-trace.js";
import type { LlmWorkload, PipelineStageSpec, ServingSpec } from "../llm/resolved.js";
import type { DistributionSpec } from "../random/distribution-spec.js";
import { compileDistribution, type CompiledDistribution } from "../random/distributions.js";
import { suggestName } from "../text/nearest-name.js";
import {
  DEFAULT_OUTPUT_SHARE,
  DEFAULT_QUERY_TRACE_COLUMNS,
  DEFAULT_REQUESTS_PER_USER_PER_DAY,
  DEFAULT_STAGE_COMPLEXITY,
  DEFAULT_STAGE_MAX_ATTEMPTS,
  DEFAULT_SUCCESS_PROBABILITY,
  DEFAULT_TIME_SCALE,
  DEFAULT_TIME_UNIT,
} from "./defaults.js";
import { LLM_PATHS, type HardwareProfile, type LlmPathName } from "./profile-schema.js";
import type { ResolveContext } from "./resolve-context.js";
import type { LlmServiceAt } from "./resolve-shorthands.js";
import type { ResolvedLink } from "./resolved.js";
import type { ModelRefDocument } from "./schema-nodes.js";
import type { QueryStageFieldsDocument, QueryWorkloadDocument } from "./schema-workloads.js";

/**
 * The query family: query workloads (random queries, replayed traces, multi-stage pipelines) and
 * language-model services (a model on a path of a profile, checked against its memory).
 */

const DAY_MS = 86_400_000;
/** Preference when a model is on several paths of one profile. */
const PATH_PREFERENCE: readonly LlmPathName[] = ["gpu", "npu", "cloud", "cpu"];

/** Settings of a serving spec besides the model: the service's own, or the scenario's contextTokens for an on-device model. */
export interface ServingSettings {
  readonly maxBatch?: number;
  readonly queueCapacity?: number;
  readonly contextTokens: number;
  /** The context was written for this service (a cloud endpoint is then limited by it too). */
  readonly explicitContext?: boolean;
}

/** A node's language-model service from its shorthand or long form. */
export function llmService(ctx: ResolveContext, profile: HardwareProfile, service: LlmServiceAt, scenarioContextTokens: number): ServingSpec | undefined {
  return serving(ctx, profile, service.ref, service.refPath, {
    maxBatch: service.maxBatch,
    queueCapacity: service.queueCapacity,
    contextTokens: service.contextTokens ?? scenarioContextTokens,
    explicitContext: service.contextTokens !== undefined,
  });
}

/** The serving spec of a model on a profile, with the memory check: a model that does not fit is refused here, not slowed down. `key` is where the model is written. */
export function serving(ctx: ResolveContext, profile: HardwareProfile, ref: ModelRefDocument, key: string, settings: ServingSettings): ServingSpec | undefined {
  const llm = profile.llm;
  if (llm === undefined) {
    ctx.fail(key, ref, `a profile that serves language models (profile "${profile.id}" has no llm section)`);
    return undefined;
  }
  const withModel = LLM_PATHS.filter((p) => llm[p]?.models[ref.model] !== undefined);
  const pathName = ref.path ?? PATH_PREFERENCE.find((p) => withModel.includes(p));
  const pathProfile = pathName === undefined ? undefined : llm[pathName];
  const modelRates = pathProfile?.models[ref.model];
  if (pathName === undefined || pathProfile === undefined || modelRates === undefined) {
    const onPath = ref.path === undefined ? LLM_PATHS : [ref.path];
    const known = [...new Set(onPath.flatMap((p) => Object.keys(llm[p]?.models ?? {})))];
    ctx.fail(`${key}.model`, ref.model, `a model of profile "${profile.id}"${ref.path ? ` on its ${ref.path} path` : ""}: ${suggestName(ref.model, known)}`);
    return undefined;
  }
  const rate = modelRates[ref.quantization];
  if (rate === undefined) {
    ctx.fail(`${key}.quantization`, ref.quantization, `a quantization profile "${profile.id}" gives for ${ref.model} on ${pathName}: ${suggestName(ref.quantization, Object.keys(modelRates))}`);
    return undefined;
  }
  const catalogue = LLM_MODELS[ref.model];
  const paramsB = catalogue?.paramsB ?? rate.paramsB;
  if (paramsB === undefined) {
    ctx.fail(`${key}.model`, ref.model, "a model of the catalogue (src/llm/model-catalog.ts) or a profile rate with paramsB");
    return undefined;
  }
  const maxBatch = settings.maxBatch ?? pathProfile.maxBatch;
  let memoryMiB = 0;
  if (pathProfile.usableMemoryMiB !== undefined) {
    if (catalogue === undefined || !(ref.quantization in QUANTIZATIONS)) {
      ctx.fail(`${key}.model`, ref.model, "a catalogue model with a known quantization: its memory must be checked on this path");
      return undefined;
    }
    const quantization = ref.quantization as Quantization;
    memoryMiB = servingMemoryMiB(catalogue, quantization, settings.contextTokens, maxBatch);
    if (memoryMiB > pathProfile.usableMemoryMiB) {
      const weights = weightBytes(catalogue, quantization) / 1024 ** 2;
      const kv = (kvBytesPerToken(catalogue) * settings.contextTokens * maxBatch) / 1024 ** 2;
      ctx.fail(
        key,
        ref,
        `a model that fits in the ${pathProfile.usableMemoryMiB} MiB usable on ${profile.id} (${pathName}): ${ref.model} ${ref.quantization} needs ${Math.round(memoryMiB)} MiB ` +
          `(weights ${Math.round(weights)} + KV cache ${Math.round(kv)} for ${maxBatch} x ${settings.contextTokens} tokens + runtime ${RUNTIME_OVERHEAD_MIB}); ` +
          "use a smaller model or quantization, a smaller maxBatch or contextTokens",
      );
      return undefined;
    }
  }
  return {
    model: ref.model,
    quantization: ref.quantization,
    path: pathName,
    paramsB,
    prefillTokensPerMs: rate.prefillTokensPerS / 1000,
    decodeTokensPerMs: rate.decodeTokensPerS / 1000,
    requestOverheadMs: rate.requestOverheadMs ?? 0,
    maxBatch,
    decodeSpeedup: pathProfile.decodeSpeedup ?? [1],
    prefillSpeedup: pathProfile.prefillSpeedup ?? [1],
    // Cloud endpoints: every query runs at the full rate, maxBatch is a concurrency limit.
    independentStreams: pathName === "cloud",
    queueCapacity: settings.queueCapacity ?? Infinity,
    // A cloud endpoint's window is the provider's, not reserved here: only a node's stated context limits it.
    contextTokens: pathProfile.usableMemoryMiB === undefined && settings.explicitContext !== true ? Infinity : settings.contextTokens,
    inputUsdPerToken: (rate.inputUsdPerMTok ?? 0) / 1e6,
    outputUsdPerToken: (rate.outputUsdPerMTok ?? 0) / 1e6,
    memoryMiB,
    usableMemoryMiB: pathProfile.usableMemoryMiB,
    ramMiB: profile.memoryMiB,
    power: profile.power === undefined ? undefined : { idleW: profile.power.idleW, busyW: profile.power.busyW },
  };
}

/**
 * A token count: a constant must be a positive whole number (a distribution's draws are rounded,
 * at least 1, as documented). Silently turning -5 tokens into 1 would hide a mistake.
 */
function tokens(ctx: ResolveContext, spec: DistributionSpec, path: string): CompiledDistribution | undefined {
  const compiled = ctx.compile(spec, path);
  if (compiled?.isConstant !== true) return compiled;
  const value = compiled.exactMean ?? Number.NaN;
  if (Number.isInteger(value) && value >= 1) return compiled;
  ctx.fail(path, spec, "a positive whole number of tokens (or a distribution of them)");
  return undefined;
}

/** A complexity score: a constant must lie in [0, 1] (a distribution's draws are clamped to it, as documented). */
function complexity(ctx: ResolveContext, spec: DistributionSpec | undefined, path: string): CompiledDistribution | undefined {
  if (spec === undefined) return compileDistribution({ dist: "uniform", low: 0, high: 1 }, "");
  const compiled = ctx.compile(spec, path);
  if (compiled?.isConstant !== true) return compiled;
  const value = compiled.exactMean ?? Number.NaN;
  if (value >= 0 && value <= 1) return compiled;
  ctx.fail(path, spec, "a complexity score in [0, 1] (or a distribution of them)");
  return undefined;
}

/** The query workload of each of the `count` devices of a group (a trace's rows are dealt to them in turn); undefined after a problem. */
export function queryWorkloads(ctx: ResolveContext, workload: QueryWorkloadDocument, path: string, count: number, nodeIds: ReadonlyMap<string, number>): LlmWorkload[] | undefined {
  if (workload.type === "queries") {
    let interarrival: CompiledDistribution | undefined;
    let hourlyAcceptance: number[] | undefined;
    const weights = workload.hourlyWeights;
    if (weights !== undefined) {
      if (workload.dailyActiveUsers === undefined) ctx.fail(`${path}.hourlyWeights`, weights, "hourly weights only with dailyActiveUsers (a day's arrivals to shape)");
      else if (!weights.some((w) => w > 0)) ctx.fail(`${path}.hourlyWeights`, weights, "at least one positive weight");
    }
    if (workload.interarrival !== undefined && workload.dailyActiveUsers !== undefined) {
      ctx.fail(`${path}.dailyActiveUsers`, workload.dailyActiveUsers, "either interarrival or dailyActiveUsers, not both");
    } else if (workload.interarrival !== undefined) interarrival = ctx.compile(workload.interarrival, `${path}.interarrival`);
    else if (workload.dailyActiveUsers !== undefined) {
      // The users are behind the whole entry: with count > 1 each device carries its share.
      const perDevicePerDay = (workload.dailyActiveUsers * (workload.requestsPerUserPerDay ?? DEFAULT_REQUESTS_PER_USER_PER_DAY)) / count;
      // A diurnal profile is a non-homogeneous Poisson process, drawn by thinning a process at the peak hour's rate.
      let peak = 1;
      if (weights?.some((w) => w > 0)) {
        const mean = weights.reduce((a, b) => a + b, 0) / 24;
        peak = Math.max(...weights) / mean;
        hourlyAcceptance = weights.map((w) => w / mean / peak);
      }
      interarrival = compileDistribution({ dist: "exponential", mean: DAY_MS / (perDevicePerDay * peak) }, `${path}.dailyActiveUsers`);
    } else ctx.fail(`${path}.interarrival`, undefined, "a distribution of the time between queries (or dailyActiveUsers)");
    const promptTokens = tokens(ctx, workload.promptTokens, `${path}.promptTokens`);
    const outputTokens = tokens(ctx, workload.outputTokens, `${path}.outputTokens`);
    const score = complexity(ctx, workload.complexity, `${path}.complexity`);
    if (interarrival === undefined || promptTokens === undefined || outputTokens === undefined || score === undefined) return undefined;
    const resolved: LlmWorkload = { type: "queries", interarrival, hourlyAcceptance, promptTokens, outputTokens, complexity: score };
    return Array.from({ length: count }, () => resolved);
  }
  if (workload.type === "query-trace") {
    const score = complexity(ctx, workload.complexity, `${path}.complexity`);
    let trace: QueryTrace;
    try {
      trace = readQueryTrace(
        workload.file,
        ctx.baseDir,
        {
          time: workload.timeColumn ?? DEFAULT_QUERY_TRACE_COLUMNS.time,
          prompt: workload.promptColumn ?? DEFAULT_QUERY_TRACE_COLUMNS.prompt,
          output: workload.outputColumn ?? DEFAULT_QUERY_TRACE_COLUMNS.output,
        },
        workload.timeUnit ?? DEFAULT_TIME_UNIT,
        path,
      );
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      for (const issue of error.issues) ctx.fail(issue.path, issue.value, `${issue.expected} (${error.source})`);
      return undefined;
    }
    if (score === undefined) return undefined;
    const scale = workload.timeScale ?? DEFAULT_TIME_SCALE;
    // Row i goes to device i mod count, keeping each device's rows in time order. A row of 0
    // tokens (the reader refuses negative and fractional counts) is served as 1: a prompt is at
    // least one token and a model emits at least its end-of-sequence token (docs/llm.md).
    return Array.from({ length: count }, (_, k) => {
      const rows: number[] = [];
      for (let i = k; i < trace.times.length; i += count) rows.push(i);
      return {
        type: "query-trace" as const,
        times: Float64Array.from(rows, (i) => trace.times[i] * scale),
        promptTokens: Float64Array.from(rows, (i) => Math.max(1, trace.promptTokens[i])),
        outputTokens: Float64Array.from(rows, (i) => Math.max(1, trace.outputTokens[i])),
        complexity: score,
      };
    });
  }
  const interarrival = ctx.compile(workload.interarrival, `${path}.interarrival`);
  const referenceNode = nodeIds.get(workload.referenceNode);
  if (referenceNode === undefined) ctx.fail(`${path}.referenceNode`, workload.referenceNode, `a node id with a language-model service: ${suggestName(workload.referenceNode, [...nodeIds.keys()])}`);
  if (interarrival === undefined || referenceNode === undefined) return undefined;
  const stages = workload.stages.map((stage) => queryStageSpec(stage, stage.name, referenceNode));
  const application = pipelineApplication(ctx, `pipeline ${path}`, stages, path, [...nodeIds.keys()]);
  if (application === undefined) return undefined;
  const resolved: LlmWorkload = { type: "pipeline", interarrival, referenceNode, stages, application };
  return Array.from({ length: count }, () => resolved);
}

/** A query stage's fields with their defaults: a pipeline workload's stage (named by `name`) or an application's query stage (its id). */
export function queryStageSpec(doc: QueryStageFieldsDocument, name: string, referenceNode: number): QueryStageSpec {
  return {
    name,
    successProbability: doc.successProbability ?? DEFAULT_SUCCESS_PROBABILITY,
    passed: { timeMs: doc.passed.time, tokens: doc.passed.tokens },
    failed: { timeMs: doc.failed.time, tokens: doc.failed.tokens },
    outputShare: doc.outputShare ?? DEFAULT_OUTPUT_SHARE,
    complexity: doc.complexity ?? DEFAULT_STAGE_COMPLEXITY,
    maxAttempts: doc.maxAttempts ?? DEFAULT_STAGE_MAX_ATTEMPTS,
    referenceNode,
  };
}

/**
 * A pipeline workload as an application (issue 17): its stages chained device -> s1 -> ... ->
 * sN -> device, each a query stage named by the stage's name, the edges 0 bytes (the device issues
 * every query: nothing travels between stages). Its problems (two stages of one name) are reported
 * at the workload's stages.
 */
function pipelineApplication(ctx: ResolveContext, id: string, stages: readonly QueryStageSpec[], path: string, nodes: readonly string[]) {
  const names = [DEVICE_NAME, ...stages.map((stage) => stage.name), DEVICE_NAME];
  const edges = names.slice(1).map((to, i) => ({ from: names[i], to, bytes: 0 }));
  try {
    // Query stages draw nothing when defined (no mean to estimate): the streams are never read.
    return defineApplication({ id, stages: stages.map((query) => ({ id: query.name, query })), edges }, nodes, new RandomStreams(0));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const issue of error.issues) {
      const stage = /^stages\[(\d+)\]\.id$/.exec(issue.path);
      ctx.fail(stage === null ? `${path}.stages` : `${path}.stages[${stage[1]}].name`, issue.value, issue.problem === undefined ? issue.expected : `${issue.expected}: ${issue.problem}`);
    }
    return undefined;
  }
}

/** Each attempt's tool time is its measured time minus the LLM exchange on the reference node; that must not be negative. `path` is the stage's. */
export function checkQueryStageReference(
  ctx: ResolveContext,
  stage: PipelineStageSpec,
  path: string,
  reference: { id: string; serving: ServingSpec },
  route: Pick<ResolvedLink, "nominalLatencyMs">,
): void {
  for (const outcome of ["passed", "failed"] as const) {
    const toolMs = attemptToolMs(reference.serving, stage[outcome], stage.outputShare, route.nominalLatencyMs);
    if (toolMs < 0) {
      ctx.fail(
        `${path}.${outcome}.time`,
        `${stage[outcome].timeMs} ms`,
        `at least the LLM exchange on the reference node ${reference.id} (${Math.round(stage[outcome].timeMs - toolMs)} ms for ${stage[outcome].tokens} tokens): the measured time includes it`,
      );
    }
  }
}
