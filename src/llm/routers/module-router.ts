import { InputError } from "../../errors.js";
import type { PolicyEntry } from "../../policies/policy-entry.js";
import { importFactory, policyPath } from "../../schedulers/module-policy.js";
import type { QueryRouter, RouterContext, RouterFactory } from "./types.js";

/**
 * Loads the ES modules of `{"policy": "module"}` router entries (before simulating: importing is
 * asynchronous, the simulation is not) and returns a factory per entry label. A module exports
 * `(context) => QueryRouter` as its default export or as `createRouter`; the entry's options
 * arrive as `context.options`.
 */
export async function loadModuleRouters(entries: readonly PolicyEntry[], baseDir: string, listKey = "policies"): Promise<Record<string, RouterFactory>> {
  const factories: Record<string, RouterFactory> = {};
  for (const [index, policy] of entries.entries()) {
    const entry = policy.queries;
    if (entry?.name !== "module") continue;
    const { path, options } = entry.options as { path: string; options: Record<string, unknown> };
    const where = `${policyPath(policy, index, "queries", listKey)}.path`;
    const factory = (await importFactory(path, baseDir, "createRouter", where, "a router factory")) as unknown as RouterFactory;
    factories[entry.label] = (context: RouterContext): QueryRouter => {
      const router = factory({ ...context, options });
      if (router === null || typeof router !== "object" || typeof router.route !== "function") {
        throw new InputError("router module", [{ path: where, value: path, expected: "a factory returning an object with a route(query, view) method" }]);
      }
      return router;
    };
  }
  return factories;
}
