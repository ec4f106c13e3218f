import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import type { ChartDefinition } from "../../src/report/chart.js";
import { CHARTS } from "../../src/report/charts/index.js";
import { renderPdf, solidZeroGapDashes, svgSize } from "../../src/report/pdf.js";
import { withPngDpi } from "../../src/report/png-dpi.js";
import { renderPng, renderSvg } from "../../src/report/render.js";
import type { ChartWidth } from "../../src/report/style.js";
import { embedChartFont, textCharacters } from "../../src/report/svg-font.js";
import { writeReport } from "../../src/report/write-report.js";
import { fixture } from "./fixtures.js";
import { crc32, readPdfObjects, readPdfText, readPngChunks, readToUnicode } from "./render-readers.js";

/** fontkit (MIT, a different implementation from the harfbuzz subsetter) decodes the embedded WOFF2. */
const fontkit = createRequire(import.meta.url)("fontkit") as { create(data: Buffer): { hasGlyphForCodePoint(codePoint: number): boolean; numGlyphs: number; familyName: string } };

const results = fixture();

async function chartSvg(id: string, width: ChartWidth = "column"): Promise<string> {
  const outcome = CHARTS.find((chart) => chart.id === id)?.build(results, width);
  if (outcome?.kind !== "chart") throw new Error(`${id} is not drawn from the fixture`);
  return (await renderSvg(outcome.spec)).svg;
}

describe("PNG resolution (--dpi)", () => {
  it("the hand CRC-32 gives the published values (IEND's CRC is AE 42 60 82; '123456789' -> CBF43926)", () => {
    expect(crc32(Buffer.from("IEND", "latin1"))).toBe(0xae426082);
    expect(crc32(Buffer.from("123456789", "latin1"))).toBe(0xcbf43926);
  });

  it.each([300, 150, 600])("%i dpi: pixels = printed inches x dpi, a pHYs chunk before the image data says so, every CRC checks, the pixels inflate", async (dpi) => {
    const svg = await chartSvg("violation-rate");
    const size = svgSize(svg);
    const png = renderPng(svg, dpi);
    const chunks = readPngChunks(png);
    expect(chunks.every((chunk) => chunk.crcOk)).toBe(true);
    expect(chunks.map((c) => c.type).filter((t) => t === "IHDR" || t === "pHYs" || t === "IDAT" || t === "IEND")[0]).toBe("IHDR");
    const types = chunks.map((chunk) => chunk.type);
    expect(types.filter((type) => type === "pHYs")).toHaveLength(1);
    expect(types.indexOf("pHYs")).toBeLessThan(types.indexOf("IDAT"));
    expect(types.at(-1)).toBe("IEND");
    const ihdr = chunks[0].data;
    const width = ihdr.readUInt32BE(0);
    const height = ihdr.readUInt32BE(4);
    // The chart is laid out at 100 px per inch: `size.width` px is size.width / 100 inches.
    expect(width).toBe(Math.round((size.width / 100) * dpi));
    expect(height).toBe(Math.round((size.height / 100) * dpi));
    const phys = chunks[types.indexOf("pHYs")].data;
    expect(phys.readUInt8(8)).toBe(1); // unit: metre
    expect(phys.readUInt32BE(0)).toBe(phys.readUInt32BE(4));
    expect(phys.readUInt32BE(0) * 0.0254).toBeCloseTo(dpi, 0);
    // The image data is intact: inflated, one filter byte plus the pixels per row (8-bit RGBA or RGB).
    const bytesPerPixel = { 6: 4, 2: 3 }[ihdr.readUInt8(9) as 6 | 2];
    const pixels = inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.data)));
    expect(pixels.length).toBe(height * (1 + width * bytesPerPixel));
  });

  it("withPngDpi replaces an earlier pHYs instead of adding a second", async () => {
    const png = withPngDpi(renderPng(await chartSvg("violation-rate"), 300), 72);
    const phys = readPngChunks(png).filter((chunk) => chunk.type === "pHYs");
    expect(phys).toHaveLength(1);
    expect(phys[0].data.readUInt32BE(0)).toBe(Math.round(72 / 0.0254));
  });
});

describe("PDF", () => {
  let pdf: Buffer;
  let svg: string;
  beforeAll(async () => {
    svg = await chartSvg("latency-over-time");
    pdf = await renderPdf(svg, "Latency over time");
  });

  it("one page of the chart's printed size (0.72 pt per px), vector only: a font file, no image", () => {
    expect(pdf.toString("latin1", 0, 5)).toBe("%PDF-");
    const objects = readPdfObjects(pdf);
    const pages = objects.filter((object) => /\/Type \/Page\b/.test(object.dictionary));
    expect(pages).toHaveLength(1);
    const box = /\/MediaBox \[([^\]]+)\]/.exec(pages[0].dictionary)?.[1].trim().split(/\s+/).map(Number);
    const size = svgSize(svg);
    expect(box?.[0]).toBe(0);
    expect(box?.[1]).toBe(0);
    expect(box?.[2]).toBeCloseTo(size.width * 0.72, 3);
    expect(box?.[3]).toBeCloseTo(size.height * 0.72, 3);
    expect(objects.some((object) => /\/FontFile2 \d+ 0 R/.test(object.dictionary))).toBe(true);
    expect(objects.some((object) => /\/Subtype\s*\/Image/.test(object.dictionary))).toBe(false);
    expect(objects.filter((object) => /\/Type \/Font\b/.test(object.dictionary)).every((object) => object.dictionary.includes("DejaVuSans"))).toBe(true);
  });

  it("the embedded font is DejaVu Sans and the text extracts: axis titles, tick labels and scheduler names", () => {
    const objects = readPdfObjects(pdf);
    const fontFile = objects.find((object) => objects.some((other) => other.dictionary.includes(`/FontFile2 ${object.id} 0 R`)));
    // A CID subset (glyphs addressed by id, no cmap or name table), named as a subset of DejaVu Sans, far fewer than its 6253 glyphs.
    const descriptor = objects.find((object) => object.dictionary.includes(`/FontFile2 ${fontFile?.id} 0 R`));
    expect(descriptor?.dictionary).toMatch(/\/FontName \/[A-Z]{6}\+DejaVuSans\b/);
    const font = fontkit.create(fontFile?.stream as Buffer);
    expect(font.numGlyphs).toBeGreaterThan(10);
    expect(font.numGlyphs).toBeLessThan(100);
    const cmapObject = objects.find((object) => objects.some((other) => other.dictionary.includes(`/ToUnicode ${object.id} 0 R`)));
    const toUnicode = readToUnicode(cmapObject?.stream?.toString("latin1") ?? "");
    const page = objects.find((object) => /\/Type \/Page\b/.test(object.dictionary));
    const contentId = Number(/\/Contents (\d+) 0 R/.exec(page?.dictionary ?? "")?.[1]);
    const content = objects.find((object) => object.id === contentId)?.stream?.toString("latin1") ?? "";
    const texts = readPdfText(content, toUnicode);
    expect(texts).toContain("simulated time (s)");
    for (const run of results.runs) expect(texts).toContain(run.label);
    // Every text of the SVG is in the PDF, in the same order.
    const svgTexts = [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, "&"));
    expect(texts).toEqual(svgTexts);
  });

  it("is byte-identical across renderings", async () => {
    expect((await renderPdf(svg, "Latency over time")).equals(pdf)).toBe(true);
  });

  it("a zero-gap dash (vega-lite's solid line in a dashed series) becomes a solid line; other dashes are kept", () => {
    expect(solidZeroGapDashes('<path stroke-dasharray="1,0" d="M0,0"/>')).toBe('<path d="M0,0"/>');
    expect(solidZeroGapDashes('<path stroke-dasharray="4,2" d="M0,0"/>')).toBe('<path stroke-dasharray="4,2" d="M0,0"/>');
    expect(solidZeroGapDashes('<path stroke-dasharray="0,3" d="M0,0"/>')).toBe('<path stroke-dasharray="0.001,3" d="M0,0"/>');
  });
});

describe("standalone SVG font", () => {
  it("embeds DejaVu Sans as a WOFF2 subset that has a glyph for every character of the chart's text and few others", async () => {
    const svg = await chartSvg("latency-cdf");
    const fonted = await embedChartFont(svg);
    const uri = /@font-face\{font-family:"DejaVu Sans";src:url\(data:font\/woff2;base64,([A-Za-z0-9+/=]+)\) format\("woff2"\);\}/.exec(fonted);
    expect(uri).not.toBeNull();
    const woff2 = Buffer.from(uri?.[1] ?? "", "base64");
    expect(woff2.toString("latin1", 0, 4)).toBe("wOF2");
    expect(woff2.length).toBeLessThan(12_000);
    const font = fontkit.create(woff2);
    const characters = textCharacters(svg);
    expect(characters).toContain("%");
    for (const char of characters) expect(font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0), char).toBe(true);
    expect(font.hasGlyphForCodePoint("Ж".codePointAt(0) ?? 0)).toBe(false);
    // Everything else is the SVG vega drew.
    expect(fonted.replace(/<defs><style>@font-face[^<]*<\/style><\/defs>/, "")).toBe(svg);
    expect(await embedChartFont(svg)).toBe(fonted);
  });

  it("textCharacters decodes entities and reads every <text>, sorted", () => {
    expect(textCharacters('<svg><text x="1">b&amp;a</text><g><text>c&#x3c;&#62;</text></g></svg>')).toBe("&<>abc");
  });
});

describe("writeReport: widths, formats, one font for the HTML page", () => {
  const asked: ChartWidth[] = [];
  const probe: ChartDefinition = {
    id: "probe",
    title: "Probe",
    build: (r, width) => {
      asked.push(width ?? "column");
      const chart = CHARTS.find((c) => c.id === "violation-rate")?.build(r, width);
      if (chart?.kind !== "chart") throw new Error("violation-rate not drawn");
      return chart;
    },
  };
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "continuum-print-"));
    await writeReport(results, dir, ["svg", "png", "pdf", "html"], { widths: ["double", "column"], dpi: 150, charts: [probe, CHARTS[0]] });
  });

  it("passes each asked width to the chart (column first) and names the files <id>.* and <id>@double.*", () => {
    expect(asked).toEqual(["column", "double"]);
    const files = readdirSync(join(dir, "charts")).sort();
    const names = (id: string) => [".pdf", ".png", ".svg", ".vl.json"].flatMap((ext) => [`${id}${ext}`, `${id}@double${ext}`]);
    expect(files).toEqual([...names("latency-cdf"), ...names("probe")].sort());
  });

  it("PNGs at the asked dpi; the HTML page has one @font-face and its charts none, the standalone SVGs one each", () => {
    const phys = readPngChunks(readFileSync(join(dir, "charts", "probe.png"))).find((chunk) => chunk.type === "pHYs");
    expect(phys?.data.readUInt32BE(0)).toBe(Math.round(150 / 0.0254));
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect(html.match(/@font-face/g)).toHaveLength(1);
    expect(readFileSync(join(dir, "charts", "probe.svg"), "utf8").match(/@font-face/g)).toHaveLength(1);
    expect(readFileSync(join(dir, "charts", "probe@double.svg"), "utf8").match(/@font-face/g)).toHaveLength(1);
  });
});
