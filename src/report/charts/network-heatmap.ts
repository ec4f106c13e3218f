import type { TopLevelSpec } from "vega-lite";
import { nice125, skipped, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { LABEL_FONT_SIZE, logAxisTicks, NUMBER_FORMAT, spansDecades, textWidth } from "./layout.js";

export interface HeatCell {
  device: string;
  node: string;
  ms: number;
}

export function heatCells(results: ReportResults): HeatCell[] {
  const network = results.network;
  return network.devices.flatMap((device, i) => network.nodes.map((node, j) => ({ device, node, ms: network.nominalLatencyMs[i][j] })));
}

/** Value labels only while the cells are large enough to hold them. */
const MAX_LABELLED_ROWS = 24;
const MAX_LABELLED_COLUMNS = 10;

/** Height the rows of a large matrix share, px: the map stays on a page at either width. */
const ROWS_HEIGHT: Record<ChartWidth, number> = { column: 360, double: 480 };
/** Widest cell, px: a matrix of 3 nodes should not become a wall of colour. */
const MAX_COLUMN_STEP: Record<ChartWidth, number> = { column: 60, double: 90 };
/** Length of the colour bar, px. */
const GRADIENT_LENGTH: Record<ChartWidth, number> = { column: 200, double: 300 };

/**
 * A colour scale over the latencies with at least four labelled values on its legend: a nice
 * linear domain and step, or, when the latencies span decades, a log domain with 1-2-5 values.
 */
export function heatColourScale(values: readonly number[], gradientLength: number): { type: "linear" | "log"; domain: [number, number]; legendValues: number[] } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (lo > 0 && spansDecades(values, 10)) {
    const domain: [number, number] = [nice125(lo, "floor"), nice125(hi, "ceil")];
    return { type: "log", domain, legendValues: logAxisTicks(domain, gradientLength, "x") };
  }
  // A matrix of one value (every link alike) still gets a bar, centred on it.
  const [from, to] = hi - lo > 0 ? [lo, hi] : [lo - Math.max(0.5, Math.abs(lo) * 0.05), hi + Math.max(0.5, Math.abs(hi) * 0.05)];
  const valuesWith = (step: number): { domain: [number, number]; legendValues: number[] } => {
    const domain: [number, number] = [Math.floor(from / step) * step, Math.ceil(to / step) * step];
    const legendValues: number[] = [];
    for (let v = domain[0]; v <= domain[1] + step / 1e6; v += step) legendValues.push(Number(v.toPrecision(6)));
    return { domain, legendValues };
  };
  // About four steps across the data; a finer 1-2-5 step while that labels fewer than four values.
  let step = nice125((to - from) / 4, "ceil");
  while (valuesWith(step).legendValues.length < 4) step = nice125(step * 0.99, "floor");
  return { type: "linear", ...valuesWith(step) };
}

/** Chart 5: nominal one-way latency between every device (row) and node (column), as in the testbed paper's figure. */
export function networkHeatmapChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const network = results.network;
  const values = heatCells(results);
  // Files converted from llm-results@1 have no matrix: that simulator did not record one.
  if (values.length === 0) return skipped("the network latency matrix is empty (`network`: no devices or no nodes, or a file converted from llm-results@1, which had none)");
  const rows = network.devices.length;
  const columns = network.nodes.length;
  const groups = rows < results.scenario.devices;
  // Whole pixels per row: fractional steps leave hairline seams between rows once anti-aliased.
  const plainStep = Math.max(1, Math.min(12, Math.floor(ROWS_HEIGHT[width] / rows)));
  // Row names while a row is tall enough for a line of text (11 px at 9 px type).
  const rowLabels = rows <= MAX_LABELLED_ROWS || plainStep >= 11;
  const yAxisWidth = rowLabels ? Math.min(100, Math.max(...network.devices.map((d) => textWidth(d)))) + 24 : 24;
  const columnStep = Math.max(12, Math.min(MAX_COLUMN_STEP[width], Math.floor((CHART_WIDTHS[width] - yAxisWidth - 10) / columns)));
  const labelled = rows <= MAX_LABELLED_ROWS && columns <= MAX_LABELLED_COLUMNS && columnStep >= textWidth("000.0") + 4;
  const rowStep = labelled ? 18 : plainStep;
  const ms = values.map((v) => v.ms);
  const colour = heatColourScale(ms, GRADIENT_LENGTH[width]);
  const mid = colour.type === "log" ? Math.sqrt(colour.domain[0] * colour.domain[1]) : (colour.domain[0] + colour.domain[1]) / 2;
  // Node names across the top when they fit their cells, else upright: rotated labels at an angle collide at 13 nodes.
  const nodeLabelsFit = Math.max(...network.nodes.map((n) => textWidth(n))) <= columnStep - 4;
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: { step: columnStep },
    height: { step: rowStep },
    data: { values },
    encoding: {
      x: { field: "node", type: "nominal", title: "node", sort: network.nodes, axis: { labelAngle: nodeLabelsFit ? 0 : -90, labelLimit: 80, orient: "top" } },
      y: {
        field: "device",
        type: "nominal",
        title: groups ? "device group" : "device",
        sort: network.devices,
        axis: rowLabels ? { labelLimit: 100 } : { labels: false, ticks: false, title: `${groups ? "device groups" : "devices"} (${rows})` },
      },
    },
    layer: [
      {
        // No cell border on a large matrix: a white stroke there is a white line between every two rows.
        mark: labelled ? { type: "rect", stroke: "#ffffff", strokeWidth: 1 } : { type: "rect", strokeWidth: 0 },
        encoding: {
          color: {
            field: "ms",
            type: "quantitative",
            title: "one-way latency (ms)",
            // Reversed viridis: short links light, long links dark; perceptually uniform and colour-blind safe.
            scale: { type: colour.type, scheme: "viridis", reverse: true, domain: colour.domain, nice: false },
            legend: { orient: "bottom", direction: "horizontal", gradientLength: GRADIENT_LENGTH[width], titleOrient: "top", values: colour.legendValues, format: NUMBER_FORMAT, labelOverlap: false },
          },
        },
      },
      ...(labelled
        ? [
            {
              mark: { type: "text" as const, fontSize: LABEL_FONT_SIZE },
              encoding: {
                text: { field: "ms", type: "quantitative" as const, format: ".1f" },
                // Dark text on light cells, white on dark ones.
                color: { condition: { test: `datum.ms > ${mid}`, value: "#ffffff" }, value: "#000000" },
              },
            },
          ]
        : []),
    ],
  };
  return {
    kind: "chart",
    spec,
    caption: `Mean one-way latency from each device to each node (base latency plus mean jitter, ms${colour.type === "log" ? ", log colour scale" : ""})${groups ? "; rows are device groups." : "."}`,
  };
}
