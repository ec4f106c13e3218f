import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ScenarioInput } from "../scenario/schema.js";

/** The scale benchmark's shape (issue 16), stated once: the description quotes it. */
export const SCALE_NODES = 100;
/** About 1.05M requests in total whatever the device count: the rows differ in devices only. */
export const SCALE_REQUESTS = 1_050_000;
const DURATION_S = 100;
/** Rows of `npm run bench -- scale`, and the small run whose memory is subtracted (bytes per device = (M(N) - M(small)) / (N - small), M = peak RSS or live memory). */
export const SCALE_ROWS = [10_000, 100_000, 1_000_000] as const;
export const SCALE_SMALL = 1_000;
export const SCALE_DESCRIPTION = `N devices of an arrivals workload (exponential gaps, ${SCALE_REQUESTS.toLocaleString("en-US")} requests in total over ${DURATION_S} s), ${SCALE_NODES} abstract nodes x 4 slots (exponential service, mean 20 ms, load about 0.5), star network (exponential latency, mean 5 ms), least-loaded`;

/** The scale model at `devices` devices: an ordinary scenario document. */
export function scaleModel(devices: number): ScenarioInput {
  const meanGapMs = (devices * DURATION_S * 1000) / SCALE_REQUESTS;
  return {
    name: `scale-${devices}`,
    seed: 1,
    duration: `${DURATION_S} s`,
    qosDeadline: "200 ms",
    devices: [{ id: "device", count: devices, workload: { type: "arrivals", model: "detector", interarrival: { dist: "exponential", mean: meanGapMs } } }],
    nodes: Array.from({ length: SCALE_NODES }, (_, i) => ({ id: `edge-${i}`, slots: 4, inferenceTime: { dist: "exponential" as const, mean: 20 } })),
    network: { default: { latency: { dist: "exponential", mean: "5 ms" } } },
    schedulers: ["least-loaded"],
  };
}

export interface ScaleRow {
  devices: number;
  requests: number;
  wallSeconds: number;
  /** Resolving the scenario (set-up), in the child, seconds. */
  resolveSeconds: number;
  peakRssMiB: number;
  /** Live memory (heap used + external) after a full collection at the run's end, the world still held. */
  liveMiB: number;
  /** (RSS(N) - RSS(small)) / (N - small); null for the small run itself. */
  bytesPerDevice: number | null;
  /** (live(N) - live(small)) / (N - small): what a device costs, without the garbage and heap headroom peak RSS also holds. */
  liveBytesPerDevice: number | null;
}

interface ChildCounts {
  requests: number;
  resolveSeconds: number;
  peakRssMiB: number;
  liveMiB: number;
}

/** Each row in a fresh Node process (whole process timed, start-up included), the small run first. */
export function measureScale(rows: readonly number[] = SCALE_ROWS): ScaleRow[] {
  const script = fileURLToPath(new URL("./scale-one.js", import.meta.url));
  const run = (devices: number): ChildCounts & { wallSeconds: number } => {
    const started = process.hrtime.bigint();
    // Node's default heap limit, as a user's run has: the child checks the work estimate as the CLI does.
    // --expose-gc only lets the child collect once at the run's end to read its live memory (a few ms at 10,000 devices, counted in the wall time).
    const child = spawnSync(process.execPath, ["--expose-gc", script, String(devices)], { encoding: "utf8", maxBuffer: 1 << 20 });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.status !== 0) throw new Error(`scale benchmark at ${devices} devices failed (status ${child.status}, signal ${child.signal}):\n${child.stderr}`);
    return { ...(JSON.parse(child.stdout.trim().split("\n").pop() as string) as ChildCounts), wallSeconds };
  };
  const small = run(SCALE_SMALL);
  const measured: ScaleRow[] = [{ devices: SCALE_SMALL, ...small, bytesPerDevice: null, liveBytesPerDevice: null }];
  const perDevice = (large: number, base: number, devices: number): number => ((large - base) * 1024 * 1024) / (devices - SCALE_SMALL);
  for (const devices of rows) {
    const row = run(devices);
    measured.push({ devices, ...row, bytesPerDevice: perDevice(row.peakRssMiB, small.peakRssMiB, devices), liveBytesPerDevice: perDevice(row.liveMiB, small.liveMiB, devices) });
  }
  return measured;
}

/** The table `npm run bench -- scale` prints. */
export function formatScale(rows: readonly ScaleRow[]): string {
  const header = ["devices", "nodes", "requests", "wall s", "resolve s", "peak RSS MiB", "RSS B/device", "live MiB", "live B/device"];
  const cells = rows.map((r) => [
    r.devices.toLocaleString("en-US"),
    String(SCALE_NODES),
    r.requests.toLocaleString("en-US"),
    r.wallSeconds.toFixed(2),
    r.resolveSeconds.toFixed(2),
    r.peakRssMiB.toFixed(1),
    r.bytesPerDevice === null ? "(base)" : r.bytesPerDevice.toFixed(0),
    r.liveMiB.toFixed(1),
    r.liveBytesPerDevice === null ? "(base)" : r.liveBytesPerDevice.toFixed(0),
  ]);
  const widths = header.map((_, c) => Math.max(header[c].length, ...cells.map((r) => r[c].length)));
  const lines = [header, ...cells].map((row) => row.map((cell, c) => cell.padStart(widths[c])).join("  "));
  return `\nscale: ${SCALE_DESCRIPTION}\n${lines.join("\n")}\n`;
}
