import { canonicalJson, sha256Hex } from "./canonical-json.js";
import type { JsonValue } from "./plan-types.js";

/**
 * Coordinates are keyed by axis pointer, not by position or name, so a run's id and seed depend
 * only on what it simulates: adding an axis value, a replication or a shard leaves every other
 * run's seed (and therefore its result) unchanged.
 */
export type Coordinates = Record<string, JsonValue>;

export function cellId(coordinates: Coordinates): string {
  return sha256Hex(canonicalJson({ cell: coordinates })).slice(0, 12);
}

export function runId(cell: string, replication: number): string {
  return `${cell}-r${replication}`;
}

/** The scenario seed of a run: 52 bits of sha256(sweep seed, coordinates, replication), an exact integer in JSON. */
export function runSeed(sweepSeed: number | string, coordinates: Coordinates, replication: number): number {
  const hex = sha256Hex(canonicalJson({ sweepSeed, cell: coordinates, replication })).slice(0, 13);
  return Number.parseInt(hex, 16);
}
