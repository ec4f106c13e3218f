import { pathToFileURL } from "node:url";
import { isAbsolute, resolve } from "node:path";
import { InputError } from "../errors.js";
import type { PolicyEntry } from "../policies/policy-entry.js";
import type { Scheduler, SchedulerContext, SchedulerFactory } from "./types.js";

/**
 * Loads the ES modules of `{"policy": "module"}` entries (before simulating, since importing is
 * asynchronous and the simulation is not) and returns a factory per entry label. A module exports
 * its factory as the default export or as `createScheduler`: `(context) => Scheduler`; its options
 * arrive as `context.options`.
 */
export async function loadModulePolicies(entries: readonly PolicyEntry[], baseDir: string, listKey = "policies"): Promise<Record<string, SchedulerFactory>> {
  const factories: Record<string, SchedulerFactory> = {};
  for (const [index, policy] of entries.entries()) {
    const entry = policy.frames;
    if (entry?.name !== "module") continue;
    const { path, options } = entry.options as { path: string; options: Record<string, unknown> };
    const where = `${policyPath(policy, index, "frames", listKey)}.path`;
    const factory = await importFactory(path, baseDir, "createScheduler", where, "a scheduler factory");
    factories[entry.label] = (context: SchedulerContext): Scheduler => {
      const scheduler = (factory as SchedulerFactory)({ ...context, options });
      if (scheduler === null || typeof scheduler !== "object" || typeof scheduler.place !== "function") {
        throw new InputError("policy module", [{ path: where, value: path, expected: "a factory returning an object with a place(task, view) method" }]);
      }
      return scheduler;
    };
  }
  return factories;
}

/**
 * Imports an ES module (a path relative to `baseDir`) and returns its factory: the default export
 * or the named one. A module that does not load or exports no function is bad input at `where`.
 */
export async function importFactory(path: string, baseDir: string, exportName: string, where: string, what: string): Promise<(...args: never[]) => unknown> {
  const file = isAbsolute(path) ? path : resolve(baseDir, path);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
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
