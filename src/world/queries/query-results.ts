import { LLM_STAGES, type LlmStage } from "../../llm/llm-results.js";
import type { QueryResults, RunNodeResults } from "../../metrics/results-schema.js";
import type { StageSummary } from "../../metrics/stage-stats.js";
import type { ResolvedScenario } from "../../scenario/resolved-scenario.js";
import { jobCountsOf } from "../../metrics/job-counts.js";
import type { QueryFamilyResults } from "../traffic-context.js";
import type { BatchServer } from "./batch-server.js";
import type { QueryMeter } from "./query-meter.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const JOULES_PER_KWH = 3.6e6;

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/**
 * The query family's part of a run's results. Every figure covers the measurement window
 * [warmup, duration): counts are of the queries created in it (whenever they ended), rates and
 * time averages are over its length (measuredMs), so a drain never dilutes them.
 */
export function buildQueryResults(
  scenario: ResolvedScenario,
  m: QueryMeter,
  servers: readonly (BatchServer | undefined)[],
  deviceServers: readonly (BatchServer | undefined)[],
  endMs: number,
): Omit<QueryFamilyResults, "waited"> {
  const measuredMs = scenario.durationMs - scenario.warmupMs;
  const perSecond = (x: number): number => (measuredMs > 0 ? x / (measuredMs / 1000) : 0);
  const latency = {} as Record<LlmStage, StageSummary>;
  for (const stage of LLM_STAGES) latency[stage] = m.latency[stage].summary();
  const statistics = servers.map((server) => server?.statistics(endMs));
  // A node the run never sent a query to is not part of this policy's deployment: it costs nothing.
  const nodeEnergy = servers.map((server, i) => (server?.used === true ? spanEnergyJ(server, measuredMs, statistics[i] as ServerStatistics) : 0));
  // A phone's idle power is not the model's doing: devices are charged the increment while they serve.
  const deviceEnergies = deviceServers.map((server) => (server === undefined ? null : servingEnergyJ(server, server.statistics(endMs))));
  const knownDeviceEnergy = deviceEnergies.filter((e): e is number => e !== null);
  const devicesEnergyJ = knownDeviceEnergy.length === 0 ? null : knownDeviceEnergy.reduce((a, b) => a + b, 0);
  const totalEnergyJ = nodeEnergy.reduce<number>((a, e) => a + (e ?? 0), 0) + (devicesEnergyJ ?? 0);
  const energyUsd = (totalEnergyJ / JOULES_PER_KWH) * scenario.llm.electricityUsdPerKWh;
  const hardwareUsd = scenario.nodes.reduce((sum, node, i) => sum + (servers[i]?.used === true ? (node.costUsdPerHour * measuredMs) / HOUR_MS : 0), 0);
  const totalUsd = m.apiUsd + energyUsd + hardwareUsd;
  const ended = m.jobsSucceeded + m.jobsFailed;
  const pipeline = firstPipeline(scenario);
  const section: QueryResults = {
    jobs: jobCountsOf(m.jobs),
    routes: { ...m.routes },
    latency,
    tokens: { prompt: m.promptTokens, output: m.outputTokens, servedAtEdge: m.tokensAtEdge, servedInCloud: m.tokensInCloud },
    cost: {
      apiUsd: m.apiUsd,
      energyUsd,
      hardwareUsd,
      totalUsd,
      perQueryUsd: ratio(totalUsd, m.jobs.completed),
      // A day's money: API spend of the window's arrivals and the hardware and energy of the window, per 24 h of it.
      perDayUsd: measuredMs > 0 ? (totalUsd * DAY_MS) / measuredMs : 0,
    },
    privacy: {
      queriesOffDevice: m.queriesOffDevice,
      queriesToCloud: m.queriesToCloud,
      promptTokensOffDevice: m.promptTokensOffDevice,
      promptTokensToCloud: m.promptTokensToCloud,
      shareOfQueriesOffDevice: ratio(m.queriesOffDevice, m.jobs.generated - m.jobs.unfinished),
      shareOfQueriesToCloud: ratio(m.queriesToCloud, m.jobs.generated - m.jobs.unfinished),
      shareOfTokensOffDevice: ratio(m.promptTokensOffDevice, m.promptTokens),
      shareOfTokensToCloud: ratio(m.promptTokensToCloud, m.promptTokens),
    },
    quality: { meanProbability: ratio(m.qualitySum, m.jobs.completed), goodShare: ratio(m.good, m.jobs.completed) },
    throughput: { queriesPerS: perSecond(m.jobs.completed), outputTokensPerS: perSecond(m.outputTokens) },
    devices: { localServed: deviceServers.reduce((sum, s) => sum + (s?.served ?? 0), 0), energyJ: devicesEnergyJ },
    pipelines:
      pipeline === undefined
        ? null
        : {
            started: m.jobsStarted,
            succeeded: m.jobsSucceeded,
            failed: m.jobsFailed,
            unfinished: m.jobsUnfinished,
            successProbability: ratio(m.jobsSucceeded, ended),
            timePerFinishedJobMs: m.jobTime.summary(),
            tokensPerFinishedJob: ratio(m.tokensSucceeded, m.jobsSucceeded),
            tokensPerEndedJob: ratio(m.tokensEnded, ended),
            costPerSucceededJobUsd: ratio(m.costEnded, m.jobsSucceeded),
            attemptsPerEndedJob: ratio(m.attemptsEnded, ended),
            stages: m.stages.map((stage, i) => {
              const failed = stage.attempts - stage.passed;
              return {
                name: pipeline.stages[i]?.name ?? `stage-${i}`,
                attempts: stage.attempts,
                passed: stage.passed,
                attemptPassRate: ratio(stage.passed, stage.attempts),
                stageSuccessRate: ratio(stage.stagePassed, stage.reached),
                meanTimePassedMs: ratio(stage.timePassed, stage.passed),
                meanTimeFailedMs: ratio(stage.timeFailed, failed),
                meanTokensPassed: ratio(stage.tokensPassed, stage.passed),
                meanTokensFailed: ratio(stage.tokensFailed, failed),
              };
            }),
          },
    timeSeries: m.series.result(),
  };
  const nodes: RunNodeResults["llm"][] = scenario.nodes.map((node, i) => {
    const server = servers[i];
    const stats = statistics[i];
    if (server === undefined || stats === undefined || node.llm === undefined) return null;
    const spec = node.llm;
    return {
      served: server.served,
      refused: server.refused,
      refusedContext: server.refusedContext,
      lost: server.lost,
      utilisation: stats.utilisation,
      meanBatch: stats.meanBatch,
      meanQueueLength: stats.meanQueueLength,
      promptTokens: server.promptTokens,
      outputTokens: server.outputTokens,
      decodeTokensPerSPerQuery: m.decodeRate[i].summary(),
      outputTokensPerS: perSecond(server.outputTokens),
      used: server.used,
      memoryShare: spec.usableMemoryMiB === undefined ? null : spec.memoryMiB / spec.usableMemoryMiB,
      ramShare: spec.usableMemoryMiB === undefined ? null : spec.memoryMiB / spec.ramMiB,
    };
  });
  const groups = m.groups.map((g) => {
    const ended = g.jobs.completed + g.jobs.refused + g.jobs.lost;
    return {
      group: g.group,
      devices: g.devices,
      jobs: jobCountsOf(g.jobs),
      queries: {
        latency: { ttft: g.ttft.summary(), total: g.total.summary() },
        shareLocal: ratio(g.local, ended),
        shareOffDevice: ratio(g.offDevice, ended),
        shareToCloud: ratio(g.toCloud, ended),
        apiUsd: g.apiUsd,
        qualityMeanProbability: ratio(g.qualitySum, g.jobs.completed),
      },
    };
  });
  return { section, nodes, groups };
}

/** The first pipeline workload of the scenario: it names the stages of the pipeline section. */
function firstPipeline(scenario: ResolvedScenario) {
  for (const device of scenario.devices) {
    for (const w of device.workloads) if (w.family === "queries" && w.type === "pipeline") return w;
  }
  return undefined;
}

type ServerStatistics = ReturnType<BatchServer["statistics"]>;

/** Joules over the window: idle power while up plus the busy increment while serving. */
function spanEnergyJ(server: BatchServer, measuredMs: number, stats: ServerStatistics): number | null {
  const power = server.spec.power;
  if (power === undefined) return null;
  // A crashed node draws nothing.
  return (power.idleW * (measuredMs - stats.downMs) + (power.busyW - power.idleW) * stats.busyMs) / 1000;
}

/** Joules above idle while serving, over the window. */
function servingEnergyJ(server: BatchServer, stats: ServerStatistics): number | null {
  const power = server.spec.power;
  if (power === undefined) return null;
  return ((power.busyW - power.idleW) * stats.busyMs) / 1000;
}
