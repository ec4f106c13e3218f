import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers.js";

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
