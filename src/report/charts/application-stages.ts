import type { TopLevelSpec } from "vega-lite";
import { type ChartOutcome, round, skipped } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { bottomLegend, NUMBER_FORMAT, textWidth } from "./layout.js";

export interface ApplicationSegment {
  /** The bar: the policy's label, prefixed by the application where the scenario has several. */
  bar: string;
  /** "<stage>: wait", "<stage>: service" or "<from> -> <to>" (an edge's transfer). */
  segment: string;
  order: number;
  ms: number;
}

/**
 * Mean time per stage (wait, service) and per edge (transfer), per run and application, in the
 * order a job lives them: each stage after its input edges, in the declared order of the stages,
 * then the sink edges. Segments with no measured job are left out.
 */
export function applicationSegments(results: ReportResults): ApplicationSegment[] {
  const segments: ApplicationSegment[] = [];
  const several = results.runs.some((run) => (run.applications?.length ?? 0) > 1);
  for (const run of results.runs) {
    for (const app of run.applications ?? []) {
      if (app.latency.count === 0) continue;
      const bar = several ? `${app.application}: ${run.label}` : run.label;
      let order = 0;
      const push = (segment: string, ms: number | null): void => {
        if (ms !== null) segments.push({ bar, segment, order: order++, ms: round(ms) });
      };
      for (const stage of app.stages) {
        for (const edge of app.edges) if (edge.to === stage.id) push(`${edge.from} -> ${edge.to}`, edge.transfer.mean);
        push(`${stage.id}: wait`, stage.wait.mean);
        push(`${stage.id}: service`, stage.serviceTime.mean);
      }
      for (const edge of app.edges) if (!app.stages.some((stage) => stage.id === edge.to)) push(`${edge.from} -> ${edge.to}`, edge.transfer.mean);
    }
  }
  return segments;
}

const BAR_STEP = 16;

/**
 * Applications as graphs (issue 17): one stacked bar per policy (and application), the mean time
 * of each stage's wait and service and of each edge's transfer, ms. With a fork the branches run
 * side by side, so the stack is the work done per job, not the end-to-end latency (which the
 * caption gives); for a chain they add up to it.
 */
export function applicationStagesChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const values = applicationSegments(results);
  if (values.length === 0) return skipped("no application job completed in the measured window, so there are no stage times to draw");
  const bars = [...new Set(values.map((v) => v.bar))];
  const labels: string[] = [];
  for (const v of values) if (!labels.includes(v.segment)) labels.push(v.segment);
  const labelWidth = Math.ceil(Math.max(...bars.map((b) => textWidth(b)))) + 8;
  const latencies = results.runs.flatMap((run) => (run.applications ?? []).map((app) => `${run.label} ${app.latency.mean === null ? "-" : round(app.latency.mean, 1)} ms`));
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: CHART_WIDTHS[width] - labelWidth - 30,
    height: { step: BAR_STEP },
    data: { values },
    mark: { type: "bar", stroke: "#ffffff", strokeWidth: 0.5 },
    encoding: {
      y: { field: "bar", type: "nominal", title: null, sort: bars, scale: { paddingInner: 0.2 } },
      x: { field: "ms", type: "quantitative", title: "mean time per stage and edge (ms)", stack: "zero", axis: { format: NUMBER_FORMAT, tickCount: 4, labelFlush: true, labelOverlap: "greedy" } },
      color: {
        field: "segment",
        type: "nominal",
        title: null,
        scale: { domain: labels, scheme: "tableau20" },
        legend: { ...bottomLegend(labels, width), symbolType: "square" },
      },
      order: { field: "order", type: "quantitative" },
    },
  };
  return {
    kind: "chart",
    spec,
    caption:
      `Mean time of each stage's queue wait and service and of each edge's transfer, per placement policy, stacked in the order a job lives them. ` +
      `For a chain they add up to the mean end-to-end latency; with a fork, branches overlap. Mean end-to-end latency: ${latencies.join("; ")}.`,
  };
}
