import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../errors.js";
import { suggestName } from "../text/nearest-name.js";
import { hardwareProfileSchema, type HardwareProfile, type ServiceCurve } from "./profile-schema.js";
import { readJsonFile } from "./json-text.js";
import { toInputIssues } from "./zod-issues.js";

/** The hardware-profiles/ folder shipped with the package (two levels above this module in src/scenario/, dist/scenario/ and the bundled CLI's dist/cli/). */
export const BUILTIN_PROFILE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "hardware-profiles");

/** Profiles found in the given folders, earlier folders shadowing later ones; loaded lazily and checked on load. */
export class ProfileLibrary {
  private readonly files = new Map<string, string>();
  private readonly loaded = new Map<string, HardwareProfile>();

  constructor(directories: readonly string[]) {
    for (const directory of [...directories].reverse()) {
      if (!existsSync(directory)) continue;
      for (const file of readdirSync(directory).sort()) {
        if (file.endsWith(".json")) this.files.set(file.slice(0, -".json".length), join(directory, file));
      }
    }
  }

  /** Known profile ids, sorted. */
  get ids(): string[] {
    return [...this.files.keys()].sort();
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  /** Loads and validates a profile; throws InputError naming the profile file and path on a bad file. */
  get(id: string): HardwareProfile {
    const cached = this.loaded.get(id);
    if (cached !== undefined) return cached;
    const file = this.files.get(id);
    if (file === undefined) throw new InputError("hardware profiles", [{ path: "", value: id, expected: `a known profile: ${suggestName(id, this.ids)}` }]);
    const json = readJsonFile(file, "hardware profile file");
    const parsed = hardwareProfileSchema.safeParse(json);
    if (!parsed.success) throw new InputError(file, toInputIssues(parsed.error, json, hardwareProfileSchema));
    if (parsed.data.id !== id) {
      throw new InputError(file, [{ path: "id", value: parsed.data.id, expected: `the file name without .json ("${id}")` }]);
    }
    this.loaded.set(id, parsed.data);
    return parsed.data;
  }
}

/**
 * Mean time per frame at `frameSizePx`: linear in pixel count between the curve's points,
 * extrapolated from the last two points (or the first two below the smallest), constant with one
 * point; never negative.
 */
export function meanServiceMs(curve: ServiceCurve, frameSizePx: number): number {
  const points = [...curve.points].sort((a, b) => a.frameSizePx - b.frameSizePx);
  if (points.length === 1) return points[0].meanMs;
  const pixels = frameSizePx * frameSizePx;
  let lower = 0;
  while (lower < points.length - 2 && points[lower + 1].frameSizePx ** 2 < pixels) lower++;
  const a = points[lower];
  const b = points[lower + 1];
  const pa = a.frameSizePx ** 2;
  const pb = b.frameSizePx ** 2;
  const value = a.meanMs + ((pixels - pa) * (b.meanMs - a.meanMs)) / (pb - pa);
  return Math.max(0, value);
}
