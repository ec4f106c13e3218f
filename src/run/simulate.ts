import { createPlacement } from "../dag/placement-registry.js";
import { RandomStreams } from "../engine/rng.js";
import { SimulationError } from "../errors.js";
import { ROUTERS } from "../llm/routers/registry.js";
import type { QueryRouter, RouterFactory } from "../llm/routers/types.js";
import { COARSE_SKETCH_RELATIVE_ERROR, SKETCH_RELATIVE_ERROR } from "../metrics/sketch.js";
import { addJobCounts } from "../metrics/job-counts.js";
import { type GroupResults, RESULTS_SCHEMA, type Results, type RunResults } from "../metrics/results-schema.js";
import type { PolicyEntry } from "../policies/policy-entry.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";
import { SCHEDULERS } from "../schedulers/registry.js";
import type { Scheduler, SchedulerFactory } from "../schedulers/types.js";
import { SIMULATOR_VERSION } from "../version.js";
import type { TaskSink } from "../world/frames/frame-traffic.js";
import type { QuerySink } from "../world/queries/query-traffic.js";
import { World } from "../world/world.js";
import { describeScenario, nominalLatencyTable } from "./describe-scenario.js";
import { networkSections } from "./network-sections.js";

export interface SimulateOptions {
  /** Per-job output: frames and queries of the run with this label. */
  taskSink?: (label: string) => TaskSink | undefined;
  querySink?: (label: string) => QuerySink | undefined;
  /** Factories by entry label for `{"policy": "module"}` entries. */
  moduleFactories?: Readonly<Record<string, SchedulerFactory>>;
  moduleRouters?: Readonly<Record<string, RouterFactory>>;
  /** Called after each run (tests inspect the world, progress, memory probes). */
  onRunDone?: (entry: PolicyEntry, world: World) => void;
}

/**
 * Simulates the scenario once per policy entry. Every run starts from the same master seed, so
 * arrivals and link draws are common random numbers across the compared policies.
 */
export function simulate(scenario: ResolvedScenario, options: SimulateOptions = {}): Results {
  const runs = scenario.policies.map((entry) => runOnce(scenario, entry, options));
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    schema: RESULTS_SCHEMA,
    simulator: { name: "continuum-sim", version: SIMULATOR_VERSION },
    scenario: describeScenario(scenario),
    seed: scenario.seed,
    units: { time: "ms", rate: "per s", money: "USD", energy: "J", tokens: "tokens" },
    window: { warmupMs: scenario.warmupMs, durationMs: scenario.durationMs, drainMs: scenario.drainMs, measuredMs: scenario.durationMs - scenario.warmupMs },
    qos: {
      frameDeadlineMs: scenario.families.frames ? finite(scenario.qos.frameDeadlineMs) : null,
      ttftDeadlineMs: scenario.families.queries ? finite(scenario.qos.ttftDeadlineMs) : null,
      totalDeadlineMs: scenario.families.queries ? finite(scenario.qos.totalDeadlineMs) : null,
    },
    quantiles: {
      method: "logarithmic-bucket sketch (DDSketch); p-quantile = value of rank ceil(p*n)",
      relativeError: SKETCH_RELATIVE_ERROR,
      timeSeriesRelativeError: COARSE_SKETCH_RELATIVE_ERROR,
    },
    network: nominalLatencyTable(scenario),
    runs,
  };
}

function runOnce(scenario: ResolvedScenario, entry: PolicyEntry, options: SimulateOptions): RunResults {
  const scheduler = entry.frames === undefined ? undefined : createScheduler(scenario, entry.frames, options);
  let router: QueryRouter | undefined;
  let run: RunResults | undefined;
  try {
    router = entry.queries === undefined ? undefined : createRouter(scenario, entry.queries, options);
    const world = new World(
      scenario,
      { frames: scheduler, queries: router, ...(entry.applications === undefined ? {} : { applications: createPlacement(entry.applications) }) },
      {
        frames: { taskSink: options.taskSink?.(entry.label) },
        queries: { querySink: options.querySink?.(entry.label), pipelineMaxAttempts: entry.queries?.pipelineMaxAttempts },
      },
    );
    world.run();
    options.onRunDone?.(entry, world);
    run = assembleRun(scenario, entry, world, scheduler, router);
    return run;
  } finally {
    // An agent process is ended whatever happened; on failure it is killed rather than told the run ended.
    const frames = run?.frames;
    scheduler?.close?.(frames == null ? undefined : { completed: frames.jobs.completed, violationRate: frames.jobs.violationRate, meanTotalMs: frames.latency.total.mean });
    const queries = run?.queries;
    router?.close?.(queries == null ? undefined : { completed: queries.jobs.completed, violationRate: queries.jobs.violationRate, apiUsd: queries.cost.apiUsd });
  }
}

function createScheduler(scenario: ResolvedScenario, entry: NonNullable<PolicyEntry["frames"]>, options: SimulateOptions): Scheduler {
  const factory = entry.name === "module" ? options.moduleFactories?.[entry.label] : SCHEDULERS[entry.name];
  if (factory === undefined) throw new SimulationError(`the module policy "${entry.label}" was not loaded before simulating`);
  const streams = new RandomStreams(scenario.seed);
  return factory({
    random: streams.stream(`scheduler/${entry.label}`),
    options: entry.options,
    nodeCount: scenario.nodes.length,
    deviceCount: scenario.devices.length,
    label: entry.label,
    scenario: {
      name: scenario.name,
      seed: scenario.seed,
      qosDeadlineMs: scenario.qos.frameDeadlineMs,
      nodes: scenario.nodes.map((node) => ({ id: node.id, slots: node.frames?.slots ?? 0, role: node.role })),
      devices: scenario.devices.map((device) => ({ id: device.id })),
    },
    monitorCooldownMs: scenario.monitor.cooldownMs,
  });
}

function createRouter(scenario: ResolvedScenario, entry: NonNullable<PolicyEntry["queries"]>, options: SimulateOptions): QueryRouter {
  const factory = entry.name === "module" ? options.moduleRouters?.[entry.label] : ROUTERS[entry.name];
  if (factory === undefined) throw new SimulationError(`the module router "${entry.label}" was not loaded before simulating`);
  const streams = new RandomStreams(scenario.seed);
  return factory({
    random: streams.stream(`router/${entry.label}`),
    options: entry.options,
    deviceCount: scenario.devices.length,
    qos: { ttftMs: scenario.qos.ttftDeadlineMs, totalMs: scenario.qos.totalDeadlineMs },
    label: entry.label,
    scenario: { name: scenario.name, seed: scenario.seed, devices: scenario.devices.map((d) => d.id) },
  });
}

function assembleRun(scenario: ResolvedScenario, entry: PolicyEntry, world: World, scheduler: Scheduler | undefined, router: QueryRouter | undefined): RunResults {
  const frames = world.frames?.results();
  const queries = world.queries?.results();
  const applications = world.applications?.applicationResults();
  const groups = new Map<string, GroupResults>();
  for (const device of scenario.devices) {
    let group = groups.get(device.group);
    if (group === undefined) {
      group = { group: device.group, devices: 0, jobs: addJobCounts([]), frames: null, queries: null };
      groups.set(device.group, group);
    }
    group.devices++;
  }
  for (const part of frames?.groups ?? []) {
    const group = groups.get(part.group) as GroupResults;
    group.frames = part.frames;
    group.jobs = addJobCounts([group.jobs, part.jobs]);
  }
  for (const part of queries?.groups ?? []) {
    const group = groups.get(part.group) as GroupResults;
    group.queries = part.queries;
    group.jobs = addJobCounts([group.jobs, part.jobs]);
  }
  const { links, mobility } = networkSections(world, [frames?.waited ?? [], queries?.waited ?? []], [...groups.keys()]);
  const statistics: Record<string, number | number[]> = { ...(scheduler?.statistics?.() ?? {}), ...(router?.statistics?.() ?? {}) };
  return {
    label: entry.label,
    policies: { frames: entry.frames?.name ?? null, queries: entry.queries?.name ?? null },
    learned: scheduler?.learned === true || router?.learned === true,
    policyStatistics: statistics,
    jobs: addJobCounts([
      ...(frames === undefined ? [] : [frames.section.jobs]),
      ...(queries === undefined ? [] : [queries.section.jobs]),
      ...(applications ?? []).map((application) => application.jobs),
    ]),
    nodes: scenario.nodes.map((node) => ({
      id: node.id,
      downMs: world.activity.downMs(node.index),
      energyJ: world.activity.energyJoules(node.index, node.power),
      utilisation: world.activity.utilisation(node.index),
      frames: frames?.nodes[node.index] ?? null,
      llm: queries?.nodes[node.index] ?? null,
    })),
    // Groups in scenario order (a Map keeps insertion order, which is the devices' order here).
    groups: [...groups.values()],
    faults: world.faultRecords.map((record) => ({ ...record })),
    migrations: frames === undefined ? [] : frames.migrations.map((record) => ({ ...record })),
    timeInViolationMs: frames?.timeInViolationMs ?? null,
    frames: frames?.section ?? null,
    queries: queries?.section ?? null,
    links,
    mobility,
    control: world.control?.results() ?? null,
    applications: applications ?? null,
    events: world.events,
  };
}
