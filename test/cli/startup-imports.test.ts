import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeOneSecondScenario } from "../../src/bench/startup.js";
import { BIN, REPO, tempDir } from "./helpers.js";

/*
 * The chart stack (vega, vega-lite, resvg: some 0.4 s of loading) is imported only by the commands
 * that draw (`report`, a run with --report, a sweep's charts, `fit`), dynamically. This walks the
 * static (non-type) imports from the CLI's entry and fails if any chain reaches it.
 */

const CHART_PACKAGES = /^(vega|vega-lite|@resvg\/resvg-js)(\/|$)/;

function chartImportChains(entry: string): string[] {
  const parent = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  const chains: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/^(import|export)\s(?!type\s)[^;]*?\sfrom\s+"([^"]+)";/gms)) {
      const specifier = match[2];
      if (specifier.startsWith(".")) {
        const target = join(dirname(file), specifier.replace(/\.js$/, ".ts"));
        if (!parent.has(target)) {
          parent.set(target, file);
          queue.push(target);
        }
      } else if (CHART_PACKAGES.test(specifier)) {
        const chain = [specifier];
        for (let at: string | null | undefined = file; at; at = parent.get(at)) chain.push(at.slice(REPO.length + 1));
        chains.push(chain.join(" <- "));
      }
    }
  }
  return chains;
}

describe("CLI start-up", () => {
  it("a run without --report, validate and sweep planning load no chart package (imported statically by nothing the CLI entry imports)", () => {
    expect(chartImportChains(join(REPO, "src", "cli", "main.ts"))).toEqual([]);
  });

  it("the walk finds a chart package where one is imported (the check can fail)", () => {
    expect(chartImportChains(join(REPO, "src", "cli", "report-command.ts")).length).toBeGreaterThan(0);
  });
});

/*
 * The same promise, checked on what a process really loads (issue 16: a 1-second run within 2x
 * `node -e 0`): record-modules.mjs lists every ES module resolved and every CommonJS file required.
 * A static import of any of these from the run's path puts it on the list.
 */
const NOT_FOR_A_PLAIN_RUN = [
  // Drawing (vega, d3, resvg, pdf, fonts) and fitting (mathjs): some 0.4 s of loading.
  /\/node_modules\/(vega[^/]*|d3-[^/]*|@resvg\/[^/]+|mathjs|pdfkit|subset-font|svg-to-pdfkit|fontkit)\//,
  // CSV (traces, fit): required on the first CSV read.
  /\/node_modules\/csv-parse\//,
  // The other commands: sweeps, fit, report, validate / sample / profiles.
  /\/dist\/(cli\/(sweep-command|fit-command|report-command|info-commands)|sweep\/(run-sweep|worker-pool|summary|load-sweep)|report\/write-report|fit\/[^/]+)\.js$/,
];

const work = tempDir("continuum-startup-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The distinct URLs a CLI process loaded, and its exit code. */
function loadedBy(args: string[], name: string): { code: number | null; urls: string[] } {
  const record = join(work, `${name}.modules`);
  const child = spawnSync(process.execPath, ["--import", join(REPO, "test", "cli", "record-modules.mjs"), BIN, ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, RECORD_MODULES_FILE: record },
  });
  const urls = existsSync(record) ? [...new Set(readFileSync(record, "utf8").split("\n").filter(Boolean))] : [];
  return { code: child.status, urls };
}

const offending = (urls: string[]) => urls.filter((url) => NOT_FOR_A_PLAIN_RUN.some((pattern) => pattern.test(url)));

describe("CLI start-up, the modules a process loads", () => {
  it("a 1-second run (no --report, no traces) loads no chart, fit, CSV or other-command module", () => {
    const run = loadedBy(["run", writeOneSecondScenario(work), "--out", join(work, "out"), "--quiet"], "run");
    expect(run.code).toBe(0);
    // The recorder saw the run's own modules (an empty list would pass vacuously).
    expect(run.urls.some((url) => url.endsWith("/dist/scenario/resolve.js"))).toBe(true);
    expect(run.urls.some((url) => url.includes("/node_modules/zod/"))).toBe(true);
    expect(offending(run.urls)).toEqual([]);
  });

  it("the list catches them where they are used: a sweep's cluster job (ES modules) and a CSV read by fit (required)", () => {
    const sweep = loadedBy(["sweep", "sweeps/devices-vs-scheduler.json", "--emit", "slurm", "--out", join(work, "sweep")], "sweep");
    expect(sweep.code).toBe(0);
    expect(offending(sweep.urls)).toContain(`file://${join(REPO, "dist", "cli", "sweep-command.js")}`);
    // A column that is not there: fit stops after reading the CSV, before drawing.
    const fit = loadedBy(["fit", "traces/azure-conv-synthetic.csv", "--column", "no-such-column", "--out", join(work, "fit")], "fit");
    expect(fit.code).toBe(2);
    expect(offending(fit.urls).some((url) => url.includes("/node_modules/csv-parse/dist/cjs/"))).toBe(true);
  });
});
