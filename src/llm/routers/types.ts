import type { Uniform } from "../../engine/rng.js";

/** Where a query runs: the small model near the user, the cloud model, or both (a local first pass, then the cloud). */
export type RouteMode = "local" | "cloud" | "collaborative";

export const ROUTE_MODES: readonly RouteMode[] = ["local", "cloud", "collaborative"];

/** What a router knows about a query when it arrives. */
export interface QueryInfo {
  readonly deviceIndex: number;
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** In [0, 1]. */
  readonly complexity: number;
  /** "query", or the pipeline stage the exchange belongs to. */
  readonly purpose: string;
}

/** What a router may observe of the system (what a real gateway could know). */
export interface RouterView {
  /** Simulated time, ms. */
  readonly now: number;
  /** Queries on the way, waiting or in service on the local route of a device (its own model or its least busy edge node known up); Infinity when no local node is known up. */
  localOutstanding(deviceIndex: number): number;
  /** Whether the device has a local route known up (health checks), and the cloud node is known up: a router that fails over asks these. */
  hasLocal(deviceIndex: number): boolean;
  hasCloud(): boolean;
}

/** A finished query as the router that placed it learns of it. */
export interface RouteOutcome {
  readonly deviceIndex: number;
  readonly mode: RouteMode;
  readonly complexity: number;
  readonly ttftMs: number;
  readonly totalMs: number;
  /** Missed a deadline or was refused. */
  readonly violated: boolean;
  readonly costUsd: number;
  /** Whether any of the prompt reached the cloud node (a privacy cost). */
  readonly reachedCloud: boolean;
  /** The quality proxy's probability, and the drawn judgement (a user's thumbs-up). */
  readonly quality: number;
  readonly good: boolean;
  /** Finish time, ms. */
  readonly at: number;
}

export interface QueryRouter {
  readonly name: string;
  route(query: QueryInfo, view: RouterView): RouteMode;
  observe?(outcome: RouteOutcome): void;
  /** True for a router that learns online (the report draws its learning curve). */
  readonly learned?: boolean;
  /** Numbers worth reporting (learned thresholds, federated bytes...). */
  statistics?(): Record<string, number | number[]>;
  /** The run ended (with its summary) or failed (undefined): an external router ends its agent here. */
  close?(summary: RouterRunSummary | undefined): void;
}

/** What a router is told when its run ends. */
export interface RouterRunSummary {
  readonly completed: number;
  readonly violationRate: number | null;
  readonly apiUsd: number;
}

export interface RouterContext {
  readonly random: Uniform;
  readonly options: Readonly<Record<string, unknown>>;
  readonly deviceCount: number;
  readonly qos: { readonly ttftMs: number; readonly totalMs: number };
  /** The entry's label and what an agent in another process is told about the scenario. */
  readonly label: string;
  readonly scenario: { readonly name: string; readonly seed: number | string; readonly devices: readonly string[] };
}

export type RouterFactory = (context: RouterContext) => QueryRouter;
