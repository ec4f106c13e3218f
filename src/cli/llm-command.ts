import { dirname, join, resolve } from "node:path";
import type { LlmResults } from "../llm/llm-results.js";
import { resolveLlmScenario } from "../llm/resolve.js";
import type { ResolvedLlmScenario } from "../llm/resolved.js";
import { checkLlmWork, simulateLlm } from "../llm/simulate-llm.js";
import { loadModuleRouters } from "../llm/routers/module-router.js";
import { checkAllowExec, codeNamedIn, describeNamedCode } from "../schedulers/named-code.js";
import { formatDuration } from "../random/duration.js";
import { BUILTIN_PROFILE_DIR } from "../scenario/profiles.js";
import { writeFileAtomic } from "../io/atomic-file.js";
import { CsvFileWriter, type CsvValue } from "../io/csv-write.js";
import { checkOutputTargets, runOutputTargets } from "../io/output-targets.js";
import type { QueryRecord } from "../llm/llm-world.js";
import { formatFault, num, table } from "./summary.js";

/** Resolves a language-model scenario read from `file`, with the same profile search path as the edge scenarios. */
export function loadLlmScenario(file: string, json: Record<string, unknown>): ResolvedLlmScenario {
  return resolveLlmScenario(json, { baseDir: dirname(file), profileDirs: [join(dirname(file), "hardware-profiles"), BUILTIN_PROFILE_DIR] }, file);
}

const QUERY_COLUMNS = [
  "router",
  "device",
  "purpose",
  "route",
  "createdAt",
  "promptTokens",
  "outputTokens",
  "complexity",
  "refused",
  "lost",
  "ttft",
  "total",
  "network",
  "queueing",
  "prefill",
  "decode",
  "costUsd",
  "quality",
  "good",
  "violated",
];

export async function runLlmCommand(
  file: string,
  json: Record<string, unknown>,
  args: { out?: string; quiet?: boolean; tasks?: string; report?: boolean; maxEvents?: number; allowExec?: boolean },
): Promise<LlmResults> {
  const scenario = loadLlmScenario(file, json);
  checkAllowExec(codeNamedIn(json, dirname(resolve(file))), args.allowExec, file);
  const outDir = resolve(args.out ?? join("reports", scenario.name));
  checkOutputTargets(runOutputTargets(file, outDir, args));
  const moduleRouters = await loadModuleRouters(scenario.routers, dirname(resolve(file)));
  let writer: CsvFileWriter | undefined;
  try {
    if (args.tasks !== undefined) writer = new CsvFileWriter(resolve(args.tasks), QUERY_COLUMNS);
    const sink = writer;
    const results = simulateLlm(scenario, {
      moduleRouters,
      maxEvents: args.maxEvents,
      source: file,
      querySink: sink === undefined ? undefined : (label) => (record) => sink.row(queryRow(label, record)),
    });
    const resultsFile = join(outDir, "results.json");
    writeFileAtomic(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    writer?.commit();
    writer = undefined;
    if (args.quiet) process.stdout.write(`${resultsFile}\n`);
    else process.stdout.write(`${formatLlmSummary(results)}\n\nwrote ${resultsFile}${args.tasks ? ` and ${resolve(args.tasks)}` : ""}\n`);
    return results;
  } finally {
    writer?.abort();
  }
}

/** TTFT and total of a query refused or lost (NaN) are empty cells. */
function queryRow(label: string, r: QueryRecord): CsvValue[] {
  return [
    label,
    r.device,
    r.purpose,
    r.route,
    r.createdAt,
    r.promptTokens,
    r.outputTokens,
    r.complexity,
    r.refused,
    r.lost,
    r.ttft,
    r.total,
    r.network,
    r.queueing,
    r.prefill,
    r.decode,
    r.costUsd,
    r.quality,
    r.good,
    r.violated,
  ];
}

export function validateLlmCommand(file: string, json: Record<string, unknown>, maxEvents: number | undefined): void {
  const scenario = loadLlmScenario(file, json);
  checkLlmWork(scenario, { maxEvents, source: file });
  const nodes = scenario.nodes.map((n) => `${n.id} ${n.serving.model} ${n.serving.quantization} (${n.serving.path})`).join("; ");
  process.stdout.write(
    `ok: ${file}: language-model scenario, ${scenario.devices.length} devices; nodes ${nodes}; routers ${scenario.routers.map((r) => r.label).join(", ")}\n${describeNamedCode(codeNamedIn(json, dirname(resolve(file))))}`,
  );
}

const pct = (x: number | null): string => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);
const usd = (x: number | null): string => (x === null ? "-" : x >= 1 ? `$${x.toFixed(2)}` : `$${x.toPrecision(3)}`);

/** A readable per-router table: latency, violations, money, privacy and quality, then pipelines and nodes. */
export function formatLlmSummary(results: LlmResults): string {
  const lines: string[] = [];
  const w = results.window;
  const qos = results.runs[0]?.qos;
  const deadlines = [qos?.ttftDeadlineMs == null ? "" : `TTFT ${formatDuration(qos.ttftDeadlineMs)}`, qos?.totalDeadlineMs == null ? "" : `total ${formatDuration(qos.totalDeadlineMs)}`]
    .filter(Boolean)
    .join(", ");
  lines.push(
    `${results.scenario.name}: language-model scenario, ${results.scenario.devices} devices, ${results.scenario.nodes.length} nodes, seed ${results.seed}, ${formatDuration(w.durationMs)} simulated; deadlines ${deadlines}`,
  );
  lines.push(
    ...table([
      ["node", "model", "quant.", "path", "batch", "prefill tok/s", "decode tok/s", "memory"],
      ...results.scenario.nodes.map((n) => [
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
  const header = ["router", "done", "TTFT p50", "TTFT p95", "total p50", "total p95", "total p99", "violations", "$ total", "$/day", "off device", "to cloud", "quality"];
  const rows = results.runs.map((run) => [
    run.label,
    String(run.queries.completed),
    num(run.latency.ttft.p50),
    num(run.latency.ttft.p95),
    num(run.latency.total.p50),
    num(run.latency.total.p95),
    num(run.latency.total.p99),
    pct(run.qos.violationRate),
    usd(run.cost.totalUsd),
    usd(run.cost.perDayUsd),
    pct(run.privacy.shareOfQueriesOffDevice),
    pct(run.privacy.shareOfQueriesToCloud),
    run.quality.meanProbability === null ? "-" : run.quality.meanProbability.toFixed(3),
  ]);
  lines.push(...table([header, ...rows]));
  lines.push("  (latency in ms; 'off device' = share of queries whose prompt left the device; quality = mean P(good answer), docs/llm.md)");
  for (const run of results.runs) {
    if (run.faults.length === 0 && run.queries.lost === 0) continue;
    lines.push(`  ${run.label}: ${run.queries.lost} queries lost to crashes; ${run.faults.map(formatFault).join("; ")}`);
  }
  if ((results.runs[0]?.groups.length ?? 0) > 1) {
    lines.push("");
    const groupRows = results.runs[0].groups.flatMap((_, g) =>
      results.runs.map((run) => {
        const group = run.groups[g];
        return [
          `${group.group} (${group.devices})`,
          run.label,
          String(group.queries.completed),
          num(group.latency.ttft.p95),
          num(group.latency.total.p95),
          pct(group.violationRate),
          pct(group.shareLocal),
          pct(group.shareToCloud),
          group.qualityMeanProbability === null ? "-" : group.qualityMeanProbability.toFixed(3),
          usd(group.apiUsd),
        ];
      }),
    );
    lines.push(...table([["device group", "router", "done", "TTFT p95", "total p95", "violations", "local", "to cloud", "quality", "$ API"], ...groupRows]));
  }
  for (const run of results.runs) {
    const p = run.pipelines;
    if (p !== null) {
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
  }
  const first = results.runs[0];
  if (first !== undefined && results.runs.length > 0) {
    lines.push("");
    lines.push(
      ...table([
        ["node (per router)", ...results.runs.map((r) => r.label)],
        ...results.scenario.nodes.map((n, i) => [`  ${n.id} util.`, ...results.runs.map((r) => pct(r.nodes[i].utilisation))]),
        ...results.scenario.nodes.map((n, i) => [`  ${n.id} tok/s per query`, ...results.runs.map((r) => num(r.nodes[i].decodeTokensPerSPerQuery.mean))]),
      ]),
    );
  }
  return lines.join("\n");
}
