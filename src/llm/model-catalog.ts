/**
 * Language models the simulator knows by id: size and shape, from which weight memory, KV-cache
 * memory and a bandwidth-bound decode estimate follow. Hardware profiles key their measured or
 * derived token rates by these ids and by a quantization below.
 *
 * Shapes (layers, KV heads, head dimension) are the models' published configurations
 * (Hugging Face config.json of each model); they set the KV cache, which is what limits how many
 * queries a small board can hold at once.
 */

export interface LlmModelInfo {
  readonly id: string;
  readonly name: string;
  /** Parameters, billions. */
  readonly paramsB: number;
  readonly layers: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly source: string;
}

/** Bits stored per weight, averaged over a whole GGUF file (embeddings and output layer included). */
export const QUANTIZATIONS = {
  // llama.cpp tools/quantize README: Q4_0 3.56G and Q4_K_M 3.80G for LLaMA-v1-7B (6.74 B params) -> 4.54 and 4.84 bits.
  Q4_0: 4.54,
  Q4_K_M: 4.84,
  // Q8_0 stores 32 int8 weights and one f16 scale per block: 8.5 bits.
  Q8_0: 8.5,
  F16: 16,
  // Cloud endpoints do not disclose their formats; memory is not checked there.
  served: 16,
} as const satisfies Record<string, number>;

export type Quantization = keyof typeof QUANTIZATIONS;
export const QUANTIZATION_NAMES = Object.keys(QUANTIZATIONS) as Quantization[];

const HF = "Hugging Face config.json";

export const LLM_MODELS: Readonly<Record<string, LlmModelInfo>> = {
  "llama-3.2-1b": { id: "llama-3.2-1b", name: "Llama 3.2 1B Instruct", paramsB: 1.24, layers: 16, kvHeads: 8, headDim: 64, source: `meta-llama/Llama-3.2-1B ${HF}` },
  "llama-3.2-3b": { id: "llama-3.2-3b", name: "Llama 3.2 3B Instruct", paramsB: 3.21, layers: 28, kvHeads: 8, headDim: 128, source: `meta-llama/Llama-3.2-3B ${HF}` },
  "llama-3.1-8b": { id: "llama-3.1-8b", name: "Llama 3.1 8B Instruct", paramsB: 8.03, layers: 32, kvHeads: 8, headDim: 128, source: `meta-llama/Llama-3.1-8B ${HF}` },
  "phi-3-mini": { id: "phi-3-mini", name: "Phi-3 mini 4k Instruct (3.8B)", paramsB: 3.82, layers: 32, kvHeads: 32, headDim: 96, source: `microsoft/Phi-3-mini-4k-instruct ${HF}` },
  "phi-2": { id: "phi-2", name: "Phi-2 (2.7B)", paramsB: 2.78, layers: 32, kvHeads: 32, headDim: 80, source: `microsoft/phi-2 ${HF}` },
  "yi-1.5-6b": { id: "yi-1.5-6b", name: "Yi 1.5 6B Chat", paramsB: 6.06, layers: 32, kvHeads: 4, headDim: 128, source: `01-ai/Yi-1.5-6B ${HF}` },
  "yi-coder-1.5b": { id: "yi-coder-1.5b", name: "Yi-Coder 1.5B Chat", paramsB: 1.48, layers: 28, kvHeads: 4, headDim: 128, source: `01-ai/Yi-Coder-1.5B ${HF}` },
  "qwen2.5-1.5b": { id: "qwen2.5-1.5b", name: "Qwen2.5 1.5B Instruct", paramsB: 1.54, layers: 28, kvHeads: 2, headDim: 128, source: `Qwen/Qwen2.5-1.5B-Instruct ${HF}` },
  "deepseek-r1-14b": { id: "deepseek-r1-14b", name: "DeepSeek R1 Distill Qwen 14B", paramsB: 14.8, layers: 48, kvHeads: 8, headDim: 128, source: `deepseek-ai/DeepSeek-R1-Distill-Qwen-14B ${HF}` },
  // GPT-J 6B (MLPerf Inference gptj-99): n_layer 28, n_head 16 (no grouped KV), n_embd 4096 -> head dim 256; 6.05 B parameters.
  "gpt-j-6b": { id: "gpt-j-6b", name: "GPT-J 6B", paramsB: 6.05, layers: 28, kvHeads: 16, headDim: 256, source: `EleutherAI/gpt-j-6b ${HF}` },
  "llama-3.1-70b": { id: "llama-3.1-70b", name: "Llama 3.1 70B Instruct", paramsB: 70.6, layers: 80, kvHeads: 8, headDim: 128, source: `meta-llama/Llama-3.1-70B ${HF}` },
};

export const MODEL_IDS = Object.keys(LLM_MODELS).sort();

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Bytes of weights a model at a quantization occupies (and reads once per decoded token). */
export function weightBytes(model: LlmModelInfo, quantization: Quantization): number {
  return (model.paramsB * 1e9 * QUANTIZATIONS[quantization]) / 8;
}

/** Bytes of F16 KV cache one token of context occupies: keys and values for every layer. */
export function kvBytesPerToken(model: LlmModelInfo): number {
  return 2 * model.layers * model.kvHeads * model.headDim * 2;
}

/** llama.cpp compute buffers and runtime beyond weights and KV cache (ESTIMATE: a few hundred MiB on small models). */
export const RUNTIME_OVERHEAD_MIB = 300;

/** Memory a node needs to serve `batch` queries of `contextTokens` each, MiB. */
export function servingMemoryMiB(model: LlmModelInfo, quantization: Quantization, contextTokens: number, batch: number): number {
  return (weightBytes(model, quantization) + kvBytesPerToken(model) * contextTokens * batch) / MIB + RUNTIME_OVERHEAD_MIB;
}

/**
 * Decode is bound by memory bandwidth: each new token reads every weight once, so
 * tokens/s ~ effective bandwidth / weight bytes. `effectiveGBs` is the sustained bandwidth the
 * runtime achieves (a fraction of the datasheet peak, fitted to measured rows: docs/llm.md).
 */
export function bandwidthBoundDecodeTokensPerS(model: LlmModelInfo, quantization: Quantization, effectiveGBs: number): number {
  return (effectiveGBs * 1e9) / weightBytes(model, quantization);
}

/** Prefill is bound by compute: about 2 FLOP per parameter per prompt token. */
export function computeBoundPrefillTokensPerS(model: LlmModelInfo, effectiveGflops: number): number {
  return (effectiveGflops * 1e9) / (2 * model.paramsB * 1e9);
}

export const weightGiB = (model: LlmModelInfo, quantization: Quantization): number => weightBytes(model, quantization) / GIB;
