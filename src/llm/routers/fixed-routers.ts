import * as z from "zod";
import { builtOnce } from "../../scenario/schema-on-use.js";
import type { QueryRouter, RouterFactory, RouteMode } from "./types.js";

/** Every query on the device's own model or its edge nodes: nothing reaches the cloud. */
export const createLocalOnly: RouterFactory = () => ({ name: "local-only", route: () => "local" });

/** Every query to the cloud model. */
export const createCloudOnly: RouterFactory = () => ({ name: "cloud-only", route: () => "cloud" });

export const thresholdOptions = builtOnce(() =>
  z.strictObject({
    threshold: z.number().gte(0).lte(1).meta({ description: "Queries with complexity below this run locally, the rest in the cloud." }),
  }),
);

/** Local below a complexity threshold, cloud at or above it. */
export const createComplexityThreshold: RouterFactory = (context) => {
  const { threshold } = thresholdOptions().parse(context.options);
  return { name: "complexity-threshold", route: (query) => (query.complexity < threshold ? "local" : "cloud") };
};

export const grayZoneOptions = builtOnce(() =>
  z
    .strictObject({
      lower: z.number().gte(0).lte(1).meta({ description: "Below: local." }),
      upper: z.number().gte(0).lte(1).meta({ description: "At or above: cloud. Between lower and upper: collaborative." }),
    })
    .refine((o) => o.lower <= o.upper, { error: "lower must not exceed upper", path: ["upper"] }),
);

/** Local below `lower`, collaborative in [lower, upper), cloud from `upper`. */
export const createGrayZone: RouterFactory = (context) => {
  const { lower, upper } = grayZoneOptions().parse(context.options);
  const route = (complexity: number): RouteMode => (complexity < lower ? "local" : complexity < upper ? "collaborative" : "cloud");
  return { name: "gray-zone", route: (query) => route(query.complexity) };
};

export const edgeFirstOptions = builtOnce(() =>
  z.strictObject({
    maxOutstanding: z.number().int().positive().meta({ description: "A query goes to the cloud when its local route already has this many queries waiting or in service." }),
  }),
);

/** Local unless the local route is saturated: the overflow goes to the cloud (capacity planning with a fixed edge fleet). */
export const createEdgeFirst: RouterFactory = (context) => {
  const { maxOutstanding } = edgeFirstOptions().parse(context.options);
  let overflow = 0;
  let decisions = 0;
  const router: QueryRouter = {
    name: "edge-first",
    route(query, view) {
      decisions++;
      if (view.localOutstanding(query.deviceIndex) < maxOutstanding) return "local";
      overflow++;
      return "cloud";
    },
    statistics: () => ({ decisions, overflowToCloud: overflow }),
  };
  return router;
};
