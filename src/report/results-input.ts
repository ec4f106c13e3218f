import type * as z from "zod";
import { InputError, type InputIssue } from "../errors.js";
import type { LlmResults } from "../llm/llm-results.js";
import { convertLlmResultsV1, convertResultsV1, LEGACY_LLM_RESULTS_SCHEMA, LEGACY_RESULTS_SCHEMA } from "../metrics/legacy-results.js";
import type { Results as ResultsV1 } from "../metrics/results.js";
import { RESULTS_SCHEMA, type Results, type RunResults } from "../metrics/results-schema.js";
import { resultsShape } from "../metrics/results-shape.js";
import { readJsonFile } from "../scenario/json-text.js";
import { toInputIssues } from "../scenario/zod-issues.js";

/*
 * The one reader of results files. A `continuum-sim/results@2` file is checked against the
 * results schema (src/metrics/results-shape.ts); a `results@1` or `llm-results@1` file of before
 * issue 13 is converted to results@2 (src/metrics/legacy-results.ts) and the conversion checked
 * the same way; anything else gets one line saying what was read and what is accepted. Charts take
 * the parsed value, never the raw JSON, so a hand-edited or truncated file is a clear input error
 * instead of a chart that silently draws nothing.
 */

/** What the report, the charts and the CLI summary read: a results@2 object. */
export type ReportResults = Results;
export type ReportRun = RunResults;

const ACCEPTED = `"${RESULTS_SCHEMA}" (a results.json written by simulate), or "${LEGACY_RESULTS_SCHEMA}" or "${LEGACY_LLM_RESULTS_SCHEMA}" (older results files, converted on read)`;

/** Checks (and if old, converts) a parsed results document; throws InputError naming every problem with its JSON path. */
export function parseReportResults(json: unknown, source: string): ReportResults {
  const found = json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>).schema : undefined;
  if (found === RESULTS_SCHEMA) return check(json, source, "");
  if (found === LEGACY_RESULTS_SCHEMA || found === LEGACY_LLM_RESULTS_SCHEMA) {
    let converted: Results;
    try {
      converted = found === LEGACY_RESULTS_SCHEMA ? convertResultsV1(json as ResultsV1) : convertLlmResultsV1(json as LlmResults);
    } catch (error) {
      // A converter reads a whole old file; a truncated or hand-edited one fails inside it.
      throw new InputError(source, [{ path: "", value: found, expected: `a whole ${found} file (converting it to ${RESULTS_SCHEMA} failed: ${(error as Error).message})` }]);
    }
    return check(converted, source, ` (in the file converted from ${found} to ${RESULTS_SCHEMA})`);
  }
  throw new InputError(source, [{ path: "schema", value: found, expected: ACCEPTED }]);
}

function check(json: unknown, source: string, converted: string): Results {
  const parsed = resultsShape.safeParse(json);
  if (!parsed.success) throw new InputError(`${source}${converted}`, toInputIssues(parsed.error, json, resultsShape as z.ZodType));
  const issues = crossCheck(parsed.data);
  if (issues.length > 0) throw new InputError(`${source}${converted}`, issues);
  return parsed.data;
}

/**
 * Consistency the schema cannot express: labels name the series of every chart (one colour per
 * label), so they are unique; per-node arrays of time bins and the latency matrix match their id lists.
 */
function crossCheck(results: Results): InputIssue[] {
  const issues: InputIssue[] = [];
  const nodeCount = results.scenario.nodes.length;
  const seen = new Set<string>();
  results.runs.forEach((run, r) => {
    if (seen.has(run.label)) issues.push({ path: `runs[${r}].label`, value: run.label, expected: "a label not used by another run" });
    seen.add(run.label);
    if (run.nodes.length !== nodeCount) issues.push({ path: `runs[${r}].nodes`, value: run.nodes.length, expected: `${nodeCount} entries, one per scenario node` });
    run.frames?.timeSeries.bins.forEach((bin, b) => {
      if (bin.nodes.length !== nodeCount) {
        issues.push({ path: `runs[${r}].frames.timeSeries.bins[${b}].nodes`, value: bin.nodes.length, expected: `${nodeCount} entries, one per scenario node` });
      }
    });
  });
  const network = results.network;
  if (network.nominalLatencyMs.length !== network.devices.length) {
    issues.push({ path: "network.nominalLatencyMs", value: network.nominalLatencyMs.length, expected: `${network.devices.length} rows, one per device` });
  }
  network.nominalLatencyMs.forEach((row, i) => {
    if (row.length !== network.nodes.length) {
      issues.push({ path: `network.nominalLatencyMs[${i}]`, value: row.length, expected: `${network.nodes.length} values, one per node` });
    }
  });
  return issues;
}

// In its own module so that a run's summary does not build the results file's schemas (start-up).
export { familiesOf } from "./families.js";

/**
 * Reads a results file (`results.json` of a run: results@2, or an older results@1 /
 * llm-results@1 file, converted on read); throws InputError naming every problem at its JSON path.
 */
export function readResultsFile(file: string): ReportResults {
  return parseReportResults(readJsonFile(file, "results file"), file);
}
