import { createRequire } from "node:module";

/**
 * The package version, read once from package.json, found by the package's own name (Node resolves
 * a package's name from inside it through its "exports"): the same lookup from src/ and from the
 * library's dist/version.js. The bundles (the CLI, its workers) carry the version of the package.json
 * they were built from as a constant instead: the lookup cost 2-3 ms of every start (scripts/bundle.mjs).
 */
export const SIMULATOR_VERSION: string = (createRequire(import.meta.url)("continuum-sim/package.json") as { version: string }).version;
