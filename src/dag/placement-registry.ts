import * as z from "zod";
import type { SchedulerEntry } from "../scenario/resolved.js";
import { type PlacementPolicy, perStagePlacement, WHOLE_GRAPH_EXHAUSTIVE_LIMIT, wholeGraphPlacement } from "./placement.js";

/**
 * The applications family's named policies (docs/applications.md, "Placement"): a policy entry's
 * `applications` member, or a single name that fills it. Options are checked by the scenario
 * resolver against these schemas, like the schedulers' and routers'.
 */
export const PLACEMENT_OPTIONS: Readonly<Record<string, z.ZodType>> = {
  "whole-graph": z.strictObject({
    exhaustiveLimit: z
      .number()
      .int()
      .positive()
      .default(WHOLE_GRAPH_EXHAUSTIVE_LIMIT)
      .meta({ description: `Assignments enumerated before a local search takes over. Default ${WHOLE_GRAPH_EXHAUSTIVE_LIMIT}.` }),
  }),
};

export const PLACEMENTS: Readonly<Record<string, (options: Readonly<Record<string, unknown>>) => PlacementPolicy>> = {
  "per-stage": () => perStagePlacement,
  "whole-graph": (options) => wholeGraphPlacement(options.exhaustiveLimit as number),
};

/** The placement policy of a resolved entry (its options already parsed, defaults applied). */
export function createPlacement(entry: SchedulerEntry): PlacementPolicy {
  const factory = PLACEMENTS[entry.name];
  if (factory === undefined) throw new Error(`unknown applications policy ${entry.name}`);
  return factory(entry.options);
}
