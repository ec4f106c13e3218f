import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../cli/helpers.js";
import { FIXTURE_FILE, fixtureJson } from "./fixtures.js";
import { readPngChunks } from "./render-readers.js";

describe("simulate report <results.json>", () => {
  it("draws every chart next to the results file and names the skipped one with its reason", () => {
    const dir = tempDir();
    const results = join(dir, "results.json");
    copyFileSync(FIXTURE_FILE, results);
    const run = runCli(["report", results]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("charts: 6 drawn, 2 skipped");
    expect(run.stdout).toContain("skipped learning-curve: no learned frame scheduler");
    expect(run.stdout).not.toContain("warning");
    expect(run.stdout).toContain(`report: ${join(dir, "index.html")}`);
    expect(readdirSync(join(dir, "charts"))).toHaveLength(18);
  });

  it("--out and --format choose the folder and the files", () => {
    const dir = tempDir();
    const run = runCli(["report", FIXTURE_FILE, "--out", join(dir, "figs"), "--format", "png"]);
    expect(run.code, run.stderr).toBe(0);
    const files = readdirSync(join(dir, "figs", "charts"));
    expect(files.filter((f) => f.endsWith(".png"))).toHaveLength(6);
    expect(files.some((f) => f.endsWith(".svg"))).toBe(false);
    expect(existsSync(join(dir, "figs", "index.html"))).toBe(false);
  });

  it.each([
    ["a missing file", (dir: string) => join(dir, "nope.json"), "a readable results file (ENOENT)"],
    ["invalid JSON", (dir: string) => write(dir, "{ not json"), "not valid JSON"],
    [
      "a scenario instead of results",
      () => "scenarios/edge-ai-testbed.json",
      'schema: missing: expected "continuum-sim/results@2" (a results.json written by simulate), or "continuum-sim/results@1" or "continuum-sim/llm-results@1"',
    ],
    [
      "a file of an unknown results version",
      (dir: string) => write(dir, JSON.stringify({ ...fixtureJson(), schema: "continuum-sim/results@3" })),
      'schema: "continuum-sim/results@3" is not valid: expected "continuum-sim/results@2"',
    ],
    [
      "old results with a broken field",
      (dir: string) => write(dir, JSON.stringify({ ...fixtureJson(), qosDeadlineMs: "soon" })),
      "(in the file converted from continuum-sim/results@1 to continuum-sim/results@2): 1 problem\n  qos.frameDeadlineMs",
    ],
  ])("%s is bad input: exit 2, a clear message, nothing written", (_name, file, message) => {
    const dir = tempDir();
    const run = runCli(["report", file(dir), "--out", join(dir, "out")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("an unknown --format is bad input (exit 2)", () => {
    const run = runCli(["report", FIXTURE_FILE, "--format", "svg,eps"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--format");
    expect(run.stderr).toContain("svg, png, pdf, html");
  });

  it("--format pdf --width column,double --dpi 150: a PDF per chart and width, PNGs that say 150 dpi", () => {
    const dir = tempDir();
    const run = runCli(["report", FIXTURE_FILE, "--out", dir, "--format", "png,pdf", "--width", "column,double", "--dpi", "150"]);
    expect(run.code, run.stderr).toBe(0);
    const files = readdirSync(join(dir, "charts"));
    expect(files.filter((f) => f.endsWith(".pdf"))).toHaveLength(12);
    expect(files).toContain("latency-cdf@double.pdf");
    const pdf = readFileSync(join(dir, "charts", "latency-cdf.pdf"));
    expect(pdf.toString("latin1", 0, 5)).toBe("%PDF-");
    const phys = readPngChunks(readFileSync(join(dir, "charts", "latency-cdf@double.png"))).find((chunk) => chunk.type === "pHYs");
    expect(phys?.data.readUInt32BE(0)).toBe(Math.round(150 / 0.0254));
  });

  it.each([
    [["--width", "wide"], "--width", "column, double"],
    [["--dpi", "20"], "--dpi", "from 50 to 2400"],
    [["--dpi", "many"], "--dpi", "from 50 to 2400"],
  ])("%j is bad input (exit 2), nothing written", (extra, flag, expected) => {
    const dir = tempDir();
    const run = runCli(["report", FIXTURE_FILE, "--out", join(dir, "out"), ...extra]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(flag);
    expect(run.stderr).toContain(expected);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

describe("simulate <scenario> --report", () => {
  it("renders the charts and index.html into the run's out folder after writing results.json", () => {
    const dir = tempDir();
    const run = runCli(["scenarios/edge-ai-testbed.json", "--duration", "30 s", "--out", dir, "--report"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`wrote ${join(dir, "results.json")}`);
    expect(run.stdout).toContain("charts: 6 drawn, 2 skipped");
    const html = readFileSync(join(dir, "index.html"), "utf8");
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { scenario: { hash: string } };
    expect(html).toContain(results.scenario.hash);
    expect(existsSync(join(dir, "charts", "latency-cdf.png"))).toBe(true);
  });

  it("--width double draws the report's charts at two columns (<id>@double.*)", () => {
    const dir = tempDir();
    const run = runCli(["scenarios/frame-size.json", "--duration", "20 s", "--out", dir, "--report", "--width", "double", "--dpi", "100"]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, "charts", "latency-cdf@double.svg"))).toBe(true);
    expect(existsSync(join(dir, "charts", "latency-cdf.svg"))).toBe(false);
  });

  it("--width or --dpi without --report is refused before simulating (exit 2, no results written)", () => {
    const dir = tempDir();
    const run = runCli(["scenarios/frame-size.json", "--out", dir, "--width", "double"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--width");
    expect(run.stderr).toContain("with --report");
    expect(existsSync(join(dir, "results.json"))).toBe(false);
  });
});

function write(dir: string, text: string): string {
  const file = join(dir, "results.json");
  writeFileSync(file, text);
  return file;
}
