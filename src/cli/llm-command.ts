import { dirname, join, resolve } from "node:path";
import { resolveLlmScenario } from "../llm/resolve.js";
import type { ResolvedLlmScenario } from "../llm/resolved.js";
import { checkLlmWork } from "../llm/simulate-llm.js";
import { codeNamedIn, describeNamedCode } from "../schedulers/named-code.js";
import { BUILTIN_PROFILE_DIR } from "../scenario/profiles.js";
import type { QueryRecord } from "../llm/llm-world.js";

/** Resolves a language-model scenario read from `file`, with the same profile search path as the edge scenarios. */
export function loadLlmScenario(file: string, json: Record<string, unknown>): ResolvedLlmScenario {
  return resolveLlmScenario(json, { baseDir: dirname(file), profileDirs: [join(dirname(file), "hardware-profiles"), BUILTIN_PROFILE_DIR] }, file);
}

/** The header of the per-query CSV (--tasks) of a language-model scenario. */
export const QUERY_COLUMNS = [
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

/** One CSV row per measured query (--tasks). */
export function queryRow(label: string, r: QueryRecord): string {
  const n = (x: number): string => (Number.isNaN(x) ? "" : String(x));
  return [
    csvField(label),
    r.device,
    csvField(r.purpose),
    r.route,
    r.createdAt,
    r.promptTokens,
    r.outputTokens,
    r.complexity,
    r.refused ? 1 : 0,
    r.lost ? 1 : 0,
    n(r.ttft),
    n(r.total),
    r.network,
    r.queueing,
    r.prefill,
    r.decode,
    r.costUsd,
    r.quality,
    r.good ? 1 : 0,
    r.violated ? 1 : 0,
  ].join(",");
}

/** Quotes a field that holds a comma or a quote (labels are free text). */
function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function validateLlmCommand(file: string, json: Record<string, unknown>, maxEvents: number | undefined): void {
  const scenario = loadLlmScenario(file, json);
  checkLlmWork(scenario, { maxEvents, source: file });
  const nodes = scenario.nodes.map((n) => `${n.id} ${n.serving.model} ${n.serving.quantization} (${n.serving.path})`).join("; ");
  process.stdout.write(
    `ok: ${file}: language-model scenario, ${scenario.devices.length} devices; nodes ${nodes}; routers ${scenario.routers.map((r) => r.label).join(", ")}\n${describeNamedCode(codeNamedIn(json, dirname(resolve(file))))}`,
  );
}
