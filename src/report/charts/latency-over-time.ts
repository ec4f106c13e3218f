import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, timeAxisUnit, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, PLOT_HEIGHT, PLOT_WIDTH, policyColourScale } from "../style.js";

export interface LatencyPoint {
  scheduler: string;
  /** Middle of the bin, in the axis unit (s or min). */
  t: number;
  quantile: "p50" | "p95";
  ms: number | null;
}

/** p50 and p95 of total latency per time bin; a bin with no completed request gives null, which breaks the line instead of bridging it. */
export function latencyPoints(results: ReportResults): LatencyPoint[] {
  const { divisor } = timeAxisUnit(results);
  return frameRuns(results).flatMap((run) => {
    const series = run.frames.timeSeries;
    // Bins after the last arrival (the drain) hold no created request: not drawn.
    return series.bins
      .filter((bin) => bin.startMs < results.window.durationMs)
      .flatMap((bin) => {
        const t = (bin.startMs + series.binMs / 2) / divisor;
        return [
          { scheduler: run.label, t, quantile: "p50" as const, ms: bin.latencyP50 },
          { scheduler: run.label, t, quantile: "p95" as const, ms: bin.latencyP95 },
        ];
      });
  });
}

/** Chart 3: p50 and p95 latency per time bin, with migrations marked and failure/degradation intervals shaded when the results record them. */
export function latencyOverTimeChart(results: ReportResults): ChartOutcome {
  const values = latencyPoints(results);
  if (values.length === 0) return skipped("the results have no frame time series (`runs[].frames.timeSeries`)");
  if (values.every((v) => v.ms === null)) return skipped("no time bin has a completed request");
  const { divisor, unit } = timeAxisUnit(results);
  const colour = policyColourScale(results);
  const deadline = results.qos.frameDeadlineMs;
  // An open-ended fault is shaded to the last arrival, where the plotted bins end.
  const lastArrival = results.window.durationMs;
  const faults = frameRuns(results).flatMap((run) =>
    run.faults.map((f) => ({
      scheduler: run.label,
      start: f.startMs / divisor,
      end: (f.endMs ?? Math.max(f.startMs, lastArrival)) / divisor,
      kind: f.kind,
      target: f.target,
    })),
  );
  const migrations = frameRuns(results).flatMap((run) => run.migrations.map((m) => ({ scheduler: run.label, t: m.timeMs / divisor, device: m.device, from: m.from, to: m.to })));
  const x = { field: "t", type: "quantitative" as const, title: `simulated time (${unit})`, scale: { zero: false, nice: false } };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    layer: [
      // Shading first so the lines draw over it.
      ...(faults.length > 0
        ? [
            {
              data: { values: faults },
              mark: { type: "rect" as const, color: "#999999", opacity: 0.25 },
              encoding: { x: { field: "start", type: "quantitative" as const }, x2: { field: "end" } },
            },
          ]
        : []),
      ...(deadline === null
        ? []
        : [
            {
              data: { values: [{ ms: deadline, label: "deadline" }] },
              layer: [
                { mark: { type: "rule" as const, strokeDash: [2, 2], color: "#555555", strokeWidth: 1 }, encoding: { y: { field: "ms", type: "quantitative" as const } } },
                {
                  mark: { type: "text" as const, align: "right" as const, baseline: "bottom" as const, dy: -1, fontSize: 8, color: "#333333" },
                  encoding: { y: { field: "ms", type: "quantitative" as const }, x: { value: PLOT_WIDTH }, text: { field: "label" } },
                },
              ],
            },
          ]),
      {
        data: { values },
        mark: { type: "line", strokeWidth: 1.25 },
        encoding: {
          x,
          y: { field: "ms", type: "quantitative", title: "total latency (ms)" },
          color: { field: "scheduler", type: "nominal", title: "scheduler", scale: colour, legend: { orient: "bottom", direction: "horizontal", columns: Math.min(3, colour.domain.length) } },
          strokeDash: {
            field: "quantile",
            type: "nominal",
            title: null,
            scale: {
              domain: ["p50", "p95"],
              range: [
                [1, 0],
                [4, 2],
              ],
            },
            // Above the plot, in one line: inside it, it would hide data wherever latencies run low.
            legend: { orient: "top", direction: "horizontal", symbolStrokeColor: "#333333", labelExpr: "datum.label === 'p50' ? 'median (p50)' : '95th percentile (p95)'" },
          },
        },
      },
      ...(migrations.length > 0
        ? [
            {
              data: { values: migrations },
              mark: { type: "tick" as const, orient: "vertical" as const, thickness: 1.5, size: 10, opacity: 1 },
              encoding: {
                x: { field: "t", type: "quantitative" as const },
                y: { value: 4 },
                // Same field and scale as the lines, so the legend merges (a `legend: null` here would conflict with it).
                color: { field: "scheduler", type: "nominal" as const, scale: colour },
              },
            },
          ]
        : []),
    ],
  };
  const notes: string[] = [];
  notes.push(faults.length > 0 ? "grey bands: failure or degradation intervals" : "no failures or degradations recorded, so nothing is shaded");
  notes.push(migrations.length > 0 ? "ticks at the top: migrations" : "no migrations recorded");
  const binSeconds = (frameRuns(results)[0]?.frames.timeSeries.binMs ?? 0) / 1000;
  return {
    kind: "chart",
    spec,
    caption: `Median (solid) and 95th percentile (dashed) of total latency of the requests created in each ${binSeconds} s bin; ${deadline === null ? "no frame deadline" : "dotted: the QoS deadline"}; ${notes.join("; ")}.`,
  };
}
