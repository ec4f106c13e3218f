// As the CLI does (bin.ts): zod without its generated parsers, before any schema is built, so the bench times what a user's run pays.
import "../cli/zod-jitless.js";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveScenario } from "../scenario/resolve.js";
import { parseJsonText } from "../scenario/resolve.js";
import { BUILTIN_PROFILE_DIR } from "../scenario/profiles.js";
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
  if (users !== undefined) {
    for (const device of (json as { devices: Array<{ workloads: Array<Record<string, unknown>> }> }).devices) device.workloads[0].dailyActiveUsers = users;
  }
}
// One path for every model: the one resolver, the one world.
const scenario = resolveScenario(json, { profileDirs: [BUILTIN_PROFILE_DIR], baseDir: scenarioDir }, name);
let queued = 0;
let requestBytes = 0;
const results = simulate(scenario, {
  onRunDone: (_entry, world) => {
    queued = Math.max(queued, world.frames?.inFlight ?? 0);
    requestBytes = Math.max(requestBytes, world.frames?.requestMemoryBytes ?? 0);
  },
});
const tasks = results.runs.reduce((sum, run) => sum + run.jobs.generated, 0);
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
