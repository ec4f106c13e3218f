/** Types of mm1.mjs for the TypeScript tests. */
import type { Check } from "./common.mjs";

export interface Mm1Parameters {
  lambda: number;
  mu: number;
  n: number;
  seed: number | string;
}
export interface Mm1Result {
  model: "mm1";
  requests: number;
  events: number;
  meanWaitMs: number;
  waitSeMs: number;
  meanSojournMs: number;
  p95SojournMs: number;
}
export declare const MM1: Mm1Parameters;
export declare function runMm1(parameters: Mm1Parameters): Mm1Result;
export declare function checkMm1(result: Mm1Result, nominal: Pick<Mm1Parameters, "lambda" | "mu">): Check[];
