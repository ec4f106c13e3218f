import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../cli/helpers.js";

/** The tiny sweep used by the sweep CLI tests: 12 runs of a few hundred milliseconds each. */
export const TINY = join(REPO, "test", "sweep", "fixtures", "tiny-sweep.json");
export const TINY_RUNS = 12;

/** The finished run files of a sweep output folder, sorted. */
export const runFiles = (dir: string): string[] =>
  existsSync(join(dir, "runs"))
    ? readdirSync(join(dir, "runs"))
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
