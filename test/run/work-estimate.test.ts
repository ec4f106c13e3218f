import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLlmScenario } from "../../src/cli/llm-command.js";
import { isLlmScenario } from "../../src/llm/resolve.js";
import { simulateLlm } from "../../src/llm/simulate-llm.js";
import { simulate } from "../../src/run/simulate.js";
import { estimateEdgeWork, estimateLlmWork } from "../../src/run/work-estimate.js";
import { loadScenarioFile } from "../../src/scenario/resolve.js";
import { SCHEDULER_NAMES, SCHEDULER_OPTIONS } from "../../src/schedulers/registry.js";
import { REPO } from "../cli/helpers.js";

/**
 * The estimate that refuses runs must be honest: for every shipped scenario it lies within
 * FACTOR of the events the engine actually processes (measured 1.01-1.19 when written).
 */
const FACTOR = 1.5;
const DIR = join(REPO, "scenarios");

describe("the work estimate against the events the shipped scenarios process", () => {
  for (const name of readdirSync(DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()) {
    it(`${name}: estimate / actual events within a factor ${FACTOR}`, () => {
      const file = join(DIR, name);
      const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      let estimated: number;
      let actual: number;
      if (isLlmScenario(json)) {
        const scenario = loadLlmScenario(file, json);
        estimated = estimateLlmWork(scenario).events;
        actual = simulateLlm(scenario).runs.reduce((sum, run) => sum + run.events, 0);
      } else {
        const scenario = loadScenarioFile(file, { knownSchedulers: SCHEDULER_NAMES, schedulerOptions: SCHEDULER_OPTIONS });
        estimated = estimateEdgeWork(scenario).events;
        actual = simulate(scenario).runs.reduce((sum, run) => sum + run.events, 0);
      }
      expect(actual).toBeGreaterThan(0);
      expect(estimated / actual).toBeGreaterThan(1 / FACTOR);
      expect(estimated / actual).toBeLessThan(FACTOR);
    });
  }
});
