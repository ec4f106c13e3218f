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
  };
  if (known[metric] !== undefined) return known[metric];
  const latency = /^latency\.(\w+)\.(\w+)$/.exec(metric);
  if (latency !== null) return `${latency[1] === "total" ? "total latency" : latency[1]} ${latency[2]}${latency[2] === "count" ? "" : " (ms)"}`;
  return metric;
}

/** Vega-Lite sort for an ordinal axis: the sweep file's order for text values, ascending for numbers. */
export function axisSort(values: readonly SweepValue[]): string[] | "ascending" {
  const mapped = values.map(chartValue);
  return mapped.every((v): v is string => typeof v === "string") ? mapped : "ascending";
}
