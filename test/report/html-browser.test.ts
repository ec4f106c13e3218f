import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport, type ReportSummary } from "../../src/report/write-report.js";
import { fixture } from "./fixtures.js";

/** Debian's chromium package (CHROMIUM_PATH overrides); .ci/run installs it, a developer's machine may not have it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`SKIPPED: the HTML report browser test needs Chromium at ${CHROMIUM} (Debian: apt-get install chromium); .ci/run installs it.`);
}

describe.skipIf(!haveChromium)("index.html in headless Chromium", () => {
  let browser: Browser;
  let dir: string;
  let summary: ReportSummary;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "continuum-report-html-"));
    summary = await writeReport(fixture(), dir, ["html"]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // A fresh profile each time (launch makes a temporary user-data-dir), no network side traffic.
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("shows every chart, requests nothing from the network and logs no console error", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requested: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(pathToFileURL(join(dir, "index.html")).href, { waitUntil: "load" });
    // Browser-side code as strings where it needs DOM globals: the project's TypeScript lib has no DOM.
    await page.evaluate("document.fonts.ready.then(() => true)");

    const charts = await page.$$eval("figure[data-chart]", (figures) =>
      figures.map((figure) => {
        const svg = figure.querySelector("svg");
        const box = svg?.getBoundingClientRect();
        const view = globalThis as unknown as { getComputedStyle(element: unknown): { display: string; visibility: string } };
        const style = svg === null ? undefined : view.getComputedStyle(svg);
        return {
          id: figure.getAttribute("data-chart"),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          visible: style !== undefined && style.display !== "none" && style.visibility !== "hidden",
          marks: svg?.querySelectorAll("path, rect, line, text").length ?? 0,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(summary.drawn);
    for (const chart of charts) {
      expect(chart.visible, chart.id ?? "").toBe(true);
      expect(chart.width, chart.id ?? "").toBeGreaterThan(200);
      expect(chart.height, chart.id ?? "").toBeGreaterThan(100);
      expect(chart.marks, chart.id ?? "").toBeGreaterThan(20);
    }
    // The embedded DejaVu Sans is what the page (and the inline SVG text) uses.
    expect(await page.evaluate(`document.fonts.check('12px "DejaVu Sans"')`)).toBe(true);
    expect(await page.evaluate(`[...document.fonts].some((font) => font.family.includes("DejaVu Sans") && font.status === "loaded")`)).toBe(true);
    expect(await page.locator("#results-table tbody tr").count()).toBe(fixture().runs.length);
    await expect(page.locator("section.skipped-chart").count()).resolves.toBe(summary.skipped.length);
    expect(problems).toEqual([]);
    expect(requested.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))).toEqual([]);
    await page.close();
  });
});
