/**
 * The library surface: run scenarios programmatically and write policies that type-check.
 * A policy module exports a SchedulerFactory (default export or `createScheduler`).
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
export { LOCAL_NODE } from "./schedulers/types.js";
export type { Results, SchedulerResults, NodeResults } from "./metrics/results.js";
export { loadScenarioFile, resolveScenario } from "./scenario/resolve.js";
export { simulate } from "./run/simulate.js";
export { SCHEDULER_NAMES, SCHEDULER_OPTIONS } from "./schedulers/registry.js";
export { loadModulePolicies } from "./schedulers/module-policy.js";
