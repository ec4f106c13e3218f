import { rmSync } from "node:fs";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { writeFileAtomic } from "../io/atomic-file.js";
import type { ChartDefinition, ChartSection } from "./chart.js";
import { CHARTS } from "./charts/index.js";
import type { ReportEntry } from "./html-page.js";
import { buildHtmlReport } from "./html-report.js";
import { DEFAULT_DPI, DEFAULT_REPORT_WIDTHS, REPORT_WIDTHS } from "./print.js";
import { renderPng, renderSvg } from "./render.js";
import { familiesOf, type ReportResults } from "./results-input.js";
import type { ChartWidth } from "./style.js";

export const REPORT_FORMATS = ["svg", "png", "pdf", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What a report writes when no --format is given: PDF is asked for by name (it is for the paper, and the slowest to write). */
export const DEFAULT_REPORT_FORMATS: readonly ReportFormat[] = ["svg", "png", "html"];

export interface ReportOptions {
  /** Print widths to lay every chart out for (default one column); see chartFileBase for the file names. */
  widths?: readonly ChartWidth[];
  /** PNG resolution in dots per inch of the printed size (default DEFAULT_DPI). */
  dpi?: number;
  charts?: readonly ChartDefinition[];
}

export interface ReportSummary {
  /** Files written, in order: charts/<id>[@double].vl.json, .svg, .png, .pdf per chart and width, then index.html. */
  files: string[];
  drawn: string[];
  skipped: Array<{ id: string; title: string; reason: string }>;
  /** Anything vega-lite or vega warned about while drawing (expected empty). */
  warnings: Array<{ id: string; message: string }>;
}

/**
 * A chart's files for one width, without the extension: charts/<id> at one column, charts/<id>@double
 * at two columns. Fixed whatever widths a call asks for, so a script finds the column figure under
 * the same name with `--width column` and with `--width column,double`.
 */
export function chartFileBase(chartDir: string, id: string, width: ChartWidth): string {
  return join(chartDir, width === "column" ? id : `${id}@${width}`);
}

/** Every file a chart can have, for removing those of a chart that is no longer drawn. */
const CHART_EXTENSIONS = [".vl.json", ".svg", ".png", ".pdf"] as const;

/**
 * Removes every file a chart can have (any format, any width): a chart now skipped must not leave
 * the files of an earlier rendering beside the note that it is not drawn.
 */
export function removeChartFiles(chartDir: string, id: string): void {
  for (const width of REPORT_WIDTHS) for (const ext of CHART_EXTENSIONS) rmSync(`${chartFileBase(chartDir, id, width)}${ext}`, { force: true });
}

/**
 * Draws the charts of the results into `<outDir>/charts/` (`.vl.json` always; `.svg`, `.png` and
 * `.pdf` when asked), at each asked print width, and, with "html", `<outDir>/index.html` (its charts
 * at the first width asked): the charts of every workload family the runs have (a family no run has
 * is not listed at all). A chart whose data is absent is listed as skipped, never drawn empty.
 * Charts are rendered one after the other (see renderSvg).
 */
export async function writeReport(results: ReportResults, outDir: string, formats: readonly ReportFormat[] = DEFAULT_REPORT_FORMATS, options: ReportOptions = {}): Promise<ReportSummary> {
  const charts = reportCharts(results, options.charts);
  const widths = REPORT_WIDTHS.filter((width) => (options.widths ?? DEFAULT_REPORT_WIDTHS).includes(width));
  if (widths.length === 0) throw new Error("writeReport: no chart width asked for");
  const summary: ReportSummary = { files: [], drawn: [], skipped: [], warnings: [] };
  const entries: ReportEntry[] = [];
  const chartDir = join(outDir, "charts");
  for (const chart of charts) {
    const outcomes = widths.map((width) => ({ width, outcome: chart.build(results, width) }));
    const first = outcomes[0].outcome;
    if (first.kind === "skipped") {
      removeChartFiles(chartDir, chart.id);
      summary.skipped.push({ id: chart.id, title: chart.title, reason: first.reason });
      entries.push({ id: chart.id, title: chart.title, kind: "skipped", reason: first.reason });
      continue;
    }
    for (const { width, outcome } of outcomes) {
      // Whether a chart has data does not depend on its width; a chart that says otherwise is a bug in it.
      if (outcome.kind === "skipped") throw new Error(`chart ${chart.id} is skipped at ${width} width but drawn at ${widths[0]}`);
      const written = await writeChartFiles(chartFileBase(chartDir, chart.id, width), outcome.spec, chart.title, formats, options.dpi ?? DEFAULT_DPI);
      summary.files.push(...written.files);
      for (const message of written.warnings) summary.warnings.push({ id: chart.id, message });
      if (width === widths[0]) entries.push({ id: chart.id, title: chart.title, kind: "chart", caption: outcome.caption, svg: written.svg });
    }
    summary.drawn.push(chart.id);
  }
  if (formats.includes("html")) {
    const file = join(outDir, "index.html");
    writeFileAtomic(file, buildHtmlReport(results, entries));
    summary.files.push(file);
  }
  return summary;
}

/**
 * The charts a report of these results lists: those of every workload family the runs have, and of
 * the run sections (links, mobility, control) some run has; a family or section no run has is not listed at all.
 */
export function reportCharts(results: ReportResults, charts: readonly ChartDefinition[] = CHARTS): ChartDefinition[] {
  const families = familiesOf(results);
  const has = (section: ChartSection): boolean => results.runs.some((run) => run[section] !== null);
  return charts.filter((chart) => (chart.family === undefined || families[chart.family]) && (chart.section === undefined || has(chart.section)));
}

export interface ChartFiles {
  files: string[];
  /** The plain SVG (no embedded font), for inlining under a page's own @font-face. */
  svg: string;
  warnings: string[];
}

/**
 * One chart's files at `<base>.vl.json` (always) and `.svg` (with its font embedded), `.png` (at
 * `dpi`) and `.pdf` when asked: the one render path of run reports (and of any other chart writer).
 */
export async function writeChartFiles(base: string, spec: TopLevelSpec, title: string, formats: readonly ReportFormat[], dpi: number = DEFAULT_DPI): Promise<ChartFiles> {
  const rendered = await renderSvg(spec);
  const files: string[] = [];
  const write = (file: string, content: string | Buffer): void => {
    // Temp name, then rename: a reader (or a crash) never sees half a file under the final name.
    writeFileAtomic(file, content);
    files.push(file);
  };
  write(`${base}.vl.json`, formatSpec(spec));
  // The font subsetter (harfbuzz, ~0.2 s to load) and pdfkit (~0.5 s) are loaded only for the formats that need them.
  if (formats.includes("svg")) write(`${base}.svg`, await (await import("./svg-font.js")).embedChartFont(rendered.svg));
  if (formats.includes("png")) write(`${base}.png`, renderPng(rendered.svg, dpi));
  if (formats.includes("pdf")) write(`${base}.pdf`, await (await import("./pdf.js")).renderPdf(rendered.svg, title));
  return { files, svg: rendered.svg, warnings: rendered.warnings };
}

/**
 * Indented JSON with each innermost object on one line: a data row per line instead of seven, so a
 * time-series spec stays a few hundred kB and still diffs line by line.
 */
export function formatSpec(spec: unknown): string {
  const text = JSON.stringify(spec, null, 2).replace(/\{\n[^{}[\]]*?\n\s*\}/g, (object) => object.replace(/\n\s*/g, " ").replace("{ ", "{").replace(/ \}$/, "}"));
  return `${text}\n`;
}
