#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import type { runCli } from "./cli.js";
import { compileBundle } from "./code-cache.js";

/*
 * The `simulate` executable, built as dist/cli/bin.cjs (CommonJS: an ES-module entry would first set
 * up Node's ES-module loader, scripts/bundle.mjs says why): compiles the bundled CLI
 * (dist/cli/cli.cjs: src/cli/cli.ts and all it imports) with V8's code cache (code-cache.ts) and runs it.
 */

/** Set by scripts/bundle.mjs alone: write the code cache of this process's run at exit. */
const WRITE_CODE_CACHE = "CONTINUUM_SIM_WRITE_CODE_CACHE";

const cli = compileBundle(fileURLToPath(new URL("./cli.cjs", import.meta.url)));
// At exit, the cache holds every function the run compiled, not only the top level.
if (process.env[WRITE_CODE_CACHE] !== undefined) process.once("exit", () => cli.writeCache());
// The bundle's import() is this module's (src/io/import-module.ts says why).
(cli.run() as { runCli: typeof runCli }).runCli((specifier) => import(specifier));
