import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { renderReport } from "../../src/cli/report-command.js";
import type { Results } from "../../src/metrics/results-schema.js";
import { latencyMarks, llmLatencyChart } from "../../src/report/llm/llm-latency.js";
import { llmLearningChart, thresholdPoints } from "../../src/report/llm/llm-learning.js";
import { llmPipelinesChart, pipelineJobBars, pipelineStageBars } from "../../src/report/llm/llm-pipelines.js";
import { costBars, llmPrivacyCostChart, privacyBars } from "../../src/report/llm/llm-privacy-cost.js";
import { parseReportResults } from "../../src/report/results-input.js";
import { llmTradeoffsChart, tradeoffPoints } from "../../src/report/llm/llm-tradeoffs.js";
import { writeReport } from "../../src/report/write-report.js";
import { compileChart, PNG_SCALE, renderSvg } from "../../src/report/render.js";
import { tempDir } from "../cli/helpers.js";
import { dataRows, drawn, LLM_CHARTS, q, routerColourScales, simulate, svgSize } from "./llm-report-helpers.js";

describe("LLM charts", () => {
  let full: Results;
  let plain: Results;

  beforeAll(() => {
    full = simulate({ pipelines: true, learned: true });
    plain = simulate({ pipelines: false, learned: false });
  });

  it("the simulated results have what every chart draws (pipelines, a learned router)", () => {
    expect(full.runs.every((run) => q(run).pipelines !== null && q(run).jobs.completed > 0)).toBe(true);
    expect(full.runs.some((run) => Array.isArray(run.policyStatistics.thresholdHistory))).toBe(true);
    expect(plain.runs.every((run) => q(run).pipelines === null && run.policyStatistics.thresholdHistory === undefined)).toBe(true);
  });

  it.each(LLM_CHARTS.map((chart) => [chart.id, chart] as const))("%s compiles and renders without a vega-lite or vega warning, at paper-column width", async (_id, chart) => {
    const spec = drawn(chart.build(full)).spec;
    expect(compileChart(spec).warnings).toEqual([]);
    const rendered = await renderSvg(spec);
    expect(rendered.warnings).toEqual([]);
    const size = svgSize(rendered.svg);
    expect(size.width).toBeGreaterThan(220);
    expect(size.width).toBeLessThanOrEqual(340);
    expect(rendered.svg).toContain('font-family="DejaVu Sans"');
  });

  it("latency: p50/p95 of TTFT and p50/p95/p99 of total per router are the results' values; deadlines drawn", () => {
    const spec = drawn(llmLatencyChart(full)).spec;
    const rows = dataRows(spec);
    const mark = (router: string, metric: string, quantile: string) => rows.find((r) => r.kind === "mark" && r.router === router && r.metric === metric && r.quantile === quantile)?.ms;
    for (const run of full.runs) {
      expect(mark(run.label, "time to first token", "p50")).toBeCloseTo(q(run).latency.ttft.p50 ?? NaN, 2);
      expect(mark(run.label, "time to first token", "p95")).toBeCloseTo(q(run).latency.ttft.p95 ?? NaN, 2);
      expect(mark(run.label, "time to first token", "p99")).toBeUndefined();
      expect(mark(run.label, "total latency", "p50")).toBeCloseTo(q(run).latency.total.p50 ?? NaN, 2);
      expect(mark(run.label, "total latency", "p95")).toBeCloseTo(q(run).latency.total.p95 ?? NaN, 2);
      expect(mark(run.label, "total latency", "p99")).toBeCloseTo(q(run).latency.total.p99 ?? NaN, 2);
    }
    expect(latencyMarks(full)).toHaveLength(5 * full.runs.length);
    expect(rows.filter((r) => r.kind === "deadline").map((r) => r.deadline)).toEqual([3000, 20000]);
    // Spans from about 300 ms to over a minute: a log axis, and a linear one on request.
    expect(JSON.stringify(spec)).toContain('"type":"log"');
    expect(JSON.stringify(drawn(llmLatencyChart(full, "column", { logX: false })).spec)).not.toContain('"type":"log"');
    // Each deadline is labelled on the chart, in the panel of its latency, not only in the caption.
    expect(rows.filter((r) => r.kind === "deadline").map((r) => `${r.metric}: ${r.text}`)).toEqual(["time to first token: deadline 3 s", "total latency: deadline 20 s"]);
    const labels = JSON.stringify(spec).match(/"filter":"datum.kind === 'deadline' && datum.side === '(left|right)'"/g) ?? [];
    expect(labels).toHaveLength(2);
  });

  it("trade-offs: USD per 1,000 queries, quality and share off device per router; labels for every point", () => {
    const spec = drawn(llmTradeoffsChart(full)).spec;
    const rows = dataRows(spec);
    expect(rows).toHaveLength(full.runs.length);
    for (const run of full.runs) {
      const row = rows.find((r) => r.router === run.label);
      expect(row?.usdPer1000).toBeCloseTo((q(run).cost.totalUsd / q(run).jobs.completed) * 1000, 5);
      expect(row?.quality).toBeCloseTo(q(run).quality.meanProbability ?? NaN, 4);
      expect(row?.offDevice).toBeCloseTo(q(run).privacy.shareOfQueriesOffDevice ?? NaN, 4);
    }
    // local-only is the cheapest router, so nothing beats it on cost: it is on the front.
    expect(tradeoffPoints(full).find((p) => p.router === "local-only")?.pareto).toBe(true);
    const labelled = (spec as { layer: Array<{ mark: { type: string } | string; transform?: unknown }> }).layer.filter((layer) => typeof layer.mark === "object" && layer.mark.type === "text");
    expect(labelled.length).toBeGreaterThan(0);
  });

  it("privacy and cost: shares off device and to the cloud on a 0-100 % axis, and the money per 1,000 queries by part", () => {
    const spec = drawn(llmPrivacyCostChart(full)).spec;
    const rows = dataRows(spec);
    for (const run of full.runs) {
      const share = (measure: string) => rows.find((r) => r.router === run.label && r.measure === measure)?.share;
      expect(share("left the device")).toBeCloseTo(q(run).privacy.shareOfQueriesOffDevice ?? NaN, 4);
      expect(share("reached the cloud")).toBeCloseTo(q(run).privacy.shareOfQueriesToCloud ?? NaN, 4);
      // The parts stack to the total money of the run per 1,000 completed queries.
      const parts = rows.filter((r) => r.router === run.label && typeof r.usdPer1000 === "number").map((r) => r.usdPer1000 as number);
      expect(parts).toHaveLength(3);
      expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo((q(run).cost.totalUsd / q(run).jobs.completed) * 1000, 4);
    }
    expect(privacyBars(full)).toHaveLength(2 * full.runs.length);
    expect(costBars(full)).toHaveLength(3 * full.runs.length);
    // local-only never reaches the cloud and pays no API fee; cloud-only always leaves the device.
    expect(rows.find((r) => r.router === "local-only" && r.measure === "reached the cloud")?.share).toBe(0);
    expect(rows.find((r) => r.router === "local-only" && r.part === "API")?.usdPer1000).toBe(0);
    expect(rows.find((r) => r.router === "cloud-only" && r.measure === "left the device")?.share).toBe(1);
    expect(JSON.stringify(spec)).toContain('"title":"USD per 1,000 queries"');
  });

  it("pipelines: success probability, tokens per finished job and per-stage attempt pass rates are the results' values", () => {
    const spec = drawn(llmPipelinesChart(full)).spec;
    const rows = dataRows(spec);
    for (const run of full.runs) {
      const p = q(run).pipelines;
      if (p === null) throw new Error("no pipelines");
      const job = rows.find((r) => r.router === run.label && "success" in r);
      expect(job?.success ?? null).toBe(p.successProbability === null ? null : Number(p.successProbability.toFixed(4)));
      expect(job?.tokens ?? null).toBe(p.tokensPerFinishedJob === null ? null : Number(p.tokensPerFinishedJob.toFixed(1)));
      for (const stage of p.stages) {
        const row = rows.find((r) => r.router === run.label && r.stage === stage.name);
        if (stage.attemptPassRate === null) expect(row).toBeUndefined();
        else expect(row?.passRate).toBeCloseTo(stage.attemptPassRate, 4);
      }
    }
    expect(pipelineJobBars(full)).toHaveLength(full.runs.length);
    expect(pipelineStageBars(full).length).toBeGreaterThan(0);
  });

  it("learning: the threshold history of the learned router, starting at its initial threshold", () => {
    const spec = drawn(llmLearningChart(full)).spec;
    const rows = dataRows(spec);
    const learned = full.runs.find((run) => run.label === "learned");
    const history = learned?.policyStatistics.thresholdHistory as number[];
    expect(rows.map((r) => r.router)).toEqual(Array(history.length + 1).fill("learned"));
    expect(rows[0]).toMatchObject({ update: 0, progress: 0, threshold: learned?.policyStatistics.initialThreshold });
    expect(rows.slice(1).map((r) => r.threshold)).toEqual(history.map((t) => Number(t.toFixed(4))));
    expect(rows[rows.length - 1].progress).toBe(1);
    expect(thresholdPoints(plain)).toEqual([]);
  });

  it("charts without their data are skipped with a reason, never drawn empty", () => {
    const pipelines = llmPipelinesChart(plain);
    const learning = llmLearningChart(plain);
    expect(pipelines).toMatchObject({ kind: "skipped" });
    expect(learning).toMatchObject({ kind: "skipped" });
    expect(pipelines.kind === "skipped" && pipelines.reason).toContain("no run has pipeline jobs");
    expect(learning.kind === "skipped" && learning.reason).toContain("thresholdHistory");
    // No completed query at all: every chart that needs one says so.
    const nothing = structuredClone(plain);
    for (const run of nothing.runs) {
      q(run).jobs.completed = 0;
      q(run).latency.ttft = { ...q(run).latency.ttft, count: 0, p50: null, p95: null, p99: null };
      q(run).latency.total = { ...q(run).latency.total, count: 0, p50: null, p95: null, p99: null };
      q(run).quality.meanProbability = null;
      q(run).privacy.shareOfQueriesOffDevice = null;
      q(run).privacy.shareOfQueriesToCloud = null;
      q(run).jobs.violationRate = null;
      q(run).timeSeries.bins = [];
    }
    for (const chart of LLM_CHARTS) expect(chart.build(nothing).kind, chart.id).toBe("skipped");
  });

  it("a router keeps one colour in every chart, also when a chart shows a subset; a built-in name has its fixed colour", () => {
    // docs/reports.md: local-only black, cloud-only sky blue, learned vermillion (Okabe–Ito).
    const fixed: Record<string, string> = { "local-only": "#000000", "cloud-only": "#56B4E9", learned: "#D55E00" };
    const seen = new Map<string, string>();
    for (const chart of LLM_CHARTS) {
      const outcome = chart.build(full);
      for (const scale of routerColourScales(drawn(outcome).spec)) {
        scale.domain.forEach((label, i) => {
          const colour = scale.range[i];
          if (fixed[label] !== undefined) expect(colour, `${chart.id} ${label}`).toBe(fixed[label]);
          expect(colour, `${chart.id} ${label}`).toBe(seen.get(label) ?? colour);
          seen.set(label, colour);
        });
      }
    }
    expect(new Set(seen.values()).size).toBe(seen.size);
    const learning = routerColourScales(drawn(llmLearningChart(full)).spec)[0];
    expect(learning.domain).toEqual(["learned"]);
  });
});

describe("LLM results input", () => {
  let results: Results;
  beforeAll(() => {
    results = simulate({ pipelines: false, learned: true });
  });

  it("a results file written as JSON parses back to what the charts read, drawing the same specs", () => {
    const parsed = parseReportResults(JSON.parse(JSON.stringify(results)), "results.json");
    for (const chart of LLM_CHARTS) expect(chart.build(parsed), chart.id).toEqual(chart.build(results));
  });

  it.each([
    ["an unknown schema tag", (json: Record<string, unknown>) => ({ ...json, schema: "continuum-sim/results@9" }), 'expected "continuum-sim/results@2"'],
    [
      "a broken field",
      (json: Record<string, unknown>) => (((json.runs as Array<{ queries: { quality: unknown } }>)[0].queries.quality = { meanProbability: "high", goodShare: 0.5 }), json),
      "runs[0].queries.quality.meanProbability",
    ],
    ["two runs with one label", (json: Record<string, unknown>) => (((json.runs as Array<{ label: string }>)[1].label = "local-only"), json), "runs[1].label"],
  ])("%s is an input error naming the path", (_name, edit, message) => {
    const json = edit(JSON.parse(JSON.stringify(results)) as Record<string, unknown>);
    expect(() => parseReportResults(json, "results.json")).toThrow(message);
  });
});

describe("writeReport and renderReport", () => {
  let results: Results;
  let first: string;
  let second: string;
  let printed: string;

  beforeAll(async () => {
    results = simulate({ pipelines: false, learned: true });
    first = tempDir("continuum-llm-report-");
    second = tempDir("continuum-llm-report-");
    printed = await renderReport(results, first);
    await writeReport(results, second);
  });

  it("writes charts/*.vl.json, .svg, .png for every drawn chart and index.html; prints like renderReport", () => {
    const drawnIds = ["network-latency", "llm-latency", "llm-tradeoffs", "llm-privacy-cost", "llm-over-time", "llm-learning"];
    expect(readdirSync(join(first, "charts")).sort()).toEqual(drawnIds.flatMap((id) => [`${id}.png`, `${id}.svg`, `${id}.vl.json`]).sort());
    for (const id of drawnIds) {
      for (const ext of [".vl.json", ".svg", ".png"]) expect(statSync(join(first, "charts", `${id}${ext}`)).size, `${id}${ext}`).toBeGreaterThan(2000);
      const png = readFileSync(join(first, "charts", `${id}.png`));
      const svg = svgSize(readFileSync(join(first, "charts", `${id}.svg`), "utf8"));
      expect(png.readUInt32BE(16)).toBe(Math.round(svg.width * PNG_SCALE));
    }
    // The one network records the latency matrix for every family, so a queries-only run draws it too.
    expect(printed).toBe(
      `charts: 6 drawn, 1 skipped, in ${join(first, "charts")}\n  skipped llm-pipelines: no run has pipeline jobs (\`runs[].queries.pipelines\`)\nreport: ${join(first, "index.html")}\n`,
    );
  });

  it("index.html: self-contained, every drawn chart inline, the skipped one with its reason, the result tables", () => {
    const html = readFileSync(join(first, "index.html"), "utf8");
    expect(html.match(/<figure data-chart=/g)).toHaveLength(6);
    expect(html).toContain("data:font/ttf;base64,");
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toContain("<script");
    expect(html).toContain(results.scenario.hash);
    expect(html).toContain("Not drawn: no run has pipeline jobs");
    for (const run of results.runs) expect(html).toContain(`<tr><td>${run.label}</td><td>${q(run).jobs.completed}</td>`);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("rendering the same results twice gives identical .vl.json, SVG, PNG and HTML bytes", () => {
    for (const file of readdirSync(join(first, "charts"))) {
      expect(readFileSync(join(first, "charts", file)).equals(readFileSync(join(second, "charts", file))), file).toBe(true);
    }
    expect(readFileSync(join(first, "index.html")).equals(readFileSync(join(second, "index.html")))).toBe(true);
  });

  it("a chart now skipped loses its files from an earlier rendering", async () => {
    const dir = tempDir("continuum-llm-report-");
    const withPipelines = simulate({ pipelines: true, learned: false });
    expect((await writeReport(withPipelines, dir, ["svg"])).drawn).toContain("llm-pipelines");
    expect(existsSync(join(dir, "charts", "llm-pipelines.svg"))).toBe(true);
    const summary = await writeReport(results, dir, ["svg"]);
    expect(summary.skipped.map((s) => s.id)).toEqual(["llm-pipelines"]);
    expect(existsSync(join(dir, "charts", "llm-pipelines.svg"))).toBe(false);
    expect(existsSync(join(dir, "charts", "llm-pipelines.vl.json"))).toBe(false);
  });
});

describe("simulate report <llm results.json> (main, in this process)", () => {
  let out = "";
  let err = "";
  beforeEach(() => {
    out = "";
    err = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  });
  afterEach(() => vi.restoreAllMocks());

  it("draws the LLM charts next to the results file, chosen by the file's schema", async () => {
    const dir = tempDir("continuum-llm-report-");
    const file = join(dir, "results.json");
    writeFileSync(file, `${JSON.stringify(simulate({ pipelines: true, learned: true }), null, 2)}\n`);
    expect(await main(["report", file, "--format", "png,html"]), err).toBe(0);
    expect(out).toContain(`charts: 7 drawn, 0 skipped, in ${join(dir, "charts")}`);
    expect(out).toContain(`report: ${join(dir, "index.html")}`);
    expect(out).not.toContain("warning");
    const files = readdirSync(join(dir, "charts"));
    expect(files.filter((f) => f.endsWith(".png"))).toHaveLength(7);
    expect(files.filter((f) => f.endsWith(".vl.json"))).toHaveLength(7);
    expect(files.some((f) => f.endsWith(".svg"))).toBe(false);
    expect(readFileSync(join(dir, "index.html"), "utf8")).toContain('id="llm-pipelines-table"');
  });

  it("an llm results file with a broken field is bad input: exit 2, the path named, nothing written", async () => {
    const dir = tempDir("continuum-llm-report-");
    const json = JSON.parse(JSON.stringify(simulate({ pipelines: false, learned: false }))) as { runs: Array<{ queries: { cost: { totalUsd: unknown } } }> };
    json.runs[1].queries.cost.totalUsd = "cheap";
    const file = join(dir, "results.json");
    writeFileSync(file, JSON.stringify(json));
    expect(await main(["report", file, "--out", join(dir, "out")])).toBe(2);
    expect(err).toContain("runs[1].queries.cost.totalUsd");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
