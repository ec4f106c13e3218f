import { linkRuns, mobilityRuns } from "./chart.js";
import { drawnLinks, linkLabel } from "./charts/link-utilisation.js";
import { escapeHtml } from "./html-page.js";
import { percent, table } from "./query-tables.js";
import type { ReportResults } from "./results-input.js";

/*
 * The report's tables of issue 15's run sections: the shared links (the directions the
 * link-utilisation chart draws) and the moving device groups. Each is there only when some run
 * has the section.
 */

const LINKS_NOTE =
  "Over the measurement window: utilisation = bytes delivered / (capacity × window); flows = transfers on the link (time average, and the most at once). " +
  "The busiest link directions (those of the link-utilisation chart); results.json has every one.";

const MOBILITY_NOTE =
  "Handovers per device and hour of the measurement window; delayed: jobs with a transfer that waited for a handover or for coverage, and of those the ones that violated a deadline.";

export function networkSections(results: ReportResults): string[] {
  const sections: string[] = [];
  const runs = linkRuns(results);
  if (runs.length > 0) {
    const drawn = new Set(drawnLinks(results).drawn);
    const rows = runs.flatMap((run) =>
      run.links.links
        .filter((link) => drawn.has(linkLabel(link)))
        .map((link) => [
          escapeHtml(run.label),
          escapeHtml(linkLabel(link)),
          link.capacityMbps.toLocaleString("en-US", { maximumSignificantDigits: 6 }),
          percent(link.utilisation),
          link.meanFlows.toFixed(2),
          String(link.peakFlows),
          (link.bytes / 1e6).toFixed(1),
          run.links.meanFlowsInFlight.toFixed(2),
        ]),
    );
    const header = ["label", "link", "capacity (Mbit/s)", "utilisation", "mean flows", "peak flows", "MB delivered", "flows in flight (run)"];
    sections.push(`<h2>Shared links</h2>\n${table("links-table", header, rows)}\n<p><small>${escapeHtml(LINKS_NOTE)}</small></p>`);
  }
  const moving = mobilityRuns(results);
  if (moving.length > 0) {
    const rows = moving.flatMap((run) =>
      run.mobility.groups.map((group) => [
        escapeHtml(run.label),
        escapeHtml(group.group),
        String(group.devices),
        group.handoversPerDeviceHour.toFixed(1),
        String(group.jobsDelayed),
        String(group.jobsLateAfterWait),
      ]),
    );
    const header = ["label", "group", "devices", "handovers / device-hour", "jobs delayed", "of those violated"];
    sections.push(`<h2>Moving devices</h2>\n${table("mobility-table", header, rows)}\n<p><small>${escapeHtml(MOBILITY_NOTE)}</small></p>`);
  }
  return sections;
}
