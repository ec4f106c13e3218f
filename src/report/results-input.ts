import * as z from "zod";
import { InputError, type InputIssue } from "../errors.js";
import { RESULTS_SCHEMA } from "../metrics/results.js";
import { toInputIssues } from "../scenario/zod-issues.js";

/*
 * The part of a results file that the charts read, checked at run time. Charts take the parsed
 * value (ReportResults), never the raw JSON, so a hand-edited or truncated file is a clear input
 * error instead of a chart that silently draws nothing.
 *
 * Fields that later issues will add (migrations, faults, replication confidence intervals, learned
 * schedulers, a full latency CDF) are optional here: each chart draws what exists and is skipped
 * with a note when its data is absent. Adding one is a line in this schema plus its use in a chart;
 * docs/reports.md lists the names expected. Objects strip unknown keys, so newer files still load.
 */

const num = z.number();
const nullableNum = z.number().nullable();
const count = z.number().int().nonnegative();

const stageSummary = z.object({
  count,
  mean: nullableNum,
  sd: nullableNum,
  min: nullableNum,
  p50: nullableNum,
  p95: nullableNum,
  p99: nullableNum,
  max: nullableNum,
});

const stageSet = z.object({
  networkUp: stageSummary,
  queueing: stageSummary,
  preprocessing: stageSummary,
  inference: stageSummary,
  networkDown: stageSummary,
  total: stageSummary,
});

const timeBin = z.object({
  startMs: num,
  completed: count,
  late: count,
  dropped: count,
  violationRate: nullableNum,
  latencyMean: nullableNum,
  latencyP50: nullableNum,
  latencyP95: nullableNum,
  nodes: z.array(z.object({ utilisation: num, meanQueueLength: num })),
});

/** A point of the total-latency CDF, if a later results version records one (p in [0, 1], value in ms). */
const cdfPoint = z.object({ p: z.number().min(0).max(1), ms: num });

const migration = z.object({ timeMs: num, device: z.string(), from: z.string(), to: z.string(), reason: z.string() });
// endMs is null for a fault that lasts past the end of the run (drawn to the end of the window).
const fault = z.object({ startMs: num, endMs: num.nullable(), kind: z.string(), target: z.string() });

const schedulerRun = z.object({
  scheduler: z.string(),
  label: z.string(),
  requests: z.object({ generated: count, completed: count, dropped: count, unfinished: count }),
  throughput: num,
  qos: z.object({
    deadlineMs: num,
    late: count,
    violations: count,
    violationRate: nullableNum,
    /** Later: 95% confidence interval over replications. */
    violationRateCi95: z.tuple([num, num]).optional(),
  }),
  latency: stageSet,
  nodes: z.array(
    z.object({
      id: z.string(),
      completed: count,
      late: count,
      dropped: count,
      utilisation: num,
      meanQueueLength: num,
      meanBusySlots: num,
      latency: stageSet,
    }),
  ),
  events: count,
  timeSeries: z.object({ binMs: z.number().positive(), bins: z.array(timeBin) }).optional(),
  /** Later: a finer total-latency CDF than the five summary quantiles. */
  latencyCdf: z.array(cdfPoint).optional(),
  /** Later: true for a learned scheduler (chart 7 draws its learning curve). */
  learned: z.boolean().optional(),
  /** Later: device migrations between nodes. */
  migrations: z.array(migration).optional(),
  /** Later: failure and degradation intervals. */
  faults: z.array(fault).optional(),
});

export const reportResultsSchema = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  simulator: z.object({ name: z.literal("continuum-sim"), version: z.string() }),
  scenario: z.object({
    name: z.string(),
    description: z.string(),
    hash: z.string(),
    devices: count,
    nodes: z.array(z.object({ id: z.string(), profile: z.string().nullable(), path: z.string(), slots: count })),
  }),
  seed: z.union([z.number(), z.string()]),
  units: z.object({ time: z.literal("ms"), throughput: z.literal("requests/s") }),
  window: z.object({ warmupMs: num, durationMs: num, drainMs: num, measuredMs: num }),
  qosDeadlineMs: num,
  quantiles: z.object({ method: z.string(), relativeError: num }),
  runs: z.array(schedulerRun).min(1),
  network: z
    .object({
      devices: z.array(z.string()),
      nodes: z.array(z.string()),
      nominalLatencyMs: z.array(z.array(num)),
    })
    .optional(),
});

/** What the charts read: the results file as checked by reportResultsSchema. */
export type ReportResults = z.infer<typeof reportResultsSchema>;
export type ReportRun = ReportResults["runs"][number];
export type TimeBin = NonNullable<ReportRun["timeSeries"]>["bins"][number];

/** Checks a parsed results document; throws InputError naming every problem with its JSON path. */
export function parseReportResults(json: unknown, source: string): ReportResults {
  return parseTaggedResults(json, source, RESULTS_SCHEMA, "a results.json written by simulate", reportResultsSchema, crossCheck);
}

/**
 * The checks every results file gets: its `schema` tag first (another kind of JSON, a scenario
 * say, gets one clear line instead of every missing key), then the zod schema, then the
 * consistency the schema cannot express.
 */
export function parseTaggedResults<T>(json: unknown, source: string, tag: string, written: string, schema: z.ZodType<T>, crossCheck: (results: T) => InputIssue[]): T {
  const found = json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>).schema : undefined;
  if (found !== tag) throw new InputError(source, [{ path: "schema", value: found, expected: `"${tag}" (${written})` }]);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InputError(source, toInputIssues(parsed.error, json, schema));
  const issues = crossCheck(parsed.data);
  if (issues.length > 0) throw new InputError(source, issues);
  return parsed.data;
}

/** Consistency the schema cannot express: per-bin node arrays and the latency matrix must match their id lists. */
function crossCheck(results: ReportResults): { path: string; value: unknown; expected: string }[] {
  const issues: { path: string; value: unknown; expected: string }[] = [];
  const nodeCount = results.scenario.nodes.length;
  results.runs.forEach((run, r) => {
    run.timeSeries?.bins.forEach((bin, b) => {
      if (bin.nodes.length !== nodeCount) {
        issues.push({ path: `runs[${r}].timeSeries.bins[${b}].nodes`, value: bin.nodes.length, expected: `${nodeCount} entries, one per scenario node` });
      }
    });
  });
  const network = results.network;
  if (network !== undefined) {
    if (network.nominalLatencyMs.length !== network.devices.length) {
      issues.push({ path: "network.nominalLatencyMs", value: network.nominalLatencyMs.length, expected: `${network.devices.length} rows, one per device` });
    }
    network.nominalLatencyMs.forEach((row, i) => {
      if (row.length !== network.nodes.length) {
        issues.push({ path: `network.nominalLatencyMs[${i}]`, value: row.length, expected: `${network.nodes.length} values, one per node` });
      }
    });
  }
  return issues;
}
