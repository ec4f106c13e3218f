import { describe, expect, it } from "vitest";
import type { ChartOutcome, DrawnChart } from "../../src/report/chart.js";
import { CHARTS } from "../../src/report/charts/index.js";
import { buildHtmlReport } from "../../src/report/html-report.js";
import { deviceTracksChart, mapFrame, OUT_OF_RANGE, rangeCircles, trackPoints } from "../../src/report/charts/device-tracks.js";
import { drawnLinks, linkLabel, linkPoints, linkUtilisationChart, MAX_DRAWN_LINKS } from "../../src/report/charts/link-utilisation.js";
import { policyColourScale } from "../../src/report/policy-colours.js";
import { renderSvg } from "../../src/report/render.js";
import { CHART_WIDTHS, type ChartWidth } from "../../src/report/style.js";
import { readSvgGeometry } from "../../src/report/svg-geometry.js";
import { reportCharts } from "../../src/report/write-report.js";
import { layoutProblemsOfSvg } from "./chart-geometry.js";
import { fixture } from "./fixtures.js";
import { HAND_APS, handMobility, LINK_BINS, withNetworkSections } from "./network-fixtures.js";

const WIDTHS: readonly ChartWidth[] = ["column", "double"];

function drawn(outcome: ChartOutcome): DrawnChart {
  if (outcome.kind !== "chart") throw new Error(`expected a chart, got skipped: ${outcome.reason}`);
  return outcome;
}

/** A layer's or block's field in a spec, found by walking it (the charts nest vconcat/facet/layer). */
function find(spec: unknown, test: (node: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (test(record)) found.push(record);
      Object.values(record).forEach(visit);
    }
  };
  visit(spec);
  return found;
}

describe("the network charts are listed only when some run has their section", () => {
  it("a star network's results (links and mobility null) list neither; results with both list both", () => {
    const ids = (results: ReturnType<typeof fixture>) => reportCharts(results).map((chart) => chart.id);
    expect(ids(fixture())).not.toContain("link-utilisation");
    expect(ids(fixture())).not.toContain("device-tracks");
    expect(ids(withNetworkSections())).toEqual(expect.arrayContaining(["link-utilisation", "device-tracks"]));
    expect(CHARTS.filter((chart) => chart.section === "links" || chart.section === "mobility").map((chart) => chart.id)).toEqual(["link-utilisation", "device-tracks"]);
  });

  it("a section that is there but empty: the chart is skipped with the field named, never drawn empty", () => {
    const results = withNetworkSections();
    for (const run of results.runs) {
      if (run.links !== null) run.links.links = [];
      if (run.mobility !== null) run.mobility.tracks = [];
    }
    const links = linkUtilisationChart(results);
    const tracks = deviceTracksChart(results);
    expect(links.kind === "skipped" && links.reason).toContain("runs[].links.links[].series");
    expect(tracks.kind === "skipped" && tracks.reason).toContain("runs[].mobility.tracks");
  });
});

describe("link utilisation over time", () => {
  const results = withNetworkSections();

  it("names a link direction as it is travelled; an air interface up (device to AP) or down", () => {
    expect(linkLabel({ id: "cam-ap--edge", direction: "forward" })).toBe("cam-ap → edge");
    expect(linkLabel({ id: "cam-ap--edge", direction: "reverse" })).toBe("edge → cam-ap");
    expect(linkLabel({ id: "ap-1/air", direction: "forward" })).toBe("ap-1 air up");
    expect(linkLabel({ id: "ap-1/air", direction: "reverse" })).toBe("ap-1 air down");
  });

  it(`draws the ${MAX_DRAWN_LINKS} busiest directions in link order, and names the others in the caption`, () => {
    // From the fixture's ramps: the least busy are switch--core reverse (mean 0.01) and edge--cloud reverse (0.02).
    expect(drawnLinks(results)).toEqual({
      drawn: ["cam-ap → edge", "edge → cam-ap", "switch → core", "edge → cloud", "ap-1 air up", "ap-1 air down"],
      left: ["core → switch", "cloud → edge"],
    });
    const chart = drawn(linkUtilisationChart(results));
    expect(chart.caption).toContain("6 of 8 link directions are drawn");
    expect(chart.caption).toContain("not drawn: core → switch, cloud → edge");
    const facet = find(chart.spec, (node) => node.facet !== undefined)[0].facet as { sort: string[] };
    expect(facet.sort).toEqual(drawnLinks(results).drawn);
  });

  it("one point per bin at the bin's middle, in per cent of capacity: the first run's uplink climbs from 0 to 100 % over the window", () => {
    const uplink = linkPoints(results).filter((p) => p.run === results.runs[0].label && p.link === "cam-ap → edge");
    // Window [10 s, 60 s), 10 bins of 5 s: middles at 12.5, 17.5, ..., 57.5 s; the ramp 0 -> 1 in 9 steps.
    expect(uplink.map((p) => p.t)).toEqual(Array.from({ length: LINK_BINS }, (_, i) => 12.5 + 5 * i));
    expect(uplink[0].utilisation).toBe(0);
    expect(uplink[LINK_BINS - 1].utilisation).toBe(100);
    expect(uplink[3].utilisation).toBeCloseTo((100 * 3) / 9, 3);
    // The third run's ramp is scaled by 0.8.
    expect(linkPoints(results).filter((p) => p.run === results.runs[2].label && p.link === "cam-ap → edge")[LINK_BINS - 1].utilisation).toBe(80);
  });

  it("the y axis is 0-100 % at both widths, the x axis the measurement window; a line per run in the report's policy colours", () => {
    const colours = policyColourScale(results);
    for (const width of WIDTHS) {
      const spec = drawn(linkUtilisationChart(results, width)).spec;
      const y = find(spec, (node) => node.field === "utilisation")[0] as { scale: { domain: number[] }; type: string };
      expect(y.scale.domain).toEqual([0, 100]);
      const x = find(spec, (node) => node.field === "t")[0] as { scale: { domain: number[] } };
      expect(x.scale.domain).toEqual([10, 60]);
      const colour = find(spec, (node) => node.field === "run")[0] as { scale: { domain: string[]; range: string[] } };
      expect(colour.scale).toEqual(colours);
      const shares = linkPoints(results).map((p) => p.utilisation);
      expect(Math.min(...shares)).toBe(0);
      expect(Math.max(...shares)).toBe(100);
    }
  });

  it.each(WIDTHS)("renders without warnings and passes the layout check at %s width", async (width) => {
    const rendered = await renderSvg(drawn(linkUtilisationChart(results, width)).spec);
    expect(rendered.warnings).toEqual([]);
    expect(layoutProblemsOfSvg(rendered.svg, width)).toEqual([]);
  });

  it.each([1, 2, 3])("with %i link direction(s) (a single panel is the widest) it passes the layout check at both widths", async (count) => {
    const few = withNetworkSections();
    for (const run of few.runs) if (run.links !== null) run.links.links = run.links.links.slice(0, count);
    for (const width of WIDTHS) {
      const rendered = await renderSvg(drawn(linkUtilisationChart(few, width)).spec);
      expect(rendered.warnings).toEqual([]);
      expect(layoutProblemsOfSvg(rendered.svg, width), `${count} at ${width}`).toEqual([]);
    }
  });
});

describe("device tracks over the access point map", () => {
  const results = withNetworkSections();
  const mobility = handMobility();

  it.each(WIDTHS)("one scale for both axes at %s width: metres per px the same across and up, and the plot within the width", (width) => {
    const frame = mapFrame(mobility, width);
    const spec = drawn(deviceTracksChart(results, width)).spec as { width: number; height: number };
    const x = find(spec, (node) => node.field === "x" && node.scale !== undefined)[0] as { scale: { domain: number[] } };
    const y = find(spec, (node) => node.field === "y" && node.scale !== undefined)[0] as { scale: { domain: number[] } };
    const metresPerPxAcross = (x.scale.domain[1] - x.scale.domain[0]) / spec.width;
    const metresPerPxUp = (y.scale.domain[1] - y.scale.domain[0]) / spec.height;
    expect(metresPerPxAcross).toBeCloseTo(metresPerPxUp, 9);
    expect(spec.width).toBe(frame.width);
    expect(spec.width).toBeLessThanOrEqual(CHART_WIDTHS[width] - 40);
  });

  it("every track point and every range circle lies on the map", () => {
    const frame = mapFrame(mobility, "column");
    for (const p of [...trackPoints(mobility), ...rangeCircles(mobility)]) {
      expect(p.x).toBeGreaterThanOrEqual(frame.x[0]);
      expect(p.x).toBeLessThanOrEqual(frame.x[1]);
      expect(p.y).toBeGreaterThanOrEqual(frame.y[0]);
      expect(p.y).toBeLessThanOrEqual(frame.y[1]);
    }
    // Each circle's vertices are at the access point's range from it.
    for (const v of rangeCircles(mobility)) {
      const ap = HAND_APS.find((a) => a.id === v.ap);
      expect(Math.hypot(v.x - (ap?.x ?? Number.NaN), v.y - (ap?.y ?? Number.NaN))).toBeCloseTo(ap?.rangeM ?? 0, 1);
    }
  });

  it("points are coloured by their access point (the AP marker's colour); out of range is a black cross", () => {
    const points = trackPoints(mobility);
    // By hand (network-fixtures.ts): car-0's last point and car-1's first two are out of range.
    expect(points.filter((p) => p.attached === OUT_OF_RANGE).map((p) => `${p.device}#${p.order}`)).toEqual(["car-0#12", "car-1#0", "car-1#1"]);
    const spec = drawn(deviceTracksChart(results)).spec;
    const attached = find(spec, (node) => node.field === "attached" && node.scale !== undefined) as { scale: { domain: string[]; range: string[] } }[];
    const colour = attached[0].scale;
    const shape = attached[1].scale;
    expect(colour.domain).toEqual(["ap-0", "ap-1", "ap-2", OUT_OF_RANGE]);
    expect(colour.range[3]).toBe("#000000");
    expect(shape.range).toEqual(["circle", "circle", "circle", "cross"]);
    const apScale = (find(spec, (node) => node.field === "ap" && node.scale !== undefined)[0] as { scale: { domain: string[]; range: string[] } }).scale;
    expect(apScale.domain).toEqual(["ap-0", "ap-1", "ap-2"]);
    expect(apScale.range).toEqual(colour.range.slice(0, 3));
    expect(new Set(apScale.range).size).toBe(3);
  });

  it.each(WIDTHS)("renders without warnings and passes the layout check at %s width; the rendered plot keeps the map's aspect", async (width) => {
    const rendered = await renderSvg(drawn(deviceTracksChart(results, width)).spec);
    expect(rendered.warnings).toEqual([]);
    expect(layoutProblemsOfSvg(rendered.svg, width)).toEqual([]);
    const frame = mapFrame(mobility, width);
    const area = readSvgGeometry(rendered.svg).plotAreas[0];
    expect((area.x1 - area.x0) / (area.y1 - area.y0)).toBeCloseTo((frame.x[1] - frame.x[0]) / (frame.y[1] - frame.y[0]), 2);
  });

  it("a 10 x 10 grid of access points (the mobile-10k shape): no names, no legend, colours repeat (the caption says so), and the layout check passes", async () => {
    const grid = withNetworkSections();
    const aps = Array.from({ length: 100 }, (_, i) => ({ id: `ap-${i}`, x: (i % 10) * 100, y: Math.floor(i / 10) * 100, rangeM: 70 }));
    // Five devices on diagonal-ish straight lines, a point every 50 m, attached to the AP whose cell they are in.
    const tracks = [0, 1, 2, 3, 4].map((d) => ({
      device: `walker-${d}`,
      points: Array.from({ length: 19 }, (_, k) => {
        const x = k * 50;
        const y = (d * 200 + k * 25) % 900;
        return { t: k * 5000, x, y, ap: `ap-${Math.round(y / 100) * 10 + Math.round(x / 100)}` };
      }),
    }));
    for (const run of grid.runs) if (run.mobility !== null) Object.assign(run.mobility, { accessPoints: aps, tracks });
    for (const width of WIDTHS) {
      const chart = drawn(deviceTracksChart(grid, width));
      expect(chart.caption).toContain("colour, which repeats");
      expect(find(chart.spec, (node) => node.field === "attached")[0].legend).toBeNull();
      expect(find(chart.spec, (node) => (node.mark as { type?: string } | undefined)?.type === "text")).toEqual([]);
      const rendered = await renderSvg(chart.spec);
      expect(rendered.warnings).toEqual([]);
      expect(layoutProblemsOfSvg(rendered.svg, width), width).toEqual([]);
    }
  });

  it("a tall map keeps one scale: narrower, not stretched", () => {
    const tall = withNetworkSections();
    for (const run of tall.runs) {
      if (run.mobility === null) continue;
      run.mobility.accessPoints = [0, 1, 2, 3, 4].map((i) => ({ id: `ap-${i}`, x: 0, y: i * 200, rangeM: 120 }));
      run.mobility.tracks = [{ device: "walker", points: [0, 1, 2].map((i) => ({ t: i * 1000, x: 10, y: i * 400, ap: `ap-${i * 2}` })) }];
    }
    const frame = mapFrame(tall.runs[0].mobility ?? handMobility(), "column");
    expect(frame.height).toBeLessThanOrEqual(300);
    expect(frame.width).toBeLessThan(frame.height);
    expect((frame.x[1] - frame.x[0]) / frame.width).toBeCloseTo((frame.y[1] - frame.y[0]) / frame.height, 9);
  });
});

describe("the report's tables of the two sections", () => {
  /** The rows of one table of the page, as cell texts. */
  const rows = (html: string, id: string): string[][] => {
    const body = new RegExp(`<table id="${id}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html)?.[1] ?? "";
    return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<td>(.*?)<\/td>/g)].map((cell) => cell[1]));
  };

  it("a star network's report has neither table", () => {
    const html = buildHtmlReport(fixture(), []);
    expect(html).not.toContain("links-table");
    expect(html).not.toContain("mobility-table");
  });

  it("the links table has the charted directions of every run; the mobility table a row per run and group", () => {
    const results = withNetworkSections();
    const html = buildHtmlReport(results, []);
    const links = rows(html, "links-table");
    expect(links).toHaveLength(3 * MAX_DRAWN_LINKS);
    // First run, uplink forward: the ramp 0 -> 1 has mean 0.5; 100 Mbit/s; flows 3 x 0.5.
    expect(links[0]).toEqual([results.runs[0].label, "cam-ap → edge", "100", "50.0%", "1.50", "7", expect.any(String), "2.50"]);
    expect(links.map((row) => row[1])).not.toContain("core → switch");
    expect(rows(html, "mobility-table")).toEqual(results.runs.map((run) => [run.label, "cars", "2", "144.0", "8", "2"]));
  });
});
