import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { BENCH_MODELS } from "./models.js";
import { BENCH_USAGE, parseBenchArgs } from "./bench-args.js";
import { measureFit } from "./fit-throughput.js";
import { parseStartupPairs, runStartup } from "./startup.js";
import { measureSweep, SWEEP_BENCH_FILE, SWEEP_BENCH_WORKERS, type SweepThroughput } from "./sweep-throughput.js";
import { parseVsReferenceArgs, runVsReference } from "./vs-reference.js";
import { formatScale, measureScale } from "./scale-model.js";
import { formatLongRun, measureLongRun } from "./long-run.js";

/**
 * `npm run bench [-- --json] [-- model ...]`: each model runs in a fresh Node process and its wall
 * time covers the whole process, start-up included, as the benchmark definition asks.
 */
const args = process.argv.slice(2);
/** `npm run bench -- --vs-reference [model ...] [--pairs N]` runs only the comparison with the hand-written loops (vs-reference.ts). */
const vsReference = args.includes("--vs-reference");
const parsed = vsReference
  ? parseVsReferenceArgs(args)
  : parseBenchArgs(
      args,
      BENCH_MODELS.map((m) => m.name),
    );
if ("error" in parsed) {
  process.stderr.write(`${parsed.error}\n`);
  process.exit(2);
}
if ("help" in parsed && parsed.help) {
  process.stdout.write(`${BENCH_USAGE}\n`);
  process.exit(0);
}
if ("pairs" in parsed) process.exitCode = runVsReference(parsed);
const asJson = parsed.json;
const selected = "names" in parsed ? parsed.names : [];
const models = vsReference ? [] : selected.length > 0 ? BENCH_MODELS.filter((m) => selected.includes(m.name)) : BENCH_MODELS;
/** `npm run bench -- sweep` runs only the sweep throughput; with no names, everything runs. */
const runSweepBench = !vsReference && (selected.length === 0 || selected.includes("sweep"));
/** `npm run bench -- fit`: the time to fit 100,000 samples. */
const runFitBench = !vsReference && (selected.length === 0 || selected.includes("fit"));
/** `npm run bench -- startup [--pairs N]`: a 1-second run against `node -e 0` (startup.ts). */
const runStartupBench = !vsReference && (selected.length === 0 || selected.includes("startup"));
/** `npm run bench -- scale`: memory and set-up time against the device count (scale-model.ts). */
const runScaleBench = !vsReference && (selected.length === 0 || selected.includes("scale"));
/** `npm run bench -- long-run`: a simulated week with flat memory (long-run.ts); an hour or more, so only when named. */
const runLongRunBench = !vsReference && selected.includes("long-run");
/** Checked with the rest before anything runs: a wrong `--pairs` must not wait for the models. */
const startupPairs = runStartupBench ? parseStartupPairs(args) : 0;
if (typeof startupPairs !== "number") {
  process.stderr.write(`${startupPairs.error}\n`);
  process.exit(2);
}
const script = fileURLToPath(new URL("./bench-one.js", import.meta.url));

interface Line {
  name: string;
  tasks: number;
  events: number;
  wallSeconds: number;
  tasksPerSecond: number;
  eventsPerSecond: number;
  peakRssMiB: number;
  bytesPerQueuedRequest?: number;
}

const lines: Line[] = [];
for (const model of models) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [script, model.name], { encoding: "utf8" });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) {
    process.stderr.write(`benchmark ${model.name} failed:\n${child.stderr}\n`);
    process.exitCode = 1;
    continue;
  }
  const counts = JSON.parse(child.stdout.trim().split("\n").pop() as string) as {
    tasks: number;
    events: number;
    unfinishedAtEnd: number;
    bytesPerQueuedRequest: number | null;
    peakRssMiB: number;
  };
  const line: Line = {
    name: model.name,
    tasks: counts.tasks,
    events: counts.events,
    wallSeconds: round(wallSeconds, 3),
    tasksPerSecond: Math.round(counts.tasks / wallSeconds),
    eventsPerSecond: Math.round(counts.events / wallSeconds),
    peakRssMiB: round(counts.peakRssMiB, 1),
  };
  if (model.name === "edge-backlog" && counts.bytesPerQueuedRequest !== null) line.bytesPerQueuedRequest = round(counts.bytesPerQueuedRequest, 1);
  lines.push(line);
  if (asJson) process.stdout.write(`${JSON.stringify(line)}\n`);
}

if (!asJson && models.length > 0) {
  const header = ["model", "tasks", "events", "wall s", "tasks/s", "events/s", "peak RSS MiB", "B/queued req"];
  const rows = lines.map((l) => [
    l.name,
    String(l.tasks),
    String(l.events),
    l.wallSeconds.toFixed(2),
    l.tasksPerSecond.toLocaleString("en-US"),
    l.eventsPerSecond.toLocaleString("en-US"),
    l.peakRssMiB.toFixed(1),
    l.bytesPerQueuedRequest === undefined ? "" : l.bytesPerQueuedRequest.toFixed(1),
  ]);
  const widths = header.map((_, c) => Math.max(header[c].length, ...rows.map((r) => r[c].length)));
  for (const row of [header, ...rows]) process.stdout.write(`${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")}\n`);
  process.stdout.write(`\n${models.map((m) => `${m.name}: ${m.description}`).join("\n")}\n`);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

if (runFitBench) {
  const fit = measureFit();
  if (asJson) process.stdout.write(`${JSON.stringify({ name: "fit", samples: fit.samples, wallSeconds: fit.wallSeconds, best: fit.best })}\n`);
  else process.stdout.write(`\nfit: ${fit.samples} samples of the calibrated 5G link, every family, ${fit.wallSeconds.toFixed(2)} s (best by AIC: ${fit.best})\n`);
}

if (runSweepBench) {
  const measured: SweepThroughput[] = [];
  for (const workers of SWEEP_BENCH_WORKERS) {
    try {
      measured.push(measureSweep(workers));
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  }
  const one = measured.find((m) => m.workers === 1);
  const speedUp = (m: SweepThroughput): number | null => (one === undefined ? null : round(m.runsPerSecond / one.runsPerSecond, 2));
  if (asJson) {
    for (const m of measured) {
      process.stdout.write(
        `${JSON.stringify({ name: "sweep-throughput", workers: m.workers, runs: m.runs, wallSeconds: round(m.wallSeconds, 3), runsPerSecond: round(m.runsPerSecond, 2), speedUp: speedUp(m) })}\n`,
      );
    }
  } else {
    process.stdout.write(`\nsweep throughput: ${SWEEP_BENCH_FILE}, fresh process per measurement (start-up and summary included, no charts)\n`);
    for (const m of measured) {
      const factor = speedUp(m);
      process.stdout.write(
        `  ${m.workers} worker(s): ${m.runs} runs in ${m.wallSeconds.toFixed(2)} s = ${m.runsPerSecond.toFixed(1)} runs/s${factor === null || m.workers === 1 ? "" : `, speed-up ${factor.toFixed(2)}x`}\n`,
      );
    }
  }
}

if (runStartupBench && runStartup(startupPairs, asJson) !== 0) process.exitCode = 1;

if (runScaleBench) {
  try {
    const rows = measureScale();
    if (asJson) for (const row of rows) process.stdout.write(`${JSON.stringify({ name: "scale", ...row })}\n`);
    else process.stdout.write(formatScale(rows));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (runLongRunBench) {
  try {
    const rows = measureLongRun();
    if (asJson) for (const row of rows) process.stdout.write(`${JSON.stringify({ name: "long-run", ...row })}\n`);
    else process.stdout.write(`${formatLongRun(rows)}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
