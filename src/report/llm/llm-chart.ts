import type { ChartDefinition } from "../chart.js";
import { OKABE_ITO } from "../style.js";
import type { LlmReportResults } from "./llm-results-input.js";

/** One chart of the language-model report. */
export type LlmChartDefinition = ChartDefinition<LlmReportResults>;

/** The fixed router -> colour mapping (Okabe–Ito), by the order of the runs in the results file, as for the edge schedulers. */
export function routerColourScale(results: LlmReportResults): { domain: string[]; range: string[] } {
  const domain = results.runs.map((run) => run.label);
  return { domain, range: domain.map((_, i) => OKABE_ITO[i % OKABE_ITO.length]) };
}

/** The colour scale restricted to some routers, each keeping its report-wide colour. */
export function routerColourSubset(results: LlmReportResults, labels: ReadonlySet<string>): { domain: string[]; range: string[] } {
  const all = routerColourScale(results);
  return { domain: all.domain.filter((label) => labels.has(label)), range: all.range.filter((_, i) => labels.has(all.domain[i])) };
}

/** Router names as a list for captions: "a, b and c". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
