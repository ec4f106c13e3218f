import { importModule } from "../io/import-module.js";

/*
 * vega and vega-lite are ES modules with top-level await, which CommonJS cannot require(). The CLI
 * is one CommonJS bundle (dist/cli/cli.cjs, for V8's code cache: src/cli/bin.ts), so each command
 * that draws imports them here first, and the bundle hands these namespaces to the modules that
 * import the packages (src/report/render.ts): scripts/bundle.mjs maps "vega" and "vega-lite" to
 * chartPackage(). Unbundled (the library, the tests), the early import is the one render.ts then gets.
 */

const loaded = new Map<string, unknown>();

/** Imports the chart packages; the commands that draw await it before importing their drawing code. */
export async function loadChartStack(): Promise<void> {
  const [vega, vegaLite] = await Promise.all([importModule("vega"), importModule("vega-lite")]);
  loaded.set("vega", vega);
  loaded.set("vega-lite", vegaLite);
}

/** The namespace of a chart package loaded by loadChartStack (read by the bundle where a module imports the package). */
export function chartPackage(name: string): unknown {
  const namespace = loaded.get(name);
  if (namespace === undefined) throw new Error(`${name} used before loadChartStack() (src/cli/chart-stack.ts)`);
  return namespace;
}
