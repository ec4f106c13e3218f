import type { ServingSpec } from "./resolved.js";

/**
 * The non-LLM part of a pipeline attempt (tool runs, compiling, flashing): its measured time on
 * the reference node minus the exchange there (service alone + a one-way latency each way).
 * Negative when the measured time cannot hold the exchange (refused when the scenario loads).
 */
export function attemptToolMs(reference: ServingSpec, outcome: { timeMs: number; tokens: number }, outputShare: number, nominalLatencyMs: number): number {
  return outcome.timeMs - exchangeMs(reference, outcome.tokens, outputShare) - 2 * nominalLatencyMs;
}

/** Mean service time of one exchange alone on a server: overhead + prefill + decode. */
function exchangeMs(serving: ServingSpec, totalTokens: number, outputShare: number): number {
  const output = Math.max(1, Math.round(totalTokens * outputShare));
  const prompt = Math.max(1, Math.round(totalTokens - output));
  return serving.requestOverheadMs + prompt / serving.prefillTokensPerMs + output / serving.decodeTokensPerMs;
}
