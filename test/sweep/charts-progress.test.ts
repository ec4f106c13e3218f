import { describe, expect, it } from "vitest";
import { sweepHeatmapChart } from "../../src/report/charts/sweep-heatmap.js";
import type { SweepChartInput } from "../../src/report/charts/sweep-input.js";
import { sweepMetricVsAxisChart } from "../../src/report/charts/sweep-metric-vs-axis.js";
import { renderSvg } from "../../src/report/render.js";
import { OKABE_ITO } from "../../src/report/style.js";
import { formatSeconds, Progress } from "../../src/sweep/progress.js";

const stats = (mean: number, half: number | null) => ({ n: 3, mean, ciLow: half === null ? null : mean - half, ciHigh: half === null ? null : mean + half });

function input(withSecondAxis: boolean): SweepChartInput {
  const axes = [
    { name: "devices", path: "/devices/0/count", values: [4, 16, 128] },
    { name: "scheduler", path: "/schedulers", values: [["least-loaded"], ["round-robin"]] },
    ...(withSecondAxis ? [{ name: "fps", path: "/devices/0/workload/fps", values: [2, 5] }] : []),
  ];
  const cells: SweepChartInput["cells"] = [];
  for (const devices of [4, 16, 128]) {
    for (const label of ["round-robin", "least-loaded"]) {
      for (const fps of withSecondAxis ? [2, 5] : [2]) {
        cells.push({ values: { devices, scheduler: [label], fps }, label, metrics: { "qos.violationRate": stats(devices / 100 + fps / 10, 0.01) } });
      }
    }
  }
  return { sweep: { sampling: { method: "grid" }, axes, metrics: ["qos.violationRate"] }, cells };
}

describe("sweep charts", () => {
  it("metric vs axis: a line and a CI band per scheduler, palette colours by label, log x for 4..128, renders without warnings", async () => {
    const outcome = sweepMetricVsAxisChart(input(false), "qos.violationRate", "devices");
    expect(outcome.kind).toBe("chart");
    if (outcome.kind !== "chart") return;
    const text = JSON.stringify(outcome.spec);
    expect(text).toContain('"type":"area"');
    expect(text).toContain('"type":"log"');
    // Each scheduler's fixed colour (docs/reports.md), as in the run charts.
    expect(text).toContain(`"domain":["least-loaded","round-robin"],"range":["${OKABE_ITO[1]}","${OKABE_ITO[2]}"]`);
    const rendered = await renderSvg(outcome.spec);
    expect(rendered.warnings).toEqual([]);
    expect(rendered.svg).toContain("least-loaded");
  });

  it("heatmap over two axes, a panel per scheduler; skipped with one axis", async () => {
    const outcome = sweepHeatmapChart(input(true), "qos.violationRate");
    expect(outcome.kind).toBe("chart");
    if (outcome.kind !== "chart") return;
    expect(JSON.stringify(outcome.spec)).toContain('"type":"rect"');
    const rendered = await renderSvg(outcome.spec);
    expect(rendered.warnings).toEqual([]);
    expect(sweepHeatmapChart(input(false), "qos.violationRate")).toMatchObject({ kind: "skipped" });
  });

  it("a metric without values is skipped, never drawn empty", () => {
    expect(sweepMetricVsAxisChart(input(false), "throughput", "devices")).toMatchObject({ kind: "skipped" });
  });
});

describe("progress", () => {
  const sink = (isTTY: boolean) => {
    const writes: string[] = [];
    return { stream: { isTTY, write: (text: string) => writes.push(text) }, writes };
  };

  it("plain lines off a terminal, at most one per 10%", () => {
    const { stream, writes } = sink(false);
    const progress = new Progress(100, stream, "s");
    for (let i = 0; i < 100; i++) progress.tick(i !== 5);
    expect(writes.length).toBeLessThanOrEqual(11);
    expect(writes.every((w) => w.endsWith("\n") && !w.includes("\r"))).toBe(true);
    expect(writes[writes.length - 1]).toMatch(/^s: 100\/100 runs, 1 failed, [\d.]+ runs\/s, ETA 0:00\n$/);
  });

  it("a redrawn bar on a terminal", () => {
    const { stream, writes } = sink(true);
    const progress = new Progress(2, stream, "s");
    progress.tick(true);
    progress.tick(true);
    expect(writes[writes.length - 1]).toMatch(/^\rs \[#{24}\] 2\/2 runs/);
    expect(formatSeconds(3725)).toBe("1:02:05");
    expect(formatSeconds(Number.NaN)).toBe("--:--");
  });
});
