import { describe, expect, it } from "vitest";
import { bottomLegend, logAxisTicks, percentScale, textWidth } from "../../src/report/charts/layout.js";
import { heatColourScale } from "../../src/report/charts/network-heatmap.js";
import { CHART_WIDTHS } from "../../src/report/style.js";

/** Positions of log ticks along an axis of `length` px. */
function positions(ticks: readonly number[], domain: readonly [number, number], length: number): number[] {
  return ticks.map((t) => ((Math.log10(t) - Math.log10(domain[0])) / (Math.log10(domain[1]) - Math.log10(domain[0]))) * length);
}

describe("frame chart layout helpers", () => {
  it("log ticks at one column: 1-2-5 and 1-3 crowd a 20 ms - 500 s axis of 250 px, one tick per decade does not (worked by hand)", () => {
    // DejaVu Sans at 9 px: digits 5.73 px, comma 2.86 px; 4.4 decades over 250 px = 56.8 px per decade.
    // 50 -> 100 is 17.1 px apart but needs (11.5 + 17.2) / 2 + 6 = 20.3 px; 1,000 -> 3,000 is 27.1 px apart but needs 31.8 px.
    expect(logAxisTicks([20, 500_000], 250, "x")).toEqual([100, 1000, 10_000, 100_000]);
  });

  it("log ticks at two columns are denser, and never closer than their labels need", () => {
    const domain: [number, number] = [20, 500_000];
    const ticks = logAxisTicks(domain, 600, "x");
    expect(ticks.length).toBeGreaterThan(4);
    const at = positions(ticks, domain, 600);
    for (let i = 1; i < ticks.length; i++) {
      const needed = (textWidth(ticks[i].toLocaleString("en-US")) + textWidth(ticks[i - 1].toLocaleString("en-US"))) / 2 + 6;
      expect(at[i] - at[i - 1], `${ticks[i - 1]} -> ${ticks[i]}`).toBeGreaterThanOrEqual(needed);
    }
  });

  it("log ticks on a y axis of 160 px keep a line of text (9 px) plus 3 px between them", () => {
    const domain: [number, number] = [20, 500_000];
    const ticks = logAxisTicks(domain, 160, "y");
    expect(ticks).toContain(100);
    const at = positions(ticks, domain, 160);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(12);
  });

  it("a percent axis ends at the first of 1, 2, 5, 10, 20, 25, 50, 100 at or above the data, never above 100", () => {
    expect(percentScale(99.98).domain).toEqual([0, 100]);
    expect(percentScale(100).domain).toEqual([0, 100]);
    expect(percentScale(0.56).domain).toEqual([0, 1]);
    expect(percentScale(15).domain).toEqual([0, 20]);
    expect(percentScale(0).domain).toEqual([0, 1]);
  });

  it("heat-map colour scales label at least four values: a spread matrix, a uniform one, one spanning decades", () => {
    expect(heatColourScale([15.5, 20, 54], 200)).toEqual({ type: "linear", domain: [10, 60], legendValues: [10, 20, 30, 40, 50, 60] });
    const uniform = heatColourScale([79.8, 79.8, 79.8], 200);
    expect(uniform.type).toBe("linear");
    expect(uniform.domain[0]).toBeLessThan(79.8);
    expect(uniform.domain[1]).toBeGreaterThan(79.8);
    expect(uniform.legendValues.length).toBeGreaterThanOrEqual(4);
    const wide = heatColourScale([2, 15, 150], 200);
    expect(wide.type).toBe("log");
    expect(wide.domain).toEqual([2, 200]);
    expect(wide.legendValues.length).toBeGreaterThanOrEqual(3);
  });

  it("a legend below the plot takes as many columns as its longest label allows in the print width", () => {
    const labels = ["nearest-healthy", "least-loaded", "weighted", "learned", "learned-federated"];
    const entry = Math.ceil(textWidth("learned-federated")) + 26;
    expect(bottomLegend(labels, "column").columns).toBe(Math.floor((CHART_WIDTHS.column - 20) / entry));
    expect(bottomLegend(labels, "double").columns).toBe(5);
    expect(bottomLegend(labels, "column").columns).toBeLessThan(5);
  });
});
