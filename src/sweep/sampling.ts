import { RandomStreams } from "../engine/rng.js";
import { gridValues, valueAt } from "./axis-values.js";
import type { JsonValue } from "./plan-types.js";
import type { AxisDocument, SamplingDocument } from "./sweep-schema.js";

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
