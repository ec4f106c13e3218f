import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseReportResults, type ReportResults } from "../../src/report/results-input.js";

/** A 1-minute run of scenarios/edge-ai-testbed.json (seed 1), with time series and the network table. */
export const FIXTURE_FILE = fileURLToPath(new URL("./fixtures/testbed-1min-results.json", import.meta.url));

export function fixtureJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(FIXTURE_FILE, "utf8")) as Record<string, unknown>;
}

export function fixture(): ReportResults {
  return parseReportResults(fixtureJson(), FIXTURE_FILE);
}

/** The fixture as a results file of before the time series: no `timeSeries`, no `network`. */
export function withoutTimeSeriesAndNetwork(): ReportResults {
  const results = fixture();
  delete results.network;
  for (const run of results.runs) delete run.timeSeries;
  return results;
}

/**
 * The fixture with the fields later issues will add (learned scheduler, migrations, faults,
 * replication confidence intervals), in the shape docs/reports.md documents.
 */
export function withFutureFields(): ReportResults {
  const results = fixture();
  const [first, second] = results.runs;
  first.learned = true;
  first.migrations = [{ timeMs: 30_000, device: "rpi3-0", from: "coral", to: "jetson-nano", reason: "load" }];
  first.faults = [{ startMs: 40_000, endMs: 45_000, kind: "failure", target: "coral" }];
  for (const run of results.runs) {
    const rate = run.qos.violationRate ?? 0;
    run.qos.violationRateCi95 = [Math.max(0, rate - 0.002), rate + 0.002];
  }
  second.latencyCdf = [
    { p: 0.1, ms: 40 },
    { p: 0.5, ms: 80 },
    { p: 0.9, ms: 120 },
  ];
  return results;
}
