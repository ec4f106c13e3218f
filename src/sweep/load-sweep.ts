import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatIssue, InputError, type InputIssue } from "../errors.js";
import { BUILTIN_PROFILE_DIR } from "../scenario/profiles.js";
import { readJsonFile } from "../scenario/json-text.js";
import { readScenarioJson, resolveScenario } from "../scenario/resolve.js";
import { toInputIssues } from "../scenario/zod-issues.js";
import { SIMULATOR_VERSION } from "../version.js";
import { gridValues } from "./axis-values.js";
import { evaluateDerived } from "./derived.js";
import { canonicalJson, sha256Hex } from "./canonical-json.js";
import { lookupPointer, parsePointer, setPointer } from "./json-pointer.js";
import type { Axis, Cell, JsonValue, RunSpec, SweepPlan } from "./plan-types.js";
import { cellId, runId, runSeed, type Coordinates } from "./run-identity.js";
import { plannedRunsIssue, samplePoints } from "./sampling.js";
import { compareJsonValues } from "./value-order.js";
import { sweepSchema, type AxisDocument, type SweepDocument } from "./sweep-schema.js";
import { defaultMetrics } from "./metric-paths.js";
import { suggestName } from "../text/nearest-name.js";

/** Reads and checks a sweep file (a path or a file: URL), its base scenario and every axis value; throws InputError listing every problem. */
export function loadSweepFile(file: string | URL): SweepPlan {
  const path = file instanceof URL ? fileURLToPath(file) : file;
  return planSweep(readJsonFile(path, "sweep file"), path);
}

/** Validates a parsed sweep document; `file` locates a relative base scenario and names the source in errors. */
export function planSweep(json: unknown, file: string): SweepPlan {
  const parsed = sweepSchema.safeParse(json);
  if (!parsed.success) throw new InputError(file, toInputIssues(parsed.error, json, sweepSchema));
  const sweep = parsed.data;
  // Counted before any axis value or point is made: a sweep too large to plan is refused, not allocated.
  const tooMany = plannedRunsIssue(sweep.axes, sweep.sampling ?? { method: "grid" }, sweep.replications ?? 1);
  if (tooMany !== undefined) throw new InputError(file, [tooMany]);
  const issues: InputIssue[] = [];

  const { document: baseJson, profileDirs, source, baseDir } = loadBase(sweep, file);
  const base = structuredClone(baseJson) as Record<string, JsonValue>;
  for (const [pointer, value] of Object.entries(sweep.set ?? {})) {
    const tokens = parsePointer(pointer) as string[];
    const found = lookupPointer(base, tokens);
    if (!found.ok) issues.push(missIssue(`set["${pointer}"]`, pointer, found.miss, source));
    else setPointer(base, tokens, value);
  }

  const axes: Axis[] = [];
  const names = new Set<string>();
  sweep.axes.forEach((axis, index) => {
    const tokens = parsePointer(axis.path) as string[];
    const name = axis.name ?? axis.path;
    if (names.has(name)) issues.push({ path: `axes[${index}].name`, value: name, expected: "a name no other axis has" });
    names.add(name);
    if (axes.some((other) => other.path === axis.path)) issues.push({ path: `axes[${index}].path`, value: axis.path, expected: "a path no other axis varies" });
    const found = lookupPointer(base, tokens);
    if (!found.ok) issues.push(missIssue(`axes[${index}].path`, axis.path, found.miss, source));
    if ("range" in axis) issues.push(...rangeIssues(axis, index));
    axes.push({ name, path: axis.path, tokens, values: gridValues(axis), isRange: "range" in axis });
  });
  const derived = sweep.derived ?? [];
  const varied = new Set(axes.map((axis) => axis.path));
  derived.forEach((entry, index) => {
    if (names.has(entry.name)) issues.push({ path: `derived[${index}].name`, value: entry.name, expected: "a name no axis or other derived parameter has" });
    names.add(entry.name);
    if (varied.has(entry.path)) issues.push({ path: `derived[${index}].path`, value: entry.path, expected: "a path no axis or other derived parameter sets" });
    varied.add(entry.path);
    const found = lookupPointer(base, parsePointer(entry.path) as string[]);
    if (!found.ok) issues.push(missIssue(`derived[${index}].path`, entry.path, found.miss, source));
  });
  if (issues.length > 0) throw new InputError(file, issues);

  const seed = sweep.seed ?? 1;
  const sampling = sweep.sampling ?? { method: "grid" as const };
  const replications = sweep.replications ?? 1;
  const axisCells = buildCells(sweep.axes, axes, sampling, seed);
  const evaluated = evaluateDerived(
    derived,
    axes.map((axis) => axis.name),
    axisCells,
  );
  if (evaluated.issues.length > 0) throw new InputError(file, evaluated.issues);
  const derivedAxes: Axis[] = derived.map((entry, d) => ({
    name: entry.name,
    path: entry.path,
    tokens: parsePointer(entry.path) as string[],
    // Each value once, in the order the cells first take it.
    values: distinctValues(evaluated.values[d]),
    isRange: false,
    expression: entry.expression,
  }));

  // The families the base scenario has (an axis value cannot add or remove a workload family's metrics).
  let families = { frames: true, queries: true };
  try {
    families = resolveScenario(base, { profileDirs, baseDir }, source).families;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // A base that is invalid on its own is reported through the axis values below (each makes a trial scenario).
  }
  (sweep.metrics ?? []).forEach((metric, index) => {
    const family = metric.split(".")[0];
    if ((family === "frames" || family === "queries") && !families[family]) {
      issues.push({ path: `metrics[${index}]`, value: metric, expected: `a metric of a family the scenario has: it has no ${family === "frames" ? "frame" : "query"} workload` });
    }
  });
  let moduleReported = false;
  // Each axis value on its own must give a valid scenario: a bad value is bad input now, not a failed run later.
  axes.forEach((axis, index) => {
    axis.values.forEach((value, v) => {
      const trial = structuredClone(base);
      setPointer(trial, axis.tokens, value);
      try {
        const policies = resolveScenario(trial, { profileDirs, baseDir }, source).policies;
        // Modules are imported asynchronously by the CLI before a run; sweep workers run built-in policies only.
        if (policies.some((entry) => entry.frames?.name === "module" || entry.queries?.name === "module") && !moduleReported) {
          moduleReported = true;
          issues.push({ path: `axes[${index}]`, value: "module", expected: `built-in policies only: a sweep cannot run {"policy": "module"} entries` });
        }
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const where = axis.isRange ? `axes[${index}].range` : `axes[${index}].values[${v}]`;
        for (const issue of error.issues) {
          issues.push({ path: where, value, expected: `a value that makes a valid scenario (with it, ${formatIssue(issue)})` });
        }
      }
    });
  });
  // A derived value is checked like an axis value: on its own, in the base scenario.
  derivedAxes.forEach((axis, index) => {
    for (const value of axis.values) {
      const trial = structuredClone(base);
      setPointer(trial, axis.tokens, value);
      try {
        resolveScenario(trial, { profileDirs, baseDir }, source);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const cell = axisCells[evaluated.values[index].findIndex((other) => canonicalJson(other) === canonicalJson(value))];
        for (const issue of error.issues) {
          issues.push({
            path: `derived[${index}]`,
            value,
            expected: `a value that makes a valid scenario (${JSON.stringify(derived[index].expression)} gives it for ${JSON.stringify(cell.values)}; with it, ${formatIssue(issue)})`,
          });
        }
      }
    }
  });
  if (issues.length > 0) throw new InputError(file, issues);

  // Derived values join the cells' coordinates: a run's id and seed follow what it simulates.
  const allAxes = [...axes, ...derivedAxes];
  const cells: Cell[] = axisCells.map((cell, c) => {
    const values = { ...cell.values };
    derivedAxes.forEach((axis, d) => {
      values[axis.name] = evaluated.values[d][c];
    });
    return derivedAxes.length === 0 ? cell : { id: cellId(coordinates(allAxes, values)), values };
  });
  const runs: RunSpec[] = cells.flatMap((cell) =>
    Array.from({ length: replications }, (_, r) => ({
      id: runId(cell.id, r),
      cellId: cell.id,
      cell: cell.values,
      replication: r,
      seed: runSeed(seed, coordinates(allAxes, cell.values), r),
    })),
  );
  const hash = sha256Hex(canonicalJson({ simulator: SIMULATOR_VERSION, base, axes: allAxes.map((a) => ({ name: a.name, path: a.path })), cells: cells.map((c) => c.id), replications, seed }));
  return {
    name: sweep.name,
    description: sweep.description ?? "",
    base,
    profileDirs,
    baseDir,
    axes: allAxes,
    sampling,
    replications,
    seed,
    metrics: [...(sweep.metrics ?? defaultMetrics(families))],
    hash,
    cells,
    runs,
  };
}

function loadBase(sweep: SweepDocument, file: string): { document: unknown; profileDirs: string[]; source: string; baseDir: string } {
  if (typeof sweep.base === "string") {
    const baseFile = resolve(dirname(file), sweep.base);
    return { document: readScenarioJson(baseFile), profileDirs: [join(dirname(baseFile), "hardware-profiles"), BUILTIN_PROFILE_DIR], source: baseFile, baseDir: dirname(baseFile) };
  }
  return { document: sweep.base, profileDirs: [join(dirname(resolve(file)), "hardware-profiles"), BUILTIN_PROFILE_DIR], source: `${file} (base)`, baseDir: dirname(resolve(file)) };
}

function missIssue(path: string, pointer: string, miss: { found: string; missing: string; available: string[] }, source: string): InputIssue {
  const where = miss.found === "" ? "the scenario's top level" : `"${miss.found}"`;
  const has = miss.available.length > 0 ? `; ${suggestName(miss.missing, miss.available)}` : "; it is not an object or array";
  return {
    path,
    value: pointer,
    expected: `a path that exists in the base scenario ${source}: key "${miss.missing}" not found at ${where}${has}`,
  };
}

function rangeIssues(axis: Extract<AxisDocument, { range: unknown }>, index: number): InputIssue[] {
  const { from, to, scale } = axis.range;
  const issues: InputIssue[] = [];
  if (!(to >= from)) issues.push({ path: `axes[${index}].range.to`, value: to, expected: `a number at least "from" (${from})` });
  if (scale === "log" && !(from > 0)) issues.push({ path: `axes[${index}].range.from`, value: from, expected: "a positive number (log scale)" });
  return issues;
}

function distinctValues(values: readonly JsonValue[]): JsonValue[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = canonicalJson(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function coordinates(axes: readonly Axis[], values: Record<string, JsonValue>): Coordinates {
  const byPath: Coordinates = {};
  for (const axis of axes) byPath[axis.path] = values[axis.name];
  return byPath;
}

/** Cells from the sampled points: duplicates merged (same coordinates = same cell), sorted axis by axis. */
function buildCells(documents: readonly AxisDocument[], axes: readonly Axis[], sampling: SweepPlan["sampling"], seed: number | string): Cell[] {
  const byId = new Map<string, { cell: Cell; point: JsonValue[] }>();
  for (const point of samplePoints(documents, sampling, seed)) {
    const values: Record<string, JsonValue> = {};
    axes.forEach((axis, i) => {
      values[axis.name] = point[i];
    });
    const id = cellId(coordinates(axes, values));
    if (!byId.has(id)) byId.set(id, { cell: { id, values }, point });
  }
  return [...byId.values()]
    .sort((a, b) => {
      for (let i = 0; i < axes.length; i++) {
        const order = compareJsonValues(a.point[i], b.point[i], axes[i].isRange ? undefined : axes[i].values);
        if (order !== 0) return order;
      }
      return 0;
    })
    .map((entry) => entry.cell);
}
