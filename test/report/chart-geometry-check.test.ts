import { describe, expect, it } from "vitest";
import type { TopLevelSpec } from "vega-lite";
import { dejavuSansMetrics } from "../../src/report/font-metrics.js";
import { CHART_CONFIG } from "../../src/report/style.js";
import { parseTransform, pathPoints, readSvgGeometry } from "../../src/report/svg-geometry.js";
import { penetration } from "../../src/report/svg-layout-check.js";
import { layoutProblemsOfSpec, layoutProblemsOfSvg } from "./chart-geometry.js";

/** The layout check must be able to fail: hand-built charts with one known defect each, and a clean one. */

const base = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", config: CHART_CONFIG } as const;
const bars = [
  { k: "a", v: 3 },
  { k: "b", v: 7 },
  { k: "c", v: 5 },
];

describe("the layout check on hand-built charts", () => {
  it("a clean bar chart at column width has no problem", async () => {
    const spec = { ...base, width: 200, height: 120, data: { values: bars }, mark: "bar", encoding: { x: { field: "k", type: "nominal" }, y: { field: "v", type: "quantitative" } } } as TopLevelSpec;
    expect(await layoutProblemsOfSpec(spec, "column")).toEqual([]);
  });

  it("two text marks drawn on one spot overlap", async () => {
    const text = (label: string) => ({ mark: { type: "text", fontSize: 10 }, encoding: { x: { value: 60 }, y: { value: 50 }, text: { value: label } } });
    const spec = { ...base, width: 200, height: 120, data: { values: [{}] }, layer: [text("alpha"), text("betas")] } as TopLevelSpec;
    expect(await layoutProblemsOfSpec(spec, "column")).toEqual(["text 'alpha' overlaps 'betas'"]);
  });

  it("long x labels on a narrow axis, with vega's overlap removal off, overlap", async () => {
    const values = ["nearest-healthy", "least-loaded", "round-robin"].map((k, i) => ({ k, v: i + 1 }));
    const spec = {
      ...base,
      width: 120,
      height: 100,
      data: { values },
      mark: "bar",
      encoding: { x: { field: "k", type: "nominal", sort: null, axis: { labelAngle: 0, labelOverlap: false } }, y: { field: "v", type: "quantitative" } },
    } as TopLevelSpec;
    const problems = await layoutProblemsOfSpec(spec, "column");
    expect(problems).toContain("text 'nearest-healthy' overlaps 'least-loaded'");
    expect(problems).toContain("text 'least-loaded' overlaps 'round-robin'");
  });

  it("points beyond a fixed axis domain draw outside the plot; clipped to it, they do not", async () => {
    const points = (clip: boolean) =>
      ({
        ...base,
        width: 200,
        height: 100,
        data: {
          values: [
            { x: 1, y: 5 },
            { x: 2, y: 20 },
          ],
        },
        mark: { type: "point", clip },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative", scale: { domain: [0, 10] } } },
      }) as TopLevelSpec;
    const problems = await layoutProblemsOfSpec(points(false), "column");
    expect(problems).toHaveLength(1);
    // y = 20 on a 0..10 axis 100 px tall is drawn 100 px above the plot's top.
    expect(problems[0]).toMatch(/^symbol mark .*: 1 point\(s\) outside the plot area, up to 100\.0 px/);
    expect(await layoutProblemsOfSpec(points(true), "column")).toEqual([]);
  });

  it("a legend placed on the plot lies over the data", async () => {
    const spec = {
      ...base,
      width: 200,
      height: 120,
      data: { values: bars },
      mark: "point",
      encoding: { x: { field: "v", type: "quantitative" }, y: { field: "v", type: "quantitative" }, color: { field: "k", type: "nominal", legend: { orient: "top-right" } } },
    } as TopLevelSpec;
    const problems = await layoutProblemsOfSpec(spec, "column");
    expect(problems).toContain("legend-title text 'k' lies on a plot area, over the data");
    expect(problems).toContain("legend-label text 'a' lies on a plot area, over the data");
  });

  it("size limits: wider than the print width, taller than 1.5 x the column width or a page", async () => {
    const spec = (width: number, height: number) =>
      ({ ...base, width, height, data: { values: bars }, mark: "bar", encoding: { x: { field: "k", type: "nominal" }, y: { field: "v", type: "quantitative" } } }) as TopLevelSpec;
    expect((await layoutProblemsOfSpec(spec(400, 100), "column")).join("\n")).toMatch(/px wide, more than the 330 px of the column width/);
    expect(await layoutProblemsOfSpec(spec(400, 100), "double")).toEqual([]);
    expect((await layoutProblemsOfSpec(spec(200, 500), "column")).join("\n")).toMatch(/px tall, more than the 495 px allowed at column width/);
    expect((await layoutProblemsOfSpec(spec(400, 950), "double")).join("\n")).toMatch(/px tall, more than the 900 px allowed at double width/);
  });
});

describe("overlap of boxes, upright or rotated", () => {
  const rect = (x0: number, y0: number, x1: number, y1: number): Array<[number, number]> => [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
  /** A 10 x 2 box rotated by -45 degrees about (cx, cy): a slanted column label. */
  const slanted = (cx: number, cy: number): Array<[number, number]> => rect(-5, -1, 5, 1).map(([x, y]) => [cx + (x + y) / Math.SQRT2, cy + (y - x) / Math.SQRT2] as [number, number]);

  it("upright boxes: the smaller of the x and y overlaps; apart: negative", () => {
    expect(penetration(rect(0, 0, 10, 10), rect(7, 4, 20, 30))).toBeCloseTo(3, 12);
    expect(penetration(rect(0, 0, 10, 10), rect(12, 0, 20, 10))).toBeCloseTo(-2, 12);
  });

  it("two slanted labels 4 px apart do not overlap, though the upright boxes around them do", () => {
    // Their upright boxes are 8.5 px wide, centres 4 px apart: those overlap by 4.5 px.
    expect(penetration(slanted(0, 0), slanted(4, 0))).toBeLessThan(0);
    expect(penetration(slanted(0, 0), slanted(1, 0))).toBeGreaterThan(0);
  });
});

describe("reading an SVG", () => {
  it("a rotated, middle-anchored text's box: a y-axis title reads bottom to top, tops to the left", () => {
    const svg = '<svg width="100" height="100"><g transform="translate(10,50)"><text text-anchor="middle" transform="rotate(-90)" font-size="10px">abc</text></g></svg>';
    const [box] = readSvgGeometry(svg).texts;
    const width = dejavuSansMetrics().width("abc", 10);
    // No descender in "abc": the box spans the ascent (1556/2048 em) left of the baseline.
    expect(box.x0).toBeCloseTo(10 - (1556 / 2048) * 10, 9);
    expect(box.x1).toBeCloseTo(10, 9);
    expect(box.y0).toBeCloseTo(50 - width / 2, 9);
    expect(box.y1).toBeCloseTo(50 + width / 2, 9);
  });

  it("hidden texts (opacity 0, vega's removed overlapping labels) are not read; tspans are lines", () => {
    const svg =
      '<svg width="100" height="100"><text opacity="0" font-size="10px">gone</text><g transform="translate(0,20)"><text font-size="10px"><tspan>one</tspan><tspan x="0" dy="12">two</tspan></text></g></svg>';
    const texts = readSvgGeometry(svg).texts;
    expect(texts.map((t) => [t.text, t.y1])).toEqual([
      ["one", 20],
      ["two", 32],
    ]);
    expect(layoutProblemsOfSvg(svg, "column")).toEqual([]);
  });

  it("path points follow absolute and relative commands; transforms compose left to right", () => {
    expect(pathPoints("M10,10h5v5h-5Z")).toEqual([
      [10, 10],
      [15, 10],
      [15, 15],
      [10, 15],
    ]);
    expect(pathPoints("M0,0l2,3L5,5")).toEqual([
      [0, 0],
      [2, 3],
      [5, 5],
    ]);
    const m = parseTransform("translate(5,0) rotate(90)");
    // rotate(90) takes (1,0) to (0,1), then the translation: (5,1).
    expect(m[0] * 1 + m[2] * 0 + m[4]).toBeCloseTo(5, 12);
    expect(m[1] * 1 + m[3] * 0 + m[5]).toBeCloseTo(1, 12);
  });
});
