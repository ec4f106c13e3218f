import type * as z from "zod";
import { schemasOnRead } from "../scenario/schema-on-use.js";
import { createCloudOnly } from "./cloud-only.js";
import { createExternal, externalOptions } from "./external/external-policy.js";
import { createLearned, learnedOptions } from "./learned.js";
import { createLocalOnly } from "./local-only.js";
import { createLeastLoaded } from "./least-loaded.js";
import { createNearestHealthy } from "./nearest-healthy.js";
import { createNearestHealthyQos } from "./nearest-healthy-qos.js";
import { createRandom } from "./random.js";
import { createRoundRobin } from "./round-robin.js";
import type { SchedulerFactory } from "./types.js";
import { createWeighted, weightedOptions } from "./weighted.js";

/** Every built-in policy by the name a scenario uses. A new policy is one file plus one line here. */
export const SCHEDULERS: Readonly<Record<string, SchedulerFactory>> = {
  "nearest-healthy": createNearestHealthy,
  "nearest-healthy-qos": createNearestHealthyQos,
  "least-loaded": createLeastLoaded,
  "round-robin": createRoundRobin,
  random: createRandom,
  weighted: createWeighted,
  learned: createLearned,
  "local-only": createLocalOnly,
  "cloud-only": createCloudOnly,
  external: createExternal,
  // Module policies are loaded by the caller (loadModulePolicies) and passed to simulate().
  module: () => {
    throw new Error("a module policy must be loaded with loadModulePolicies and passed to simulate()");
  },
};

export const SCHEDULER_NAMES: readonly string[] = Object.keys(SCHEDULERS).sort();

/** The options each policy accepts (validated when the scenario loads); a policy not listed takes none. Each schema is built on its first read (a run builds those of the policies it compares). */
export const SCHEDULER_OPTIONS: Readonly<Record<string, z.ZodType>> = schemasOnRead({
  weighted: weightedOptions,
  learned: learnedOptions,
  external: externalOptions,
});
