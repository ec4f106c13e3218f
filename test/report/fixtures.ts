import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseReportResults, type ReportResults } from "../../src/report/results-input.js";

/** A 1-minute run of scenarios/edge-ai-testbed.json (seed 1), with time series and the network table: a results@1 file, converted on read. */
export const FIXTURE_FILE = fileURLToPath(new URL("./fixtures/testbed-1min-results.json", import.meta.url));

export function fixtureJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(FIXTURE_FILE, "utf8")) as Record<string, unknown>;
}

export function fixture(): ReportResults {
  return parseReportResults(fixtureJson(), FIXTURE_FILE);
}

/** A run's frame section (every run of the frame fixture has one). */
export function frames(run: ReportResults["runs"][number]): NonNullable<ReportResults["runs"][number]["frames"]> {
  if (run.frames === null) throw new Error(`run ${run.label} has no frames`);
  return run.frames;
}

/** The fixture without the parts the charts can do without: no time bins, an empty network matrix. */
export function withoutTimeSeriesAndNetwork(): ReportResults {
  const results = fixture();
  results.network = { devices: [], nodes: [], nominalLatencyMs: [] };
  for (const run of results.runs) frames(run).timeSeries.bins = [];
  return results;
}

/** The fixture with a learned scheduler, a migration and a fault on its first run, and a coarser recorded CDF on its second. */
export function withFutureFields(): ReportResults {
  const results = fixture();
  const [first, second] = results.runs;
  first.learned = true;
  first.migrations = [{ timeMs: 30_000, device: "rpi3-0", from: "coral", to: "jetson-nano", reason: "load", switchMs: 500, requestsDuringSwitch: 2 }];
  first.faults = [{ startMs: 40_000, endMs: 45_000, kind: "crash", target: "coral" }];
  frames(second).latencyCdf = [
    { p: 0.1, ms: 40 },
    { p: 0.5, ms: 80 },
    { p: 0.9, ms: 120 },
  ];
  return results;
}
