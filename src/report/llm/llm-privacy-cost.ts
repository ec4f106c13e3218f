import type { TopLevelSpec } from "vega-lite";
import { queryRuns, round, skipped, type ChartOutcome } from "../chart.js";
import { CHART_CONFIG, STAGE_COLOURS, policyColourScale } from "../style.js";
import { listNames } from "./llm-chart.js";
import type { ReportResults } from "../results-input.js";

/** The three shares, in bar order; their colours come from the viridis ramp, so they never look like routers. */
export const PRIVACY_MEASURES = [
  { key: "offDevice", label: "left the device", colour: STAGE_COLOURS[0] },
  { key: "toCloud", label: "reached the cloud", colour: STAGE_COLOURS[2] },
  { key: "violations", label: "violated QoS", colour: STAGE_COLOURS[3] },
] as const;

export interface PrivacyBar {
  router: string;
  measure: (typeof PRIVACY_MEASURES)[number]["label"];
  order: number;
  /** A share in [0, 1]. */
  share: number;
}

/** Share of queries off device (privacy.shareOfQueriesOffDevice), to the cloud (shareOfQueriesToCloud) and violation rate (qos.violationRate) per router. */
export function privacyBars(results: ReportResults): PrivacyBar[] {
  return queryRuns(results).flatMap((run) => {
    const shares = { offDevice: run.queries.privacy.shareOfQueriesOffDevice, toCloud: run.queries.privacy.shareOfQueriesToCloud, violations: run.queries.jobs.violationRate };
    return PRIVACY_MEASURES.flatMap(({ key, label }, order) => {
      const share = shares[key];
      return share === null ? [] : [{ router: run.label, measure: label, order, share }];
    });
  });
}

/** LLM chart 3: per router, the share of queries that left the device, that reached the cloud, and that violated the QoS deadlines. */
export function llmPrivacyCostChart(results: ReportResults): ChartOutcome {
  const bars = privacyBars(results);
  if (bars.length === 0) return skipped("no router has a measured query, so there are no shares to draw");
  const routers = policyColourScale(results).domain.filter((label) => bars.some((b) => b.router === label));
  const measures = PRIVACY_MEASURES.map((m) => m.label);
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: 200,
    height: 27 * routers.length,
    data: { values: bars.map((b) => ({ ...b, share: round(b.share, 4) })) },
    encoding: {
      y: { field: "router", type: "nominal", title: null, sort: routers, scale: { domain: routers, paddingInner: 0.25, paddingOuter: 0.1 }, axis: { labelLimit: 110 } },
      yOffset: { field: "measure", type: "nominal", sort: measures, scale: { domain: measures, paddingInner: 0 } },
    },
    layer: [
      {
        mark: { type: "bar", height: { band: 1 } },
        encoding: {
          x: {
            field: "share",
            type: "quantitative",
            title: "share of measured queries (%)",
            scale: { domain: [0, 1], nice: false },
            axis: { format: ".0%", values: [0, 0.25, 0.5, 0.75, 1], tickCount: 5 },
          },
          color: {
            field: "measure",
            type: "nominal",
            title: null,
            sort: measures,
            scale: { domain: measures, range: PRIVACY_MEASURES.map((m) => m.colour) },
            legend: { orient: "bottom", direction: "horizontal", columns: 2, columnPadding: 12, symbolType: "square" },
          },
        },
      },
      {
        // A zero share is a zero-length bar: written out, so it does not read as a missing value.
        transform: [{ filter: "datum.share === 0" }],
        mark: { type: "text", align: "left", baseline: "middle", dx: 2, fontSize: 7, color: "#555555" },
        encoding: {
          yOffset: { field: "measure", type: "nominal", sort: measures, scale: { domain: measures, paddingInner: 0 }, bandPosition: 0.5 },
          x: { datum: 0 },
          text: { value: "0%" },
        },
      },
    ],
  };
  const partial = queryRuns(results)
    .filter((run) => bars.filter((b) => b.router === run.label).length < PRIVACY_MEASURES.length)
    .map((run) => run.label);
  const caption =
    "Per router, the share of measured queries whose prompt left the device (to an edge node or the cloud), the share that reached the cloud, " +
    "and the QoS violation rate (late, refused or unfinished past a deadline)." +
    (partial.length > 0 ? ` Missing bars (no measured query): ${listNames(partial)}.` : "");
  return { kind: "chart", spec, caption };
}
