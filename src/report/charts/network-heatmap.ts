import type { TopLevelSpec } from "vega-lite";
import { skipped, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG } from "../style.js";

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

/** Chart 5: nominal one-way latency between every device (row) and node (column), as in the testbed paper's figure. */
export function networkHeatmapChart(results: ReportResults): ChartOutcome {
  const network = results.network;
  const values = heatCells(results);
  // Files converted from llm-results@1 have no matrix: that simulator did not record one.
  if (values.length === 0) return skipped("the network latency matrix is empty (`network`: no devices or no nodes, or a file converted from llm-results@1, which had none)");
  const rows = network.devices.length;
  const columns = network.nodes.length;
  const labelled = rows <= MAX_LABELLED_ROWS && columns <= MAX_LABELLED_COLUMNS;
  // Many rows share about 360 px (fractional steps are fine: 256 groups at 1.4 px each).
  const rowStep = labelled ? 18 : Math.min(12, Math.round((360 / rows) * 100) / 100);
  const columnStep = Math.max(12, Math.min(60, Math.floor(200 / columns)));
  const mid = (Math.min(...values.map((v) => v.ms)) + Math.max(...values.map((v) => v.ms))) / 2;
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: { step: columnStep },
    height: { step: rowStep },
    data: { values },
    encoding: {
      x: { field: "node", type: "nominal", title: "node", sort: network.nodes, axis: { labelAngle: columns > 4 ? -40 : 0, labelLimit: 80, orient: "top" } },
      y: {
        field: "device",
        type: "nominal",
        title: rows < results.scenario.devices ? "device group" : "device",
        sort: network.devices,
        axis: rows > 40 ? { labels: false, ticks: false, title: `${rows < results.scenario.devices ? "device groups" : "devices"} (${rows})` } : {},
      },
    },
    layer: [
      {
        mark: { type: "rect", stroke: "#ffffff", strokeWidth: labelled ? 1 : 0 },
        encoding: {
          color: {
            field: "ms",
            type: "quantitative",
            title: "one-way latency (ms)",
            // Reversed viridis: short links light, long links dark; perceptually uniform and colour-blind safe.
            scale: { scheme: "viridis", reverse: true, zero: false },
            legend: { orient: "bottom", direction: "horizontal", gradientLength: 140, titleOrient: "top" },
          },
        },
      },
      ...(labelled
        ? [
            {
              mark: { type: "text" as const, fontSize: 9 },
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
    caption: `Mean one-way latency from each device to each node (base latency plus mean jitter, ms)${rows < results.scenario.devices ? "; rows are device groups." : "."}`,
  };
}
