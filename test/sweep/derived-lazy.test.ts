import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../cli/helpers.js";

/*
 * mathjs is loaded only by a sweep that has derived parameters (src/sweep/derived.ts requires it on
 * first use). Checked in a fresh process on the built code: plan a sweep, then look in the module
 * cache for mathjs; and in the sources: no static import of it anywhere (an `import ... from
 * "mathjs"` would load it at start-up for every command).
 */

function mathjsLoadedAfterPlanning(derived: unknown[]): boolean {
  const script = `
    import { createRequire } from "node:module";
    import { planSweep } from ${JSON.stringify(join(REPO, "dist", "sweep", "load-sweep.js"))};
    const base = { name: "q", seed: 1, duration: "2 s", qosDeadline: 100,
      devices: [{ id: "s", count: 2, workload: { type: "arrivals", model: "job", interarrival: { dist: "exponential", mean: 10 } } }],
      nodes: [{ id: "n", slots: 1, inferenceTime: { dist: "exponential", mean: 1 } }], schedulers: ["least-loaded"] };
    planSweep({ name: "d", base, axes: [{ name: "devices", path: "/devices/0/count", values: [4, 12] }], derived: ${JSON.stringify(derived)} }, "inline.json");
    const cache = createRequire(import.meta.url).cache;
    process.stdout.write(String(Object.keys(cache).some((file) => file.includes("/node_modules/mathjs/"))));
  `;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout === "true";
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []));
}

describe("mathjs is loaded lazily", () => {
  it("a sweep without expressions does not load it", () => {
    expect(mathjsLoadedAfterPlanning([])).toBe(false);
  });

  it("a sweep with an expression does (the check can fail)", () => {
    expect(mathjsLoadedAfterPlanning([{ name: "slots", path: "/nodes/0/slots", expression: "ceil(devices / 8)" }])).toBe(true);
  });

  it("no source file imports mathjs statically (type-only imports are erased)", () => {
    const offenders = sourceFiles(join(REPO, "src")).filter((file) => /^(import|export)\s(?!type\s)[^;]*?\sfrom\s+"mathjs";/ms.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
