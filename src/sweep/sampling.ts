import type { InputIssue } from "../errors.js";
import { RandomStreams } from "../engine/rng.js";
import { gridValues, valueAt } from "./axis-values.js";
import type { JsonValue } from "./plan-types.js";
import type { AxisDocument, SamplingDocument } from "./sweep-schema.js";

/**
 * Most runs (cells x replications) a sweep may plan. Each run is a record in the plan
 * (sweep.json) and a file in runs/: 100,000 runs is about 20 MB of plan and, at a second per run,
 * more than a day on one core; a larger study is several sweeps (or shards of a smaller one).
 */
export const MAX_SWEEP_RUNS = 100_000;

/** The sweep's runs when it plans more than MAX_SWEEP_RUNS, as an issue at the factor that contributes most; counted before any point is made. */
export function plannedRunsIssue(axes: readonly AxisDocument[], sampling: SamplingDocument, replications: number): InputIssue | undefined {
  // Every grid point of every axis is made and checked at load, whatever the sampling: no axis may have more points than a sweep may have runs.
  const steep = axes.findIndex((axis) => "range" in axis && axis.range.steps > MAX_SWEEP_RUNS);
  if (steep >= 0) {
    const steps = (axes[steep] as Extract<AxisDocument, { range: unknown }>).range.steps;
    return {
      path: `axes[${steep}].range.steps`,
      value: steps,
      expected: `at most ${MAX_SWEEP_RUNS} points on an axis (each is checked when the sweep is loaded, and a sweep plans at most ${MAX_SWEEP_RUNS} runs)`,
    };
  }
  const factors: { path: string; value: number }[] = [{ path: "replications", value: replications }];
  if (sampling.method === "grid")
    axes.forEach((axis, i) => void factors.push("values" in axis ? { path: `axes[${i}].values`, value: axis.values.length } : { path: `axes[${i}].range.steps`, value: axis.range.steps }));
  else factors.push({ path: "sampling.count", value: sampling.count });
  const runs = factors.reduce((product, factor) => product * factor.value, 1);
  if (runs <= MAX_SWEEP_RUNS) return undefined;
  const largest = factors.reduce((a, b) => (b.value > a.value ? b : a));
  const cells = runs / replications;
  return {
    path: largest.path,
    value: largest.path.endsWith(".values") ? `${largest.value} values` : largest.value,
    expected: `a sweep of at most ${MAX_SWEEP_RUNS} runs: it plans ${count(runs)} (${count(cells)} cells x ${replications} replication${replications === 1 ? "" : "s"}); use fewer steps, values, samples or replications, or split the study into several sweeps`,
  };
}

function count(value: number): string {
  return value < 1e6 ? String(value) : value.toExponential(2).replace("e+", "e");
}

/** Points of the sweep as value lists (one value per axis, in axis order), before deduplication and sorting. */
export function samplePoints(axes: readonly AxisDocument[], sampling: SamplingDocument, seed: number | string): JsonValue[][] {
  switch (sampling.method) {
    case "grid":
      return cartesian(axes.map(gridValues));
    case "random": {
      // Point i draws from its own stream, so raising `count` keeps the points drawn before.
      const streams = new RandomStreams(seed);
      return Array.from({ length: sampling.count }, (_, i) => {
        const u = streams.stream(`sweep/random/${i}`);
        return axes.map((axis) => valueAt(axis, u()));
      });
    }
    case "latin-hypercube":
      return latinHypercube(axes, sampling.count, seed);
  }
}

function cartesian(lists: JsonValue[][]): JsonValue[][] {
  let points: JsonValue[][] = [[]];
  for (const list of lists) points = points.flatMap((point) => list.map((value) => [...point, value]));
  return points;
}

/**
 * McKay's Latin hypercube: each axis is cut into `count` equal strata and every stratum is used
 * exactly once, in an independent random order per axis, at a random position inside it.
 */
function latinHypercube(axes: readonly AxisDocument[], count: number, seed: number | string): JsonValue[][] {
  const streams = new RandomStreams(seed);
  const columns = axes.map((axis) => {
    const u = streams.stream(`sweep/lhs/${axis.path}`);
    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order.map((stratum) => valueAt(axis, (stratum + u()) / count));
  });
  return Array.from({ length: count }, (_, i) => columns.map((column) => column[i]));
}
