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

/** Completed and unfinished jobs of one family, summed over a cell's runs under one label. */
export interface SweepChartJobs {
  runs: number;
  frames: { completed: number; unfinished: number } | null;
  queries: { completed: number; unfinished: number } | null;
}

export interface SweepChartInput {
  sweep: { sampling: { method: string }; axes: Array<{ name: string; path: string; values: SweepValue[]; expression?: string }>; metrics: string[] };
  cells: Array<{ values: Record<string, SweepValue>; label: string; metrics: Record<string, SweepChartStats>; jobs?: SweepChartJobs }>;
}

/** The scenario keys an axis can set to list the policies compared (the scenario loader accepts all three). */
const POLICY_AXIS_PATHS: readonly string[] = ["/policies", "/schedulers", "/routers"];

/** An axis over the policy list: its value is the row's policy label, drawn as colour (a line per label), never as an x axis or a summary.csv column of its own. */
export function isPolicyAxis(axis: { path: string }): boolean {
  return POLICY_AXIS_PATHS.includes(axis.path);
}

export function plotAxes(input: SweepChartInput): SweepChartInput["sweep"]["axes"] {
  // A derived parameter is a function of the axes: a chart against it repeats the chart against its
  // source, and counting it would turn a two-axis sweep's heatmap off. It stays in summary.csv.
  return input.sweep.axes.filter((axis) => !isPolicyAxis(axis) && axis.expression === undefined);
}

/**
 * An axis value as text for summary.csv and as chart data: a scalar as itself (numbers stay
 * numbers), a one-element list of a scalar as that scalar (["nearest-healthy"] is
 * nearest-healthy), anything else as compact JSON.
 */
export function axisValueText(value: SweepValue | undefined): string | number {
  const scalar = Array.isArray(value) && value.length === 1 && (value[0] === null || typeof value[0] !== "object") ? value[0] : value;
  if (typeof scalar === "number" || typeof scalar === "string") return scalar;
  if (typeof scalar === "boolean") return String(scalar);
  return JSON.stringify(scalar ?? null);
}

/**
 * Fewer completed jobs per run than this and a p95 is the largest value seen (nearest rank:
 * ceil(0.95 n) = n for n < 20), so the point is not a valid estimate.
 */
export const MIN_COMPLETED_PER_RUN = 20;

/** The rule, once, for captions (docs/reports.md quotes it). */
export const VALIDITY_RULE = `fewer than ${MIN_COMPLETED_PER_RUN} completed jobs per run, or more jobs unfinished than completed`;

/** The family whose completed jobs a metric is computed over (latency, quality), or null for counts, rates and money over all jobs. */
export function completionFamily(metric: string): "frames" | "queries" | null {
  const match = /^(frames|queries)\.(latency|quality)\./.exec(metric);
  return match === null ? null : (match[1] as "frames" | "queries");
}

/**
 * Whether a cell's value of a metric over completed jobs is a valid point: not when the cell's
 * runs completed fewer than MIN_COMPLETED_PER_RUN jobs each on average, or left more unfinished
 * than they completed (a p95 of the few fast completions while most requests wait is not the
 * latency of that load). Metrics over all jobs, and cells without job counts, are valid.
 */
export function isValidPoint(cell: SweepChartInput["cells"][number], metric: string): boolean {
  const family = completionFamily(metric);
  if (family === null || cell.jobs === undefined) return true;
  const jobs = cell.jobs[family];
  if (jobs === null) return true;
  return jobs.completed >= MIN_COMPLETED_PER_RUN * cell.jobs.runs && jobs.unfinished <= jobs.completed;
}

/** Values spanning this factor or more get a log axis (sweep charts and the query charts alike). */
export const LOG_SPAN = 20;

/** Metrics that are shares in [0, 1]: drawn in % on a 0-100 % axis, never beyond. */
export function isShareMetric(metric: string): boolean {
  return /(violationRate|\.shareOf\w+|goodShare|successProbability|meanProbability|\.utilisation)$/.test(metric);
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
    "links.meanFlowsInFlight": "transfers in flight on shared links",
    "control.catalog.staleRejected": "jobs rejected by a stale catalog view",
    "control.catalog.discoveryQueries": "discovery queries",
    "control.catalog.discoveryWaitMs": "time waiting for discovery (ms)",
    "control.catalog.registrations": "catalog registrations",
    "control.catalog.deregistrations": "catalog deregistrations",
  };
  if (known[metric] !== undefined) return known[metric];
  const latency = /^(frames|queries)\.latency\.(\w+)\.(\w+)$/.exec(metric);
  const stageNames: Record<string, string> = { total: "total latency", ttft: "time to first token", networkUp: "network up", networkDown: "network down" };
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
  // A link direction or a moving device by its index in the run's list (the path has no name).
  const link = /^links\.links\.(\d+)\.(\w+)$/.exec(metric);
  if (link !== null) {
    const field: Record<string, string> = { utilisation: "utilisation", bytes: "bytes", meanFlows: "mean transfers", peakFlows: "peak transfers", capacityMbps: "capacity (Mbit/s)" };
    return `link direction ${link[1]} ${field[link[2]] ?? link[2]}`;
  }
  const moving = /^mobility\.(groups|devices)\.(\d+)\.(\w+)$/.exec(metric);
  if (moving !== null) {
    const field: Record<string, string> = {
      handoversPerDeviceHour: "handovers per device-hour",
      jobsDelayed: "jobs delayed by handovers",
      jobsLateAfterWait: "jobs late after a wait",
      handovers: "handovers",
      outOfCoverageMs: "time out of range (ms)",
      waitMs: "transfer wait (ms)",
    };
    return `${moving[1] === "groups" ? "group" : "moving device"} ${moving[2]} ${field[moving[3]] ?? moving[3]}`;
  }
  // A deployment of the control plane (issue 17) by its index in the run's list.
  const deployment = /^control\.deployments\.(\d+)\.(scaleEvents|coldStarts\.jobs|coldStarts\.meanWaitMs|coldStarts\.maxWaitMs|replicas|provisioning|pending)$/.exec(metric);
  if (deployment !== null) {
    const field: Record<string, string> = {
      scaleEvents: "scaling decisions",
      "coldStarts.jobs": "cold-start jobs",
      "coldStarts.meanWaitMs": "mean cold-start wait (ms)",
      "coldStarts.maxWaitMs": "longest cold-start wait (ms)",
      replicas: "replica count changes",
      provisioning: "replicas provisioned",
      pending: "replicas pending",
    };
    return `deployment ${deployment[1]} ${field[deployment[2]]}`;
  }
  return metric;
}

/** Vega-Lite sort for an ordinal axis: the sweep file's order for text values, ascending for numbers. */
export function axisSort(values: readonly SweepValue[]): string[] | "ascending" {
  const mapped = values.map(axisValueText);
  return mapped.every((v): v is string => typeof v === "string") ? mapped : "ascending";
}
