import * as z from "zod";
import { compactRunResultsShape } from "../metrics/results-shape.js";
import { nearestName } from "../text/nearest-name.js";

/*
 * Sweep metrics are paths into one run's results@2 (`runs[i]` of results.json, as a sweep keeps
 * it: src/sweep/run-record.ts): any number ("frames.latency.total.p95"), an array element by index
 * ("nodes.0.utilisation") or any key of a record ("policyStatistics.finalThreshold"), and any array
 * (its length: "migrations" counts the migrations). Which paths exist is read from the results
 * schema itself (src/metrics/results-shape.ts, as JSON Schema), never from a hand-written list, so
 * a field added to results@2 is a sweep metric at once.
 */

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

const RUN_JSON_SCHEMA = z.toJSONSchema(compactRunResultsShape) as JsonSchema;

function types(schema: JsonSchema): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** The alternatives of a schema: a nullable object is anyOf [object, null]. */
function alternatives(schema: JsonSchema): JsonSchema[] {
  return schema.anyOf === undefined ? [schema] : schema.anyOf.flatMap(alternatives);
}

function isMetric(schema: JsonSchema): boolean {
  return alternatives(schema).some((alt) => types(alt).some((t) => t === "number" || t === "integer" || t === "array"));
}

function child(schema: JsonSchema, segment: string): JsonSchema[] {
  return alternatives(schema).flatMap((alt) => {
    const kinds = types(alt);
    if (kinds.includes("array") && alt.items !== undefined) return /^(0|[1-9]\d*)$/.test(segment) ? [alt.items] : [];
    if (kinds.includes("object")) {
      const property = alt.properties?.[segment];
      if (property !== undefined) return [property];
      return typeof alt.additionalProperties === "object" ? [alt.additionalProperties] : [];
    }
    return [];
  });
}

/** True when `path` names a number or an array of a run's results@2. */
export function isMetricPath(path: string): boolean {
  let current: JsonSchema[] = [RUN_JSON_SCHEMA];
  for (const segment of path.split(".")) {
    current = current.flatMap((schema) => child(schema, segment));
    if (current.length === 0) return false;
  }
  return current.some(isMetric);
}

/** Every metric path, with 0 for an array index and <name> for a record key: what an unknown path is matched against. */
export const METRIC_PATH_EXAMPLES: readonly string[] = listPaths(RUN_JSON_SCHEMA, "");

function listPaths(schema: JsonSchema, prefix: string): string[] {
  const paths: string[] = [];
  const join = (segment: string): string => (prefix === "" ? segment : `${prefix}.${segment}`);
  if (prefix !== "" && isMetric(schema)) paths.push(prefix);
  for (const alt of alternatives(schema)) {
    const kinds = types(alt);
    if (kinds.includes("array") && alt.items !== undefined) paths.push(...listPaths(alt.items, join("0")));
    if (kinds.includes("object")) {
      for (const [key, property] of Object.entries(alt.properties ?? {})) paths.push(...listPaths(property, join(key)));
      if (typeof alt.additionalProperties === "object") paths.push(...listPaths(alt.additionalProperties, join("<name>")));
    }
  }
  return [...new Set(paths)];
}

/** "did you mean ...?" for an unknown metric path: the nearest valid path, keeping the array indices the user typed. */
export function metricSuggestion(path: string): string {
  const typed = path.split(".");
  const near = nearestName(typed.map((s) => (/^\d+$/.test(s) ? "0" : s)).join("."), METRIC_PATH_EXAMPLES);
  const known = 'a number or an array of one run of results@2, e.g. "jobs.violationRate", "frames.latency.total.p95", "queries.cost.perDayUsd", "nodes.0.utilisation", "migrations" (docs/sweeps.md)';
  if (near === undefined) return known;
  const suggested = near.split(".").map((s, i) => (s === "0" && /^\d+$/.test(typed[i] ?? "") ? typed[i] : s));
  return `${known}; did you mean "${suggested.join(".")}"?`;
}

/** The value of a metric path in one run: a number, an array's length, or null when absent (a family the run lacks, a null field). */
export function metricValue(run: unknown, path: string): number | null {
  let current: unknown = run;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return null;
    current = (current as Record<string, unknown>)[key];
  }
  if (Array.isArray(current)) return current.length;
  return typeof current === "number" ? current : null;
}

/** The metrics a sweep summarises when it names none: the violation rate of every job, then each present family's headline figures. */
export function defaultMetrics(families: { frames: boolean; queries: boolean }): string[] {
  return [
    "jobs.violationRate",
    ...(families.frames ? ["frames.latency.total.mean", "frames.latency.total.p95", "frames.throughput"] : []),
    ...(families.queries ? ["queries.latency.ttft.p95", "queries.latency.total.p95", "queries.cost.perDayUsd", "queries.throughput.queriesPerS"] : []),
  ];
}
