/**
 * Every default of the scenario format, stated once: the schema's `.meta` descriptions (and so
 * the JSON Schema editors show) and the resolver both read these constants.
 */

/** Master seed. */
export const DEFAULT_SEED = 1;
/** Consul's default check interval. */
export const DEFAULT_HEALTH_CHECK_INTERVAL_MS = 10_000;
/** A short probe deadline. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 1_000;

export const DEFAULT_MONITOR = { intervalMs: 1000, windowMs: 5000, percentile: 0.95, minSamples: 10, cooldownMs: 30_000 } as const;
/** No stored measurement of model load times: 1 s is an estimate for a small detector (docs/migration.md). */
export const DEFAULT_MODEL_LOAD_MS = 1000;

/** Frames: bytes of a video reply (detections). */
export const DEFAULT_VIDEO_RESULT_BYTES = 1024;
/** An RGB frame JPEG-compressed about 10:1: a rough, documented default; scenarios should state frameBytes. */
export const DEFAULT_JPEG_RATIO = 10;
/** Input side of arrivals and trace workloads, px. */
export const DEFAULT_FRAME_SIZE_PX = 300;

/** How services on one compute unit of a node share it (docs/accelerator-sharing.md). */
export const DEFAULT_SHARING = "time-slicing" as const;

/** Queries: context (prompt + output tokens) reserved per batch slot on edge nodes and devices. */
export const DEFAULT_CONTEXT_TOKENS = 4096;
/** UTF-8 text, about 4 characters per token. */
export const DEFAULT_BYTES_PER_TOKEN = 4;
/** Headers and JSON around every query. */
export const DEFAULT_REQUEST_OVERHEAD_BYTES = 500;
export const DEFAULT_REQUESTS_PER_USER_PER_DAY = 15;
/** Multi-turn exchanges re-send their context, so most tokens are prompt (estimate). */
export const DEFAULT_OUTPUT_SHARE = 0.1;
export const DEFAULT_STAGE_COMPLEXITY = 0.5;
export const DEFAULT_COLLABORATION = { draftRatio: 0.25, instructionTokens: 50, qualityFactor: 0.95 } as const;
export const DEFAULT_LOAD_SCALE = 1;
export const DEFAULT_ELECTRICITY_USD_PER_KWH = 0;

/** Numeric trace times without a unit are seconds. */
export const DEFAULT_TIME_UNIT = "s" as const;
/** Column names of the public Azure LLM inference traces (Patel et al., Splitwise, ISCA 2024). */
export const DEFAULT_QUERY_TRACE_COLUMNS = { time: "TIMESTAMP", prompt: "ContextTokens", output: "GeneratedTokens" } as const;
/** Query traces replay at their own pace. */
export const DEFAULT_TIME_SCALE = 1;
/** A pipeline or query stage is attempted once (no retries). */
export const DEFAULT_STAGE_MAX_ATTEMPTS = 1;
/** A query stage without a measured success rate always passes on its reference model. */
export const DEFAULT_SUCCESS_PROBABILITY = 1;
/** A link degradation changes only what it states. */
export const DEFAULT_LINK_DEGRADATION = { latencyMultiplier: 1, addedLatencyMs: 0, bandwidthFactor: 1 } as const;

/** A network without `topology` is today's star: a direct link per (device, node). */
export const DEFAULT_TOPOLOGY = "star" as const;
/** Light in fibre: about 5 us per km one way (ITU-T G.114; docs/network.md). */
export const PROPAGATION_MS_PER_KM = 0.005;
