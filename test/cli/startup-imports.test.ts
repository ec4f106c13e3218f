import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
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
    expect(chartImportChains(join(REPO, "src", "cli", "cli.ts"))).toEqual([]);
  });

  it("the walk finds a chart package where one is imported (the check can fail)", () => {
    expect(chartImportChains(join(REPO, "src", "cli", "report-command.ts")).length).toBeGreaterThan(0);
  });
});

/*
 * The same promise, checked on what a process really loads (issue 16: a 1-second run within 2x
 * `node -e 0`): record-modules.mjs lists every ES module resolved and every CommonJS file required.
 * The CLI is one bundle, dist/cli/cli.cjs (scripts/bundle.mjs), read and compiled by dist/cli/bin.cjs
 * with V8's code cache: a module in it runs only when imported (the commands a run does not use are
 * imported dynamically, which the static walk above and below checks), and a package left out of it
 * (the chart stack, mathjs, csv-parse) is a real load, recorded here.
 */
const NOT_FOR_A_PLAIN_RUN = [
  // Drawing (vega, d3, resvg, pdf, fonts) and fitting (mathjs): some 0.4 s of loading.
  /\/node_modules\/(vega[^/]*|d3-[^/]*|@resvg\/[^/]+|mathjs|pdfkit|subset-font|svg-to-pdfkit|fontkit)\//,
  // CSV (traces, fit): required on the first CSV read.
  /\/node_modules\/csv-parse\//,
];
/** The other commands: sweeps, fit, report, validate / sample / profiles, imported on use. */
const OTHER_COMMANDS = /\/src\/(cli\/(sweep-command|fit-command|report-command|info-commands)|sweep\/(run-sweep|worker-pool|summary|load-sweep)|report\/write-report|fit\/[^/]+)\.ts$/;

/** Every source file the static (non-type) imports reach from `entry`. */
function staticallyImported(entry: string): string[] {
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const match of readFileSync(file, "utf8").matchAll(/^(import|export)\s(?!type\s)[^;]*?\sfrom\s+"(\.[^"]+)";|^import\s+"(\.[^"]+)";/gms)) {
      const target = join(dirname(file), (match[2] ?? match[3]).replace(/\.js$/, ".ts"));
      if (!seen.has(target) && existsSync(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen];
}

describe("CLI start-up, what the bundle runs for a plain run", () => {
  it("the CLI's entry reaches the other commands only by import() (the bundle evaluates them on use)", () => {
    const reached = staticallyImported(join(REPO, "src", "cli", "cli.ts"));
    // The walk reached the run's path (an empty walk would pass vacuously) ...
    expect(reached).toContain(join(REPO, "src", "scenario", "resolve.ts"));
    expect(reached.filter((file) => OTHER_COMMANDS.test(file))).toEqual([]);
    // ... and finds another command where it is imported statically (the check can fail).
    expect(staticallyImported(join(REPO, "src", "cli", "sweep-command.ts")).filter((file) => OTHER_COMMANDS.test(file)).length).toBeGreaterThan(0);
  });

  it("the bundle holds none of zod's locales but English", () => {
    // zod's entry re-exports every locale; a namespace the bundle must build keeps all 60 in (docs/performance.md).
    const map = join(REPO, "dist", "cli", "cli.cjs.map");
    const { sources } = JSON.parse(readFileSync(map, "utf8")) as { sources: string[] };
    const locales = sources.map((source) => resolve(dirname(map), source)).filter((file) => file.includes("/node_modules/zod/v4/locales/"));
    // The locales' index stays as an empty module (its re-exports shaken off).
    expect(locales.sort()).toEqual(["en.js", "index.js"].map((file) => join(REPO, "node_modules", "zod", "v4", "locales", file)));
  });

  it("the bundle builds no regular expression of Unicode properties at load (string-width's, for help text only)", () => {
    const source = readFileSync(join(REPO, "dist", "cli", "cli.cjs"), "latin1");
    // A top-level `var name = /...\p{...}/` is built (its property sets read from ICU) when the bundle runs.
    const atLoad = /^var \w+ = \/.*\\p\{.*\/[a-z]*;$/gm;
    expect(source.match(atLoad)).toBeNull();
    // The same check finds one in string-width's own source (it can fail).
    expect(
      readFileSync(join(REPO, "node_modules", "string-width", "index.js"), "utf8")
        .replace(/^const /gm, "var ")
        .match(atLoad)?.length,
    ).toBeGreaterThan(0);
  });
});

const work = tempDir("continuum-startup-");
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The distinct URLs a CLI process loaded (`bin`: another copy of dist/cli/bin.cjs), its exit code and its output. */
function loadedBy(args: string[], name: string, bin = BIN): { code: number | null; urls: string[]; stdout: string } {
  const record = join(work, `${name}.modules`);
  const child = spawnSync(process.execPath, ["--import", join(REPO, "test", "cli", "record-modules.mjs"), bin, ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, RECORD_MODULES_FILE: record },
  });
  const urls = existsSync(record) ? [...new Set(readFileSync(record, "utf8").split("\n").filter(Boolean))] : [];
  return { code: child.status, urls, stdout: child.stdout };
}

/** Built-in modules only a run that starts a process (an external agent, the reaper of a large write) or a thread count uses. */
const PROCESS_BUILTINS = ["node:child_process", "node:os"];

const offending = (urls: string[]) => urls.filter((url) => NOT_FOR_A_PLAIN_RUN.some((pattern) => pattern.test(url)));

describe("CLI start-up, the files a process loads", () => {
  let run: ReturnType<typeof loadedBy>;
  beforeAll(() => {
    run = loadedBy(["run", writeOneSecondScenario(work), "--out", join(work, "out"), "--quiet"], "run");
  });

  it("a 1-second run loads no chart, fit or CSV package, and no file of dist/ or node_modules but the executable", () => {
    expect(run.code).toBe(0);
    const files = run.urls.filter((url) => url.startsWith("file:") && !url.endsWith("/package.json"));
    // The recorder saw the executable (an empty list would pass vacuously); the bundle it compiles is read, not imported.
    expect(files).toEqual([pathToFileURL(BIN).href]);
    expect(offending(run.urls)).toEqual([]);
  });

  it("a 1-second run loads no built-in module for starting processes (child_process, os: loaded where an agent, the reaper or --jobs needs them)", () => {
    expect(run.urls.filter((url) => PROCESS_BUILTINS.includes(url))).toEqual([]);
    // The recorder lists built-ins (an empty list would pass vacuously).
    expect(run.urls).toContain("node:fs");
  });

  it("... and a run with an external policy loads child_process where it starts the agent (the check can fail)", () => {
    const scenario = join(work, "external.json");
    writeFileSync(
      scenario,
      JSON.stringify({
        name: "external",
        seed: 1,
        duration: 20,
        qosDeadline: 1000,
        devices: [{ id: "source", workload: { type: "arrivals", model: "job", interarrival: 1, startOffset: 0 } }],
        nodes: [{ id: "a", inferenceTime: 0.5 }],
        schedulers: [{ policy: "external", command: [process.execPath, join(REPO, "examples", "agents", "nearest-agent.mjs")], timeoutMs: 10_000 }],
      }),
    );
    const external = loadedBy(["run", scenario, "--out", join(work, "external"), "--quiet", "--allow-exec"], "external");
    expect(external.code).toBe(0);
    expect(external.urls).toContain("node:child_process");
  });

  it("the list catches them where they are used: a CSV read by fit (required)", () => {
    // A column that is not there: fit stops after reading the CSV, before drawing.
    const fit = loadedBy(["fit", "traces/azure-conv-synthetic.csv", "--column", "no-such-column", "--out", join(work, "fit")], "fit");
    expect(fit.code).toBe(2);
    expect(offending(fit.urls).some((url) => url.includes("/node_modules/csv-parse/dist/cjs/"))).toBe(true);
  });
});

describe("CLI start-up, the folders a run reads", () => {
  it("a run from a folder outside any package does not walk up its parents (yargs' guessed version, dropped by the bundle)", () => {
    // A preload records every readdirSync (the bundle calls fs's, looked up at each call).
    const recorder = join(work, "record-readdir.cjs");
    const record = join(work, "readdir.txt");
    writeFileSync(
      recorder,
      `const fs = require("node:fs"); const read = fs.readdirSync; fs.readdirSync = function (dir, ...rest) { fs.appendFileSync(${JSON.stringify(record)}, require("node:path").resolve(String(dir)) + "\\n"); return read.call(this, dir, ...rest); };`,
    );
    const cwd = join(work, "a", "b", "c");
    mkdirSync(cwd, { recursive: true });
    const child = spawnSync(process.execPath, ["--require", recorder, BIN, "run", writeOneSecondScenario(work), "--out", join(work, "walk-out"), "--quiet"], { cwd, encoding: "utf8" });
    expect(child.status, child.stderr).toBe(0);
    const read = readFileSync(record, "utf8").split("\n").filter(Boolean);
    // It read folders (the hardware profiles, the output folder's stale temporaries): the recorder works ...
    expect(read).toContain(join(REPO, "hardware-profiles"));
    // ... and none of the working folder's line: yargs' walk read cwd, then each parent up to one with a package.json.
    expect(read.filter((dir) => cwd.startsWith(dir))).toEqual([]);
  });
});
