import { escapeHtml, formatMs, htmlPage, type ReportEntry } from "../html-report.js";
import type { LlmReportResults } from "./llm-results-input.js";

/**
 * The language-model report as one self-contained HTML file, in the same page as the edge report
 * (htmlPage: charts inlined as SVG, the font embedded, no script, no external reference), with
 * tables of the scenario, its nodes, the per-router results and, when there are any, the pipelines.
 */
export function buildLlmHtmlReport(results: LlmReportResults, entries: readonly ReportEntry[]): string {
  const pipelines = pipelinesTable(results);
  return htmlPage({
    title: `${results.scenario.name}: continuum-sim report`,
    heading: results.scenario.name,
    description: results.scenario.description,
    sections: [
      `<h2>Scenario</h2>\n${scenarioTable(results)}\n${nodeTable(results)}`,
      `<h2>Results</h2>\n${resultsTable(results)}\n<p><small>${escapeHtml(RESULTS_NOTE)}</small></p>`,
      ...(pipelines === undefined ? [] : [`<h2>Pipelines</h2>\n${pipelines}`]),
    ],
    entries,
    simulator: results.simulator,
  });
}

const RESULTS_NOTE =
  "Latency in ms over the measured queries; violations: late, refused or unfinished past a deadline. Cost in USD over the measured window (API, energy, hardware), per 1,000 completed queries and scaled to a day; " +
  "off device / to cloud: share of queries whose prompt left the device / reached the cloud; quality: mean P(good answer) of the completed queries, and the share judged good (a proxy, docs/llm.md).";

function scenarioTable(results: LlmReportResults): string {
  const w = results.window;
  const qos = results.runs[0].qos;
  const deadlines = [qos.ttftDeadlineMs === null ? "" : `TTFT ${formatMs(qos.ttftDeadlineMs)}`, qos.totalDeadlineMs === null ? "" : `total ${formatMs(qos.totalDeadlineMs)}`].filter((d) => d !== "");
  const rows: Array<[string, string]> = [
    ["scenario", results.scenario.name],
    ["kind", "language-model routing"],
    ["seed", String(results.seed)],
    ["scenario hash (sha256)", results.scenario.hash],
    ["devices", String(results.scenario.devices)],
    ["nodes", String(results.scenario.nodes.length)],
    ["simulated", `${formatMs(w.durationMs)} (warm-up ${formatMs(w.warmupMs)}, drain ${formatMs(w.drainMs)}; measured ${formatMs(w.measuredMs)})`],
    ["QoS deadlines", deadlines.length === 0 ? "none" : deadlines.join(", ")],
    ["routers", results.runs.map((run) => (run.label === run.router ? run.label : `${run.label} (${run.router})`)).join(", ")],
    ["quantiles", `${results.quantiles.method}, relative error ${results.quantiles.relativeError}`],
    ["simulator", `${results.simulator.name} ${results.simulator.version}`],
  ];
  const body = rows.map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${key.includes("hash") ? `<code>${escapeHtml(value)}</code>` : escapeHtml(value)}</td></tr>`).join("\n");
  return `<table class="summary" id="scenario-summary">\n${body}\n</table>`;
}

function nodeTable(results: LlmReportResults): string {
  const left = (text: string): string => `<td style="text-align: left">${escapeHtml(text)}</td>`;
  const rows = results.scenario.nodes.map((node) => {
    const memory =
      node.memoryMiB === null ? "–" : `${Math.round(node.memoryMiB).toLocaleString("en-US")} / ${node.usableMemoryMiB === null ? "–" : Math.round(node.usableMemoryMiB).toLocaleString("en-US")}`;
    return `<tr>${left(node.id)}${left(node.role)}${left(node.profile)}${left(node.model)}${left(node.quantization)}${left(node.path)}<td>${node.maxBatch}</td><td>${rate(node.prefillTokensPerS)}</td><td>${rate(node.decodeTokensPerS)}</td><td>${memory}</td></tr>`;
  });
  const header = ["node", "role", "profile", "model", "quant.", "path", "max batch", "prefill (tok/s)", "decode (tok/s)", "memory (MiB, model / usable)"];
  return `<table id="llm-nodes">\n<thead><tr>${header.map((h, i) => `<th${i < 6 ? ' style="text-align: left"' : ""}>${escapeHtml(h)}</th>`).join("")}</tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
}

function resultsTable(results: LlmReportResults): string {
  const latency = table(
    "llm-results-table",
    ["router", "completed", "refused", "unfinished", "TTFT p50", "TTFT p95", "total p50", "total p95", "total p99", "violations"],
    results.runs.map((run) => [
      escapeHtml(run.label),
      String(run.queries.completed),
      String(run.queries.refused),
      String(run.queries.unfinished),
      ...[run.latency.ttft.p50, run.latency.ttft.p95, run.latency.total.p50, run.latency.total.p95, run.latency.total.p99].map((v) => (v === null ? "–" : v.toFixed(0))),
      percent(run.qos.violationRate),
    ]),
  );
  const money = table(
    "llm-cost-table",
    ["router", "USD total", "API", "energy", "hardware", "USD / 1,000 queries", "USD / day", "off device", "to cloud", "quality", "judged good"],
    results.runs.map((run) => [
      escapeHtml(run.label),
      usd(run.cost.totalUsd),
      usd(run.cost.apiUsd),
      usd(run.cost.energyUsd),
      usd(run.cost.hardwareUsd),
      run.queries.completed === 0 ? "–" : usd((run.cost.totalUsd / run.queries.completed) * 1000),
      usd(run.cost.perDayUsd),
      percent(run.privacy.shareOfQueriesOffDevice),
      percent(run.privacy.shareOfQueriesToCloud),
      run.quality.meanProbability === null ? "–" : run.quality.meanProbability.toFixed(3),
      percent(run.quality.goodShare),
    ]),
  );
  return `${latency}\n${money}`;
}

function table(id: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return scrollable(`<table id="${id}">\n<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`);
}

/** One row per router with pipeline jobs; undefined when no run has any. */
function pipelinesTable(results: LlmReportResults): string | undefined {
  const runs = results.runs.filter((run) => run.pipelines !== null);
  if (runs.length === 0) return undefined;
  const header = [
    "router",
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
    const p = run.pipelines;
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

function stageNames(results: LlmReportResults): string[] {
  return [...new Set(results.runs.flatMap((run) => run.pipelines?.stages.map((s) => s.name) ?? []))];
}

/** Wide tables scroll sideways inside the page instead of running past it. */
function scrollable(table: string): string {
  return `<div style="overflow-x: auto">\n${table}\n</div>`;
}

function percent(share: number | null): string {
  return share === null ? "–" : `${(share * 100).toFixed(1)}%`;
}

/** Token rates: whole numbers with thousands separators from 100 tok/s, one decimal below. */
function rate(tokensPerS: number): string {
  return tokensPerS >= 100 ? Math.round(tokensPerS).toLocaleString("en-US") : tokensPerS.toFixed(1);
}

/** Dollars with 3 significant digits below $1 (API prices per query are fractions of a cent), cents above. */
function usd(value: number): string {
  if (value === 0) return "$0";
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toPrecision(3)}`;
}
