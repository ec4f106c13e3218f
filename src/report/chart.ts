import type { TopLevelSpec } from "vega-lite";
import type { ControlRunResults } from "../control/types.js";
import type { LinkResults, MobilityResults } from "../metrics/network-results.js";
import type { FrameResults, QueryResults } from "../metrics/results-schema.js";
import type { ReportResults, ReportRun } from "./results-input.js";
import type { ChartWidth } from "./style.js";

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

/**
 * One chart of a report: a stable id (file names), a title, the workload family whose section it
 * belongs to (a report lists only the charts of the families its runs have), and a pure function
 * of the results.
 */
export interface ChartDefinition<R = ReportResults> {
  id: string;
  title: string;
  family?: "frames" | "queries";
  /** A run section the chart draws (issues 15, 17): a report lists the chart only when some run has it (a star network has neither links nor mobility; a scenario without `control` has no control). */
  section?: ChartSection;
  /** `width`: the print width to lay the chart out for (default one column); see CHART_WIDTHS. */
  build(results: R, width?: ChartWidth): ChartOutcome;
}

/** The optional run sections a chart may draw. */
export type ChartSection = "links" | "mobility" | "control" | "applications";

export type FrameRun = ReportRun & { frames: FrameResults };
export type QueryRun = ReportRun & { queries: QueryResults };
export type LinkRun = ReportRun & { links: LinkResults };
export type MobilityRun = ReportRun & { mobility: MobilityResults };
export type ControlRun = ReportRun & { control: ControlRunResults };

/** The runs with frame jobs (a mixed scenario's runs have both sections). */
export function frameRuns(results: Pick<ReportResults, "runs">): FrameRun[] {
  return results.runs.filter((run): run is FrameRun => run.frames !== null);
}

/** The runs with language-model queries. */
export function queryRuns(results: Pick<ReportResults, "runs">): QueryRun[] {
  return results.runs.filter((run): run is QueryRun => run.queries !== null);
}

/** The runs with capacity-limited links or air interfaces. */
export function linkRuns(results: Pick<ReportResults, "runs">): LinkRun[] {
  return results.runs.filter((run): run is LinkRun => run.links !== null);
}

/** The runs with moving devices. */
export function mobilityRuns(results: Pick<ReportResults, "runs">): MobilityRun[] {
  return results.runs.filter((run): run is MobilityRun => run.mobility !== null);
}

/** The runs with a control plane (a scenario with `control`). */
export function controlRuns(results: Pick<ReportResults, "runs">): ControlRun[] {
  return results.runs.filter((run): run is ControlRun => run.control !== null);
}

export function skipped(reason: string): SkippedChart {
  return { kind: "skipped", reason };
}

/** Rounds for chart data: keeps specs readable and stable without losing anything visible. */
export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A time axis's unit: what a simulated time is divided by, and its name. */
export type TimeAxisUnit = { divisor: number; unit: "s" | "min" | "h" };

/** Simulation time in seconds, minutes beyond 30 min, or hours beyond 12 h (a day reads 0-24, not 0-1,440): whichever keeps the axis numbers short. */
export function timeAxisUnit(results: ReportResults): TimeAxisUnit {
  const ms = results.window.durationMs;
  if (ms > 12 * 3_600_000) return { divisor: 3_600_000, unit: "h" };
  return ms > 30 * 60_000 ? { divisor: 60_000, unit: "min" } : { divisor: 1000, unit: "s" };
}

/** The nearest 1, 2 or 5 times a power of ten below (floor) or above (ceil): a log axis that ends near the data. */
export function nice125(value: number, direction: "floor" | "ceil"): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 5, 10].map((m) => m * decade);
  const pick = direction === "floor" ? steps.filter((v) => v <= value).pop() : steps.find((v) => v >= value);
  return Number((pick ?? decade).toPrecision(6));
}

/** 1-2-5 ticks within a log domain: vega's default log ticks crowd at column width. */
export function logTicks(domain: readonly number[]): number[] {
  const ticks: number[] = [];
  const first = 10 ** Math.floor(Math.log10(domain[0]));
  for (let decade = first; decade <= domain[1]; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const tick = Number((decade * m).toPrecision(6));
      if (tick >= domain[0] && tick <= domain[1]) ticks.push(tick);
    }
  }
  return ticks;
}
