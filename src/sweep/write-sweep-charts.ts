import { join } from "node:path";
import type { ChartOutcome } from "../report/chart.js";
import { sweepHeatmapChart } from "../report/charts/sweep-heatmap.js";
import { plotAxes } from "../report/charts/sweep-input.js";
import { sweepMetricVsAxisChart } from "../report/charts/sweep-metric-vs-axis.js";
import { DEFAULT_DPI, DEFAULT_REPORT_WIDTHS, type PrintOptions } from "../report/print.js";
import type { ChartWidth } from "../report/style.js";
import { chartFileBase, removeChartFiles, writeChartFiles } from "../report/write-report.js";
import type { SweepSummary } from "./summary.js";

export interface SweepChartsReport {
  drawn: string[];
  skipped: Array<{ id: string; reason: string }>;
  warnings: string[];
}

const slug = (text: string): string =>
  text
    .replace(/^\//, "")
    .replace(/[^A-Za-z0-9.]+/g, "-")
    .replace(/^-|-$/g, "") || "axis";

/**
 * Draws the sweep's charts into <out>/charts/: every metric against every axis (the scheduler list
 * axis is the colour, not an x axis) and, with two axes, a heatmap per metric. Same render path as
 * the run report (writeChartFiles: spec, SVG with its font embedded, PNG at `dpi`), one chart at a
 * time, so the bytes are reproducible. `print.widths`: the print widths the charts are laid out for
 * (CHART_WIDTHS; files named as the run report names them, chartFileBase), `print.dpi` the PNGs'.
 */
export async function writeSweepCharts(summary: SweepSummary, outDir: string, print: PrintOptions = { widths: [...DEFAULT_REPORT_WIDTHS], dpi: DEFAULT_DPI }): Promise<SweepChartsReport> {
  const report: SweepChartsReport = { drawn: [], skipped: [], warnings: [] };
  const jobs: Array<{ id: string; build: (width: ChartWidth) => ChartOutcome }> = [];
  for (const metric of summary.sweep.metrics) {
    for (const axis of plotAxes(summary)) jobs.push({ id: `sweep-${slug(metric)}-vs-${slug(axis.name)}`, build: (width) => sweepMetricVsAxisChart(summary, metric, axis.name, width) });
    if (plotAxes(summary).length === 2) jobs.push({ id: `sweep-${slug(metric)}-heatmap`, build: (width) => sweepHeatmapChart(summary, metric, width) });
  }
  const chartDir = join(outDir, "charts");
  for (const job of jobs) {
    // Whether a chart is drawn depends on the data, not the width: the first width decides, as in writeReport.
    const outcomes = print.widths.map((width) => ({ width, outcome: job.build(width) }));
    const first = outcomes[0].outcome;
    if (first.kind === "skipped") {
      removeChartFiles(chartDir, job.id);
      report.skipped.push({ id: job.id, reason: first.reason });
      continue;
    }
    for (const { width, outcome } of outcomes) {
      if (outcome.kind === "skipped") continue;
      const written = await writeChartFiles(chartFileBase(chartDir, job.id, width), outcome.spec, job.id, ["svg", "png"], print.dpi);
      report.warnings.push(...written.warnings.map((w) => `${job.id}: ${w}`));
    }
    report.drawn.push(job.id);
  }
  return report;
}
