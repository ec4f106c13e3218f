// The second half of `npm run build` (the first is tsc): bundles the executables with esbuild, so a
// run reads two files instead of ~280 ES modules, and writes the CLI's code cache (start-up,
// docs/performance.md). The library (dist/index.js and its .d.ts) stays tsc's unbundled output for API users.
//
// Every output sits two folders below the package root (dist/cli/, dist/bench/), as the modules
// that find files from their own URL expect (`../../hardware-profiles`, PACKAGE_ROOT, the
// workers `./run-worker.js` and `./bridge-worker.js` beside the code that starts them).
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { writeOneSecondScenario } from "../dist/bench/startup.js";
import { CLI_BIN } from "../dist/sweep/emit-cluster.js";

/**
 * Left to Node's resolver at run time: native or file-reading packages (resvg's binary, pdfkit's
 * font data, the DejaVu font files) and the chart and maths stacks, which only a report, a sweep's
 * derived columns or `fit` load, in their own chunks.
 */
const EXTERNAL = ["@resvg/resvg-js", "pdfkit", "svg-to-pdfkit", "subset-font", "dejavu-fonts-ttf", "vega", "vega-lite", "mathjs", "csv-parse"];

/** A chunk's file name ends in esbuild's content hash (8 capitals or digits; tsc's files have none), so a rebuild removes the previous build's chunks. */
const CHUNK_FILE = /-[A-Z0-9]{8}\.js(\.map)?$/;

/**
 * yargs' string-width (and cliui's and wrap-ansi's copies) builds at load what only measuring a
 * width uses, which a run never does (widths only lay out help text): an `Intl.Segmenter` (loading
 * ICU's break-iterator data, 10-15 ms) and regular expressions of Unicode properties
 * (`/[^\p{Default_Ignorable_Code_Point}\p{Control}...]/v`, `/^\p{RGI_Emoji}$/v`: V8 parses a literal,
 * building its character sets from ICU's property data, where the code that holds it first runs:
 * 5-10 ms of every start). This builds each on first use instead; the build fails if a new version
 * of the package no longer has the segmenter line or any such expression, rather than silently
 * keeping the cost.
 */
const SEGMENTER_LINE = "const segmenter = new Intl.Segmenter();";
/** A top-level `const name = /literal/flags;` (no `/` inside the literal, as in string-width). */
const REGEX_DECLARATION = /^const (\w+) = (\/[^/\n]+\/[a-z]*);$/gm;
const lazyStringWidth = {
  name: "lazy-string-width",
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]node_modules[\\/](.+[\\/]node_modules[\\/])?string-width[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      if (source.split(SEGMENTER_LINE).length !== 2) throw new Error(`${path}: expected one "${SEGMENTER_LINE}" to make lazy`);
      let lazy = source.replace(SEGMENTER_LINE, "let segmenterOnUse; const segmenter = { segment: (text) => (segmenterOnUse ??= new Intl.Segmenter()).segment(text) };");
      const properties = [...source.matchAll(REGEX_DECLARATION)].filter(([, , literal]) => literal.includes("\\p{"));
      if (properties.length === 0) throw new Error(`${path}: expected a top-level regular expression of Unicode properties to make lazy`);
      for (const [line, name, literal] of properties) {
        // Every mention of the name reads the expression through its builder (one object, built once).
        const [before, after] = lazy.split(line);
        const mention = new RegExp(`(?<![\\w$.])${name}(?![\\w$])`, "g");
        const uses = (text) => text.replace(mention, `${name}OnFirstUse()`);
        lazy = `${uses(before)}let ${name}OnUse; const ${name}OnFirstUse = () => (${name}OnUse ??= ${literal});${uses(after)}`;
      }
      return { contents: lazy, loader: "js" };
    });
  },
};

/**
 * yargs' factory registers a default `--version` whose value it guesses by walking up from the
 * working directory (the bundle is not under node_modules, where yargs would start), reading every
 * folder until one has a package.json: 1 ms in a package, 20-70 ms from a folder such as /tmp. The CLI
 * sets its version itself (`.version(..., SIMULATOR_VERSION)` in src/cli/main.ts, which replaces the
 * default), so the bundle drops the guess; the build fails if yargs no longer has that line.
 */
const FACTORY_VERSION_LINE = "yargs.version();";
const noGuessedVersion = {
  name: "no-guessed-yargs-version",
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      if (source.split(FACTORY_VERSION_LINE).length !== 2) throw new Error(`${path}: expected one "${FACTORY_VERSION_LINE}" to drop`);
      return { contents: source.replace(FACTORY_VERSION_LINE, ""), loader: "js" };
    });
  },
};

/**
 * src/version.ts finds the package's version by resolving the package's own name and requiring its
 * package.json (2-3 ms at every start: the resolution through "exports", the JSON loader). The
 * bundles are built from this package.json, so they carry its version as a constant; the build
 * fails if the module no longer exports SIMULATOR_VERSION.
 */
const VERSION_MODULE = resolve("src/version.ts");
const builtVersion = {
  name: "built-version",
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, async ({ path }) => {
      if (path !== VERSION_MODULE || !(await readFile(path, "utf8")).includes("export const SIMULATOR_VERSION")) throw new Error(`${path}: expected src/version.ts exporting SIMULATOR_VERSION`);
      const { version } = JSON.parse(await readFile("package.json", "utf8"));
      return { contents: `export const SIMULATOR_VERSION: string = ${JSON.stringify(version)};`, loader: "ts" };
    });
  },
};

const shared = {
  bundle: true,
  platform: "node",
  target: "node20",
  // Node 20's V8 has both; esbuild would otherwise rewrite the regular expression literals of
  // yargs' string-width into `new RegExp(...)` calls, which compile at load (the `\p{RGI_Emoji}`
  // one alone took 30 ms of every start), where a literal is compiled on its first match (it is
  // still parsed where it is evaluated: lazyStringWidth moves string-width's out of its top level).
  supported: { "regexp-unicode-property-escapes": true, "regexp-set-notation": true },
  external: EXTERNAL,
  sourcemap: "linked",
  logLevel: "warning",
};

/** The ES-module builds (the workers, the benchmark's child). */
const esm = {
  ...shared,
  format: "esm",
  // CommonJS packages in the bundle (seedrandom's `require("crypto")`) need a real `require`.
  banner: { js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);' },
  plugins: [lazyStringWidth, noGuessedVersion, builtVersion],
};

for (const name of readdirSync("dist/cli")) if (CHUNK_FILE.test(name)) rmSync(`dist/cli/${name}`);

/**
 * vega and vega-lite are ES modules with top-level await, which the CLI's CommonJS bundle cannot
 * require(): where a module imports them, the bundle reads the namespaces that the commands that
 * draw imported first (src/cli/chart-stack.ts).
 */
const CHART_STACK = resolve("src/cli/chart-stack.ts");
const preloadedChartStack = {
  name: "preloaded-chart-stack",
  setup(bundle) {
    // Static imports (render.ts's); the packages stay external to import() (src/io/import-module.ts).
    bundle.onResolve({ filter: /^(vega|vega-lite)$/ }, ({ path, kind }) => (kind === "import-statement" ? { path, namespace: "chart-stack" } : undefined));
    bundle.onLoad({ filter: /.*/, namespace: "chart-stack" }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(CHART_STACK)}).chartPackage(${JSON.stringify(path)});`,
      loader: "js",
      resolveDir: resolve("."),
    }));
  },
};

/** The CommonJS builds (the CLI's bundle and the executable): `.cjs` files in this ES-module package. */
const commonJs = {
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  // The modules that find files from their own URL (hardware-profiles/, the workers beside the code that starts them) get the file's.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

/**
 * The CLI: one CommonJS file, dist/cli/cli.cjs (src/cli/cli.ts and all it imports; the commands a
 * run does not use are evaluated on first import, as before), which dist/cli/bin.cjs compiles with
 * V8's code cache. CommonJS because Node 20 caches compiled code only for scripts (`vm.Script`),
 * not ES modules; one file because esbuild splits only ES modules.
 */
const cli = await build({
  ...shared,
  ...commonJs,
  entryPoints: { cli: "src/cli/cli.ts" },
  outdir: "dist/cli",
  write: false,
  plugins: [lazyStringWidth, noGuessedVersion, builtVersion, preloadedChartStack],
});
/** An import() call (not a method named import): the bundle may have only src/io/import-module.ts's. */
const IMPORT_CALL = /(?<![\w$.])import\(/g;
/**
 * esbuild escapes the characters beyond ASCII in strings but not in regular-expression literals
 * (`[a-z\u00b5]` of the duration pattern) or the comments it keeps; escaped there too, the bundle
 * is ASCII, which the loader decodes as Latin-1, a plain copy (src/cli/code-cache.ts). A BMP
 * character written \uXXXX means the same in a regular expression, a string and an identifier.
 */
const NOT_ASCII = /[\u0080-\uffff]/g;
const asciiOnly = (text) => text.replace(NOT_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
for (const file of cli.outputFiles) {
  if (!file.path.endsWith(".cjs")) {
    writeFileSync(file.path, file.contents);
    continue;
  }
  if (file.text.match(IMPORT_CALL)?.length !== 1) {
    throw new Error(`${file.path}: import() outside src/io/import-module.ts, which code compiled from the code cache cannot run (src/cli/code-cache.ts)`);
  }
  writeFileSync(file.path, asciiOnly(file.text));
}
rmSync("dist/cli/cli.cjs.cache", { force: true });

// The executable (package.json's `bin`): a small file (src/cli/bin.ts) that compiles cli.cjs.
// CommonJS too: an ES-module entry sets up Node's ES-module loader (16 internal modules) before its
// first line runs, about 10 ms of every start (docs/performance.md, start-up, session 4). tsc does
// not emit src/cli/bin.ts (tsconfig.build.json).
await build({ ...shared, ...commonJs, entryPoints: { bin: "src/cli/bin.ts" }, outdir: "dist/cli" });
chmodSync(CLI_BIN, 0o755);
// The executable's former name, dist/cli/bin.js, stays as an ES module that runs it: npm never
// refreshes the bin links of a local package it installed into its npx cache (a directory already
// in that tree is not installed again), so in a checkout where `npx simulate` ran before the rename,
// `simulate` still links to bin.js (and without this file is "not found").
const FORMER_BIN = "dist/cli/bin.js";
rmSync(`${FORMER_BIN}.map`, { force: true });
rmSync("dist/cli/bin.d.ts", { force: true });
writeFileSync(FORMER_BIN, `#!/usr/bin/env node\n// The former name of ${CLI_BIN}, kept for npx caches made before it (scripts/bundle.mjs).\nimport "./bin.cjs";\n`);
chmodSync(FORMER_BIN, 0o755);

// The workers the CLI starts (sweep replications, external policies), found beside it as ./run-worker.js and ./bridge-worker.js.
await build({
  ...esm,
  entryPoints: {
    "run-worker": "src/sweep/run-worker.ts",
    "bridge-worker": "src/schedulers/external/bridge-worker.ts",
  },
  outdir: "dist/cli",
  splitting: true,
  chunkNames: "[name]-[hash]",
});

// The code cache: a 1-second run of the testbed (what `npm run bench -- startup` times), the
// summary printed as a user's run prints it, so the cache holds the functions such a run compiles.
const work = mkdtempSync(join(tmpdir(), "continuum-code-cache-"));
try {
  const run = spawnSync(process.execPath, [CLI_BIN, "run", writeOneSecondScenario(work), "--out", join(work, "out")], {
    encoding: "utf8",
    env: { ...process.env, CONTINUUM_SIM_WRITE_CODE_CACHE: "1" },
  });
  if (run.status !== 0) throw new Error(`the code cache's run failed (exit ${run.status ?? run.signal}):\n${run.stderr}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

// The benchmarks' child processes run the same bundled code a user's run does (src/bench/bench.ts and src/bench/scale-model.ts time them).
await build({ ...esm, entryPoints: { "bench-one": "src/bench/bench-one.ts", "scale-one": "src/bench/scale-one.ts" }, outdir: "dist/bench" });
