import type { TopLevelSpec } from "vega-lite";
import { queryRuns, round, skipped, type ChartOutcome } from "../chart.js";
import { policyColourScale } from "../policy-colours.js";
import { figureInterval, intervalCaption, replicationCount } from "../replication-intervals.js";
import { CHART_CONFIG, CHART_WIDTHS, STAGE_COLOURS, type ChartWidth } from "../style.js";
import { listNames } from "./llm-chart.js";
import type { ReportResults } from "../results-input.js";

/** The two privacy shares, in bar order; viridis colours, so they never look like routers. `figure`: its path in results.json `replications.summary[].figures`. */
export const PRIVACY_MEASURES = [
  { key: "offDevice", label: "left the device", colour: STAGE_COLOURS[0], figure: "queries.privacy.shareOfQueriesOffDevice" },
  { key: "toCloud", label: "reached the cloud", colour: STAGE_COLOURS[2], figure: "queries.privacy.shareOfQueriesToCloud" },
] as const;

/** The parts of the money (results@2 `queries.cost`), stacked in this order. */
export const COST_PARTS = [
  { key: "apiUsd", label: "API", colour: STAGE_COLOURS[1] },
  { key: "energyUsd", label: "energy", colour: STAGE_COLOURS[3] },
  { key: "hardwareUsd", label: "hardware", colour: "#9a9a9a" },
] as const;

export interface PrivacyBar {
  router: string;
  measure: (typeof PRIVACY_MEASURES)[number]["label"];
  /** A share in [0, 1]; with replications, the mean share. */
  share: number;
  /** With replications: the 95% interval of the mean share, cut to [0, 1]. */
  interval?: { low: number; high: number };
}

export interface CostBar {
  router: string;
  part: (typeof COST_PARTS)[number]["label"];
  order: number;
  /** USD of this part per 1,000 completed queries. */
  usdPer1000: number;
}

/** Share of queries off device (privacy.shareOfQueriesOffDevice) and to the cloud (shareOfQueriesToCloud) per router. */
export function privacyBars(results: ReportResults): PrivacyBar[] {
  const replicated = replicationCount(results) !== undefined;
  return queryRuns(results).flatMap((run) => {
    const shares = { offDevice: run.queries.privacy.shareOfQueriesOffDevice, toCloud: run.queries.privacy.shareOfQueriesToCloud };
    return PRIVACY_MEASURES.flatMap(({ key, label, figure }) => {
      if (replicated) {
        const mean = figureInterval(results, run.label, figure);
        return mean === undefined ? [] : [{ router: run.label, measure: label, share: mean.mean, interval: { low: Math.max(0, mean.low), high: Math.min(1, mean.high) } }];
      }
      const share = shares[key];
      return share === null ? [] : [{ router: run.label, measure: label, share }];
    });
  });
}

/** API, energy and hardware money per 1,000 completed queries per router (cost.*Usd / jobs.completed x 1000); none without a completed query. */
export function costBars(results: ReportResults): CostBar[] {
  return queryRuns(results).flatMap((run) => {
    const completed = run.queries.jobs.completed;
    if (completed === 0) return [];
    return COST_PARTS.map(({ key, label }, order) => ({ router: run.label, part: label, order, usdPer1000: (run.queries.cost[key] / completed) * 1000 }));
  });
}

const SHARE_TITLE = "share of queries (%)";

/** Room left of the two panels for the router names. */
const NAME_ROOM = 115;
const GAP = 12;

/**
 * LLM chart 3: privacy and cost per router, side by side: the share of queries whose prompt left
 * the device and reached the cloud (%), and the money per 1,000 completed queries split into API,
 * energy and hardware (USD).
 */
export function llmPrivacyCostChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const bars = privacyBars(results);
  const costs = costBars(results);
  if (bars.length === 0 && costs.length === 0) return skipped("no router has a measured query, so there are no shares or money to draw");
  const replications = replicationCount(results);
  const drawn = new Set([...bars.map((b) => b.router), ...costs.map((c) => c.router)]);
  const routers = policyColourScale(results).domain.filter((label) => drawn.has(label));
  const panel = Math.floor((CHART_WIDTHS[width] - NAME_ROOM - GAP - 10) / 2);
  const measures = PRIVACY_MEASURES.map((m) => m.label);
  const parts = COST_PARTS.map((p) => p.label);
  const y = { field: "router", type: "nominal" as const, title: null, sort: routers, scale: { domain: routers, paddingInner: 0.25, paddingOuter: 0.1 } };
  const legend = { orient: "bottom" as const, direction: "horizontal" as const, columns: width === "column" ? 1 : 3, symbolType: "square", labelLimit: 120 };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    hconcat: [
      {
        data: { values: bars.map(({ interval, ...b }) => ({ ...b, share: round(b.share, 4), ...(interval === undefined ? {} : { low: round(interval.low, 4), high: round(interval.high, 4) }) })) },
        width: panel,
        height: 24 * routers.length,
        encoding: { y: { ...y, axis: { labelLimit: NAME_ROOM - 8 } }, yOffset: { field: "measure", type: "nominal", sort: measures, scale: { domain: measures, paddingInner: 0 } } },
        layer: [
          {
            mark: { type: "bar", height: { band: 1 } },
            encoding: {
              x: { field: "share", type: "quantitative", title: SHARE_TITLE, scale: { domain: [0, 1], nice: false }, axis: { format: ".0%", values: [0, 0.5, 1] } },
              color: { field: "measure", type: "nominal", title: "prompt", sort: measures, scale: { domain: measures, range: PRIVACY_MEASURES.map((m) => m.colour) }, legend },
            },
          },
          ...(replications === undefined
            ? []
            : [
                {
                  // With replications: the 95% interval of the mean share (the axis title repeated, so vega-lite does not append ", low" to it).
                  mark: { type: "errorbar" as const, ticks: { size: 4 }, color: "#000000", thickness: 1 },
                  encoding: { x: { field: "low", type: "quantitative" as const, title: SHARE_TITLE }, x2: { field: "high" } },
                },
              ]),
          {
            // A zero share is a zero-length bar: written out, so it does not read as a missing value.
            transform: [{ filter: "datum.share === 0" }],
            mark: { type: "text", align: "left", baseline: "middle", dx: 2, fontSize: 7, color: "#555555" },
            encoding: { yOffset: { field: "measure", type: "nominal", sort: measures, scale: { domain: measures, paddingInner: 0 }, bandPosition: 0.5 }, x: { datum: 0 }, text: { value: "0%" } },
          },
        ],
      },
      {
        data: { values: costs.map((c) => ({ ...c, usdPer1000: round(c.usdPer1000, 6) })) },
        width: panel,
        height: 24 * routers.length,
        mark: { type: "bar" },
        encoding: {
          y: { ...y, axis: { labels: false, ticks: false, domain: true } },
          x: { field: "usdPer1000", type: "quantitative", stack: "zero", title: "USD per 1,000 queries", axis: { format: "~r", tickCount: 3 } },
          color: { field: "part", type: "nominal", title: "money", sort: parts, scale: { domain: parts, range: COST_PARTS.map((p) => p.colour) }, legend },
          order: { field: "order", type: "quantitative" },
        },
      },
    ],
    spacing: GAP,
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
  };
  const noShares = routers.filter((r) => !bars.some((b) => b.router === r));
  const noCost = routers.filter((r) => !costs.some((c) => c.router === r));
  const caption =
    "Per router: the share of measured queries whose prompt left the device (to an edge node or the cloud) and that reached the cloud, " +
    "and the money per 1,000 completed queries over the measured window, split into API fees, electricity and hardware. " +
    "QoS violations are in the over-time chart and the table." +
    (replications === undefined ? "" : ` Shares: ${intervalCaption(replications)}; money: replication 0.`) +
    (noShares.length > 0 ? ` No shares (no measured query): ${listNames(noShares)}.` : "") +
    (noCost.length > 0 ? ` No money bar (no completed query): ${listNames(noCost)}.` : "");
  return { kind: "chart", spec, caption };
}
