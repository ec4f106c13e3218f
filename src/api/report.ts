import type { renderReport as RenderReport } from "../cli/report-command.js";
import type { writeReport as WriteReport } from "../report/write-report.js";

/**
 * Draws the charts of `results` into `<outDir>/charts/` and, with "html" among the formats (the
 * default: svg, png and html), `<outDir>/index.html`; returns the files written and the charts
 * skipped with the reason. The same function the `report` command and `--report` use: the chart
 * stack (vega, vega-lite, resvg; some 0.4 s of loading) is imported on the first call, so a
 * program that only simulates does not load it.
 */
export async function writeReport(...args: Parameters<typeof WriteReport>): ReturnType<typeof WriteReport> {
  const { writeReport: write } = await import("../report/write-report.js");
  return write(...args);
}

/** writeReport, then what `simulate report` prints about it: the charts drawn, those skipped and why, any warning, the report's path. */
export async function renderReport(...args: Parameters<typeof RenderReport>): ReturnType<typeof RenderReport> {
  const { renderReport: render } = await import("../cli/report-command.js");
  return render(...args);
}

export { readResultsFile } from "../report/results-input.js";
