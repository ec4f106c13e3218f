import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { simulate } from "../../src/run/simulate.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ChartOutcome, DrawnChart } from "../../src/report/chart.js";
import { CHARTS } from "../../src/report/charts/index.js";
import { DEJAVU_SANS_TTF } from "../../src/report/font-metrics.js";
import { compileChart, renderSvg } from "../../src/report/render.js";
import { parseReportResults, type ReportResults } from "../../src/report/results-input.js";
import { CHART_WIDTHS, type ChartWidth, STAGE_COLOURS } from "../../src/report/style.js";
import { fixture, frames, withFutureFields } from "./fixtures.js";

/**
 * The frame-chart defects issue 14 lists ("Figures a reviewer would accept"), each checked on the
 * built spec or on the laid-out scene (vega's scenegraph, text measured in DejaVu Sans) of the
 * case the issue looked at: scenarios/heterogeneous-cluster.json, where nearest-healthy stalls
 * (latencies to 200,000 ms, frames unfinished from about 115 s) while four schedulers work.
 */

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const FRAME_IDS = ["latency-cdf", "stage-breakdown", "latency-over-time", "violation-rate", "network-latency", "node-load", "migrations", "learning-curve"];
const WIDTHS: ChartWidth[] = ["column", "double"];

function heterogeneousCluster(): ReportResults {
  const doc = JSON.parse(readFileSync(join(REPO, "scenarios", "heterogeneous-cluster.json"), "utf8"));
  return parseReportResults(JSON.parse(JSON.stringify(simulate(resolveScenario(doc, {})))), "heterogeneous-cluster");
}

function build(id: string, results: ReportResults, width?: ChartWidth): ChartOutcome {
  const chart = CHARTS.find((c) => c.id === id);
  if (chart === undefined) throw new Error(`no chart ${id}`);
  return chart.build(results, width);
}

function drawn(outcome: ChartOutcome): DrawnChart {
  if (outcome.kind !== "chart") throw new Error(`expected a chart, got skipped: ${outcome.reason}`);
  return outcome;
}

interface TextBox {
  text: string;
  role: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

interface Scene {
  width: number;
  height: number;
  texts: TextBox[];
  /** The extent of all data marks (role "mark"), chart coordinates. */
  marks: { x1: number; y1: number; x2: number; y2: number };
  legends: number;
  /** Each axis: its title and its tick labels. */
  axes: Array<{ title: string; labels: string[] }>;
}

interface SceneMark {
  marktype: string;
  role?: string;
  items: Array<{ x?: number; y?: number; text?: unknown; bounds?: { x1: number; y1: number; x2: number; y2: number }; items?: SceneMark[] }>;
}

/** Lays the chart out as the renderers do (DejaVu Sans metrics installed by renderSvg) and collects its text boxes in chart coordinates. */
async function scene(spec: TopLevelSpec): Promise<Scene> {
  const svg = (await renderSvg(spec)).svg;
  const view = new vega.View(vega.parse(compileChart(spec).vega), { renderer: "none" });
  await view.runAsync();
  const out: Scene = {
    width: Number(/width="([\d.]+)"/.exec(svg)?.[1]),
    height: Number(/height="([\d.]+)"/.exec(svg)?.[1]),
    texts: [],
    marks: { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity },
    legends: 0,
    axes: [],
  };
  const walk = (mark: SceneMark, ox: number, oy: number): void => {
    if (mark.role === "legend") out.legends += mark.items.length;
    for (const item of mark.items) {
      if (mark.marktype === "group") {
        if (mark.role === "axis") {
          const texts = (role: string): string[] => (item.items ?? []).filter((c) => c.role === role).flatMap((c) => c.items.map((i) => String(i.text ?? "")));
          out.axes.push({ title: texts("axis-title").join(" "), labels: texts("axis-label").filter((t) => t !== "") });
        }
        for (const child of item.items ?? []) walk(child, ox + (item.x ?? 0), oy + (item.y ?? 0));
      } else if (mark.role === "mark" && item.bounds !== undefined) {
        out.marks = {
          x1: Math.min(out.marks.x1, ox + item.bounds.x1),
          y1: Math.min(out.marks.y1, oy + item.bounds.y1),
          x2: Math.max(out.marks.x2, ox + item.bounds.x2),
          y2: Math.max(out.marks.y2, oy + item.bounds.y2),
        };
      }
      if (mark.marktype === "text" && item.text !== undefined && String(item.text) !== "" && item.bounds !== undefined) {
        const b = item.bounds;
        if (b.x2 > b.x1) out.texts.push({ text: String(item.text), role: mark.role ?? "", x1: ox + b.x1, y1: oy + b.y1, x2: ox + b.x2, y2: oy + b.y2 });
      }
    }
  };
  // Scene coordinates start at the plot's origin; the SVG's at its corner (padding, then axes and titles).
  const layout = view as unknown as { origin(): [number, number]; padding(): { left: number; top: number } };
  const [originX, originY] = layout.origin();
  walk((view.scenegraph() as unknown as { root: SceneMark }).root, originX + layout.padding().left, originY + layout.padding().top);
  view.finalize();
  return out;
}

/** Pairs of text boxes that overlap or come closer than `gap` px along x while sharing a line. */
function collisions(texts: readonly TextBox[], gap = 0): string[] {
  const found: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i];
      const b = texts[j];
      if (a.x1 < b.x2 + gap && b.x1 < a.x2 + gap && a.y1 < b.y2 && b.y1 < a.y2) found.push(`"${a.text}" / "${b.text}"`);
    }
  }
  return found;
}

/** Every Vega-Lite `legend` object in a spec. */
function legends(spec: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "legend" && value !== null && typeof value === "object") found.push(value as Record<string, unknown>);
        visit(value);
      }
    }
  };
  visit(spec);
  return found;
}

/** WCAG contrast ratio of a colour against white. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number): number => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

describe("frame charts a reviewer would accept (heterogeneous-cluster, as the issue saw it)", () => {
  let cluster: ReportResults;
  beforeAll(() => {
    cluster = heterogeneousCluster();
  });

  it("the case is the issue's: nearest-healthy stalls (p50 over 100,000 ms) and its frames stop completing well before the end", () => {
    const nearest = cluster.runs.find((run) => run.label === "nearest-healthy");
    expect(frames(nearest as ReportResults["runs"][number]).latency.total.max).toBeGreaterThan(100_000);
    const bins = frames(nearest as ReportResults["runs"][number]).timeSeries.bins;
    expect(bins[bins.length - 1].latencyP50).toBeNull();
  });

  it.each(WIDTHS)("no frame chart has a legend on the plot or more than one legend, and no two texts overlap (%s width)", async (width) => {
    for (const chart of CHARTS.filter((c) => FRAME_IDS.includes(c.id))) {
      const id = chart.id;
      const outcome = chart.build(cluster, width);
      if (outcome.kind === "skipped") continue;
      for (const legend of legends(outcome.spec)) expect(["bottom", "top", "right", "left", undefined], `${id}: legend orient`).toContain(legend.orient);
      const laid = await scene(outcome.spec);
      expect(laid.legends, `${id}: legends`).toBeLessThanOrEqual(1);
      expect(collisions(laid.texts), `${id}: overlapping text`).toEqual([]);
    }
  });

  it("latency-cdf: log latency axis whose tick labels keep 4 px apart and print thousands with separators", async () => {
    for (const width of WIDTHS) {
      const laid = await scene(drawn(build("latency-cdf", cluster, width)).spec);
      const axis = laid.axes.find((a) => a.title.startsWith("total latency"));
      expect(axis?.title).toContain("log scale");
      expect(axis?.labels).toContain("1,000");
      for (const label of axis?.labels ?? []) expect(label, "a number over 999 without a separator").not.toMatch(/^\d{4,}$/);
      const labels = laid.texts.filter((t) => (axis?.labels ?? []).includes(t.text) && t.role === "axis-label");
      expect(collisions(labels, 4), `${width}: touching tick labels`).toEqual([]);
      // The share axis in %, "%" once (vega would round 25 to "30" with a precision taken from the tick step).
      const share = laid.axes.find((a) => a.title.includes("(%)"));
      expect(share?.labels).toEqual(["0", "25", "50", "75", "100"]);
    }
  });

  it("latency-over-time: a log y axis (the working schedulers are not flattened to 0), the deadline drawn and labelled with its value", async () => {
    const chart = drawn(build("latency-over-time", cluster));
    const text = JSON.stringify(chart.spec);
    expect(text).toContain('"type":"log"');
    const laid = await scene(chart.spec);
    const deadline = cluster.qos.frameDeadlineMs as number;
    expect(laid.texts.map((t) => t.text)).toContain(`deadline ${deadline} ms`);
    const axis = laid.axes.find((a) => a.title.startsWith("total latency"));
    // The four working schedulers' latencies (30-300 ms) lie on labelled ticks, not below the first one.
    expect(axis?.labels).toContain("100");
    expect(axis?.labels).toContain("100,000");
  });

  it("latency-over-time: the line that stops early is marked and explained (when, whose, what became of the later frames)", () => {
    const chart = drawn(build("latency-over-time", cluster));
    const nearest = frames(cluster.runs.find((r) => r.label === "nearest-healthy") as ReportResults["runs"][number]);
    const bins = nearest.timeSeries.bins;
    // Oracle: the last bin with a completed frame, read straight off the results.
    const last = bins.map((b, i) => (b.completed > 0 ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    expect(last).toBeLessThan(bins.length - 1);
    const stopS = (bins[last].startMs + nearest.timeSeries.binMs / 2) / 1000;
    expect(chart.caption).toContain(`nearest-healthy's lines end at ${stopS} s`);
    expect(chart.caption).toContain("still in flight");
    const marker = JSON.stringify(chart.spec);
    expect(marker).toContain('"shape":"cross"');
    expect(marker).toContain(`"t":${stopS}`);
  });

  it("stage-breakdown: at most 1.3 times as tall as wide at one column, a latency axis per panel, no colour near-invisible on white", async () => {
    const chart = drawn(build("stage-breakdown", cluster, "column"));
    const laid = await scene(chart.spec);
    expect(laid.height / laid.width).toBeLessThanOrEqual(1.3);
    expect(laid.width).toBeLessThanOrEqual(CHART_WIDTHS.column + 5);
    expect(chart.spec).toMatchObject({ resolve: { scale: { x: "independent" } } });
    // Every scheduler has a panel: the stalled one does not push the others out.
    for (const run of cluster.runs) expect(laid.texts.map((t) => t.text)).toContain(run.label);
    // Viridis' yellow end (#FDE725) has a contrast of 1.24 on white; 1.5 keeps filled segments visible.
    for (const colour of STAGE_COLOURS) expect(contrastOnWhite(colour), colour).toBeGreaterThan(1.5);
  });

  it("violation-rate: names that do not overlap, a rate axis in % that ends at 100 however high the worst rate", async () => {
    const laid = await scene(drawn(build("violation-rate", cluster, "column")).spec);
    const axis = laid.axes.find((a) => a.title.includes("violation rate"));
    expect(axis?.title).toBe("QoS violation rate (%)");
    const ticks = (axis?.labels ?? []).map(Number);
    expect(Math.max(...ticks)).toBe(100);
    expect(Math.min(...ticks)).toBe(0);
    for (const run of cluster.runs) expect(laid.texts.map((t) => t.text)).toContain(run.label);
    expect(collisions(laid.texts)).toEqual([]);
  });

  it("node-load: the nodes that serve the most frames and the saturated ones are drawn; those left out are named", () => {
    // Oracle from the results: the two nodes that completed the most frames over all runs, and every node saturated (over 99% busy) in any run.
    const busiest = new Set<string>();
    const served = cluster.scenario.nodes.map((node, i) => ({ id: node.id, frames: cluster.runs.reduce((sum, run) => sum + (run.nodes[i].frames?.completed ?? 0), 0) }));
    for (const node of [...served].sort((a, b) => b.frames - a.frames).slice(0, 2)) busiest.add(node.id);
    for (const run of cluster.runs) for (const node of run.nodes) if ((node.frames?.utilisation ?? 0) > 0.99) busiest.add(node.id);
    // The two omitted nodes, and the four nearest-healthy saturates.
    expect([...busiest].sort()).toEqual(["nano-a", "nano-b", "nano-c", "orin-a", "orin-b", "up-a"]);
    for (const width of WIDTHS) {
      const chart = drawn(build("node-load", cluster, width));
      const text = JSON.stringify(chart.spec);
      for (const id of busiest) expect(text, `${width}: ${id}`).toContain(`"node":"${id}"`);
      for (const node of cluster.scenario.nodes) if (!text.includes(`"node":"${node.id}"`)) expect(chart.caption, `${width}: ${node.id} left out unnamed`).toContain(node.id);
    }
  });

  it("network heat map: no light lines between the rows of a large matrix, and a colour bar with at least four labelled values", async () => {
    const chart = drawn(build("network-latency", cluster));
    const laid = await scene(chart.spec);
    const legendLabels = laid.texts.filter((t) => t.role === "legend-label");
    expect(legendLabels.length).toBeGreaterThanOrEqual(4);
    // Down the middle of the cloud column (the darkest, the last): every pixel as dark as its neighbours, none near white.
    const svg = (await renderSvg(chart.spec)).svg;
    const image = new Resvg(svg, { font: { fontFiles: [DEJAVU_SANS_TTF], loadSystemFonts: false } }).render();
    const cloud = laid.texts.find((t) => t.text === "cloud" && t.role === "axis-label");
    expect(cloud).toBeDefined();
    const x = Math.round(((cloud?.x1 ?? 0) + (cloud?.x2 ?? 0)) / 2);
    const rowsTop = Math.ceil(laid.marks.y1) + 1;
    const rowsBottom = Math.floor(laid.marks.y2) - 1;
    let lightest = 0;
    const pixels = image.pixels;
    for (let y = rowsTop; y < rowsBottom; y++) {
      const at = 4 * (y * image.width + x);
      lightest = Math.max(lightest, pixels[at] + pixels[at + 1] + pixels[at + 2]);
    }
    expect(rowsBottom - rowsTop).toBeGreaterThan(200);
    expect(lightest).toBeLessThan(3 * 128);
  });

  it("learning-curve: '%' once (in the title, not on every tick) and a 0 tick on both axes", async () => {
    const laid = await scene(drawn(build("learning-curve", cluster)).spec);
    const rate = laid.axes.find((a) => a.title.includes("violation rate"));
    expect(rate?.title).toBe("QoS violation rate (%)");
    for (const label of rate?.labels ?? []) expect(label).not.toContain("%");
    expect(rate?.labels).toContain("0");
    const time = laid.axes.find((a) => a.title.startsWith("simulated time"));
    expect(time?.labels).toContain("0");
  });

  it("units: latency axes in ms, rate axes in %, on every frame chart", async () => {
    for (const chart of CHARTS.filter((c) => FRAME_IDS.includes(c.id))) {
      const id = chart.id;
      const outcome = chart.build(cluster);
      if (outcome.kind === "skipped") continue;
      for (const axis of (await scene(outcome.spec)).axes) {
        if (/latency/.test(axis.title)) expect(axis.title, id).toMatch(/\(ms/);
        if (/rate|utilisation|frames \(/.test(axis.title)) expect(axis.title, id).toMatch(/\(%\)/);
      }
    }
  });

  it.each(FRAME_IDS.filter((id) => id !== "migrations"))("%s is laid out for two columns: wider, same text sizes", async (id) => {
    const column = drawn(build(id, cluster, "column")).spec;
    const double = drawn(build(id, cluster, "double")).spec;
    const [narrow, wide] = [await scene(column), await scene(double)];
    expect(narrow.width).toBeLessThanOrEqual(CHART_WIDTHS.column + 5);
    expect(wide.width).toBeLessThanOrEqual(CHART_WIDTHS.double + 5);
    // The heat map is as wide as its cells need; every other chart fills most of the two columns.
    expect(wide.width).toBeGreaterThan(id === "network-latency" ? narrow.width : 0.8 * CHART_WIDTHS.double);
    const sizes = (spec: TopLevelSpec): string =>
      JSON.stringify(spec)
        .match(/"(label|title)?[fF]ontSize":\d+/g)
        ?.sort()
        .join() ?? "";
    expect(sizes(double)).toBe(sizes(column));
  });
});

describe("network heat map sizes", () => {
  it.each([12, 30, 36, 100])("%i device rows x 6 nodes: names only where they fit, no text collides, within the print width", async (rows) => {
    const results = fixture();
    const devices = Array.from({ length: rows }, (_, i) => `camera-${i}`);
    const nodes = Array.from({ length: 6 }, (_, j) => `edge-node-${j}`);
    results.network = { devices, nodes, nominalLatencyMs: devices.map((_, i) => nodes.map((_, j) => 2 + ((i * 7 + j * 3) % 40))) };
    results.scenario.devices = rows;
    for (const width of WIDTHS) {
      const laid = await scene(drawn(build("network-latency", results, width)).spec);
      expect(collisions(laid.texts), `${width}`).toEqual([]);
      expect(laid.width).toBeLessThanOrEqual(CHART_WIDTHS[width] + 5);
    }
  });
});

describe("latency-over-time with migrations and faults", () => {
  it("keeps one legend (the migration ticks share the schedulers' colours) and shades a fault every run records once", async () => {
    const results = withFutureFields();
    for (const run of results.runs) run.faults = [{ startMs: 40_000, endMs: 45_000, kind: "crash", target: "coral" }];
    const chart = drawn(build("latency-over-time", results));
    expect((await scene(chart.spec)).legends).toBe(1);
    const layers = (chart.spec as { layer: Array<{ mark?: { type?: string }; data?: { values?: unknown[] } }> }).layer;
    expect(layers.find((l) => l.mark?.type === "rect")?.data?.values).toHaveLength(1);
  });
});

describe("migrations chart", () => {
  it("is laid out for two columns: wider, same text sizes", async () => {
    const results = withFutureFields();
    const [narrow, wide] = [await scene(drawn(build("migrations", results, "column")).spec), await scene(drawn(build("migrations", results, "double")).spec)];
    expect(narrow.width).toBeLessThanOrEqual(CHART_WIDTHS.column + 5);
    expect(wide.width).toBeGreaterThan(0.8 * CHART_WIDTHS.double);
    expect(wide.width).toBeLessThanOrEqual(CHART_WIDTHS.double + 5);
  });

  it("is skipped with a reason when no run migrated", () => {
    const outcome = build("migrations", fixture());
    expect(outcome.kind).toBe("skipped");
    if (outcome.kind === "skipped") expect(outcome.reason).toContain("migrat");
  });

  it("counts each run's migrations up to each time: 0 before the first, one step per migration, the total to the end", () => {
    const results = withFutureFields();
    const [first] = results.runs;
    first.migrations = [
      { timeMs: 45_000, device: "rpi3-1", from: "jetson-nano", to: "coral", reason: "load", switchMs: 500, requestsDuringSwitch: 1 },
      ...first.migrations, // coral -> jetson-nano at 30 s
      { timeMs: 50_000, device: "rpi3-0", from: "coral", to: "jetson-nano", reason: "load", switchMs: 500, requestsDuringSwitch: 0 },
    ];
    const chart = drawn(build("migrations", results, "column"));
    const values = (chart.spec as { data: { values: Array<{ scheduler: string; t: number; count: number }> } }).data.values;
    // Hand-worked: steps at 30, 45 and 50 s; the window ends at 60 s.
    expect(values.map((v) => [v.t, v.count])).toEqual([
      [0, 0],
      [30, 1],
      [45, 2],
      [50, 3],
      [60, 3],
    ]);
    expect(new Set(values.map((v) => v.scheduler))).toEqual(new Set([first.label]));
    expect(chart.caption).toContain(`${first.label} 3 (most often coral → jetson-nano, 2×)`);
    for (const run of results.runs.slice(1)) expect(chart.caption).toContain(run.label);
  });
});
