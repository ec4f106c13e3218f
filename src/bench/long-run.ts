import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseDuration } from "../random/duration.js";
import { simulate } from "../run/simulate.js";
import { BUILTIN_PROFILE_DIR } from "../scenario/profiles.js";
import { resolveScenario } from "../scenario/resolve.js";

/**
 * Issue 16's long-run check: "one simulated week of the 100-device heterogeneous cluster with flat
 * memory (no growth with simulated time beyond the time series' bins)". Each duration runs in a
 * fresh process (`--expose-gc`), and after each policy's run, with its world still alive, the
 * child collects garbage and reads the live heap and typed-array memory: flat memory means these
 * and the peak RSS do not grow with the duration.
 *
 * The scenario is scenarios/heterogeneous-cluster.json with hourly bins (168 a week) and without
 * `nearest-healthy`: that policy keeps every camera on its zone's slow node (50 frames/s offered
 * to a node serving about 15), so its queues grow without bound for as long as the run lasts, and
 * so does the memory that holds them (about 64 bytes a queued frame, `edge-backlog` in
 * docs/performance.md). That is the model's answer for an unbounded FIFO, not a leak.
 */
export const LONG_RUN_SCENARIO = "scenarios/heterogeneous-cluster.json";
export const LONG_RUN_BIN_WIDTH = "1 h";
export const LONG_RUN_DURATIONS = ["1 h", "24 h", "168 h"] as const;
/** The policy left out, and why, in one place (above). */
const UNSTABLE_POLICY = "nearest-healthy";

export interface LongRunPolicy {
  label: string;
  heapMiB: number;
  arrayBuffersMiB: number;
  /** Engine events of the run: the work done, which grows with the duration while the memory must not. */
  events: number;
}

export interface LongRunRow {
  duration: string;
  wallSeconds: number;
  peakRssMiB: number;
  policies: LongRunPolicy[];
}

interface ScenarioDocument {
  duration: string;
  metrics?: { binWidth?: string };
  policies: (string | { name: string })[];
  $schema?: string;
}

/** In the child: simulate `duration` and print one JSON line. */
function runChild(duration: string): void {
  const file = fileURLToPath(new URL(`../../${LONG_RUN_SCENARIO}`, import.meta.url));
  const document = JSON.parse(readFileSync(file, "utf8")) as ScenarioDocument;
  delete document.$schema;
  document.duration = duration;
  document.metrics = { ...document.metrics, binWidth: LONG_RUN_BIN_WIDTH };
  document.policies = document.policies.filter((policy) => (typeof policy === "string" ? policy : policy.name) !== UNSTABLE_POLICY);
  const scenario = resolveScenario(document, { profileDirs: [BUILTIN_PROFILE_DIR] }, "long-run");
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("long-run: the child needs --expose-gc");
  const policies: LongRunPolicy[] = [];
  simulate(scenario, {
    onRunDone: (entry, world) => {
      gc();
      const memory = process.memoryUsage();
      policies.push({ label: entry.label, heapMiB: memory.heapUsed / 2 ** 20, arrayBuffersMiB: memory.arrayBuffers / 2 ** 20, events: world.events });
    },
  });
  process.stdout.write(`${JSON.stringify({ policies, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

/** Each duration in a fresh process, shortest first. */
export function measureLongRun(durations: readonly string[] = LONG_RUN_DURATIONS): LongRunRow[] {
  const script = fileURLToPath(import.meta.url);
  return durations.map((duration) => {
    if (parseDuration(duration) === undefined) throw new Error(`long-run: ${duration} is not a duration`);
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ["--expose-gc", script, "--child", duration], { encoding: "utf8", maxBuffer: 1 << 20 });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.status !== 0) throw new Error(`long run of ${duration} failed (status ${child.status}):\n${child.stderr}`);
    const counts = JSON.parse(child.stdout.trim().split("\n").pop() as string) as Omit<LongRunRow, "duration" | "wallSeconds">;
    return { duration, wallSeconds, ...counts };
  });
}

/** The table `npm run bench -- long-run` prints: one line per duration and policy. */
export function formatLongRun(rows: readonly LongRunRow[]): string {
  const lines = ["duration  policy             events        heap MiB  typed arrays MiB  peak RSS MiB  wall s"];
  for (const row of rows) {
    for (const p of row.policies) {
      lines.push(
        `${row.duration.padEnd(9)} ${p.label.padEnd(18)} ${p.events.toLocaleString("en-US").padStart(12)}  ${p.heapMiB.toFixed(1).padStart(8)}  ${p.arrayBuffersMiB.toFixed(1).padStart(16)}  ${row.peakRssMiB.toFixed(0).padStart(12)}  ${row.wallSeconds.toFixed(0).padStart(6)}`,
      );
    }
  }
  return lines.join("\n");
}

if (process.argv[2] === "--child") runChild(process.argv[3] as string);
