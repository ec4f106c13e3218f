import type { ChartOutcome } from "../chart.js";
import { OKABE_ITO } from "../style.js";
import type { LlmReportResults } from "./llm-results-input.js";

/** One chart of the language-model report: a stable id (file names), a title, and a pure function of the results. */
export interface LlmChartDefinition {
  id: string;
  title: string;
  build(results: LlmReportResults): ChartOutcome;
}

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

/** The nearest 1, 2 or 5 times a power of ten below (floor) or above (ceil): a log axis that ends near the data. */
export function nice125(value: number, direction: "floor" | "ceil"): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 5, 10].map((m) => m * decade);
  const pick = direction === "floor" ? steps.filter((v) => v <= value).pop() : steps.find((v) => v >= value);
  return Number((pick ?? decade).toPrecision(6));
}

/** 1-2-5 ticks within a log domain: vega's default log ticks crowd at column width. */
export function logTicks(domain: readonly number[]): number[] {
  const ticks: number[] = [];
  const first = 10 ** Math.floor(Math.log10(domain[0]));
  for (let decade = first; decade <= domain[1]; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const tick = Number((decade * m).toPrecision(6));
      if (tick >= domain[0] && tick <= domain[1]) ticks.push(tick);
    }
  }
  return ticks;
}
