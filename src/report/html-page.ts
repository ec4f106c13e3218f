import { readFileSync } from "node:fs";
import { DEJAVU_SANS_TTF } from "./font-metrics.js";
import { FONT_FAMILY } from "./style.js";

/** A chart as the report shows it: drawn (with its SVG) or skipped (with the reason). */
export type ReportEntry = { id: string; title: string; kind: "chart"; caption: string; svg: string } | { id: string; title: string; kind: "skipped"; reason: string };

/** What a report page holds besides the shared head, style and footer: the tables of src/report/html-report.ts. */
export interface HtmlPageContent {
  title: string;
  heading: string;
  description: string;
  /** HTML blocks between the description and the charts (each starts with its own h2). */
  sections: readonly string[];
  entries: readonly ReportEntry[];
  simulator: { name: string; version: string };
}

/** The self-contained page around a report's tables and charts (see buildHtmlReport). */
export function htmlPage(content: HtmlPageContent): string {
  const font = readFileSync(DEJAVU_SANS_TTF).toString("base64");
  const charts = content.entries.map(chartSection).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)}</title>
<style>
@font-face { font-family: "${FONT_FAMILY}"; src: url(data:font/ttf;base64,${font}) format("truetype"); }
body { font-family: "${FONT_FAMILY}", sans-serif; font-size: 14px; line-height: 1.45; color: #111; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1rem; margin-bottom: 0.3rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 0.2rem 0.6rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child, table.summary td, #scenario-nodes td, #scenario-nodes th { text-align: left; }
td:first-child { white-space: nowrap; }
thead th { border-bottom: 2px solid #999; }
figure { margin: 0.5rem 0 1.5rem; }
/* Charts are drawn for a 3.3 in paper column; on screen they are shown at twice that size. */
figure svg { width: min(100%, calc(var(--chart-width) * 2px)); height: auto; display: block; }
figcaption { font-size: 13px; color: #333; max-width: 42rem; }
.skipped { color: #555; font-style: italic; }
code { font-size: 12px; word-break: break-all; }
</style>
</head>
<body>
<h1>${escapeHtml(content.heading)}</h1>
<p>${escapeHtml(content.description)}</p>
${content.sections.join("\n")}
<h2>Charts</h2>
${charts}
<p><small>Generated from results.json by ${escapeHtml(content.simulator.name)} ${escapeHtml(content.simulator.version)}; every chart is also in charts/ as .vl.json, .svg and .png.</small></p>
</body>
</html>
`;
}

function chartSection(entry: ReportEntry): string {
  if (entry.kind === "skipped") {
    return `<section id="${entry.id}" class="chart skipped-chart">
<h3>${escapeHtml(entry.title)}</h3>
<p class="skipped">Not drawn: ${escapeHtml(entry.reason)}.</p>
</section>`;
  }
  return `<section id="${entry.id}" class="chart">
<h3>${escapeHtml(entry.title)}</h3>
<figure data-chart="${entry.id}" style="--chart-width: ${svgWidth(entry.svg)}">
${namespaceSvgIds(stripXmlDeclaration(entry.svg), entry.id)}
<figcaption>${escapeHtml(entry.caption)}</figcaption>
</figure>
</section>`;
}

export function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${ms / 1000} s`;
  return `${ms} ms`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function svgWidth(svg: string): number {
  const match = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  return match === null ? 330 : Number(match[1]);
}

function stripXmlDeclaration(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, "");
}

/**
 * Prefixes the ids inside one chart's SVG (vega numbers gradients from 0 in every chart): inlined
 * side by side, two charts' `gradient_0` would otherwise both resolve to the first one.
 */
export function namespaceSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}
