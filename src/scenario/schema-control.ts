import * as z from "zod";

/**
 * `control` (issue 17, docs/control-plane.md): images, deployments, the catalog's settings and
 * the node timeline. Stub of the contract commit: helper SCHEMA writes the full schema.
 */
export const controlSchema = z.strictObject({}).meta({
  description: "The control plane: services deployed as replicas by an orchestrator, discovered through a catalog (docs/control-plane.md). Omitted: every service runs from time 0.",
});

export type ControlDocument = z.output<typeof controlSchema>;
