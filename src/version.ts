import { createRequire } from "node:module";

/**
 * The package version, read once from package.json, found by the package's own name (Node resolves
 * a package's name from inside it through its "exports"): the same lookup from src/, from the
 * library's dist/version.js and from a chunk of the bundled CLI in dist/cli/ (scripts/bundle.mjs).
 */
export const SIMULATOR_VERSION: string = (createRequire(import.meta.url)("continuum-sim/package.json") as { version: string }).version;
