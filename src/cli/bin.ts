#!/usr/bin/env node
// First: zod reads the setting as each schema is built (zod-jitless.ts).
import "./zod-jitless.js";
import { hideBin } from "yargs/helpers";
import { EXIT_SIMULATION_ERROR, main } from "./main.js";

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT_SIMULATION_ERROR;
  },
);
