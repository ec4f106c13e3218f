import type * as z from "zod";
import { schemasOnRead } from "../../scenario/schema-on-use.js";
import { createCloudOnly, createComplexityThreshold, createEdgeFirst, createGrayZone, createLocalOnly, edgeFirstOptions, grayZoneOptions, thresholdOptions } from "./fixed-routers.js";
import { createExternalRouter, externalRouterOptions } from "./external-router.js";
import { createLearnedRouter, learnedRouterOptions } from "./learned-router.js";
import type { RouterFactory } from "./types.js";

/** Every query-routing policy by the name an llm scenario uses. A new one is a factory plus a line here. */
export const ROUTERS: Readonly<Record<string, RouterFactory>> = {
  "local-only": createLocalOnly,
  "cloud-only": createCloudOnly,
  "complexity-threshold": createComplexityThreshold,
  "gray-zone": createGrayZone,
  "edge-first": createEdgeFirst,
  "learned-router": createLearnedRouter,
  external: createExternalRouter,
};

export const ROUTER_NAMES: readonly string[] = Object.keys(ROUTERS).sort();

/** Options each router accepts, checked when the scenario loads; a router not listed takes none. Each schema is built on its first read (a run builds those of the routers it compares). */
export const ROUTER_OPTIONS: Readonly<Record<string, z.ZodType>> = schemasOnRead({
  "complexity-threshold": thresholdOptions,
  "gray-zone": grayZoneOptions,
  "edge-first": edgeFirstOptions,
  "learned-router": learnedRouterOptions,
  external: externalRouterOptions,
});
