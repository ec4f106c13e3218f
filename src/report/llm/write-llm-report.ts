import { rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../io/atomic-file.js";
import type { ReportEntry } from "../html-report.js";
import { renderPng, renderSvg } from "../render.js";
import { formatSpec, REPORT_FORMATS, type ReportFormat, type ReportSummary } from "../write-report.js";
import type { LlmChartDefinition } from "./llm-chart.js";
import { LLM_CHARTS } from "./llm-charts.js";
import { buildLlmHtmlReport } from "./llm-html-report.js";
import type { LlmReportResults } from "./llm-results-input.js";

/**
 * writeReport for language-model results: every LLM chart into `<outDir>/charts/` (`.vl.json`
 * always; `.svg` and `.png` when asked) and, with "html", `<outDir>/index.html`. A chart whose data
 * is absent is listed as skipped with its reason, never drawn empty, and its files from an earlier
 * rendering are removed. Charts are rendered one after the other (see renderSvg).
 */
export async function writeLlmReport(
  results: LlmReportResults,
  outDir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  charts: readonly LlmChartDefinition[] = LLM_CHARTS,
): Promise<ReportSummary> {
  const summary: ReportSummary = { files: [], drawn: [], skipped: [], warnings: [] };
  const entries: ReportEntry[] = [];
  const chartDir = join(outDir, "charts");
  for (const chart of charts) {
    const outcome = chart.build(results);
    if (outcome.kind === "skipped") {
      for (const ext of [".vl.json", ".svg", ".png"]) rmSync(join(chartDir, `${chart.id}${ext}`), { force: true });
      summary.skipped.push({ id: chart.id, title: chart.title, reason: outcome.reason });
      entries.push({ id: chart.id, title: chart.title, kind: "skipped", reason: outcome.reason });
      continue;
    }
    const rendered = await renderSvg(outcome.spec);
    for (const message of rendered.warnings) summary.warnings.push({ id: chart.id, message });
    const base = join(chartDir, chart.id);
    write(`${base}.vl.json`, formatSpec(outcome.spec), summary);
    if (formats.includes("svg")) write(`${base}.svg`, rendered.svg, summary);
    if (formats.includes("png")) write(`${base}.png`, renderPng(rendered.svg), summary);
    summary.drawn.push(chart.id);
    entries.push({ id: chart.id, title: chart.title, kind: "chart", caption: outcome.caption, svg: rendered.svg });
  }
  if (formats.includes("html")) write(join(outDir, "index.html"), buildLlmHtmlReport(results, entries), summary);
  return summary;
}

function write(file: string, content: string | Buffer, summary: ReportSummary): void {
  writeFileAtomic(file, content);
  summary.files.push(file);
}
