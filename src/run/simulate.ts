import { mergeStageSets, newStageSet, summarizeStageSet } from "../metrics/stage-stats.js";
import { COARSE_SKETCH_RELATIVE_ERROR, SKETCH_RELATIVE_ERROR } from "../metrics/sketch.js";
import { RESULTS_SCHEMA, type Results, type SchedulerResults } from "../metrics/results.js";
import { RandomStreams } from "../engine/rng.js";
import type { ResolvedScenario, SchedulerEntry } from "../scenario/resolved.js";
import { SCHEDULERS } from "../schedulers/registry.js";
import type { SchedulerFactory } from "../schedulers/types.js";
import { SimulationError } from "../errors.js";
import { EdgeWorld, type TaskSink } from "../world/edge-world.js";
import type { NodeMeter } from "../world/frames/node-meter.js";
import { SIMULATOR_VERSION } from "../version.js";
import { edgeModelTimeIssues } from "./model-times.js";
import { estimateEdgeWork, refuseExcessiveWork, resolveMaxEvents } from "./work-estimate.js";

export interface SimulateOptions {
  /** Receives every measured request of every scheduler run, for per-task output. */
  taskSink?: (label: string) => TaskSink | undefined;
  /** Factories by entry label for `{"policy": "module"}` entries (see loadModulePolicies). */
  moduleFactories?: Readonly<Record<string, SchedulerFactory>>;
  /** Called after each scheduler run (progress, memory probes). */
  onRunDone?: (entry: SchedulerEntry, world: EdgeWorld) => void;
  /** Refuse (InputError, before any run) a scenario estimated to need more events than this; default DEFAULT_MAX_EVENTS. */
  maxEvents?: number;
  /** Where the scenario came from, for the refusal's message (the file; default `scenario "<name>"`). */
  source?: string;
}

/**
 * Refuses, before any run, a scenario that cannot finish or whose derived times cannot be finite
 * (InputError); `simulate` and `simulate validate` both call it, so they agree.
 */
export function checkEdgeWork(scenario: ResolvedScenario, options: Pick<SimulateOptions, "maxEvents" | "source"> = {}): void {
  refuseExcessiveWork(estimateEdgeWork(scenario), resolveMaxEvents(options.maxEvents), options.source ?? `scenario "${scenario.name}"`, edgeModelTimeIssues(scenario));
}

/**
 * Simulates the scenario once per scheduler entry. Every run starts from the same master seed,
 * so arrivals and link draws are common random numbers across schedulers.
 */
export function simulate(scenario: ResolvedScenario, options: SimulateOptions = {}): Results {
  checkEdgeWork(scenario, options);
  const scenarioForPolicy = {
    name: scenario.name,
    seed: scenario.seed,
    qosDeadlineMs: scenario.qosDeadlineMs,
    nodes: scenario.nodes.map((node) => ({ id: node.id, slots: node.slots, role: node.role })),
    devices: scenario.devices.map((device) => ({ id: device.id })),
  };
  const runs: SchedulerResults[] = scenario.schedulers.map((entry) => {
    const factory = entry.name === "module" ? options.moduleFactories?.[entry.label] : SCHEDULERS[entry.name];
    if (factory === undefined) throw new SimulationError(`the module policy "${entry.label}" was not loaded before simulating`);
    const streams = new RandomStreams(scenario.seed);
    const scheduler = factory({
      random: streams.stream(`scheduler/${entry.label}`),
      options: entry.options,
      nodeCount: scenario.nodes.length,
      deviceCount: scenario.devices.length,
      label: entry.label,
      scenario: scenarioForPolicy,
      monitorCooldownMs: scenario.monitor.cooldownMs,
    });
    let summary: SchedulerResults | undefined;
    try {
      const world = new EdgeWorld(scenario, { scheduler, taskSink: options.taskSink?.(entry.label) });
      world.run();
      options.onRunDone?.(entry, world);
      summary = summarizeRun(scenario, entry, world);
      summary.learned = scheduler.learned === true;
      summary.schedulerStatistics = scheduler.statistics?.() ?? {};
      return summary;
    } finally {
      // An agent process is ended whatever happened; on failure it is killed rather than told the run ended.
      scheduler.close?.(summary === undefined ? undefined : { completed: summary.requests.completed, violationRate: summary.qos.violationRate, meanTotalMs: summary.latency.total.mean });
    }
  });
  return {
    schema: RESULTS_SCHEMA,
    simulator: { name: "continuum-sim", version: SIMULATOR_VERSION },
    scenario: {
      name: scenario.name,
      description: scenario.description,
      hash: scenario.hash,
      devices: scenario.devices.length,
      nodes: scenario.nodes.map((node) => ({ id: node.id, profile: node.profile, path: node.path, slots: node.slots })),
    },
    seed: scenario.seed,
    units: { time: "ms", throughput: "requests/s" },
    window: {
      warmupMs: scenario.warmupMs,
      durationMs: scenario.durationMs,
      drainMs: scenario.drainMs,
      measuredMs: scenario.durationMs + scenario.drainMs - scenario.warmupMs,
    },
    qosDeadlineMs: scenario.qosDeadlineMs,
    quantiles: {
      method: "logarithmic-bucket sketch (DDSketch); p-quantile = value of rank ceil(p*n)",
      relativeError: SKETCH_RELATIVE_ERROR,
      timeSeriesRelativeError: COARSE_SKETCH_RELATIVE_ERROR,
    },
    network: nominalLatencyTable(scenario),
    runs,
  };
}

/** Where the results sample the total-latency distribution: every percentile plus the far tail. */
const CDF_PROBABILITIES: readonly number[] = [...Array.from({ length: 100 }, (_, i) => i / 100), 0.995, 0.999, 1];

function summarizeRun(scenario: ResolvedScenario, entry: SchedulerEntry, world: EdgeWorld): SchedulerResults {
  const counts = world.counts;
  const overall = newStageSet();
  for (const meter of world.meters) mergeStageSets(overall, meter.stages);
  mergeStageSets(overall, world.localMeter.stages);
  const measuredSeconds = (scenario.durationMs + scenario.drainMs - scenario.warmupMs) / 1000;
  const violations = counts.late + counts.dropped + counts.lost + counts.unfinishedLate;
  const attempts = counts.measured + counts.dropped + counts.lost + counts.unfinishedLate;
  return {
    scheduler: entry.name,
    label: entry.label,
    learned: false,
    schedulerStatistics: {},
    requests: { generated: counts.generated, completed: counts.measured, dropped: counts.dropped, lost: counts.lost, unfinished: counts.unfinished },
    throughput: counts.measured / measuredSeconds,
    qos: {
      deadlineMs: scenario.qosDeadlineMs,
      late: counts.late,
      unfinishedLate: counts.unfinishedLate,
      violations,
      timeInViolationMs: world.monitored ? world.timeInViolationMs : null,
      violationRate: attempts === 0 ? null : violations / attempts,
    },
    latency: summarizeStageSet(overall),
    latencyCdf: overall.total.cdf(CDF_PROBABILITIES),
    nodes: world.meters.map((meter, index) => ({
      id: scenario.nodes[index].id,
      completed: meter.served,
      late: meter.late,
      dropped: meter.dropped,
      lost: meter.lost,
      downMs: meter.downMs,
      energyJ: energyOf(meter, scenario.nodes[index].power),
      utilisation: meter.utilisation,
      meanQueueLength: meter.meanQueueLength,
      meanBusySlots: meter.meanBusySlots,
      latency: summarizeStageSet(meter.stages),
    })),
    local:
      world.localMeter.served === 0
        ? null
        : {
            completed: world.localMeter.served,
            late: world.localMeter.late,
            /** Mean fraction of devices busy running their own requests. */
            utilisation: world.localMeter.utilisation,
            latency: summarizeStageSet(world.localMeter.stages),
          },
    faults: world.faultRecords.map((record) => ({ ...record })),
    migrations: world.migrationRecords.map((record) => ({ ...record })),
    timeSeries: world.series.result(),
    events: counts.events,
  };
}

/** Devices beyond which the latency table is given per device group (its first member) to keep results small. */
const MAX_LATENCY_ROWS = 256;

function nominalLatencyTable(scenario: ResolvedScenario): Results["network"] {
  const perDevice = scenario.devices.length <= MAX_LATENCY_ROWS;
  const rows = perDevice ? scenario.devices : scenario.devices.filter((device, i, all) => i === 0 || all[i - 1].group !== device.group);
  return {
    devices: rows.map((device) => (perDevice ? device.id : device.group)),
    nodes: scenario.nodes.map((node) => node.id),
    nominalLatencyMs: rows.map((device) => scenario.nodes.map((node) => scenario.links[device.index][node.index].nominalLatencyMs)),
  };
}

/** Joules from the profile's power figures, or null for a node without them. */
function energyOf(meter: NodeMeter, power: { idleW: number; busyW: number } | undefined): number | null {
  return power === undefined ? null : meter.energyJoules(power.idleW, power.busyW);
}
