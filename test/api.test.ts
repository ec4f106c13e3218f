import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import * as api from "../src/index.js";
import { checkExampleOutput, runLibraryExample } from "./api-example.js";
import { REPO, runCli, tempDir } from "./cli/helpers.js";

/*
 * The library API (src/index.ts) as a user calls it, and docs/library.md's example, extracted and
 * run as written so the document cannot go stale.
 */

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("library API", () => {
  const scenario = join(REPO, "scenarios", "edge-ai-testbed.json");

  it("loadScenarioFile takes a path alone, or a file: URL (the URL threw a TypeError before)", () => {
    const fromPath = api.loadScenarioFile(scenario);
    const fromUrl = api.loadScenarioFile(pathToFileURL(scenario));
    expect(fromPath.name).toBe("edge-ai-testbed");
    expect(fromUrl.hash).toBe(fromPath.hash);
    // Policies, profiles and all: the same resolved scenario either way.
    expect(JSON.stringify(fromUrl)).toBe(JSON.stringify(fromPath));
  });

  it("loadSweepFile takes a path or a file: URL", () => {
    const file = join(REPO, "sweeps", "devices-vs-scheduler.json");
    expect(api.loadSweepFile(pathToFileURL(file)).hash).toBe(api.loadSweepFile(file).hash);
  });

  it("a bad file is an InputError (exported, so a caller can tell bad input from a failed run)", () => {
    expect(() => api.loadScenarioFile(join(REPO, "no-such.json"))).toThrow(api.InputError);
  });

  it("readResultsFile reads what simulate writes", () => {
    const dir = tempDir("api-");
    made.push(dir);
    const run = runCli([scenario, "--duration", "20 s", "--out", dir, "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    const results = api.readResultsFile(join(dir, "results.json"));
    expect(results.runs.map((r) => r.label)).toEqual(api.loadScenarioFile(scenario).policies.map((p) => p.label));
  });

  it("no exported function takes or returns `any` (checked by npm run typecheck)", () => {
    type IsAny<T> = 0 extends 1 & T ? true : false;
    type AnyIn<F> = F extends (...args: infer A) => infer R ? (IsAny<R> extends true ? true : true extends { [K in keyof A]: IsAny<A[K]> }[number] ? true : false) : IsAny<F>;
    type Offenders = { [K in keyof typeof api]: AnyIn<(typeof api)[K]> extends true ? K : never }[keyof typeof api];
    expectTypeOf<Offenders>().toEqualTypeOf<never>();
    // The check can fail:
    expectTypeOf<AnyIn<(x: any) => void>>().toEqualTypeOf<true>();
    expectTypeOf<AnyIn<() => any>>().toEqualTypeOf<true>();
    expectTypeOf(api.runSweep).returns.resolves.toEqualTypeOf<api.SweepRunReport>();
    expectTypeOf(api.writeReport).parameter(0).toEqualTypeOf<api.Results>();
  });

  it("importing the library and simulating loads no chart package; writeReport loads them (an ESM resolve hook lists what is imported)", () => {
    const hook = `export async function resolve(specifier, context, next) {
      if (/^(vega|vega-lite|@resvg\\/resvg-js)(\\/|$)/.test(specifier)) process.stderr.write("loaded " + specifier + "\\n");
      return next(specifier, context);
    }`;
    const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const out = tempDir("api-lazy-");
    made.push(out);
    const script = `
      import * as api from ${JSON.stringify(pathToFileURL(join(REPO, "dist", "index.js")).href)};
      const results = api.simulate(api.loadScenarioFile(${JSON.stringify(scenario)}, {}, (d) => { d.duration = "20 s"; }));
      process.stderr.write("simulated\\n");
      await api.writeReport(results, ${JSON.stringify(out)}, ["svg"]);
      process.stderr.write("reported\\n");`;
    const result = spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stderr.trim().split("\n");
    const simulated = lines.indexOf("simulated");
    expect(simulated).toBe(0);
    expect(lines.slice(simulated + 1).some((line) => line.startsWith("loaded vega"))).toBe(true);
    expect(lines.at(-1)).toBe("reported");
  });

  it("docs/library.md's example runs as written and prints what the CLI computes", () => {
    // Inside the repository, so "continuum-sim" resolves to this package (self-reference by name).
    mkdirSync(join(REPO, "reports"), { recursive: true });
    const dir = mkdtempSync(join(REPO, "reports", ".library-example-"));
    made.push(dir);
    const result = runLibraryExample(dir);
    expect(result.code, result.stderr).toBe(0);
    checkExampleOutput(result.stdout, dir);
    expect(readFileSync(join(dir, "out", "edge-ai-testbed", "index.html"), "utf8")).toContain("<svg");
    const summary = JSON.parse(readFileSync(join(dir, "out", "devices-sweep", "summary.json"), "utf8")) as api.SweepSummary;
    expect(summary.runs).toEqual({ planned: 4, completed: 4, failed: 0, missing: 0 });
  });
});
