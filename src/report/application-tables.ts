import { escapeHtml } from "./html-page.js";
import { table } from "./query-tables.js";
import type { ReportResults } from "./results-input.js";

/*
 * The report's tables of issue 17's applications (runs[].applications, docs/applications.md): a
 * row per run and application (jobs, latency), and a row per run and stage (where it ran, its wait
 * and service). There only when some run has applications.
 */

const APPLICATIONS_NOTE =
  "Jobs of each application graph created in the measurement window, per placement policy: latency from the job's arrival on its device to the last byte back; " +
  "late = slower than the application's deadline; lost = at a crashed node.";

const STAGES_NOTE = "Per stage: the places that ran it (share of the jobs completed), the mean wait in the station's queue and the mean service time.";

/** Means of ms with two decimals: stage times run from tenths of a ms to seconds. */
function ms(value: number | null): string {
  return value === null ? "–" : `${value.toFixed(2)} ms`;
}

export function applicationSections(results: ReportResults): string[] {
  const runs = results.runs.filter((run) => run.applications !== null);
  if (runs.length === 0) return [];
  const summary = table(
    "applications-table",
    ["label", "application", "generated", "completed", "late", "lost", "unfinished", "violation rate", "mean latency", "p95 latency"],
    runs.flatMap((run) =>
      (run.applications ?? []).map((app) => [
        escapeHtml(run.label),
        escapeHtml(app.application),
        String(app.jobs.generated),
        String(app.jobs.completed),
        String(app.jobs.late),
        String(app.jobs.lost),
        String(app.jobs.unfinished),
        app.jobs.violationRate === null ? "–" : `${(app.jobs.violationRate * 100).toFixed(2)}%`,
        ms(app.latency.mean),
        ms(app.latency.p95),
      ]),
    ),
  );
  const stages = table(
    "application-stages-table",
    ["label", "application", "stage", "service", "places", "mean wait", "mean service"],
    runs.flatMap((run) =>
      (run.applications ?? []).flatMap((app) =>
        app.stages.map((stage) => [
          escapeHtml(run.label),
          escapeHtml(app.application),
          escapeHtml(stage.id),
          escapeHtml(stage.service),
          stage.places.length === 0 ? "–" : stage.places.map((p) => `${escapeHtml(p.place)} ${(p.share * 100).toFixed(1)}%`).join(", "),
          ms(stage.wait.mean),
          ms(stage.serviceTime.mean),
        ]),
      ),
    ),
  );
  return [`<h2>Applications</h2>\n${summary}\n<p><small>${escapeHtml(APPLICATIONS_NOTE)}</small></p>\n${stages}\n<p><small>${escapeHtml(STAGES_NOTE)}</small></p>`];
}
