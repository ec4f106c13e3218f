// The second half of `npm run build` (the first is tsc): bundles the executables with esbuild, so a
// run reads a handful of files instead of ~280 ES modules (start-up, docs/performance.md). The
// library (dist/index.js and its .d.ts) stays tsc's unbundled output for API users.
//
// Every output sits two folders below the package root (dist/cli/, dist/bench/), as the modules
// that find files from their own URL expect (`../../hardware-profiles`, PACKAGE_ROOT, the
// workers `./run-worker.js` and `./bridge-worker.js` beside the code that starts them).
import { chmodSync, readdirSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

/**
 * Left to Node's resolver at run time: native or file-reading packages (resvg's binary, pdfkit's
 * font data, the DejaVu font files) and the chart and maths stacks, which only a report, a sweep's
 * derived columns or `fit` load, in their own chunks.
 */
const EXTERNAL = ["@resvg/resvg-js", "pdfkit", "svg-to-pdfkit", "subset-font", "dejavu-fonts-ttf", "vega", "vega-lite", "mathjs", "csv-parse"];

/** A chunk's file name ends in esbuild's content hash (8 capitals or digits; tsc's files have none), so a rebuild removes the previous build's chunks. */
const CHUNK_FILE = /-[A-Z0-9]{8}\.js(\.map)?$/;

/**
 * yargs' string-width (and cliui's and wrap-ansi's copies) builds an `Intl.Segmenter` at load
 * (loading ICU's break-iterator data, 10-15 ms), which a run never uses: widths are measured only
 * to lay out help text. This builds it on first use instead; the build fails if a new version of
 * the package no longer has the line, rather than silently keeping the cost.
 */
const SEGMENTER_LINE = "const segmenter = new Intl.Segmenter();";
const lazySegmenter = {
  name: "lazy-string-width-segmenter",
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]node_modules[\\/](.+[\\/]node_modules[\\/])?string-width[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      if (source.split(SEGMENTER_LINE).length !== 2) throw new Error(`${path}: expected one "${SEGMENTER_LINE}" to make lazy`);
      const lazy = "let segmenterOnUse; const segmenter = { segment: (text) => (segmenterOnUse ??= new Intl.Segmenter()).segment(text) };";
      return { contents: source.replace(SEGMENTER_LINE, lazy), loader: "js" };
    });
  },
};

const shared = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Node 20's V8 has both; esbuild would otherwise rewrite the regular expression literals of
  // yargs' string-width into `new RegExp(...)` calls, which compile at load (the `\p{RGI_Emoji}`
  // one alone took 30 ms of every start), where a literal compiles on its first use.
  supported: { "regexp-unicode-property-escapes": true, "regexp-set-notation": true },
  external: EXTERNAL,
  // CommonJS packages in the bundle (seedrandom's `require("crypto")`) need a real `require`.
  banner: { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' },
  sourcemap: "linked",
  logLevel: "warning",
  plugins: [lazySegmenter],
};

for (const name of readdirSync("dist/cli")) if (CHUNK_FILE.test(name)) rmSync(`dist/cli/${name}`);

// The CLI and the workers it starts share chunks; what a plain run does not import (report, sweep,
// fit, validate, ...: dynamic imports in the source) stays in chunks loaded on use.
await build({
  ...shared,
  entryPoints: {
    bin: "src/cli/bin.ts",
    "run-worker": "src/sweep/run-worker.ts",
    "bridge-worker": "src/schedulers/external/bridge-worker.ts",
  },
  outdir: "dist/cli",
  splitting: true,
  chunkNames: "[name]-[hash]",
});
chmodSync("dist/cli/bin.js", 0o755);

// The benchmark's child process runs the same bundled code a user's run does (src/bench/bench.ts times it).
await build({ ...shared, entryPoints: { "bench-one": "src/bench/bench-one.ts" }, outdir: "dist/bench" });
