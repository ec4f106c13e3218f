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

/** Readable metric titles for the axes. */
export function metricTitle(metric: string): string {
  const known: Record<string, string> = {
    "qos.violationRate": "QoS violation rate",
    throughput: "throughput (requests/s)",
    // Language-model results.
    "throughput.queriesPerS": "throughput (queries/s)",
    "throughput.outputTokensPerS": "output tokens/s",
    "cost.perDayUsd": "money per day (USD)",
    "cost.perQueryUsd": "money per query (USD)",
    "quality.meanProbability": "quality: mean P(good answer)",
    "quality.goodShare": "share of answers judged good",
    "pipelines.successProbability": "job success probability",
    "pipelines.tokensPerFinishedJob": "tokens per finished job",
    "pipelines.costPerSucceededJobUsd": "money per succeeded job (USD)",
    "routerStatistics.finalThreshold": "learned threshold",
  };
  if (known[metric] !== undefined) return known[metric];
  const latency = /^latency\.(\w+)\.(\w+)$/.exec(metric);
  const stageNames: Record<string, string> = { total: "total latency", ttft: "time to first token" };
  if (latency !== null) return `${stageNames[latency[1]] ?? latency[1]} ${latency[2]}${latency[2] === "count" ? "" : " (ms)"}`;
  const cost = /^cost\.(\w+)Usd$/.exec(metric);
  if (cost !== null) return `${cost[1] === "api" ? "API" : cost[1]} money (USD)`;
  const share = /^privacy\.shareOf(Queries|Tokens)(OffDevice|ToCloud)$/.exec(metric);
  if (share !== null) return `share of ${share[1].toLowerCase()} ${share[2] === "ToCloud" ? "sent to the cloud" : "that left the device"}`;
  const node = /^nodes\.(\d+)\.(\w+)(?:\.(\w+))?$/.exec(metric);
  if (node !== null) {
    const field: Record<string, string> = {
      utilisation: "busy share",
      outputTokensPerS: "output tokens/s",
      decodeTokensPerSPerQuery: "decode tokens/s per query",
      meanQueueLength: "mean queue length",
      meanBatch: "mean batch",
    };
    return `node ${node[1]} ${field[node[2]] ?? node[2]}${node[3] !== undefined ? ` ${node[3]}` : ""}`;
  }
  return metric;
}

/** Vega-Lite sort for an ordinal axis: the sweep file's order for text values, ascending for numbers. */
export function axisSort(values: readonly SweepValue[]): string[] | "ascending" {
  const mapped = values.map(chartValue);
  return mapped.every((v): v is string => typeof v === "string") ? mapped : "ascending";
}
