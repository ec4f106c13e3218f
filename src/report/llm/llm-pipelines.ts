import type { TopLevelSpec } from "vega-lite";
import { queryRuns, round, skipped, type ChartOutcome } from "../chart.js";
import { policyColourScale, policyColourSubset } from "../policy-colours.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { listNames } from "./llm-chart.js";
import type { ReportResults } from "../results-input.js";

export interface PipelineJobBar {
  router: string;
  /** pipelines.successProbability: succeeded / (succeeded + failed). */
  success: number | null;
  /** pipelines.tokensPerFinishedJob. */
  tokens: number | null;
}

export interface PipelineStageBar {
  router: string;
  stage: string;
  /** pipelines.stages[].attemptPassRate: passed / attempts. */
  passRate: number;
}

/** Per router with pipelines: end-to-end success probability and tokens per finished job. */
export function pipelineJobBars(results: ReportResults): PipelineJobBar[] {
  return queryRuns(results).flatMap((run) =>
    run.queries.pipelines === null ? [] : [{ router: run.label, success: run.queries.pipelines.successProbability, tokens: run.queries.pipelines.tokensPerFinishedJob }],
  );
}

/** Per router with pipelines and per stage that had an attempt: the attempt pass rate. */
export function pipelineStageBars(results: ReportResults): PipelineStageBar[] {
  return queryRuns(results).flatMap((run) =>
    (run.queries.pipelines?.stages ?? []).flatMap((stage) => (stage.attemptPassRate === null ? [] : [{ router: run.label, stage: stage.name, passRate: stage.attemptPassRate }])),
  );
}

/** Room left of the panels for the router names. */
const NAME_ROOM = 125;
const ROW_STEP = 15;

/** LLM chart 4: multi-stage pipelines: job success and tokens per finished job per router (top), attempt pass rate per stage (bottom). */
export function llmPipelinesChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const panelWidth = Math.floor((CHART_WIDTHS[width] - NAME_ROOM - 10) / 2);
  const jobs = pipelineJobBars(results);
  if (jobs.length === 0) return skipped("no run has pipeline jobs (`runs[].queries.pipelines`)");
  const withPipelines = new Set(jobs.map((j) => j.router));
  const colour = policyColourSubset(results, withPipelines);
  const routers = colour.domain;
  const stageNames = [...new Set(queryRuns(results).flatMap((run) => run.queries.pipelines?.stages.map((s) => s.name) ?? []))];
  const stages = pipelineStageBars(results);
  const maxTokens = Math.max(0, ...jobs.map((j) => j.tokens ?? 0));
  const y = { field: "router", type: "nominal" as const, title: null, sort: routers, scale: { domain: routers, paddingInner: 0.2 } };
  const routerColour = { field: "router", type: "nominal" as const, scale: colour };
  const jobValues = jobs.map((j) => ({
    router: j.router,
    success: j.success === null ? null : round(j.success, 4),
    tokens: j.tokens === null ? null : round(j.tokens, 1),
    successNote: j.success === null ? "no job ended" : j.success === 0 ? "0%" : "",
    tokensNote: j.tokens === null ? "none succeeded" : "",
  }));
  const note = (field: string) => ({
    // A zero or absent value says so instead of leaving an empty row.
    transform: [{ filter: `datum.${field} !== ''` }],
    mark: { type: "text" as const, align: "left" as const, baseline: "middle" as const, dx: 3, fontSize: 8, color: "#555555" },
    encoding: { y, x: { datum: 0 }, text: { field } },
  });
  const percent = { format: ".0%", values: [0, 0.5, 1], tickCount: 3 };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    vconcat: [
      {
        data: { values: jobValues },
        hconcat: [
          {
            width: panelWidth,
            height: ROW_STEP * routers.length,
            layer: [
              {
                transform: [{ filter: "datum.success !== null" }],
                mark: { type: "bar" },
                encoding: {
                  y: { ...y, axis: { labelLimit: 110 } },
                  x: { field: "success", type: "quantitative", title: "job success (%)", scale: { domain: [0, 1], nice: false }, axis: percent },
                  color: routerColour,
                },
              },
              note("successNote"),
            ],
          },
          {
            width: panelWidth,
            height: ROW_STEP * routers.length,
            layer: [
              {
                transform: [{ filter: "datum.tokens !== null" }],
                mark: { type: "bar" },
                encoding: {
                  y: { ...y, axis: { labels: false, ticks: false, domain: true } },
                  x: {
                    field: "tokens",
                    type: "quantitative",
                    // A short title and SI-prefixed, flush labels: the panel is under 100 px wide at one column.
                    title: "tokens per job",
                    scale: { domain: [0, maxTokens > 0 ? maxTokens : 1], nice: true },
                    axis: { labelExpr: "datum.value === 0 ? '0' : format(datum.value, '~s')", tickCount: 3, labelFlush: true },
                  },
                  color: routerColour,
                },
              },
              note("tokensNote"),
            ],
          },
        ],
        spacing: 10,
      },
      {
        data: { values: stages.map((s) => ({ ...s, passRate: round(s.passRate, 4) })) },
        width: 2 * panelWidth + 10,
        height: Math.max(1, stageNames.length) * Math.max(18, 6 * routers.length),
        encoding: {
          y: { field: "stage", type: "nominal", title: "pipeline stage", sort: stageNames, scale: { domain: stageNames, paddingInner: 0.2 }, axis: { labelLimit: 90 } },
          yOffset: { field: "router", type: "nominal", sort: routers, scale: { domain: routers, paddingInner: 0 } },
        },
        layer: [
          {
            mark: { type: "bar", height: { band: 1 } },
            encoding: {
              x: {
                field: "passRate",
                type: "quantitative",
                title: "attempt pass rate (%)",
                scale: { domain: [0, 1], nice: false },
                axis: { format: ".0%", values: [0, 0.25, 0.5, 0.75, 1], tickCount: 5 },
              },
              color: { field: "router", type: "nominal", title: null, scale: colour, legend: { orient: "bottom", direction: "horizontal", columns: 2, columnPadding: 12, labelLimit: 120 } },
            },
          },
          {
            // No attempt passed: a zero-length bar, so the value is written out.
            transform: [{ filter: "datum.passRate === 0" }],
            mark: { type: "text", align: "left", baseline: "middle", dx: 2, fontSize: 7, color: "#555555" },
            encoding: {
              yOffset: { field: "router", type: "nominal", sort: routers, scale: { domain: routers, paddingInner: 0 }, bandPosition: 0.5 },
              x: { datum: 0 },
              text: { value: "0%" },
            },
          },
        ],
      },
    ],
    spacing: 14,
  };
  const without = policyColourScale(results).domain.filter((label) => !withPipelines.has(label));
  const noAttempt = stageNames.filter((name) => !stages.some((s) => s.stage === name));
  const caption =
    "Multi-stage pipeline jobs per router: share of ended jobs that succeeded, tokens (prompt + output) per succeeded job, " +
    "and per stage the share of attempts that passed (a failed attempt is retried up to the stage's limit)." +
    (stages.length < routers.length * stageNames.length ? " A stage no job of a router reached has no bar for that router." : "") +
    (noAttempt.length > 0 ? ` No attempt at ${listNames(noAttempt)}.` : "") +
    (without.length > 0 ? ` Not drawn: ${listNames(without)} (no pipeline jobs).` : "");
  return { kind: "chart", spec, caption };
}
