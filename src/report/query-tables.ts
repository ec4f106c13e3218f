import { queryRuns } from "./chart.js";
import { escapeHtml } from "./html-page.js";
import type { ReportResults } from "./results-input.js";

/*
 * The query tables of the report (runs with language-model queries): latency and violations,
 * money, privacy and quality per run, and the pipelines when there are any.
 */

/** The query section of the report: its tables and their note, then the pipelines table when a run has pipelines. */
export function querySections(results: ReportResults): string[] {
  const pipelines = pipelinesTable(results);
  return [`<h2>Language-model queries</h2>\n${resultsTable(results)}\n<p><small>${escapeHtml(RESULTS_NOTE)}</small></p>`, ...(pipelines === undefined ? [] : [`<h2>Pipelines</h2>\n${pipelines}`])];
}

const RESULTS_NOTE =
  "Latency in ms over the measured queries; violations: late, refused or unfinished past a deadline. Cost in USD over the measured window (API, energy, hardware), per 1,000 completed queries and scaled to a day; " +
  "off device / to cloud: share of queries whose prompt left the device / reached the cloud; quality: mean P(good answer) of the completed queries, and the share judged good (a proxy, docs/llm.md).";

function resultsTable(results: ReportResults): string {
  const latency = table(
    "llm-results-table",
    ["label", "completed", "refused", "unfinished", "TTFT p50", "TTFT p95", "total p50", "total p95", "total p99", "violations"],
    queryRuns(results).map((run) => [
      escapeHtml(run.label),
      String(run.queries.jobs.completed),
      String(run.queries.jobs.refused),
      String(run.queries.jobs.unfinished),
      ...[run.queries.latency.ttft.p50, run.queries.latency.ttft.p95, run.queries.latency.total.p50, run.queries.latency.total.p95, run.queries.latency.total.p99].map((v) =>
        v === null ? "–" : v.toFixed(0),
      ),
      percent(run.queries.jobs.violationRate),
    ]),
  );
  const money = table(
    "llm-cost-table",
    ["label", "USD total", "API", "energy", "hardware", "USD / 1,000 queries", "USD / day", "off device", "to cloud", "quality", "judged good"],
    queryRuns(results).map((run) => [
      escapeHtml(run.label),
      usd(run.queries.cost.totalUsd),
      usd(run.queries.cost.apiUsd),
      usd(run.queries.cost.energyUsd),
      usd(run.queries.cost.hardwareUsd),
      run.queries.jobs.completed === 0 ? "–" : usd((run.queries.cost.totalUsd / run.queries.jobs.completed) * 1000),
      usd(run.queries.cost.perDayUsd),
      percent(run.queries.privacy.shareOfQueriesOffDevice),
      percent(run.queries.privacy.shareOfQueriesToCloud),
      run.queries.quality.meanProbability === null ? "–" : run.queries.quality.meanProbability.toFixed(3),
      percent(run.queries.quality.goodShare),
    ]),
  );
  return `${latency}\n${money}`;
}

export function table(id: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return scrollable(`<table id="${id}">\n<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`);
}

/** One row per router with pipeline jobs; undefined when no run has any. */
function pipelinesTable(results: ReportResults): string | undefined {
  const runs = queryRuns(results).filter((run) => run.queries.pipelines !== null);
  if (runs.length === 0) return undefined;
  const header = [
    "label",
    "started",
    "succeeded",
    "failed",
    "unfinished",
    "success",
    "time per finished job (s)",
    "tokens per finished job",
    "USD per success",
    ...stageNames(results).map((s) => `${s}: pass rate`),
  ];
  const rows = runs.map((run) => {
    const p = run.queries.pipelines;
    if (p === null) return [];
    const mean = p.timePerFinishedJobMs.mean;
    return [
      escapeHtml(run.label),
      String(p.started),
      String(p.succeeded),
      String(p.failed),
      String(p.unfinished),
      percent(p.successProbability),
      mean === null ? "–" : (mean / 1000).toFixed(1),
      p.tokensPerFinishedJob === null ? "–" : Math.round(p.tokensPerFinishedJob).toLocaleString("en-US"),
      p.costPerSucceededJobUsd === null ? "–" : usd(p.costPerSucceededJobUsd),
      ...stageNames(results).map((name) => percent(p.stages.find((s) => s.name === name)?.attemptPassRate ?? null)),
    ];
  });
  return table("llm-pipelines-table", header, rows);
}

function stageNames(results: ReportResults): string[] {
  return [...new Set(queryRuns(results).flatMap((run) => run.queries.pipelines?.stages.map((s) => s.name) ?? []))];
}

/** Wide tables scroll sideways inside the page instead of running past it. */
function scrollable(table: string): string {
  return `<div style="overflow-x: auto">\n${table}\n</div>`;
}

export function percent(share: number | null): string {
  return share === null ? "–" : `${(share * 100).toFixed(1)}%`;
}

/** Dollars with 3 significant digits below $1 (API prices per query are fractions of a cent), cents above. */
export function usd(value: number): string {
  if (value === 0) return "$0";
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toPrecision(3)}`;
}
