import type { FailureRecord, RunRecord } from "./run-record.js";
import { metricValue } from "./metric-paths.js";
import type { JsonValue, SweepPlan } from "./plan-types.js";
import { summarize, type MetricSummary } from "./statistics.js";
import { csvLine } from "../io/csv-write.js";
import { axisValueText, isPolicyAxis } from "../report/charts/sweep-input.js";

/** @2: metrics are paths into results@2, and a row names its policies per family instead of one scheduler. */
export const SUMMARY_SCHEMA = "continuum-sim/sweep-summary@2";

/** One row group of the summary: a cell and one policy label of its runs. */
export interface SummaryCell {
  cell: string;
  values: Record<string, JsonValue>;
  label: string;
  /** The policy of each workload family under that label (null: the scenario has no such workload). */
  policies: { frames: string | null; queries: string | null };
  metrics: Record<string, MetricSummary>;
  /** The label's jobs over the cell's runs, summed: whether a latency is a valid point (src/report/charts/sweep-input.ts, isValidPoint). */
  jobs: CellJobs;
}

/** Completed and unfinished jobs of one family, summed over a cell's runs under one label. */
export interface FamilyJobs {
  completed: number;
  unfinished: number;
}

export interface CellJobs {
  runs: number;
  frames: FamilyJobs | null;
  queries: FamilyJobs | null;
}

export interface SweepSummary {
  schema: typeof SUMMARY_SCHEMA;
  sweep: {
    name: string;
    description: string;
    hash: string;
    seed: number | string;
    replications: number;
    sampling: SweepPlan["sampling"];
    /** `expression`: set on a derived parameter (a function of the other axes, not an independent variable). */
    axes: Array<{ name: string; path: string; values: JsonValue[]; expression?: string }>;
    metrics: string[];
  };
  runs: { planned: number; completed: number; failed: number; missing: number };
  failures: FailureRecord[];
  cells: SummaryCell[];
}

/** Where the finished runs are: look a run record up by id (from one output folder, or several shards'); only whole records of this sweep count. */
export interface RunSource {
  has(id: string): boolean;
  read(id: string): RunRecord;
  failures(): FailureRecord[];
}

/**
 * Builds the summary from the plan and the run files. Everything is in plan order (cells sorted
 * by axis values, replications ascending, labels sorted), and nothing records when, where or in
 * which order a run finished, so one process, N workers and merged shards give the same bytes.
 */
export function buildSummary(plan: SweepPlan, source: RunSource): SweepSummary {
  const cells: SummaryCell[] = [];
  let completed = 0;
  const runsByCell = new Map<string, SweepPlan["runs"]>();
  for (const run of plan.runs) runsByCell.set(run.cellId, [...(runsByCell.get(run.cellId) ?? []), run]);
  for (const cell of plan.cells) {
    const records: RunRecord[] = [];
    for (const run of runsByCell.get(cell.id) ?? []) {
      if (!source.has(run.id)) continue;
      // The source hands out only whole records of this sweep (see scanRunFolder).
      records.push(source.read(run.id));
    }
    completed += records.length;
    const labels = [...new Set(records.flatMap((r) => r.results.runs.map((s) => s.label)))].sort();
    for (const label of labels) {
      const entries = records.flatMap((r) => r.results.runs.filter((s) => s.label === label));
      const metrics: Record<string, MetricSummary> = {};
      for (const metric of plan.metrics) metrics[metric] = summarize(entries.map((entry) => metricValue(entry, metric)));
      cells.push({ cell: cell.id, values: cell.values, label, policies: entries[0].policies, metrics, jobs: cellJobs(entries) });
    }
  }
  const done = new Set(plan.runs.filter((run) => source.has(run.id)).map((run) => run.id));
  const planned = new Set(plan.runs.map((run) => run.id));
  const failures = source
    .failures()
    .filter((f) => planned.has(f.id) && !done.has(f.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const uniqueFailures = failures.filter((f, i) => i === 0 || failures[i - 1].id !== f.id);
  return {
    schema: SUMMARY_SCHEMA,
    sweep: {
      name: plan.name,
      description: plan.description,
      hash: plan.hash,
      seed: plan.seed,
      replications: plan.replications,
      sampling: plan.sampling,
      axes: plan.axes.map((axis) => ({ name: axis.name, path: axis.path, values: axis.values, ...(axis.expression === undefined ? {} : { expression: axis.expression }) })),
      metrics: plan.metrics,
    },
    runs: { planned: plan.runs.length, completed, failed: uniqueFailures.length, missing: plan.runs.length - completed - uniqueFailures.length },
    failures: uniqueFailures,
    cells,
  };
}

/** Jobs summed in replication order (integers: any order gives the same sums). */
function cellJobs(entries: readonly RunRecord["results"]["runs"][number][]): CellJobs {
  const sum = (family: "frames" | "queries"): FamilyJobs | null => {
    const sections = entries.flatMap((entry) => (entry[family] === null ? [] : [entry[family].jobs]));
    if (sections.length === 0) return null;
    return { completed: sections.reduce((t, j) => t + j.completed, 0), unfinished: sections.reduce((t, j) => t + j.unfinished, 0) };
  };
  return { runs: entries.length, frames: sum("frames"), queries: sum("queries") };
}

const CSV_STATS = ["n", "missing", "mean", "sd", "ci95", "ciLow", "ciHigh"] as const;

/** The fixed columns after the axes; an axis with one of these names is written as "axis:<name>". */
const ROW_COLUMNS = ["cell", "label", "frames_policy", "queries_policy", "metric", "n", "missing", "mean", "sd", "ci95_halfwidth", "ci95_low", "ci95_high"] as const;

/**
 * Long format: one row per cell, policy label and metric; a column per axis, except the policy
 * axis (/policies), whose value is the row's `label` (and frames_policy, queries_policy). Axis
 * values as plain text; only a value that is not a scalar is compact JSON (axisValueText).
 */
export function summaryCsv(summary: SweepSummary): string {
  const axes = summary.sweep.axes.filter((axis) => !isPolicyAxis(axis)).map((axis) => axis.name);
  const reserved = new Set<string>(ROW_COLUMNS);
  const header = [ROW_COLUMNS[0], ...axes.map((name) => (reserved.has(name) ? `axis:${name}` : name)), ...ROW_COLUMNS.slice(1)];
  const lines = [csvLine(header)];
  for (const cell of summary.cells) {
    for (const metric of summary.sweep.metrics) {
      const stats = cell.metrics[metric];
      const row = [
        cell.cell,
        ...axes.map((axis) => String(axisValueText(cell.values[axis]))),
        cell.label,
        cell.policies.frames ?? "",
        cell.policies.queries ?? "",
        metric,
        ...CSV_STATS.map((key) => csvNumber(stats[key])),
      ];
      lines.push(csvLine(row));
    }
  }
  return `${lines.join("\n")}\n`;
}

function csvNumber(value: number | null): string {
  return value === null ? "" : String(value);
}

export function summaryJson(summary: SweepSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
