import type { TopLevelSpec } from "vega-lite";
import { frameRuns, skipped, timeAxisUnit, type ChartOutcome, type FrameRun } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, type ChartWidth } from "../style.js";
import { policyColourSubset } from "../policy-colours.js";
import { bottomLegend, formatNumber, NUMBER_FORMAT, PLOT_SIZES } from "./layout.js";

export interface MigrationStep {
  scheduler: string;
  t: number;
  /** Migrations up to and including t. */
  count: number;
  /** A migration happened at t (the start and end of the run are not). */
  migration: boolean;
}

/**
 * The cumulative count of each run's migrations over time: 0 at the start of the run, one step
 * per migration (time order; several at one time are one step), the total at the end of the window.
 */
export function migrationSteps(results: ReportResults): MigrationStep[] {
  const { divisor } = timeAxisUnit(results);
  const end = results.window.durationMs / divisor;
  return frameRuns(results)
    .filter((run) => run.migrations.length > 0)
    .flatMap((run) => {
      const times = run.migrations.map((m) => m.timeMs).sort((a, b) => a - b);
      const steps: MigrationStep[] = [{ scheduler: run.label, t: 0, count: 0, migration: false }];
      times.forEach((timeMs, i) => {
        if (times[i + 1] === timeMs) return;
        steps.push({ scheduler: run.label, t: timeMs / divisor, count: i + 1, migration: true });
      });
      const last = steps[steps.length - 1];
      if (last.t < end) steps.push({ scheduler: run.label, t: end, count: last.count, migration: false });
      return steps;
    });
}

/** The node pair a run's devices moved between most often, with its count (ties: first in time). */
function commonestRoute(run: FrameRun): { route: string; count: number } {
  const counts = new Map<string, number>();
  for (const m of run.migrations) counts.set(`${m.from} → ${m.to}`, (counts.get(`${m.from} → ${m.to}`) ?? 0) + 1);
  let best = { route: "", count: 0 };
  for (const m of run.migrations) {
    const route = `${m.from} → ${m.to}`;
    const count = counts.get(route) ?? 0;
    if (count > best.count) best = { route, count };
  }
  return best;
}

/** Chart 8: migrations over time, cumulative, one step line per scheduler that migrated. */
export function migrationsChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const values = migrationSteps(results);
  if (values.length === 0) return skipped("no scheduler migrated a device in these results (`runs[].migrations` is empty in every run)");
  const { divisor, unit } = timeAxisUnit(results);
  const plot = PLOT_SIZES[width];
  const migrating = frameRuns(results).filter((run) => run.migrations.length > 0);
  const still = frameRuns(results).filter((run) => run.migrations.length === 0);
  const colour = policyColourSubset(results, new Set(migrating.map((run) => run.label)));
  const top = Math.max(...values.map((v) => v.count));
  const x = { field: "t", type: "quantitative" as const, title: `simulated time (${unit})`, scale: { domain: [0, results.window.durationMs / divisor], nice: false }, axis: { format: NUMBER_FORMAT } };
  const y = {
    field: "count",
    type: "quantitative" as const,
    title: "migrations so far",
    scale: { domain: [0, Math.max(1, top)], nice: true },
    // Whole migrations only: no 0.5 ticks on a run with one migration.
    axis: { format: NUMBER_FORMAT, tickMinStep: 1 },
  };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: plot.width,
    height: plot.height,
    data: { values },
    layer: [
      {
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
        encoding: { x, y, color: { field: "scheduler", type: "nominal", title: null, scale: colour, legend: bottomLegend(colour.domain, width) } },
      },
      {
        transform: [{ filter: "datum.migration" }],
        mark: { type: "point", filled: true, size: 18, opacity: 1 },
        encoding: { x, y, color: { field: "scheduler", type: "nominal", scale: colour } },
      },
    ],
  };
  const totals = migrating.map((run) => {
    const route = commonestRoute(run);
    const where = run.migrations.length === 1 ? route.route : `most often ${route.route}, ${formatNumber(route.count)}×`;
    return `${run.label} ${formatNumber(run.migrations.length)} (${where})`;
  });
  const none = still.length > 0 ? `; no migrations: ${still.map((run) => run.label).join(", ")}` : "";
  return {
    kind: "chart",
    spec,
    caption: `Migrations of devices between nodes up to each moment of the run, per scheduler (a dot per migration time): ${totals.join("; ")}${none}.`,
  };
}
