import type { TopLevelSpec } from "vega-lite";
import type { LinkResult } from "../../metrics/network-results.js";
import { linkRuns, round, skipped, timeAxisUnit, type ChartOutcome } from "../chart.js";
import { policyColourSubset } from "../policy-colours.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { bottomLegend, formatNumber, NUMBER_FORMAT, percent } from "./layout.js";

/** The most link directions drawn, one panel each: the busiest; the others are named in the caption. */
export const MAX_DRAWN_LINKS = 6;

/** Panels per row at each print width, and their plot height, px. */
const LINK_COLUMNS: Record<ChartWidth, number> = { column: 2, double: 3 };
const PANEL_HEIGHT: Record<ChartWidth, number> = { column: 60, double: 80 };

/**
 * A link direction as a reader names it: a graph link `a--b` forward is "a → b" and reverse
 * "b → a"; an access point's air interface `<ap>/air` is "<ap> air up" (device to AP) or "down".
 */
export function linkLabel(link: Pick<LinkResult, "id" | "direction">): string {
  if (link.id.endsWith("/air")) return `${link.id.slice(0, -"/air".length)} air ${link.direction === "forward" ? "up" : "down"}`;
  const ends = link.id.split("--");
  if (ends.length !== 2) return `${link.id} (${link.direction})`;
  return link.direction === "forward" ? `${ends[0]} → ${ends[1]}` : `${ends[1]} → ${ends[0]}`;
}

/**
 * The link directions drawn, in results order: every one, or the MAX_DRAWN_LINKS busiest (highest
 * mean utilisation under any run; ties: first in order); and the others, in order.
 */
export function drawnLinks(results: ReportResults): { drawn: string[]; left: string[] } {
  // Labels in first-seen order (runs in order, links in order), each with its highest mean utilisation.
  const labels: string[] = [];
  const load: number[] = [];
  for (const run of linkRuns(results)) {
    for (const link of run.links.links) {
      const label = linkLabel(link);
      let index = labels.indexOf(label);
      if (index < 0) index = labels.push(label) - 1;
      load[index] = Math.max(load[index] ?? 0, link.utilisation);
    }
  }
  const ranked = labels.map((label, index) => ({ label, index, load: load[index] })).sort((a, b) => b.load - a.load || a.index - b.index);
  const kept = new Set(ranked.slice(0, MAX_DRAWN_LINKS).map((entry) => entry.label));
  return { drawn: labels.filter((label) => kept.has(label)), left: labels.filter((label) => !kept.has(label)) };
}

export interface LinkPoint {
  run: string;
  link: string;
  /** Middle of the bin, in the time axis unit. */
  t: number;
  /** Per cent of the capacity in use over the bin. */
  utilisation: number;
}

/** One point per bin of each drawn link direction of each run with links. */
export function linkPoints(results: ReportResults): LinkPoint[] {
  const { divisor } = timeAxisUnit(results);
  const drawn = new Set(drawnLinks(results).drawn);
  const start = results.window.warmupMs;
  return linkRuns(results).flatMap((run) =>
    run.links.links.flatMap((link) => {
      const label = linkLabel(link);
      if (!drawn.has(label)) return [];
      return link.series.map((share, bin) => ({ run: run.label, link: label, t: round((start + (bin + 0.5) * run.links.binWidthMs) / divisor), utilisation: percent(share) }));
    }),
  );
}

/**
 * Utilisation of the shared links over time (issue 15): a panel per link direction (the busiest
 * MAX_DRAWN_LINKS), a line per run, 0-100 % of the link's capacity.
 */
export function linkUtilisationChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const values = linkPoints(results);
  if (values.length === 0) return skipped("no run has a capacity-limited link with a utilisation series (`runs[].links.links[].series` is empty)");
  const { drawn, left } = drawnLinks(results);
  const { divisor, unit } = timeAxisUnit(results);
  const runs = linkRuns(results);
  const colour = policyColourSubset(results, new Set(runs.map((run) => run.label)));
  const columns = Math.min(LINK_COLUMNS[width], drawn.length);
  // About 40 px of y-axis labels on the left ("100"), 6 px between panels.
  const panelWidth = Math.floor((CHART_WIDTHS[width] - 50) / columns) - 8;
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    // A facet repeats its x axis title under every panel: the time axis is named once, under the block.
    title: { text: `simulated time (${unit})`, orient: "bottom", fontSize: 10, fontWeight: "normal", anchor: "middle", offset: 4 },
    vconcat: [
      {
        title: { text: "link utilisation (% of capacity)", anchor: "start", fontSize: 10, fontWeight: "normal", offset: 2 },
        data: { values },
        facet: { field: "link", type: "nominal", title: null, sort: drawn, header: { labelPadding: 1, labelFontSize: 9, labelLimit: panelWidth } },
        columns,
        spec: {
          width: panelWidth,
          height: PANEL_HEIGHT[width],
          mark: { type: "line", strokeWidth: 1.1 },
          encoding: {
            x: {
              field: "t",
              type: "quantitative",
              title: null,
              scale: { domain: [results.window.warmupMs / divisor, results.window.durationMs / divisor], nice: false },
              axis: { tickCount: 3, format: NUMBER_FORMAT, labelFlush: true, labelOverlap: "greedy" },
            },
            y: { field: "utilisation", type: "quantitative", title: null, scale: { domain: [0, 100], nice: false }, axis: { values: [0, 50, 100], format: NUMBER_FORMAT } },
            color: { field: "run", type: "nominal", title: null, scale: colour, legend: bottomLegend(colour.domain, width, "top") },
          },
        },
        spacing: { column: 6, row: 8 },
      },
    ],
  };
  const binS = formatNumber(runs[0].links.binWidthMs / 1000);
  const rest = left.length > 0 ? ` ${drawn.length} of ${drawn.length + left.length} link directions are drawn, the busiest (mean utilisation under any run); not drawn: ${left.join(", ")}.` : "";
  return {
    kind: "chart",
    spec,
    caption: `Share of each capacity-limited link's capacity in use, time-averaged per ${binS} s bin of the measurement window, one line per run; a → b is the direction of travel, "air up" an access point's air interface from the devices to it.${rest}`,
  };
}
