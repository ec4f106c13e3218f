// The CLI's entry: scripts/bundle.mjs bundles it (and everything it imports) into dist/cli/cli.cjs,
// which dist/cli/bin.cjs (src/cli/bin.ts) compiles with V8's code cache and starts with runCli.
// First: zod reads the setting as each schema is built (zod-jitless.ts).
import "./zod-jitless.js";
import { hideBin } from "yargs/helpers";
import { type ImportModule, importModulesWith } from "../io/import-module.js";
import { EXIT_SIMULATION_ERROR, main } from "./main.js";

/** Runs the command line of this process; `importModule` is the loader's own import() (src/io/import-module.ts says why). */
export function runCli(importModule: ImportModule): void {
  importModulesWith(importModule);
  main(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT_SIMULATION_ERROR;
    },
  );
}
