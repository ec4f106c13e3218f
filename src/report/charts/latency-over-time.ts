import type { TopLevelSpec } from "vega-lite";
import { frameRuns, nice125, skipped, timeAxisUnit, type ChartOutcome, type FrameRun } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, type ChartWidth } from "../style.js";
import { policyColourScale } from "../policy-colours.js";
import { bottomLegend, formatNumber, logAxis, NUMBER_FORMAT, PLOT_SIZES, spansDecades } from "./layout.js";

export interface LatencyPoint {
  scheduler: string;
  /** Middle of the bin, in the axis unit (s or min). */
  t: number;
  quantile: "p50" | "p95";
  ms: number | null;
}

/** The bins of the measurement window: bins after the last arrival (the drain, in older files) hold no created request. */
function windowBins(results: ReportResults, run: FrameRun): FrameRun["frames"]["timeSeries"]["bins"] {
  return run.frames.timeSeries.bins.filter((bin) => bin.startMs < results.window.durationMs);
}

/** p50 and p95 of total latency per time bin; a bin with no completed request gives null, which breaks the line instead of bridging it. */
export function latencyPoints(results: ReportResults): LatencyPoint[] {
  const { divisor } = timeAxisUnit(results);
  return frameRuns(results).flatMap((run) => {
    const binMs = run.frames.timeSeries.binMs;
    return windowBins(results, run).flatMap((bin) => {
      const t = (bin.startMs + binMs / 2) / divisor;
      return [
        { scheduler: run.label, t, quantile: "p50" as const, ms: bin.latencyP50 },
        { scheduler: run.label, t, quantile: "p95" as const, ms: bin.latencyP95 },
      ];
    });
  });
}

/** A run whose lines end before the window does: where, and what became of the frames created after. */
export interface EarlyEnd {
  scheduler: string;
  /** Middle of the last bin with a completed frame, axis unit. */
  t: number;
  ms: number;
  /** Frames created after that bin: still in flight (and late) at the end, and dropped, refused or lost. */
  unfinishedLate: number;
  notServed: number;
}

/** Runs whose last bins have no completed frame: the line stops there, and the chart must say why. */
export function earlyEnds(results: ReportResults): EarlyEnd[] {
  const { divisor } = timeAxisUnit(results);
  return frameRuns(results).flatMap((run) => {
    const bins = windowBins(results, run);
    let last = bins.length - 1;
    while (last >= 0 && bins[last].latencyP50 === null) last--;
    if (last < 0 || last === bins.length - 1) return [];
    const after = bins.slice(last + 1);
    return [
      {
        scheduler: run.label,
        t: (bins[last].startMs + run.frames.timeSeries.binMs / 2) / divisor,
        ms: bins[last].latencyP50 ?? 0,
        unfinishedLate: after.reduce((sum, bin) => sum + bin.unfinishedLate, 0),
        notServed: after.reduce((sum, bin) => sum + bin.dropped + bin.refused + bin.lost, 0),
      },
    ];
  });
}

function earlyEndNote(end: EarlyEnd, unit: string): string {
  const fate = [
    end.unfinishedLate > 0 ? `${formatNumber(end.unfinishedLate)} still in flight past the deadline when the run ended` : "",
    end.notServed > 0 ? `${formatNumber(end.notServed)} dropped, refused or lost` : "",
  ].filter((part) => part !== "");
  return `${end.scheduler}'s lines end at ${formatNumber(end.t)} ${unit} (cross): no frame it created later completed${fate.length > 0 ? ` (${fate.join(", ")})` : ""}`;
}

/** Chart 3: p50 and p95 latency per time bin, with the deadline, migrations marked and failure/degradation intervals shaded when the results record them. */
export function latencyOverTimeChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const values = latencyPoints(results);
  if (values.length === 0) return skipped("the results have no frame time series (`runs[].frames.timeSeries`)");
  if (values.every((v) => v.ms === null)) return skipped("no time bin has a completed request");
  const plot = PLOT_SIZES[width];
  const { divisor, unit } = timeAxisUnit(results);
  const colour = policyColourScale(results);
  const deadline = results.qos.frameDeadlineMs;
  const latencies = values.flatMap((v) => (v.ms === null ? [] : [v.ms]));
  const shown = deadline === null ? latencies : [...latencies, deadline];
  // One stalled scheduler at 200,000 ms flattens the others to a line at 0 on a linear axis.
  const logY = spansDecades(shown);
  // Room above the deadline for its label, inside the plot.
  const top = Math.max(...shown, deadline === null ? 0 : deadline * (logY ? 1.5 : 1.12));
  const yDomain: [number, number] = [nice125(Math.min(...shown), "floor"), nice125(top, "ceil")];
  const y = logY ? { type: "log" as const, domain: yDomain, nice: false } : { type: "linear" as const, domain: [0, top], nice: true, zero: true };
  const yAxis = logY ? logAxis(yDomain, plot.height, "y") : { format: NUMBER_FORMAT };
  const end = results.window.durationMs;
  // An open-ended fault is shaded to the end of the window, where the plotted bins end.
  // A fault the scenario schedules happens in every run: shaded once, not once per run (stacked translucent bands turn black).
  const faults = [
    ...new Map(
      frameRuns(results)
        .flatMap((run) => run.faults.map((f) => ({ start: f.startMs / divisor, end: (f.endMs ?? Math.max(f.startMs, end)) / divisor, kind: f.kind, target: f.target })))
        .map((f) => [`${f.start}|${f.end}|${f.kind}|${f.target}`, f] as const),
    ).values(),
  ].sort((a, b) => a.start - b.start || a.end - b.end || a.target.localeCompare(b.target));
  const migrations = frameRuns(results).flatMap((run) => run.migrations.map((m) => ({ scheduler: run.label, t: m.timeMs / divisor, device: m.device, from: m.from, to: m.to })));
  const ends = earlyEnds(results);
  // From 0: the time axis of every frame chart starts at the start of the run.
  const x = { field: "t", type: "quantitative" as const, title: `simulated time (${unit})`, scale: { domain: [0, end / divisor], nice: false }, axis: { format: NUMBER_FORMAT } };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: plot.width,
    height: plot.height,
    layer: [
      // Shading first so the lines draw over it.
      ...(faults.length > 0
        ? [{ data: { values: faults }, mark: { type: "rect" as const, color: "#999999", opacity: 0.25 }, encoding: { x: { field: "start", type: "quantitative" as const }, x2: { field: "end" } } }]
        : []),
      {
        data: { values },
        mark: { type: "line", strokeWidth: 1.25 },
        encoding: {
          x,
          y: { field: "ms", type: "quantitative", title: `total latency (ms${logY ? ", log scale" : ""})`, scale: y, axis: yAxis },
          color: { field: "scheduler", type: "nominal", title: null, scale: colour, legend: { ...bottomLegend(colour.domain, width), symbolType: "stroke" } },
          // Solid median, dashed p95, told by the caption: a second legend would only repeat it.
          strokeDash: {
            field: "quantile",
            type: "nominal",
            scale: {
              domain: ["p50", "p95"],
              range: [
                [1, 0],
                [4, 2],
              ],
            },
            legend: null,
          },
        },
      },
      ...(deadline === null
        ? []
        : [
            {
              data: { values: [{ ms: deadline, label: `deadline ${formatNumber(deadline)} ms` }] },
              layer: [
                { mark: { type: "rule" as const, color: "#000000", strokeWidth: 1, strokeDash: [6, 3] }, encoding: { y: { field: "ms", type: "quantitative" as const } } },
                {
                  mark: { type: "text" as const, align: "right" as const, baseline: "bottom" as const, dx: -2, dy: -2, fontSize: 9, color: "#000000" },
                  encoding: { y: { field: "ms", type: "quantitative" as const }, x: { value: plot.width }, text: { field: "label" } },
                },
              ],
            },
          ]),
      ...(ends.length > 0
        ? [
            {
              data: { values: ends },
              mark: { type: "point" as const, shape: "cross", filled: true, size: 60, opacity: 1 },
              encoding: { x: { field: "t", type: "quantitative" as const }, y: { field: "ms", type: "quantitative" as const }, color: { field: "scheduler", type: "nominal" as const, scale: colour } },
            },
          ]
        : []),
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
  const binSeconds = (frameRuns(results)[0]?.frames.timeSeries.binMs ?? 0) / 1000;
  const notes = [
    deadline === null ? "no frame deadline" : `black dashed line: the QoS deadline (${formatNumber(deadline)} ms)`,
    ...ends.map((e) => earlyEndNote(e, unit)),
    faults.length > 0 ? "grey bands: failure or degradation intervals" : "no failures or degradations recorded, so nothing is shaded",
    migrations.length > 0 ? "ticks at the top: migrations (see the migrations chart)" : "no migrations recorded",
  ];
  return {
    kind: "chart",
    spec,
    caption: `Median (solid) and 95th percentile (dashed) of total latency of the frames created in each ${formatNumber(binSeconds)} s bin, per scheduler; ${notes.join("; ")}.`,
  };
}
