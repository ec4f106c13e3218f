import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { isLlmScenario, resolveLlmScenario } from "../llm/resolve.js";
import { simulateLlm } from "../llm/simulate-llm.js";
import { resolveScenario } from "../scenario/resolve.js";
import { parseJsonText } from "../scenario/resolve.js";
import { BUILTIN_PROFILE_DIR } from "../scenario/profiles.js";
import { SCHEDULER_NAMES } from "../schedulers/registry.js";
import { simulate } from "../run/simulate.js";
import { BENCH_MODELS } from "./models.js";

/** Runs one benchmark model in this process and prints one JSON line of counts (the parent times the process). */
const name = process.argv[2];
const model = BENCH_MODELS.find((m) => m.name === name);
if (model === undefined) {
  process.stderr.write(`unknown benchmark model ${name}; known: ${BENCH_MODELS.map((m) => m.name).join(", ")}\n`);
  process.exit(2);
}
let json: unknown = model.scenario;
let scenarioDir: string | undefined;
if ("file" in model.scenario) {
  const file = fileURLToPath(new URL(`../../${model.scenario.file}`, import.meta.url));
  scenarioDir = dirname(file);
  const doc = parseJsonText(file, readFileSync(file, "utf8")) as Record<string, unknown>;
  json = { ...doc, duration: model.scenario.duration };
  const users = model.scenario.dailyActiveUsers;
  if (users !== undefined) for (const device of (json as { devices: Array<{ workload: Record<string, unknown> }> }).devices) device.workload.dailyActiveUsers = users;
}
if (isLlmScenario(json)) {
  const results = simulateLlm(resolveLlmScenario(json, { profileDirs: [BUILTIN_PROFILE_DIR], baseDir: scenarioDir }, name));
  const tasks = results.runs.reduce((sum, run) => sum + run.queries.generated, 0);
  const events = results.runs.reduce((sum, run) => sum + run.events, 0);
  process.stdout.write(`${JSON.stringify({ tasks, events, unfinishedAtEnd: 0, bytesPerQueuedRequest: null, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
  process.exit(0);
}
const scenario = resolveScenario(json, { knownSchedulers: SCHEDULER_NAMES, profileDirs: [BUILTIN_PROFILE_DIR] }, name);
let queued = 0;
let requestBytes = 0;
const results = simulate(scenario, {
  onRunDone: (_entry, world) => {
    queued = Math.max(queued, world.inFlight);
    requestBytes = Math.max(requestBytes, world.requestMemoryBytes);
  },
});
const tasks = results.runs.reduce((sum, run) => sum + run.requests.generated, 0);
const events = results.runs.reduce((sum, run) => sum + run.events, 0);
process.stdout.write(
  `${JSON.stringify({
    tasks,
    events,
    unfinishedAtEnd: queued,
    bytesPerQueuedRequest: queued > 0 ? requestBytes / queued : null,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
