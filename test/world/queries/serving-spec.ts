import type { ServingSpec } from "../../../src/llm/resolved.js";

/**
 * A language-model service for batch-server tests: 100 prompt tokens/s and 10 output tokens/s
 * alone, no overhead, no cost, no memory check; a test states only what it varies (maxBatch and
 * the speedups of its hand-worked timeline).
 */
export function servingSpec(overrides: Partial<ServingSpec> & Pick<ServingSpec, "maxBatch" | "decodeSpeedup" | "prefillSpeedup">): ServingSpec {
  return {
    model: "m",
    quantization: "q",
    path: "gpu",
    paramsB: 1,
    prefillTokensPerMs: 0.1,
    decodeTokensPerMs: 0.01,
    requestOverheadMs: 0,
    independentStreams: false,
    queueCapacity: Infinity,
    contextTokens: 4096,
    inputUsdPerToken: 0,
    outputUsdPerToken: 0,
    memoryMiB: 0,
    usableMemoryMiB: undefined,
    ramMiB: 0,
    power: undefined,
    ...overrides,
  };
}
