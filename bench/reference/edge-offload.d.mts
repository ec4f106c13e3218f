/** Types of edge-offload.mjs for the TypeScript tests. */
import type { Check, MeanWithError } from "./common.mjs";

export interface EdgeOffloadParameters {
  devices: number;
  gapMeanMs: number;
  linkMeanMs: number;
  nodes: number;
  slots: number;
  serviceMeanMs: number;
  durationMs: number;
  seed: number | string;
}
export interface EdgeOffloadResult {
  model: "edge-offload";
  requests: number;
  delivered: number;
  events: number;
  meanWaitMs: number;
  waitSeMs: number;
  uplink: MeanWithError;
  downlink: MeanWithError;
  service: MeanWithError;
  utilisation: { mean: number; se: number };
  meanSojournAtNodeMs: number;
  meanTotalMs: number;
  p95TotalMs: number;
}
export declare const EDGE_OFFLOAD: EdgeOffloadParameters;
export declare function runEdgeOffload(parameters: EdgeOffloadParameters): EdgeOffloadResult;
export declare function checkEdgeOffload(result: EdgeOffloadResult, nominal: EdgeOffloadParameters): Check[];
