import { dirname, join, resolve } from "node:path";
import { readResultsFile, type ReportResults } from "../report/results-input.js";
import { parseNameList, printOptions } from "../report/print.js";
import { DEFAULT_REPORT_FORMATS, REPORT_FORMATS, writeReport, type ReportFormat, type ReportOptions, type ReportSummary } from "../report/write-report.js";
import { checkOutputTargets } from "../io/output-targets.js";
import { writeStdout } from "./stdout.js";

export interface ReportArgs {
  results: string;
  out?: string;
  format?: string;
  /** --width: "column", "double" or both, comma-separated. */
  width?: string;
  /** --dpi: PNG dots per inch of the printed size. */
  dpi?: number;
  /** Print only the files written, one per line. */
  quiet?: boolean;
}

/**
 * `simulate report <results.json>`: redraws the charts and the HTML report from a results file,
 * without simulating. results@1 and llm-results@1 files of older versions are converted on read.
 */
export async function reportCommand(args: ReportArgs): Promise<void> {
  const formats = parseFormats(args.format);
  const options = printOptions(args);
  const results = readResultsFile(args.results);
  const outDir = resolve(args.out ?? dirname(args.results));
  checkOutputTargets({
    dir: outDir,
    flag: args.out === undefined ? "output folder" : "--out",
    files: formats.includes("html") ? ["index.html"] : [],
    folders: ["charts"],
    inputs: [{ what: "results file", file: resolve(args.results) }],
  });
  await writeStdout(reportOutput(await writeReport(results, outDir, formats, options), outDir, args.quiet === true));
}

/** What a report prints: the files written (quiet: only them, one per line), or the charts drawn, skipped and why, any warning, the report's path. */
export function reportOutput(summary: ReportSummary, outDir: string, quiet: boolean): string {
  return quiet ? summary.files.map((file) => `${file}\n`).join("") : summaryText(summary, outDir);
}

/** Renders into `outDir` and returns what to print: files written, charts skipped and why, any warning. */
export async function renderReport(results: ReportResults, outDir: string, formats: readonly ReportFormat[] = DEFAULT_REPORT_FORMATS, options: ReportOptions = {}): Promise<string> {
  return summaryText(await writeReport(results, outDir, formats, options), outDir);
}

function summaryText(summary: ReportSummary, outDir: string): string {
  const lines: string[] = [];
  lines.push(`charts: ${summary.drawn.length} drawn, ${summary.skipped.length} skipped, in ${join(outDir, "charts")}`);
  for (const skipped of summary.skipped) lines.push(`  skipped ${skipped.id}: ${skipped.reason}`);
  for (const warning of summary.warnings) lines.push(`  warning in ${warning.id}: ${warning.message}`);
  const html = summary.files.find((file) => file.endsWith("index.html"));
  if (html !== undefined) lines.push(`report: ${html}`);
  return `${lines.join("\n")}\n`;
}

/** "svg,png,html" -> formats; an unknown name is bad input (exit 2). */
export function parseFormats(text: string | undefined): ReportFormat[] {
  return text === undefined ? [...DEFAULT_REPORT_FORMATS] : parseNameList("--format", text, REPORT_FORMATS);
}
