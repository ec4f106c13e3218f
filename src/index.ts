/**
 * The library surface: run scenarios programmatically and write policies that type-check.
 * A policy module exports a SchedulerFactory (default export or `createScheduler`); a router
 * module for query workloads a RouterFactory (default export or `createRouter`).
 */
export type {
  ClusterView,
  DeviceIndex,
  Migration,
  NodeIndex,
  RunSummaryForPolicy,
  ScenarioForPolicy,
  Scheduler,
  SchedulerContext,
  SchedulerFactory,
  TaskOutcome,
  TaskRequest,
} from "./schedulers/types.js";
export { DROP, LOCAL_NODE } from "./schedulers/types.js";
export type { FrameResults, GroupResults, JobCounts, QueryResults, Results, RunNodeResults, RunResults } from "./metrics/results-schema.js";
export { loadScenarioFile, resolveScenario } from "./scenario/resolve.js";
export type { ResolvedScenario } from "./scenario/resolved-scenario.js";
export { simulate } from "./run/simulate.js";
export { SCHEDULER_NAMES, SCHEDULER_OPTIONS } from "./schedulers/registry.js";
export { loadModulePolicies, type ModulePolicies } from "./schedulers/module-policy.js";
export type { QueryInfo, QueryRouter, RouteMode, RouteOutcome, RouterContext, RouterFactory, RouterView } from "./llm/routers/types.js";
export { ROUTER_NAMES, ROUTER_OPTIONS } from "./llm/routers/registry.js";
