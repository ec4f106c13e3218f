import { pathToFileURL } from "node:url";
import { isAbsolute, resolve } from "node:path";
import { InputError } from "../errors.js";
import { importModule } from "../io/import-module.js";
import type { PolicyEntry } from "../policies/policy-entry.js";
import type { QueryRouter, RouterContext, RouterFactory } from "../llm/routers/types.js";
import type { Scheduler, SchedulerContext, SchedulerFactory } from "./types.js";

/** Factories of a scenario's module policies, by entry label, in the shape `simulate` takes them. */
export interface ModulePolicies {
  readonly moduleFactories: Record<string, SchedulerFactory>;
  readonly moduleRouters: Record<string, RouterFactory>;
}

/**
 * Loads the ES modules of `{"policy": "module"}` entries of both families (before simulating,
 * since importing is asynchronous and the simulation is not) and returns a factory per entry
 * label. A frame policy module exports `(context) => Scheduler` as its default export or as
 * `createScheduler`; a query policy module `(context) => QueryRouter` as default or
 * `createRouter`. Its options arrive as `context.options`. `listKey` is the key the scenario
 * used for its list (messages name the user's own path).
 */
export async function loadModulePolicies(entries: readonly PolicyEntry[], baseDir: string, listKey = "policies"): Promise<ModulePolicies> {
  const moduleFactories: Record<string, SchedulerFactory> = {};
  const moduleRouters: Record<string, RouterFactory> = {};
  for (const [index, policy] of entries.entries()) {
    for (const family of ["frames", "queries"] as const) {
      const entry = policy[family];
      if (entry?.name !== "module") continue;
      const { path, options } = entry.options as { path: string; options: Record<string, unknown> };
      const where = `${policyPath(policy, index, family, listKey)}.path`;
      if (family === "frames") {
        const factory = (await importFactory(path, baseDir, "createScheduler", where, "a scheduler factory")) as unknown as SchedulerFactory;
        moduleFactories[entry.label] = (context: SchedulerContext): Scheduler => {
          const scheduler = factory({ ...context, options });
          if (scheduler === null || typeof scheduler !== "object" || typeof scheduler.place !== "function") {
            throw new InputError("policy module", [{ path: where, value: path, expected: "a factory returning an object with a place(task, view) method" }]);
          }
          return scheduler;
        };
      } else {
        const factory = (await importFactory(path, baseDir, "createRouter", where, "a router factory")) as unknown as RouterFactory;
        moduleRouters[entry.label] = (context: RouterContext): QueryRouter => {
          const router = factory({ ...context, options });
          if (router === null || typeof router !== "object" || typeof router.route !== "function") {
            throw new InputError("router module", [{ path: where, value: path, expected: "a factory returning an object with a route(query, view) method" }]);
          }
          return router;
        };
      }
    }
  }
  return { moduleFactories, moduleRouters };
}

/**
 * Imports an ES module (a path relative to `baseDir`) and returns its factory: the default export
 * or the named one. A module that does not load or exports no function is bad input at `where`.
 */
export async function importFactory(path: string, baseDir: string, exportName: string, where: string, what: string): Promise<(...args: never[]) => unknown> {
  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  let module: Record<string, unknown>;
  try {
    module = (await importModule(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new InputError("policy module", [{ path: where, value: path, expected: `an ES module that loads (${(error as Error).message})` }]);
  }
  const factory = module.default ?? module[exportName];
  if (typeof factory !== "function") {
    throw new InputError("policy module", [{ path: where, value: path, expected: `a module exporting ${what} as default or ${exportName}` }]);
  }
  return factory as (...args: never[]) => unknown;
}

/**
 * Where a policy entry's member of `family` was written: `<list>[i]`, or `<list>[i].<family>` for
 * an entry naming one policy per family; `listKey` is the key the document used (`policies`, or
 * its older names `schedulers` and `routers`).
 */
export function policyPath(entry: PolicyEntry, index: number, family: "frames" | "queries", listKey = "policies"): string {
  return entry.frames !== undefined && entry.queries !== undefined && entry.frames !== (entry.queries as unknown) ? `${listKey}[${index}].${family}` : `${listKey}[${index}]`;
}

/** The key under which a scenario document lists its policies (for messages at the user's own path). */
export function policyListKey(document: unknown): string {
  if (document === null || typeof document !== "object") return "policies";
  return ["policies", "schedulers", "routers"].find((key) => key in document) ?? "policies";
}
