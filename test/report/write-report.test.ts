import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CHARTS } from "../../src/report/charts/index.js";
import { dejavuSansMetrics } from "../../src/report/font-metrics.js";
import { namespaceSvgIds } from "../../src/report/html-page.js";
import { PNG_SCALE } from "../../src/report/render.js";
import { writeReport, type ReportSummary } from "../../src/report/write-report.js";
import { fixture, withoutTimeSeriesAndNetwork } from "./fixtures.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "continuum-report-"));
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.toString("latin1", 12, 16)).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (match === null) throw new Error("svg without width/height");
  return { width: Number(match[1]), height: Number(match[2]) };
}

describe("writeReport", () => {
  const results = fixture();
  let first: string;
  let second: string;
  let summary: ReportSummary;

  beforeAll(async () => {
    first = tempDir();
    second = tempDir();
    summary = await writeReport(results, first);
    await writeReport(results, second);
  });

  it("writes .vl.json, .svg and .png for every drawn chart and index.html; no warnings", () => {
    expect(summary.warnings).toEqual([]);
    expect(summary.drawn).toEqual(["latency-cdf", "stage-breakdown", "latency-over-time", "violation-rate", "network-latency", "node-load"]);
    expect(summary.skipped.map((s) => s.id)).toEqual(["migrations", "learning-curve"]);
    const files = readdirSync(join(first, "charts")).sort();
    expect(files).toHaveLength(3 * summary.drawn.length);
    for (const id of summary.drawn) {
      for (const ext of [".vl.json", ".svg", ".png"]) expect(statSync(join(first, "charts", `${id}${ext}`)).size, `${id}${ext}`).toBeGreaterThan(2000);
      const spec = JSON.parse(readFileSync(join(first, "charts", `${id}.vl.json`), "utf8")) as { $schema: string };
      expect(spec.$schema).toContain("vega-lite/v6");
      // The compact layout is the same JSON as the chart function's spec.
      const built = CHARTS.find((c) => c.id === id)?.build(results);
      expect(built?.kind === "chart" ? built.spec : undefined).toEqual(spec);
    }
    expect(existsSync(join(first, "index.html"))).toBe(true);
  });

  it("PNGs decode to the SVG size times PNG_SCALE (300 dpi at 100 px per inch), and the SVGs fit a paper column (about 3.3 in)", () => {
    for (const id of summary.drawn) {
      const svg = readFileSync(join(first, "charts", `${id}.svg`), "utf8");
      const png = pngSize(readFileSync(join(first, "charts", `${id}.png`)));
      const size = svgSize(svg);
      expect(png.width, id).toBe(Math.round(size.width * PNG_SCALE));
      expect(png.height, id).toBe(Math.round(size.height * PNG_SCALE));
      expect(size.width, id).toBeGreaterThan(220);
      expect(size.width, id).toBeLessThanOrEqual(340);
    }
  });

  it("SVGs use DejaVu Sans and carry the scheduler names as text", () => {
    const svg = readFileSync(join(first, "charts", "latency-cdf.svg"), "utf8");
    expect(svg).toContain('font-family="DejaVu Sans"');
    for (const run of results.runs) expect(svg).toContain(`>${run.label}</text>`);
  });

  it("rendering the same results twice gives identical SVG, PNG and HTML bytes", () => {
    for (const id of summary.drawn) {
      for (const ext of [".svg", ".png", ".vl.json"]) {
        const a = readFileSync(join(first, "charts", `${id}${ext}`));
        const b = readFileSync(join(second, "charts", `${id}${ext}`));
        expect(a.equals(b), `${id}${ext}`).toBe(true);
      }
    }
    expect(readFileSync(join(first, "index.html")).equals(readFileSync(join(second, "index.html")))).toBe(true);
  });

  it("index.html is self-contained: inline SVG for every chart, the font embedded, nothing fetched from a network", () => {
    const html = readFileSync(join(first, "index.html"), "utf8");
    expect(html.match(/<figure data-chart=/g)).toHaveLength(summary.drawn.length);
    expect(html.match(/<svg /g)?.length).toBe(summary.drawn.length);
    expect(html).toContain("data:font/ttf;base64,");
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/url\(https?:/);
    expect(html).not.toContain("<script");
    expect(html).toContain(results.scenario.hash);
    expect(html).toContain(`<th scope="row">seed</th><td>${results.seed}</td>`);
    expect(html).toContain("Not drawn: no learned frame scheduler");
    for (const run of results.runs) expect(html).toContain(`<tr><td>${run.label}</td><td>${run.jobs.generated}</td><td>${run.jobs.completed}</td>`);
    // Every id is unique across the inlined charts (vega numbers gradients from 0 in each).
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("formats: only what is asked for, .vl.json always; stale files of a chart now skipped are removed", async () => {
    const dir = tempDir();
    await writeReport(results, dir, ["svg"]);
    const files = readdirSync(join(dir, "charts"));
    expect(files.some((f) => f.endsWith(".png"))).toBe(false);
    expect(files.filter((f) => f.endsWith(".svg"))).toHaveLength(6);
    expect(files.filter((f) => f.endsWith(".vl.json"))).toHaveLength(6);
    expect(existsSync(join(dir, "index.html"))).toBe(false);
    const older = await writeReport(withoutTimeSeriesAndNetwork(), dir, ["svg", "html"]);
    expect(older.drawn).toEqual(["latency-cdf", "stage-breakdown", "violation-rate"]);
    expect(existsSync(join(dir, "charts", "node-load.svg"))).toBe(false);
    expect(readFileSync(join(dir, "index.html"), "utf8")).toContain("Not drawn: the results have no frame time series");
  });
});

describe("helpers", () => {
  it("DejaVu Sans advance widths come from the font: narrow and wide glyphs differ, width scales with size", () => {
    const metrics = dejavuSansMetrics();
    expect(metrics.width("iiii", 10)).toBeLessThan(metrics.width("MMMM", 10));
    expect(metrics.width("latency", 20)).toBeCloseTo(2 * metrics.width("latency", 10), 9);
    // DejaVu Sans digits are 0.636 em wide (1303 of 2048 units).
    expect(metrics.width("0", 2048)).toBe(1303);
  });

  it("namespaceSvgIds prefixes ids and their references", () => {
    const svg = '<defs><linearGradient id="gradient_0"/></defs><rect fill="url(#gradient_0)"/><use href="#gradient_0"/>';
    expect(namespaceSvgIds(svg, "heat")).toBe('<defs><linearGradient id="heat-gradient_0"/></defs><rect fill="url(#heat-gradient_0)"/><use href="#heat-gradient_0"/>');
  });
});
