import { BUILTIN_PROFILE_DIR } from "../scenario/profiles.js";
import { resolveScenario } from "../scenario/resolve.js";
import { simulate } from "../run/simulate.js";
import { checkWork } from "../run/work-estimate.js";
import { scaleModel } from "./scale-model.js";

/** Runs the scale model at argv[2] devices in this process and prints one JSON line (the parent times the process). */
const devices = Number(process.argv[2]);
if (!Number.isInteger(devices) || devices < 1) {
  process.stderr.write(`scale-one: a device count, not ${process.argv[2]}\n`);
  process.exit(2);
}
const started = process.hrtime.bigint();
const scenario = resolveScenario(scaleModel(devices), { profileDirs: [BUILTIN_PROFILE_DIR] }, `scale-${devices}`);
const resolveSeconds = Number(process.hrtime.bigint() - started) / 1e9;
// As the CLI does before a run: the work estimate must let a million devices through under Node's default heap limit.
checkWork(scenario, { source: `scale-${devices}` });
/**
 * Live memory at the run's end, with the world still held: what the run keeps, after a full
 * collection (the parent starts this child with --expose-gc). Peak RSS also counts garbage not yet
 * collected and the heap's headroom, which do not grow in proportion to the devices.
 */
const collect = (globalThis as { gc?: () => void }).gc;
let liveMiB: number | null = null;
const results = simulate(scenario, {
  onRunDone: () => {
    if (collect === undefined) return;
    collect();
    const memory = process.memoryUsage();
    liveMiB = (memory.heapUsed + memory.external) / 1048576;
  },
});
process.stdout.write(
  `${JSON.stringify({
    requests: results.runs.reduce((sum, run) => sum + run.jobs.generated, 0),
    resolveSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    liveMiB,
  })}\n`,
);
