import type { TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { ROUTERS } from "../../src/llm/routers/registry.js";
import type { ChartOutcome } from "../../src/report/chart.js";
import { CHARTS } from "../../src/report/charts/index.js";
import type { SweepChartInput } from "../../src/report/charts/sweep-input.js";
import { sweepMetricVsAxisChart } from "../../src/report/charts/sweep-metric-vs-axis.js";
import { POLICY_COLOUR_SLOTS, policyColours, preferredSlot } from "../../src/report/policy-colours.js";
import { SCHEDULERS } from "../../src/schedulers/registry.js";
import { fixture } from "./fixtures.js";

/*
 * One colour per policy label (README: one colour per scheduler), the same in a run's report and
 * in a sweep's charts, whichever runs each file holds. The oracle is the table in docs/reports.md:
 * the Okabe–Ito colours by name.
 */

const BLUE = "#0072B2";
const ORANGE = "#E69F00";
const GREEN = "#009E73";
const PINK = "#CC79A7";

/** Every colour scale of a spec whose domain is policy labels: label -> colour. */
function labelColours(spec: unknown, labels: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const record = node as Record<string, unknown>;
      const scale = record.scale as { domain?: unknown; range?: unknown } | undefined;
      if (Array.isArray(scale?.domain) && Array.isArray(scale.range) && scale.domain.some((d) => labels.has(d as string))) {
        scale.domain.forEach((label, i) => {
          const colour = (scale.range as string[])[i];
          const before = found.get(label as string);
          if (before !== undefined) expect(colour, `${String(label)} has two colours in one chart`).toBe(before);
          found.set(label as string, colour);
        });
      }
      for (const value of Object.values(record)) visit(value);
    }
  };
  visit(spec);
  return found;
}

function sweepInput(labels: readonly string[]): SweepChartInput {
  const cells = [4, 16].flatMap((devices) =>
    labels.map((label) => ({ values: { devices, scheduler: [label] }, label, metrics: { "jobs.violationRate": { n: 3, mean: devices / 100, ciLow: null, ciHigh: null } } })),
  );
  return {
    sweep: {
      sampling: { method: "grid" },
      axes: [
        { name: "devices", path: "/devices/0/count", values: [4, 16] },
        { name: "scheduler", path: "/policies", values: labels.map((l) => [l]) },
      ],
      metrics: ["jobs.violationRate"],
    },
    cells,
  };
}

function spec(outcome: ChartOutcome): TopLevelSpec {
  if (outcome.kind !== "chart") throw new Error(`skipped: ${outcome.reason}`);
  return outcome.spec;
}

describe("policy colours", () => {
  it("every built-in scheduler and router name has a fixed colour", () => {
    const names = [...Object.keys(SCHEDULERS).filter((name) => name !== "module"), ...Object.keys(ROUTERS)];
    for (const name of names) expect(POLICY_COLOUR_SLOTS[name], name).toBeTypeOf("number");
  });

  it("the colour is a function of the label, not of the order or the company of the runs", () => {
    // A custom label whose hashed colour none of the four schedulers below has.
    const custom = Array.from({ length: 20 }, (_, i) => `custom-${i}`).find((label) => preferredSlot(label) >= 4) ?? "";
    const few = policyColours(["round-robin", "least-loaded"]);
    const many = policyColours(["random", "least-loaded", "nearest-healthy", "round-robin", custom]);
    const colourOf = (scale: { domain: string[]; range: string[] }, label: string) => scale.range[scale.domain.indexOf(label)];
    expect(colourOf(few, "round-robin")).toBe(GREEN);
    expect(colourOf(few, "least-loaded")).toBe(ORANGE);
    expect(colourOf(many, "round-robin")).toBe(GREEN);
    expect(colourOf(many, "least-loaded")).toBe(ORANGE);
    expect(colourOf(many, "nearest-healthy")).toBe(BLUE);
    expect(colourOf(many, "random")).toBe(PINK);
    // A custom label alone and among others: the same (hashed) colour while nothing else wants it.
    expect(colourOf(policyColours([custom]), custom)).toBe(colourOf(many, custom));
  });

  it("two labels of one figure never share a colour while the palette has a free one", () => {
    const custom = Array.from({ length: 40 }, (_, i) => `policy-${i}`);
    const [a, b] = custom.flatMap((x, i) =>
      custom
        .slice(i + 1)
        .filter((y) => preferredSlot(y) === preferredSlot(x))
        .map((y) => [x, y]),
    )[0];
    const scale = policyColours([a, b, "nearest-healthy"]);
    expect(new Set(scale.range).size).toBe(3);
    expect(new Set(policyColours(custom.slice(0, 8)).range).size).toBe(8);
  });

  it("a run chart and a sweep chart give a label the same colour, though the run file and the sweep hold different runs", () => {
    const results = fixture();
    // The run file: two schedulers, in an order unlike the sweep's sorted labels.
    const runLabels = ["round-robin", "least-loaded"];
    results.runs = results.runs.slice(0, 2).map((run, i) => ({ ...run, label: runLabels[i] }));
    const sweepLabels = ["least-loaded", "nearest-healthy", "random", "round-robin"];
    const sweep = labelColours(spec(sweepMetricVsAxisChart(sweepInput(sweepLabels), "jobs.violationRate", "devices")), new Set(sweepLabels));
    let compared = 0;
    for (const chart of CHARTS.filter((c) => c.family === "frames")) {
      const outcome = chart.build(results);
      if (outcome.kind !== "chart") continue;
      const run = labelColours(outcome.spec, new Set(runLabels));
      for (const [label, colour] of run) {
        expect(colour, `${chart.id}: ${label}`).toBe(sweep.get(label));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
    expect(sweep.get("round-robin")).toBe(GREEN);
  });
});
