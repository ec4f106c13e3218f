import type { Results, RunResults } from "../metrics/results-schema.js";
import { formatDuration } from "../random/duration.js";
import { formatFault, num, table } from "./summary.js";

type QueryRun = RunResults & { queries: NonNullable<RunResults["queries"]> };

const pct = (x: number | null): string => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);
const usd = (x: number | null): string => (x === null ? "-" : x >= 1 ? `$${x.toFixed(2)}` : `$${x.toPrecision(3)}`);

/** The query lines of the summary (src/cli/summary.ts): language-model services, per-run latency, money, privacy and quality, then groups, pipelines and nodes. */
export function formatQuerySummary(results: Results): string[] {
  const lines: string[] = [];
  const runs = results.runs.filter((run): run is QueryRun => run.queries !== null);
  const services = results.scenario.nodes.flatMap((node) => node.services.flatMap((s) => (s.type === "llm" ? [{ id: node.id, ...s }] : [])));
  lines.push(
    ...table([
      ["node", "model", "quant.", "path", "batch", "prefill tok/s", "decode tok/s", "memory"],
      ...services.map((n) => [
        `  ${n.id}`,
        n.model,
        n.quantization,
        n.path,
        String(n.maxBatch),
        num(n.prefillTokensPerS),
        num(n.decodeTokensPerS),
        n.memoryMiB === null ? "-" : `${Math.round(n.memoryMiB)}/${n.usableMemoryMiB} MiB`,
      ]),
    ]),
  );
  lines.push("");
  const header = ["queries", "done", "TTFT p50", "TTFT p95", "total p50", "total p95", "total p99", "violations", "$ total", "$/day", "off device", "to cloud", "quality"];
  const rows = runs.map(({ label, queries: q }) => [
    label,
    String(q.jobs.completed),
    num(q.latency.ttft.p50),
    num(q.latency.ttft.p95),
    num(q.latency.total.p50),
    num(q.latency.total.p95),
    num(q.latency.total.p99),
    pct(q.jobs.violationRate),
    usd(q.cost.totalUsd),
    usd(q.cost.perDayUsd),
    pct(q.privacy.shareOfQueriesOffDevice),
    pct(q.privacy.shareOfQueriesToCloud),
    q.quality.meanProbability === null ? "-" : q.quality.meanProbability.toFixed(3),
  ]);
  lines.push(...table([header, ...rows]));
  lines.push("  (latency in ms; 'off device' = share of queries whose prompt left the device; quality = mean P(good answer), docs/llm.md)");
  for (const run of runs) {
    // A run with frames lists its faults with the frame lines.
    const faults = run.frames === null ? run.faults : [];
    if (faults.length === 0 && run.queries.jobs.lost === 0) continue;
    lines.push(`  ${run.label}: ${run.queries.jobs.lost} queries lost to crashes${faults.length === 0 ? "" : `; ${faults.map(formatFault).join("; ")}`}`);
  }
  lines.push(...groupLines(runs), ...pipelineLines(runs));
  const llmNodes = results.scenario.nodes.flatMap((node, i) => (node.services.some((s) => s.type === "llm") ? [{ id: node.id, i }] : []));
  if (runs.length > 0 && llmNodes.length > 0) {
    lines.push("");
    lines.push(
      ...table([
        ["node (per run)", ...runs.map((r) => r.label)],
        ...llmNodes.map(({ id, i }) => [`  ${id} util.`, ...runs.map((r) => pct(r.nodes[i].llm?.utilisation ?? null))]),
        ...llmNodes.map(({ id, i }) => [`  ${id} tok/s per query`, ...runs.map((r) => num(r.nodes[i].llm?.decodeTokensPerSPerQuery.mean ?? null))]),
      ]),
    );
  }
  return lines;
}

/** Per device group with queries (when there is more than one group): latency, violations, routes, quality, API money. */
function groupLines(runs: readonly QueryRun[]): string[] {
  const groups = runs[0]?.groups.filter((group) => group.queries !== null) ?? [];
  if (groups.length <= 1) return [];
  const rows = groups.flatMap(({ group: id }) =>
    runs.flatMap((run) => {
      const group = run.groups.find((g) => g.group === id);
      const q = group?.queries;
      if (group === undefined || q === null || q === undefined) return [];
      return [
        [
          `${id} (${group.devices})`,
          run.label,
          String(group.jobs.completed),
          num(q.latency.ttft.p95),
          num(q.latency.total.p95),
          pct(group.jobs.violationRate),
          pct(q.shareLocal),
          pct(q.shareToCloud),
          q.qualityMeanProbability === null ? "-" : q.qualityMeanProbability.toFixed(3),
          usd(q.apiUsd),
        ],
      ];
    }),
  );
  return ["", ...table([["device group", "run", "done", "TTFT p95", "total p95", "violations", "local", "to cloud", "quality", "$ API"], ...rows])];
}

function pipelineLines(runs: readonly QueryRun[]): string[] {
  const lines: string[] = [];
  for (const run of runs) {
    const p = run.queries.pipelines;
    if (p === null) continue;
    lines.push("");
    lines.push(
      `${run.label} pipelines: ${p.started} started, ${p.succeeded} succeeded, ${p.failed} failed, ${p.unfinished} unfinished; success ${pct(p.successProbability)}; ` +
        `per finished job ${p.timePerFinishedJobMs.mean === null ? "-" : formatDuration(p.timePerFinishedJobMs.mean)}, ${num(p.tokensPerFinishedJob)} tokens; ${usd(p.costPerSucceededJobUsd)} per success`,
    );
    lines.push(
      ...table([
        ["stage", "attempts", "pass rate", "stage success", "time passed (s)", "time failed (s)", "tokens passed", "tokens failed"],
        ...p.stages.map((s) => [
          `  ${s.name}`,
          String(s.attempts),
          pct(s.attemptPassRate),
          pct(s.stageSuccessRate),
          num(s.meanTimePassedMs === null ? null : s.meanTimePassedMs / 1000),
          num(s.meanTimeFailedMs === null ? null : s.meanTimeFailedMs / 1000),
          num(s.meanTokensPassed),
          num(s.meanTokensFailed),
        ]),
      ]),
    );
  }
  return lines;
}
