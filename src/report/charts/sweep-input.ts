/**
 * What the sweep charts read from a sweep summary (src/sweep/summary.ts writes it). Declared here,
 * structurally, so the report module does not depend on the sweep module.
 */
export type SweepValue = string | number | boolean | null | SweepValue[] | { [key: string]: SweepValue };

export interface SweepChartStats {
  n: number;
  mean: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface SweepChartInput {
  sweep: { sampling: { method: string }; axes: Array<{ name: string; path: string; values: SweepValue[] }>; metrics: string[] };
  cells: Array<{ values: Record<string, SweepValue>; label: string; metrics: Record<string, SweepChartStats> }>;
}

/** The scheduler list axis is drawn as one line (colour) per scheduler label, never as an x axis. */
export const SCHEDULER_AXIS_PATH = "/schedulers";

export function plotAxes(input: SweepChartInput): SweepChartInput["sweep"]["axes"] {
  return input.sweep.axes.filter((axis) => axis.path !== SCHEDULER_AXIS_PATH);
}

/** Axis value as chart data: numbers stay numbers, anything else becomes its JSON text. */
export function chartValue(value: SweepValue | undefined): string | number {
  if (typeof value === "number" || typeof value === "string") return value;
  return JSON.stringify(value ?? null);
}

/** Readable metric titles for the axes: a path into one run of results@2 (src/sweep/metric-paths.ts). */
export function metricTitle(metric: string): string {
  const known: Record<string, string> = {
    "jobs.violationRate": "QoS violation rate (all jobs)",
    "frames.jobs.violationRate": "frame QoS violation rate",
    "queries.jobs.violationRate": "query QoS violation rate",
    "frames.throughput": "throughput (frames/s)",
    "queries.throughput.queriesPerS": "throughput (queries/s)",
    "queries.throughput.outputTokensPerS": "output tokens/s",
    "queries.cost.perDayUsd": "money per day (USD)",
    "queries.cost.perQueryUsd": "money per query (USD)",
    "queries.quality.meanProbability": "quality: mean P(good answer)",
    "queries.quality.goodShare": "share of answers judged good",
    "queries.pipelines.successProbability": "job success probability",
    "queries.pipelines.tokensPerFinishedJob": "tokens per finished job",
    "queries.pipelines.costPerSucceededJobUsd": "money per succeeded job (USD)",
    "policyStatistics.finalThreshold": "learned threshold",
    migrations: "migrations",
    timeInViolationMs: "time in violation (ms)",
  };
  if (known[metric] !== undefined) return known[metric];
  const latency = /^(frames|queries)\.latency\.(\w+)\.(\w+)$/.exec(metric);
  const stageNames: Record<string, string> = { total: "total latency", ttft: "time to first token" };
  if (latency !== null) {
    const stage = latency[1] === "queries" && latency[2] === "total" ? "query total latency" : (stageNames[latency[2]] ?? latency[2]);
    return `${stage} ${latency[3]}${latency[3] === "count" ? "" : " (ms)"}`;
  }
  const cost = /^queries\.cost\.(\w+)Usd$/.exec(metric);
  if (cost !== null) return `${cost[1] === "api" ? "API" : cost[1]} money (USD)`;
  const share = /^queries\.privacy\.shareOf(Queries|Tokens)(OffDevice|ToCloud)$/.exec(metric);
  if (share !== null) return `share of ${share[1].toLowerCase()} ${share[2] === "ToCloud" ? "sent to the cloud" : "that left the device"}`;
  const jobs = /^(?:(frames|queries)\.)?jobs\.(\w+)$/.exec(metric);
  if (jobs !== null) return `${jobs[1] === undefined ? "jobs" : jobs[1]} ${jobs[2]}`;
  const node = /^nodes\.(\d+)\.(?:(frames|llm)\.)?(\w+)(?:\.(\w+))?$/.exec(metric);
  if (node !== null) {
    const field: Record<string, string> = {
      utilisation: "busy share",
      outputTokensPerS: "output tokens/s",
      decodeTokensPerSPerQuery: "decode tokens/s per query",
      meanQueueLength: "mean queue length",
      meanBatch: "mean batch",
    };
    const service = node[2] === undefined ? "" : ` ${node[2]}`;
    return `node ${node[1]}${service} ${field[node[3]] ?? node[3]}${node[4] !== undefined ? ` ${node[4]}` : ""}`;
  }
  return metric;
}

/** Vega-Lite sort for an ordinal axis: the sweep file's order for text values, ascending for numbers. */
export function axisSort(values: readonly SweepValue[]): string[] | "ascending" {
  const mapped = values.map(chartValue);
  return mapped.every((v): v is string => typeof v === "string") ? mapped : "ascending";
}
