// STUB: H3 replaces this file with the query traffic extracted from src/llm/llm-world.ts.
import type { QueryRouter } from "../../llm/routers/types.js";
import type { QueryFamilyResults, Traffic, TrafficContext } from "../traffic-context.js";

export type { QueryRecord, QuerySink } from "../../llm/llm-world.js";
import type { QuerySink } from "../../llm/llm-world.js";

export interface QueryTrafficOptions {
  readonly querySink?: QuerySink;
  /** Overrides every pipeline stage's maxAttempts (the policy entry's setting). */
  readonly pipelineMaxAttempts?: number;
}

export class QueryTraffic implements Traffic {
  constructor(
    readonly context: TrafficContext,
    readonly router: QueryRouter,
    readonly options: QueryTrafficOptions,
  ) {}
  start(): void {
    throw new Error("QueryTraffic: not implemented yet");
  }
  crashNode(_node: number): void {}
  recoverNode(_node: number): void {}
  finish(_endMs: number): void {}
  results(): QueryFamilyResults {
    throw new Error("QueryTraffic: not implemented yet");
  }
}
