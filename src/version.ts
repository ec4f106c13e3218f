import { readFileSync } from "node:fs";

/** The package version, read once from package.json (one level above this module in both src/ and dist/). */
export const SIMULATOR_VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
