import { RandomStreams } from "../engine/rng.js";
import { SKETCH_RELATIVE_ERROR } from "../metrics/sketch.js";
import type { StageSummary } from "../metrics/stage-stats.js";
import { SIMULATOR_VERSION } from "../version.js";
import { LLM_RESULTS_SCHEMA, LLM_STAGES, type LlmResults, type LlmRunResults, type LlmStage } from "./llm-results.js";
import type { LlmServer } from "./llm-server.js";
import { LlmWorld, type QuerySink } from "./llm-world.js";
import type { LlmRouterEntry, ResolvedLlmScenario } from "./resolved.js";
import { ROUTERS } from "./routers/registry.js";
import type { RouterFactory } from "./routers/types.js";
import { SimulationError } from "../errors.js";
import { llmModelTimeIssues } from "../run/model-times.js";
import { estimateLlmWork, refuseExcessiveWork, resolveMaxEvents } from "../run/work-estimate.js";

const DAY_MS = 86_400_000;
const JOULES_PER_KWH = 3.6e6;

export interface SimulateLlmOptions {
  /** Called after each router's run (tests inspect the world). */
  onRunDone?: (entry: LlmRouterEntry, world: LlmWorld) => void;
  /** Receives every measured query of the router with this label (per-query output). */
  querySink?: (label: string) => QuerySink | undefined;
  /** Factories by entry label for `{"policy": "module"}` routers (see loadModuleRouters). */
  moduleRouters?: Readonly<Record<string, RouterFactory>>;
  /** Refuse (InputError, before any run) a scenario estimated to need more events than this; default DEFAULT_MAX_EVENTS. */
  maxEvents?: number;
  /** Where the scenario came from, for the refusal's message (the file; default `scenario "<name>"`). */
  source?: string;
}

/** checkEdgeWork for language-model scenarios: `simulate` and `simulate validate` refuse alike. */
export function checkLlmWork(scenario: ResolvedLlmScenario, options: Pick<SimulateLlmOptions, "maxEvents" | "source"> = {}): void {
  refuseExcessiveWork(estimateLlmWork(scenario), resolveMaxEvents(options.maxEvents), options.source ?? `scenario "${scenario.name}"`, llmModelTimeIssues(scenario));
}

/** Simulates the scenario once per router; every run starts from the same seed, so the queries are the same across routers. */
export function simulateLlm(scenario: ResolvedLlmScenario, options: SimulateLlmOptions = {}): LlmResults {
  checkLlmWork(scenario, options);
  const runs = scenario.routers.map((entry) => {
    const streams = new RandomStreams(scenario.seed);
    const factory = entry.name === "module" ? options.moduleRouters?.[entry.label] : ROUTERS[entry.name];
    if (factory === undefined) throw new SimulationError(`the module router "${entry.label}" was not loaded before simulating`);
    const router = factory({
      random: streams.stream(`router/${entry.label}`),
      options: entry.options,
      deviceCount: scenario.devices.length,
      qos: { ttftMs: scenario.ttftDeadlineMs, totalMs: scenario.totalDeadlineMs },
      label: entry.label,
      scenario: { name: scenario.name, seed: scenario.seed, devices: scenario.devices.map((d) => d.id) },
    });
    let summary: LlmRunResults | undefined;
    try {
      const world = new LlmWorld(scenario, router, { pipelineMaxAttempts: entry.pipelineMaxAttempts, querySink: options.querySink?.(entry.label) });
      world.run();
      options.onRunDone?.(entry, world);
      summary = summarizeRun(scenario, entry, world);
      summary.routerStatistics = router.statistics?.() ?? {};
      return summary;
    } finally {
      // An agent process is ended whatever happened; on failure it is killed rather than told the run ended.
      router.close?.(summary === undefined ? undefined : { completed: summary.queries.completed, violationRate: summary.qos.violationRate, apiUsd: summary.cost.apiUsd });
    }
  });
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    schema: LLM_RESULTS_SCHEMA,
    simulator: { name: "continuum-sim", version: SIMULATOR_VERSION },
    scenario: {
      name: scenario.name,
      description: scenario.description,
      hash: scenario.hash,
      devices: scenario.devices.length,
      nodes: scenario.nodes.map((node) => ({
        id: node.id,
        profile: node.profile,
        role: node.role,
        model: node.serving.model,
        quantization: node.serving.quantization,
        path: node.serving.path,
        maxBatch: node.serving.maxBatch,
        prefillTokensPerS: node.serving.prefillTokensPerMs * 1000,
        decodeTokensPerS: node.serving.decodeTokensPerMs * 1000,
        memoryMiB: node.serving.usableMemoryMiB === undefined ? null : node.serving.memoryMiB,
        usableMemoryMiB: node.serving.usableMemoryMiB ?? null,
      })),
    },
    seed: scenario.seed,
    units: { time: "ms", money: "USD", tokens: "tokens", energy: "J" },
    window: {
      warmupMs: scenario.warmupMs,
      durationMs: scenario.durationMs,
      drainMs: scenario.drainMs,
      measuredMs: scenario.durationMs + scenario.drainMs - scenario.warmupMs,
    },
    quantiles: { method: "logarithmic-bucket sketch (DDSketch); p-quantile = value of rank ceil(p*n)", relativeError: SKETCH_RELATIVE_ERROR },
    runs: runs.map((run) => ({ ...run, qos: { ...run.qos, ttftDeadlineMs: finite(scenario.ttftDeadlineMs), totalDeadlineMs: finite(scenario.totalDeadlineMs) } })),
  };
}

function summarizeRun(scenario: ResolvedLlmScenario, entry: LlmRouterEntry, world: LlmWorld): LlmRunResults {
  const m = world.meter;
  const measuredMs = world.measuredMs;
  // Per day: API money per day of arrivals (the drain only finishes what those arrivals started);
  // hardware and energy per day of the window they accrue over.
  const arrivalMs = scenario.durationMs - scenario.warmupMs;
  const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
  const latency = {} as Record<LlmStage, StageSummary>;
  for (const stage of LLM_STAGES) latency[stage] = m.latency[stage].summary();
  // A node the run never sent a query to is not part of this policy's deployment: it costs nothing.
  const nodeEnergy = world.servers.map((server) => (server.used ? spanEnergyJ(server, measuredMs) : 0));
  // A phone's idle power is not the model's doing: devices are charged the increment while they serve.
  const deviceEnergies = world.deviceServers.map((server) => (server === undefined ? null : servingEnergyJ(server)));
  const knownDeviceEnergy = deviceEnergies.filter((e): e is number => e !== null);
  const devicesEnergyJ = knownDeviceEnergy.length === 0 ? null : knownDeviceEnergy.reduce((a, b) => a + b, 0);
  const totalEnergyJ = nodeEnergy.reduce<number>((a, e) => a + (e ?? 0), 0) + (devicesEnergyJ ?? 0);
  const energyUsd = (totalEnergyJ / JOULES_PER_KWH) * scenario.electricityUsdPerKWh;
  const hardwareUsd = scenario.nodes.reduce((sum, node, i) => sum + (world.servers[i].used ? (node.costUsdPerHour * measuredMs) / 3_600_000 : 0), 0);
  const totalUsd = m.apiUsd + energyUsd + hardwareUsd;
  const violations = m.late + m.refused + m.lost + m.unfinishedLate;
  const attempts = m.completed + m.refused + m.lost + m.unfinishedLate;
  const ended = m.jobsSucceeded + m.jobsFailed;
  const hasPipelines = scenario.devices.some((d) => d.workload.type === "pipeline");
  return {
    router: entry.name,
    label: entry.label,
    queries: { generated: m.generated, completed: m.completed, refused: m.refused, lost: m.lost, unfinished: m.unfinished },
    routes: { ...m.routes },
    latency,
    qos: { ttftDeadlineMs: null, totalDeadlineMs: null, late: m.late, refused: m.refused, lost: m.lost, unfinishedLate: m.unfinishedLate, violations, violationRate: ratio(violations, attempts) },
    tokens: { prompt: m.promptTokens, output: m.outputTokens, servedAtEdge: m.tokensAtEdge, servedInCloud: m.tokensInCloud },
    cost: {
      apiUsd: m.apiUsd,
      energyUsd,
      hardwareUsd,
      totalUsd,
      perQueryUsd: ratio(totalUsd, m.completed),
      perDayUsd: (m.apiUsd * DAY_MS) / arrivalMs + ((energyUsd + hardwareUsd) * DAY_MS) / measuredMs,
    },
    privacy: {
      queriesOffDevice: m.queriesOffDevice,
      queriesToCloud: m.queriesToCloud,
      promptTokensOffDevice: m.promptTokensOffDevice,
      promptTokensToCloud: m.promptTokensToCloud,
      shareOfQueriesOffDevice: ratio(m.queriesOffDevice, m.generated - m.unfinished),
      shareOfQueriesToCloud: ratio(m.queriesToCloud, m.generated - m.unfinished),
      shareOfTokensOffDevice: ratio(m.promptTokensOffDevice, m.promptTokens),
      shareOfTokensToCloud: ratio(m.promptTokensToCloud, m.promptTokens),
    },
    quality: { meanProbability: ratio(m.qualitySum, m.completed), goodShare: ratio(m.good, m.completed) },
    throughput: { queriesPerS: m.completed / (measuredMs / 1000), outputTokensPerS: m.outputTokens / (measuredMs / 1000) },
    nodes: scenario.nodes.map((node, i) => {
      const server = world.servers[i];
      const stats = server.statistics();
      return {
        id: node.id,
        served: server.served,
        refused: server.refused,
        refusedContext: server.refusedContext,
        lost: server.lost,
        downMs: stats.downMs,
        utilisation: stats.utilisation,
        meanBatch: stats.meanBatch,
        meanQueueLength: stats.meanQueueLength,
        promptTokens: server.promptTokens,
        outputTokens: server.outputTokens,
        decodeTokensPerSPerQuery: m.decodeRate[i].summary(),
        outputTokensPerS: server.outputTokens / (measuredMs / 1000),
        used: server.used,
        energyJ: nodeEnergy[i],
        memoryShare: node.serving.usableMemoryMiB === undefined ? null : node.serving.memoryMiB / node.serving.usableMemoryMiB,
        ramShare: node.serving.usableMemoryMiB === undefined ? null : node.serving.memoryMiB / node.serving.ramMiB,
      };
    }),
    groups: m.groups.map((g) => {
      const ended = g.completed + g.refused + g.lost;
      return {
        group: g.group,
        devices: g.devices,
        queries: { generated: g.generated, completed: g.completed, refused: g.refused, lost: g.lost, unfinished: g.unfinished },
        latency: { ttft: g.ttft.summary(), total: g.total.summary() },
        violationRate: ratio(g.late + g.refused + g.lost + g.unfinishedLate, ended + g.unfinishedLate),
        shareLocal: ratio(g.local, ended),
        shareOffDevice: ratio(g.offDevice, ended),
        shareToCloud: ratio(g.toCloud, ended),
        apiUsd: g.apiUsd,
        qualityMeanProbability: ratio(g.qualitySum, g.completed),
      };
    }),
    devices: { localServed: world.deviceServers.reduce((sum, s) => sum + (s?.served ?? 0), 0), energyJ: devicesEnergyJ },
    pipelines: !hasPipelines
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
            const spec = scenario.devices.find((d) => d.workload.type === "pipeline")?.workload;
            const failed = stage.attempts - stage.passed;
            return {
              name: spec?.type === "pipeline" ? spec.stages[i].name : `stage-${i}`,
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
    faults: world.faults.records.map((record) => ({ ...record })),
    timeSeries: world.series.result(),
    routerStatistics: {},
    events: world.sim.eventsExecuted,
  };
}

/** Joules over the measured window: idle power throughout plus the busy increment while serving. */
function spanEnergyJ(server: LlmServer, measuredMs: number): number | null {
  const power = server.spec.power;
  if (power === undefined) return null;
  const { busyMs, downMs } = server.statistics();
  // A crashed node draws nothing.
  return (power.idleW * (measuredMs - downMs) + (power.busyW - power.idleW) * busyMs) / 1000;
}

/** Joules above idle while serving. */
function servingEnergyJ(server: LlmServer): number | null {
  const power = server.spec.power;
  if (power === undefined) return null;
  return ((power.busyW - power.idleW) * server.statistics().busyMs) / 1000;
}
