import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
 * The CLI is bundled (scripts/bundle.mjs): a file it loads stands for the sources its source map
 * lists, so a static import of any of these from the run's path, which puts its source in a chunk
 * the run loads, puts it on the list.
 */
const NOT_FOR_A_PLAIN_RUN = [
  // Drawing (vega, d3, resvg, pdf, fonts) and fitting (mathjs): some 0.4 s of loading.
  /\/node_modules\/(vega[^/]*|d3-[^/]*|@resvg\/[^/]+|mathjs|pdfkit|subset-font|svg-to-pdfkit|fontkit)\//,
  // CSV (traces, fit): required on the first CSV read.
  /\/node_modules\/csv-parse\//,
  // The other commands: sweeps, fit, report, validate / sample / profiles.
  /\/src\/(cli\/(sweep-command|fit-command|report-command|info-commands)|sweep\/(run-sweep|worker-pool|summary|load-sweep)|report\/write-report|fit\/[^/]+)\.ts$/,
];

const DIST = pathToFileURL(join(REPO, "dist")).href;
const BUNDLE = `${DIST}/cli/`;

const work = tempDir("continuum-startup-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The sources behind a loaded file: those its source map lists for a built file, else the file itself. */
function sourcesOf(url: string): string[] {
  const map = url.startsWith(DIST) ? `${fileURLToPath(url)}.map` : undefined;
  if (map === undefined || !existsSync(map)) return [url];
  const { sources } = JSON.parse(readFileSync(map, "utf8")) as { sources: string[] };
  return sources.map((source) => pathToFileURL(resolve(dirname(map), source)).href);
}

/** The distinct URLs a CLI process loaded, the sources behind them, and its exit code. */
function loadedBy(args: string[], name: string): { code: number | null; urls: string[]; sources: string[] } {
  const record = join(work, `${name}.modules`);
  const child = spawnSync(process.execPath, ["--import", join(REPO, "test", "cli", "record-modules.mjs"), BIN, ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, RECORD_MODULES_FILE: record },
  });
  const urls = existsSync(record) ? [...new Set(readFileSync(record, "utf8").split("\n").filter(Boolean))] : [];
  return { code: child.status, urls, sources: [...new Set(urls.flatMap(sourcesOf))] };
}

const offending = (sources: string[]) => sources.filter((url) => NOT_FOR_A_PLAIN_RUN.some((pattern) => pattern.test(url)));

describe("CLI start-up, the modules a process loads", () => {
  let run: ReturnType<typeof loadedBy>;
  beforeAll(() => {
    run = loadedBy(["run", writeOneSecondScenario(work), "--out", join(work, "out"), "--quiet"], "run");
  });

  it("a 1-second run (no --report, no traces) loads no chart, fit, CSV or other-command module", () => {
    expect(run.code).toBe(0);
    // The recorder saw the run's own modules (an empty list would pass vacuously).
    expect(run.sources).toContain(pathToFileURL(join(REPO, "src", "scenario", "resolve.ts")).href);
    expect(run.sources.some((url) => url.includes("/node_modules/zod/"))).toBe(true);
    expect(offending(run.sources)).toEqual([]);
  });

  it("a 1-second run reads the bundle: no per-module file of dist/ or node_modules, and none of zod's locales but English", () => {
    const modules = run.urls.filter((url) => url.startsWith("file:") && !url.endsWith("/package.json"));
    expect(modules.filter((url) => !url.startsWith(BUNDLE))).toEqual([]);
    expect(modules).toContain(pathToFileURL(BIN).href);
    // zod's entry re-exports every locale; a namespace the bundle must build keeps all 60 in (docs/performance.md).
    expect(run.sources.filter((url) => url.includes("/node_modules/zod/v4/locales/"))).toEqual([pathToFileURL(join(REPO, "node_modules", "zod", "v4", "locales", "en.js")).href]);
  });

  it("the list catches them where they are used: a sweep's cluster job (a chunk loaded on use) and a CSV read by fit (required)", () => {
    const sweep = loadedBy(["sweep", "sweeps/devices-vs-scheduler.json", "--emit", "slurm", "--out", join(work, "sweep")], "sweep");
    expect(sweep.code).toBe(0);
    expect(offending(sweep.sources)).toContain(pathToFileURL(join(REPO, "src", "cli", "sweep-command.ts")).href);
    // A column that is not there: fit stops after reading the CSV, before drawing.
    const fit = loadedBy(["fit", "traces/azure-conv-synthetic.csv", "--column", "no-such-column", "--out", join(work, "fit")], "fit");
    expect(fit.code).toBe(2);
    expect(offending(fit.sources).some((url) => url.includes("/node_modules/csv-parse/dist/cjs/"))).toBe(true);
  });
});
