import { REPORT_FORMATS, writeChartReport, type ReportFormat, type ReportSummary } from "../write-report.js";
import type { LlmChartDefinition } from "./llm-chart.js";
import { LLM_CHARTS } from "./llm-charts.js";
import { buildLlmHtmlReport } from "./llm-html-report.js";
import type { LlmReportResults } from "./llm-results-input.js";

/** writeReport for language-model results: the LLM charts and their index.html (see writeChartReport). */
export async function writeLlmReport(
  results: LlmReportResults,
  outDir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  charts: readonly LlmChartDefinition[] = LLM_CHARTS,
): Promise<ReportSummary> {
  return writeChartReport(results, outDir, formats, charts, buildLlmHtmlReport);
}
