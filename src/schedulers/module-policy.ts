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
    const file = isAbsolute(path) ? path : resolve(baseDir, path);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      throw new InputError("policy module", [{ path: `schedulers[${index}].path`, value: path, expected: `an ES module that loads (${(error as Error).message})` }]);
    }
    const factory = (module.default ?? module.createScheduler) as unknown;
    if (typeof factory !== "function") {
      throw new InputError("policy module", [
        { path: `schedulers[${index}].path`, value: path, expected: "a module exporting a scheduler factory as default or createScheduler" },
      ]);
    }
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
