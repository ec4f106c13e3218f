/**
 * The library surface: load and simulate scenarios, plan and run sweeps, draw reports, and write
 * policies that type-check. A policy module exports a SchedulerFactory (default export or
 * `createScheduler`); a router module for query workloads a RouterFactory (default export or
 * `createRouter`). docs/library.md has a runnable example.
 */

// Scenarios and runs.
export { loadScenarioFile, resolveScenario, type LoadOptions } from "./scenario/resolve.js";
export type { ResolvedScenario } from "./scenario/resolved-scenario.js";
export { simulate, type SimulateOptions } from "./run/simulate.js";
export type { FrameResults, GroupResults, JobCounts, QueryResults, Results, RunNodeResults, RunResults } from "./metrics/results-schema.js";
export type { DeviceMobilityResult, LinkResult, LinkResults, MobilityResults } from "./metrics/network-results.js";
export { InputError, type InputIssue, SimulationError } from "./errors.js";
export { OutputError } from "./io/output-error.js";

// Sweeps.
export { loadSweepFile, planSweep } from "./sweep/load-sweep.js";
export { runSweep, type SweepRunOptions, type SweepRunReport } from "./sweep/run-sweep.js";
export type { Axis, Cell, JsonValue, RunSpec, SweepPlan } from "./sweep/plan-types.js";
export type { ProgressStream } from "./sweep/progress.js";
export type { SweepSummary } from "./sweep/summary.js";

// Reports.
export { readResultsFile, renderReport, writeReport } from "./api/report.js";
export type { ReportFormat, ReportSummary } from "./report/write-report.js";

// Policies.
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
export { SCHEDULER_NAMES, SCHEDULER_OPTIONS } from "./schedulers/registry.js";
export { loadModulePolicies, type ModulePolicies } from "./schedulers/module-policy.js";
export type { QueryInfo, QueryRouter, RouteMode, RouteOutcome, RouterContext, RouterFactory, RouterView } from "./llm/routers/types.js";
export { ROUTER_NAMES, ROUTER_OPTIONS } from "./llm/routers/registry.js";
