import type { LlmRouterEntry } from "../llm/resolved.js";
import type { SchedulerEntry } from "../scenario/resolved.js";

/**
 * One compared run: the policy that places frames, the one that routes queries (issue 13) and the
 * one that places application graphs (issue 17).
 * A scenario with only one workload family has only that member. A single policy name in the
 * scenario fills every family the policy supports; a family it cannot serve is a load-time error.
 */
export interface PolicyEntry {
  /** Names the run in results, charts and sweeps; unique within the scenario. */
  readonly label: string;
  readonly frames: SchedulerEntry | undefined;
  readonly queries: LlmRouterEntry | undefined;
  /** Places the stages of application graphs ("per-stage", "whole-graph"); optional so hand-built entries (tests) may omit it. */
  readonly applications?: SchedulerEntry;
}
