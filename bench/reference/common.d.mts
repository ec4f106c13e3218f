/** Types of common.mjs for the TypeScript tests (the loops themselves are plain JavaScript: no build). */
export declare function streamSeed(masterSeed: number | string, name: string): string;
export declare class Streams {
  constructor(masterSeed: number | string, count: number, nameOf: (index: number) => string);
  uniform(index: number): number;
  exponential(index: number, mean: number): number;
}
export interface MeanWithError {
  count: number;
  mean: number;
  se: number;
}
export declare class BatchMeans {
  constructor(expected: number, batches?: number);
  add(value: number): void;
  summary(): MeanWithError;
}
export declare function histogramPercentile(histogram: Uint32Array, binMs: number, count: number, q: number): number;
export declare function iidSummary(count: number, sum: number, sumOfSquares: number): MeanWithError;
export declare function erlangC(c: number, a: number): number;
export declare function mmcMeanWait(lambda: number, mu: number, c: number): number;
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
