import { pathToFileURL } from "node:url";
import { isAbsolute, resolve } from "node:path";
import { InputError } from "../errors.js";
import type { SchedulerEntry } from "../scenario/resolved.js";
import type { Scheduler, SchedulerContext, SchedulerFactory } from "./types.js";

/**
 * Loads the ES modules of `{"policy": "module"}` entries (before simulating, since importing is
 * asynchronous and the simulation is not) and returns a factory per entry label. A module exports
 * its factory as the default export or as `createScheduler`: `(context) => Scheduler`; its options
 * arrive as `context.options`.
 */
export async function loadModulePolicies(entries: readonly SchedulerEntry[], baseDir: string): Promise<Record<string, SchedulerFactory>> {
  const factories: Record<string, SchedulerFactory> = {};
  for (const [index, entry] of entries.entries()) {
    if (entry.name !== "module") continue;
    const { path, options } = entry.options as { path: string; options: Record<string, unknown> };
    const factory = await importFactory(path, baseDir, "createScheduler", `schedulers[${index}].path`, "a scheduler factory");
    factories[entry.label] = (context: SchedulerContext): Scheduler => {
      const scheduler = (factory as SchedulerFactory)({ ...context, options });
      if (scheduler === null || typeof scheduler !== "object" || typeof scheduler.place !== "function") {
        throw new InputError("policy module", [{ path: `schedulers[${index}].path`, value: path, expected: "a factory returning an object with a place(task, view) method" }]);
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
