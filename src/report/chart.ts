import type { TopLevelSpec } from "vega-lite";
import type { ReportResults } from "./results-input.js";

/** A chart built from results: its Vega-Lite spec and a caption for the report. */
export interface DrawnChart {
  kind: "chart";
  spec: TopLevelSpec;
  /** One or two sentences for the report: what is drawn, and what is not (e.g. no migrations recorded). */
  caption: string;
}

/** A chart whose data the results lack: never drawn empty, the reason goes into the report and the command's output. */
export interface SkippedChart {
  kind: "skipped";
  reason: string;
}

export type ChartOutcome = DrawnChart | SkippedChart;

/** One chart of the report: a stable id (file names), a title, and a pure function of the results. */
export interface ChartDefinition {
  id: string;
  title: string;
  build(results: ReportResults): ChartOutcome;
}

export function skipped(reason: string): SkippedChart {
  return { kind: "skipped", reason };
}

/** Rounds for chart data: keeps specs readable and stable without losing anything visible. */
export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Simulation time in seconds or minutes, whichever keeps the axis numbers short. */
export function timeAxisUnit(results: ReportResults): { divisor: number; unit: "s" | "min" } {
  return results.window.durationMs > 30 * 60_000 ? { divisor: 60_000, unit: "min" } : { divisor: 1000, unit: "s" };
}
