import type { ResolvedControl } from "../control/types.js";
import type { ResolveContext } from "./resolve-context.js";
import type { ResolvedDevice, ResolvedNode } from "./resolved-scenario.js";
import type { ControlDocument } from "./schema-control.js";

/**
 * Resolves `control` (issue 17): sizes to bytes, times to ms, node and image ids to indices,
 * resources from the hardware profiles, every problem reported at its JSON path
 * (`control.deployments[2].image`) with the nearest valid name. Stub of the contract commit:
 * helper SCHEMA writes it.
 */
export function resolveControl(doc: ControlDocument | undefined, _nodes: readonly ResolvedNode[], _devices: readonly ResolvedDevice[], _ctx: ResolveContext): ResolvedControl | undefined {
  if (doc === undefined) return undefined;
  return undefined;
}
