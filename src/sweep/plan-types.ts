import type { SamplingDocument } from "./sweep-schema.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One axis of a loaded sweep. */
export interface Axis {
  /** Column name in summary.csv (the `name` given, else the pointer). */
  name: string;
  /** RFC 6901 pointer into the scenario. */
  path: string;
  tokens: string[];
  /** The values in the sweep file's order (grid points for a range). */
  values: JsonValue[];
  /** True when the axis is a range (values are sampled, not only listed). */
  isRange: boolean;
  /** Set on a derived parameter: the mathjs expression its values are computed with, per cell, from the axes (its `values` are the distinct results). */
  expression?: string;
}

/** A point of the sweep: one value per axis, keyed by axis name. */
export interface Cell {
  /** 12 hex digits of the hash of the coordinates: stable whatever else the sweep contains. */
  id: string;
  values: Record<string, JsonValue>;
}

/** One simulation: a cell and a replication. */
export interface RunSpec {
  /** `<cell id>-r<replication>`: the run's file name under runs/. */
  id: string;
  cellId: string;
  cell: Record<string, JsonValue>;
  replication: number;
  /** Derived from the sweep seed and the coordinates only (see runSeed). */
  seed: number;
}

/** A sweep file after validation: what every process (main, worker, shard, merge) agrees on. */
export interface SweepPlan {
  name: string;
  description: string;
  /** The base scenario document with `set` applied; the cells' values are written into copies of it. */
  base: Record<string, JsonValue>;
  /** Hardware-profile folders for resolving the scenario. */
  profileDirs: string[];
  /** Folder relative paths in the base scenario (traces) are read from: the base file's folder. */
  baseDir: string;
  axes: Axis[];
  sampling: SamplingDocument;
  replications: number;
  seed: number | string;
  metrics: string[];
  /** sha256 of everything that decides the runs' results (not the metrics, which only select from them). */
  hash: string;
  /** Cells in summary order. */
  cells: Cell[];
  /** Every run, cell by cell in summary order, replications ascending. */
  runs: RunSpec[];
}
