import * as z from "zod";
import type { ControlRunResults } from "../control/types.js";
import type { LinkResults, MobilityResults } from "./network-results.js";
import { RESULTS_SCHEMA, type Results, type RunResults } from "./results-schema.js";

/*
 * Results@2 (src/metrics/results-schema.ts) checked at run time: the one reader of results files
 * (src/report/results-input.ts) parses with it, and the sweep lists the metric paths a run has from
 * it (src/sweep/metric-paths.ts). The compile-time checks at the end keep it and the TypeScript
 * types the same shape both ways, so neither can drift. Objects strip unknown keys, so a file of a
 * newer version with additional fields still loads.
 */

const num = z.number();
const nullableNum = num.nullable();
const count = z.number().int().nonnegative();

const stageSummary = z.object({ count, mean: nullableNum, sd: nullableNum, min: nullableNum, p50: nullableNum, p95: nullableNum, p99: nullableNum, max: nullableNum });
const frameStages = z.object({ networkUp: stageSummary, queueing: stageSummary, preprocessing: stageSummary, inference: stageSummary, networkDown: stageSummary, total: stageSummary });
const queryStages = z.object({ ttft: stageSummary, total: stageSummary, network: stageSummary, queueing: stageSummary, prefill: stageSummary, decode: stageSummary, tool: stageSummary });

const jobCounts = z.object({
  generated: count,
  completed: count,
  dropped: count,
  refused: count,
  lost: count,
  unfinished: count,
  late: count,
  unfinishedLate: count,
  violations: count,
  violationRate: nullableNum,
});

const fault = z.object({
  kind: z.enum(["crash", "link-degradation"]),
  target: z.string(),
  startMs: num,
  endMs: nullableNum,
  detectedAtMs: nullableNum.optional(),
  recoveryDetectedAtMs: nullableNum.optional(),
});

const migration = z.object({ timeMs: num, device: z.string(), from: z.string(), to: z.string(), reason: z.string(), switchMs: num, requestsDuringSwitch: count });

const frameNode = z.object({
  completed: count,
  late: count,
  dropped: count,
  refused: count,
  lost: count,
  utilisation: num,
  meanQueueLength: num,
  meanBusySlots: num,
  latency: frameStages,
});

const llmNode = z.object({
  served: count,
  refused: count,
  refusedContext: count,
  lost: count,
  utilisation: num,
  meanBatch: num,
  meanQueueLength: num,
  promptTokens: count,
  outputTokens: count,
  decodeTokensPerSPerQuery: stageSummary,
  outputTokensPerS: num,
  used: z.boolean(),
  memoryShare: nullableNum,
  ramShare: nullableNum,
});

const runNode = z.object({ id: z.string(), downMs: num, energyJ: nullableNum, utilisation: num, frames: frameNode.nullable(), llm: llmNode.nullable() });

const frameBin = z.object({
  startMs: num,
  completed: count,
  late: count,
  dropped: count,
  refused: count,
  lost: count,
  unfinishedLate: count,
  violationRate: nullableNum,
  latencyMean: nullableNum,
  latencyP50: nullableNum,
  latencyP95: nullableNum,
  nodes: z.array(z.object({ utilisation: num, meanQueueLength: num })),
});

const frames = z.object({
  jobs: jobCounts,
  throughput: num,
  latency: frameStages,
  latencyCdf: z.array(z.object({ p: z.number().min(0).max(1), ms: num })),
  local: z.object({ completed: count, late: count, utilisation: num, latency: frameStages }).nullable(),
  timeSeries: z.object({ binMs: z.number().positive(), bins: z.array(frameBin) }),
});

const queryBin = z.object({
  startMs: num,
  completed: count,
  refused: count,
  lost: count,
  late: count,
  unfinishedLate: count,
  violationRate: nullableNum,
  ttftP50: nullableNum,
  ttftP95: nullableNum,
  totalP95: nullableNum,
  shareLocal: nullableNum,
  shareToCloud: nullableNum,
  apiUsd: num,
  meanQuality: nullableNum,
});

const pipelineStage = z.object({
  name: z.string(),
  attempts: count,
  passed: count,
  attemptPassRate: nullableNum,
  stageSuccessRate: nullableNum,
  meanTimePassedMs: nullableNum,
  meanTimeFailedMs: nullableNum,
  meanTokensPassed: nullableNum,
  meanTokensFailed: nullableNum,
});

const pipelines = z.object({
  started: count,
  succeeded: count,
  failed: count,
  unfinished: count,
  successProbability: nullableNum,
  timePerFinishedJobMs: stageSummary,
  tokensPerFinishedJob: nullableNum,
  tokensPerEndedJob: nullableNum,
  costPerSucceededJobUsd: nullableNum,
  attemptsPerEndedJob: nullableNum,
  stages: z.array(pipelineStage),
});

const queries = z.object({
  jobs: jobCounts,
  routes: z.object({ local: count, cloud: count, collaborative: count }),
  latency: queryStages,
  tokens: z.object({ prompt: count, output: count, servedAtEdge: count, servedInCloud: count }),
  cost: z.object({ apiUsd: num, energyUsd: num, hardwareUsd: num, totalUsd: num, perQueryUsd: nullableNum, perDayUsd: num }),
  privacy: z.object({
    queriesOffDevice: count,
    queriesToCloud: count,
    promptTokensOffDevice: count,
    promptTokensToCloud: count,
    shareOfQueriesOffDevice: nullableNum,
    shareOfQueriesToCloud: nullableNum,
    shareOfTokensOffDevice: nullableNum,
    shareOfTokensToCloud: nullableNum,
  }),
  quality: z.object({ meanProbability: nullableNum, goodShare: nullableNum }),
  throughput: z.object({ queriesPerS: num, outputTokensPerS: num }),
  devices: z.object({ localServed: count, energyJ: nullableNum }),
  pipelines: pipelines.nullable(),
  timeSeries: z.object({ binMs: z.number().positive(), bins: z.array(queryBin) }),
});

const group = z.object({
  group: z.string(),
  devices: count,
  jobs: jobCounts,
  frames: z.object({ latency: z.object({ total: stageSummary }) }).nullable(),
  queries: z
    .object({
      latency: z.object({ ttft: stageSummary, total: stageSummary }),
      shareLocal: nullableNum,
      shareOffDevice: nullableNum,
      shareToCloud: nullableNum,
      apiUsd: num,
      qualityMeanProbability: nullableNum,
    })
    .nullable(),
});

/** A share of capacity, [0, 1] in theory; not capped at 1 so that floating-point noise in a bin never makes a file unreadable. */
const share = z.number().nonnegative();

const link = z.object({
  id: z.string(),
  direction: z.enum(["forward", "reverse"]),
  capacityMbps: num,
  bytes: num,
  utilisation: share,
  meanFlows: num,
  peakFlows: count,
  series: z.array(share),
});

const links = z.object({ binWidthMs: z.number().positive(), links: z.array(link), meanFlowsInFlight: num });

const mobility = z.object({
  devices: z.array(z.object({ device: z.string(), group: z.string(), handovers: count, coverageLosses: count, outOfCoverageMs: num, transfersDelayed: count, waitMs: num })),
  groups: z.array(z.object({ group: z.string(), devices: count, handoversPerDeviceHour: num, jobsDelayed: count, jobsLateAfterWait: count })),
  tracks: z.array(z.object({ device: z.string(), points: z.array(z.object({ t: num, x: num, y: num, ap: z.string().nullable() })) })),
  accessPoints: z.array(z.object({ id: z.string(), x: num, y: num, rangeM: z.number().positive() })),
});

/*
 * runs[].control (issue 17, src/control/types.ts ControlRunResults). Its arrays are readonly in
 * the contract, hence `.readonly()` here: the compile-time check below compares both ways.
 */
const serviceFamily = z.enum(["frames", "llm"]);
const replicaStep = z.object({ atMs: num, desired: count, ready: count, pending: count });
const provisioning = z.object({
  deployment: z.string(),
  node: z.string(),
  reason: z.enum(["initial", "scale-up", "restart", "join"]),
  requestedAtMs: num,
  scheduledAtMs: num,
  pullEndMs: num,
  bytesPulled: num,
  layersPulled: count,
  layersCached: count,
  startEndMs: num,
  readyAtMs: nullableNum,
  loadSource: z.enum(["scenario", "estimate"]),
  coldStart: z.boolean(),
});
const pendingRecord = z.object({ deployment: z.string(), atMs: num, untilMs: nullableNum, reason: z.string() });
const deployment = z.object({
  id: z.string(),
  family: serviceFamily,
  replicas: z.array(replicaStep).readonly(),
  provisioning: z.array(provisioning).readonly(),
  pending: z.array(pendingRecord).readonly(),
  coldStarts: z.object({ jobs: count, meanWaitMs: nullableNum, maxWaitMs: nullableNum }),
  scaleEvents: count,
});
const control = z.object({
  deployments: z.array(deployment).readonly(),
  catalog: z.object({ registrations: count, deregistrations: count, staleRejected: count, discoveryQueries: count, discoveryWaitMs: num }),
  membership: z.array(z.object({ node: z.string(), joinedAtMs: z.array(num).readonly(), leftAtMs: z.array(num).readonly(), joinToServingMs: z.array(nullableNum).readonly() })).readonly(),
});

const placeShare = z.object({ place: z.string(), runs: count, share: num });
const application = z.object({
  application: z.string(),
  jobs: jobCounts,
  // Only for an application with a query stage (one that can fail a job).
  failed: num.optional(),
  deadlineMs: nullableNum,
  latency: stageSummary,
  stages: z.array(z.object({ id: z.string(), service: z.string(), wait: stageSummary, serviceTime: stageSummary, places: z.array(placeShare) })),
  edges: z.array(z.object({ from: z.string(), to: z.string(), bytes: num, transfer: stageSummary })),
});

const runFields = {
  label: z.string(),
  policies: z.object({ frames: z.string().nullable(), queries: z.string().nullable() }),
  learned: z.boolean(),
  policyStatistics: z.record(z.string(), z.union([num, z.array(num)])),
  jobs: jobCounts,
  nodes: z.array(runNode),
  groups: z.array(group),
  faults: z.array(fault),
  migrations: z.array(migration),
  timeInViolationMs: nullableNum,
  frames: frames.nullable(),
  queries: queries.nullable(),
  /*
   * Issue 15's sections. A results@2 file written before them has neither key: it reads as null (a
   * run without capacity-limited links or moving devices), so the version stays results@2.
   */
  links: links.nullable().default(null),
  mobility: mobility.nullable().default(null),
  // Issue 17's section, read as null from a results@2 file written before it (no control plane).
  control: control.nullable().default(null),
  // Issue 17's applications (src/dag/dag-results.ts DagResults), read as null from a results@2 file written before them.
  applications: z.array(application).nullable().default(null),
  events: count,
};

export const runResultsShape = z.object(runFields);

/**
 * One run as a sweep keeps it (runs/<id>.json): without the time series and the latency CDF, which
 * no sweep metric reads and which would make every run record some 200 kB.
 */
export const compactRunResultsShape = z.object({
  ...runFields,
  frames: frames.omit({ timeSeries: true, latencyCdf: true }).nullable(),
  queries: queries.omit({ timeSeries: true }).nullable(),
  links: links
    .extend({ links: z.array(link.omit({ series: true })) })
    .nullable()
    .default(null),
  mobility: mobility.omit({ tracks: true }).nullable().default(null),
});

const serviceDescription = z.union([
  z.object({ type: z.literal("slots"), path: z.string(), slots: count, unit: z.string() }),
  z.object({
    type: z.literal("llm"),
    model: z.string(),
    quantization: z.string(),
    path: z.string(),
    unit: z.string(),
    maxBatch: count,
    prefillTokensPerS: num,
    decodeTokensPerS: num,
    memoryMiB: nullableNum,
    usableMemoryMiB: nullableNum,
  }),
]);

/** src/sweep/statistics.ts MetricSummary: one figure over the replications. */
const metricSummary = z.object({ n: count, missing: count, mean: nullableNum, sd: nullableNum, ci95: nullableNum, ciLow: nullableNum, ciHigh: nullableNum });

export const resultsShape = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  simulator: z.object({ name: z.literal("continuum-sim"), version: z.string() }),
  scenario: z.object({
    name: z.string(),
    description: z.string(),
    hash: z.string(),
    devices: count,
    groups: z.array(z.object({ id: z.string(), devices: count, families: z.array(z.enum(["frames", "queries", "applications"])) })),
    nodes: z.array(z.object({ id: z.string(), profile: z.string().nullable(), role: z.enum(["edge", "cloud"]), sharing: z.enum(["time-slicing", "isolated"]), services: z.array(serviceDescription) })),
  }),
  seed: z.union([z.number(), z.string()]),
  units: z.object({ time: z.literal("ms"), rate: z.literal("per s"), money: z.literal("USD"), energy: z.literal("J"), tokens: z.literal("tokens") }),
  window: z.object({ warmupMs: num, durationMs: num, drainMs: num, measuredMs: num }),
  qos: z.object({ frameDeadlineMs: nullableNum, ttftDeadlineMs: nullableNum, totalDeadlineMs: nullableNum }),
  quantiles: z.object({ method: z.string(), relativeError: num, timeSeriesRelativeError: num }),
  network: z.object({ devices: z.array(z.string()), nodes: z.array(z.string()), nominalLatencyMs: z.array(z.array(num)) }),
  runs: z.array(runResultsShape).min(1),
  replications: z
    .object({
      masterSeed: z.union([z.number(), z.string()]),
      seeds: z.array(z.number().int()).min(2),
      runs: z.array(z.array(compactRunResultsShape)).min(2),
      summary: z.array(z.object({ label: z.string(), figures: z.record(z.string(), metricSummary) })),
    })
    .optional(),
});

// Compile time: the schema and the contract's types describe the same object, in both directions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _resultsMatch: Same<z.infer<typeof resultsShape>, Results> = true;
const _runMatches: Same<z.infer<typeof runResultsShape>, RunResults> = true;
const _linksMatch: Same<z.infer<typeof links>, LinkResults> = true;
const _mobilityMatches: Same<z.infer<typeof mobility>, MobilityResults> = true;
const _controlMatches: Same<z.infer<typeof control>, ControlRunResults> = true;
void _resultsMatch;
void _runMatches;
void _linksMatch;
void _mobilityMatches;
void _controlMatches;
