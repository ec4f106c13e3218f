// STUB: H2 replaces this file with the frame traffic extracted from src/world/edge-world.ts.
import type { Scheduler } from "../../schedulers/types.js";
import type { FrameFamilyResults, Traffic, TrafficContext } from "../traffic-context.js";

export type { TaskRecord, TaskSink } from "../edge-world.js";
import type { TaskSink } from "../edge-world.js";

export interface FrameTrafficOptions {
  readonly taskSink?: TaskSink;
}

export class FrameTraffic implements Traffic {
  constructor(
    readonly context: TrafficContext,
    readonly scheduler: Scheduler,
    readonly options: FrameTrafficOptions,
  ) {}
  start(): void {
    throw new Error("FrameTraffic: not implemented yet");
  }
  crashNode(_node: number): void {}
  recoverNode(_node: number): void {}
  finish(_endMs: number): void {}
  results(): FrameFamilyResults {
    throw new Error("FrameTraffic: not implemented yet");
  }
}
