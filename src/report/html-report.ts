import { frameRuns } from "./chart.js";
import { applicationSections } from "./application-tables.js";
import { controlSections } from "./control-tables.js";
import { escapeHtml, formatMs, htmlPage, type ReportEntry } from "./html-page.js";
import { networkSections } from "./network-tables.js";
import { percent, querySections, table } from "./query-tables.js";
import { familiesOf, type ReportResults } from "./results-input.js";

/**
 * The one report of a results file (frames, queries, or both for a mixed scenario) as a
 * self-contained HTML page (src/report/html-page.ts): the scenario and its nodes' services, every
 * run's job counts, then the frame table and the query tables for the families its runs have, and
 * the shared-link, moving-device, control-plane and application tables when its runs have those sections.
 */
export function buildHtmlReport(results: ReportResults, entries: readonly ReportEntry[]): string {
  const { frames, queries } = familiesOf(results);
  return htmlPage({
    title: `${results.scenario.name}: continuum-sim report`,
    heading: results.scenario.name,
    description: results.scenario.description,
    sections: [
      `<h2>Scenario</h2>\n${scenarioTable(results)}\n${nodeTable(results)}`,
      `<h2>Results</h2>\n${jobsTable(results)}\n<p><small>${escapeHtml(JOBS_NOTE)}</small></p>`,
      ...(frames ? [`<h2>Camera frames</h2>\n${framesTable(results)}`] : []),
      ...(queries ? querySections(results) : []),
      ...networkSections(results),
      ...controlSections(results),
      ...applicationSections(results),
    ],
    entries,
    simulator: results.simulator,
  });
}

const JOBS_NOTE =
  "Jobs created in the measurement window, every workload together: dropped = the policy chose not to run it; refused = a service refused it (full queue, or a query longer than its context); " +
  "lost = to a node crash; violations = late + dropped + refused + lost + unfinished past a deadline.";

function scenarioTable(results: ReportResults): string {
  const w = results.window;
  const q = results.qos;
  const deadlines = [
    q.frameDeadlineMs === null ? "" : `frames ${formatMs(q.frameDeadlineMs)}`,
    q.ttftDeadlineMs === null ? "" : `TTFT ${formatMs(q.ttftDeadlineMs)}`,
    q.totalDeadlineMs === null ? "" : `query total ${formatMs(q.totalDeadlineMs)}`,
  ].filter((d) => d !== "");
  const rows: Array<[string, string]> = [
    ["scenario", results.scenario.name],
    ["seed", String(results.seed)],
    // With replications the tables are replication 0's; the charts that draw intervals say so in their captions.
    ...(results.replications === undefined
      ? []
      : [
          [
            "replications",
            `${results.replications.seeds.length} of master seed ${results.replications.masterSeed}; the tables are replication 0's (the seed above); every figure's mean and 95% interval are in results.json "replications"`,
          ] as [string, string],
        ]),
    ["scenario hash (sha256)", results.scenario.hash],
    ["devices", String(results.scenario.devices)],
    ["nodes", String(results.scenario.nodes.length)],
    ["simulated", `${formatMs(w.durationMs)} (warm-up ${formatMs(w.warmupMs)}, drain ${formatMs(w.drainMs)}; measured ${formatMs(w.measuredMs)})`],
    ["QoS deadlines", deadlines.length === 0 ? "none" : deadlines.join(", ")],
    ["policies", results.runs.map(policyText).join("; ")],
    ["quantiles", `${results.quantiles.method}, relative error ${results.quantiles.relativeError}`],
    ["simulator", `${results.simulator.name} ${results.simulator.version}`],
  ];
  const body = rows.map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${key.includes("hash") ? `<code>${escapeHtml(value)}</code>` : escapeHtml(value)}</td></tr>`).join("\n");
  return `<table class="summary" id="scenario-summary">\n${body}\n</table>`;
}

/** "label (frames: a, queries: b)", or the label alone when it is the one policy's name. */
function policyText(run: ReportResults["runs"][number]): string {
  const named = [run.policies.frames === null ? "" : `frames: ${run.policies.frames}`, run.policies.queries === null ? "" : `queries: ${run.policies.queries}`].filter((p) => p !== "");
  const only = run.policies.frames ?? run.policies.queries;
  return named.length === 1 && only === run.label ? run.label : `${run.label} (${named.join(", ")})`;
}

/** One row per service of each node: a node hosting a detector and a language model has two. */
function nodeTable(results: ReportResults): string {
  const left = (text: string): string => `<td style="text-align: left">${escapeHtml(text)}</td>`;
  const rows = results.scenario.nodes.flatMap((node) =>
    node.services.map((service, i) => {
      const head = i === 0 ? `${left(node.id)}${left(node.role)}${left(node.profile ?? "(abstract server)")}${left(node.sharing)}` : `${left("")}${left("")}${left("")}${left("")}`;
      if (service.type === "slots") return `<tr>${head}${left("frames (slots)")}${left(service.path)}${left(service.unit)}<td>${service.slots} slots</td></tr>`;
      const memory =
        service.memoryMiB === null
          ? ""
          : `, ${Math.round(service.memoryMiB).toLocaleString("en-US")} / ${service.usableMemoryMiB === null ? "–" : Math.round(service.usableMemoryMiB).toLocaleString("en-US")} MiB`;
      const model = `${service.model} ${service.quantization}`;
      return `<tr>${head}${left(model)}${left(service.path)}${left(service.unit)}<td>batch ${service.maxBatch}, prefill ${rate(service.prefillTokensPerS)} tok/s, decode ${rate(service.decodeTokensPerS)} tok/s${memory}</td></tr>`;
    }),
  );
  const header = ["node", "role", "profile", "sharing", "service", "path", "unit", "capacity"];
  return `<table id="scenario-nodes">\n<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
}

function jobsTable(results: ReportResults): string {
  return table(
    "results-table",
    ["label", "generated", "completed", "dropped", "refused", "lost", "unfinished", "violations", "violation rate", "migrations", "events"],
    results.runs.map((run) => [
      escapeHtml(run.label),
      ...[run.jobs.generated, run.jobs.completed, run.jobs.dropped, run.jobs.refused, run.jobs.lost, run.jobs.unfinished, run.jobs.violations].map(String),
      percent(run.jobs.violationRate),
      String(run.migrations.length),
      String(run.events),
    ]),
  );
}

function framesTable(results: ReportResults): string {
  return table(
    "frames-table",
    ["label", "completed", "refused", "lost", "throughput (frames/s)", "violations", "violation rate", "mean (ms)", "p50 (ms)", "p95 (ms)", "p99 (ms)", "max (ms)"],
    frameRuns(results).map((run) => {
      const t = run.frames.latency.total;
      return [
        escapeHtml(run.label),
        String(run.frames.jobs.completed),
        String(run.frames.jobs.refused),
        String(run.frames.jobs.lost),
        run.frames.throughput.toFixed(2),
        String(run.frames.jobs.violations),
        run.frames.jobs.violationRate === null ? "–" : `${(run.frames.jobs.violationRate * 100).toFixed(2)}%`,
        ...[t.mean, t.p50, t.p95, t.p99, t.max].map((v) => (v === null ? "–" : v.toFixed(1))),
      ];
    }),
  );
}

/** Token rates: whole numbers with thousands separators from 100 tok/s, one decimal below. */
function rate(tokensPerS: number): string {
  return tokensPerS >= 100 ? Math.round(tokensPerS).toLocaleString("en-US") : tokensPerS.toFixed(1);
}
