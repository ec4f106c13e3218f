import type { TopLevelSpec } from "vega-lite";
import { round } from "../report/chart.js";
import { CHART_CONFIG, OKABE_ITO, PLOT_HEIGHT, PLOT_WIDTH } from "../report/style.js";
import { sampleQuantile } from "./families.js";
import type { FitReport } from "./fit.js";

/** Data first (black), then each fitted family in Okabe–Ito order, so colours match between the two charts. */
function colourScale(report: FitReport, withData: boolean): { domain: string[]; range: string[] } {
  const fitted = report.models.filter((model) => model.dist !== "empirical").map((model) => model.dist);
  // Black is kept for the data and yellow is left out (thin yellow lines are hard to see), hence length - 2.
  const range = fitted.map((_, i) => OKABE_ITO[i % (OKABE_ITO.length - 2)]);
  return withData ? { domain: ["data", ...fitted], range: ["#000000", ...range] } : { domain: fitted, range };
}

/** Log axis when the data are positive and the tail reaches past 10 times the median, as the latency CDF chart does. */
function useLog(sorted: Float64Array): boolean {
  return sorted[0] > 0 && sorted[sorted.length - 1] > 10 * sampleQuantile(sorted, 0.5);
}

const ECDF_POINTS = 400;
const CURVE_POINTS = 200;

/** CDF of the data (ECDF at 400 quantiles) against each fitted CDF, over the data's range. */
export function fitCdfChart(report: FitReport, unitLabel: string): TopLevelSpec {
  const sorted = report.sorted;
  const logX = useLog(sorted);
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  const values: Array<{ series: string; x: number; p: number }> = [];
  for (let i = 0; i <= ECDF_POINTS; i++) {
    const p = i / ECDF_POINTS;
    values.push({ series: "data", x: round(sampleQuantile(sorted, p), 6), p: round(p, 6) });
  }
  for (const model of report.models) {
    if (model.dist === "empirical") continue;
    for (let i = 0; i <= CURVE_POINTS; i++) {
      const x = logX ? lo * (hi / lo) ** (i / CURVE_POINTS) : lo + ((hi - lo) * i) / CURVE_POINTS;
      values.push({ series: model.dist, x: round(x, 6), p: round(model.cdf(x), 6) });
    }
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values },
    mark: { type: "line", strokeWidth: 1.5, clip: true },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: `sample (${unitLabel}${logX ? ", log scale" : ""})`,
        scale: logX ? { type: "log", domain: [lo, hi], nice: false } : { domain: [lo, hi] },
        axis: { format: "~r" },
      },
      y: { field: "p", type: "quantitative", title: "cumulative probability", scale: { domain: [0, 1] }, axis: { format: ".0%" } },
      color: { field: "series", type: "nominal", title: null, scale: colourScale(report, true), legend: { orient: "bottom-right", fillColor: "#ffffff" } },
      strokeDash: { condition: { test: "datum.series === 'data'", value: [1, 0] }, value: [4, 2] },
      order: { field: "x", type: "quantitative" },
    },
  };
}

/** QQ: sample quantiles against each fit's quantiles at p = 0.005 ... 0.995 (and 0.999), with the identity line. */
export function fitQqChart(report: FitReport, unitLabel: string): TopLevelSpec {
  const sorted = report.sorted;
  const logScale = useLog(sorted);
  const probabilities = [...Array.from({ length: 100 }, (_, i) => (i + 0.5) / 100), 0.999];
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  const points: Array<{ series: string; model: number; data: number; p: number }> = [];
  for (const model of report.models) {
    if (model.dist === "empirical") continue;
    for (const p of probabilities) {
      const fitted = model.quantile(p);
      // Points outside the data's range would squash the plot, so they are left out (not clipped:
      // resvg panics on vega's clip paths around point marks).
      if (Number.isFinite(fitted) && fitted >= lo && fitted <= hi) points.push({ series: model.dist, model: round(fitted, 6), data: round(sampleQuantile(sorted, p), 6), p });
    }
  }
  const scale = logScale ? { type: "log" as const, domain: [lo, hi], nice: false } : { domain: [lo, hi] };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    layer: [
      {
        data: {
          values: [
            { a: lo, b: lo },
            { a: hi, b: hi },
          ],
        },
        mark: { type: "line", color: "#999999", strokeWidth: 1, strokeDash: [3, 3], clip: true },
        encoding: { x: { field: "a", type: "quantitative", scale }, y: { field: "b", type: "quantitative", scale } },
      },
      {
        data: { values: points },
        mark: { type: "point", size: 12, filled: true },
        encoding: {
          x: { field: "model", type: "quantitative", title: `fitted quantile (${unitLabel}${logScale ? ", log scale" : ""})`, scale, axis: { format: "~r" } },
          y: { field: "data", type: "quantitative", title: `sample quantile (${unitLabel})`, scale, axis: { format: "~r" } },
          color: { field: "series", type: "nominal", title: null, scale: colourScale(report, false), legend: { orient: "bottom-right", fillColor: "#ffffff" } },
        },
      },
    ],
  };
}
