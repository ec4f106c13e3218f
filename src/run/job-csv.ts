import type { CsvValue } from "../io/csv-write.js";
import type { TaskRecord } from "../world/frames/frame-traffic.js";
import type { QueryRecord } from "../world/queries/query-traffic.js";

/*
 * The per-job CSV (`simulate --tasks`): one row per measured job, of every family. A scenario
 * with one family gets that family's columns; a mixed one gets a `family` column and the union of
 * both (a frame row leaves the query columns empty and the other way round). Times in ms.
 */

const FRAME_COLUMNS = ["label", "sequence", "device", "node", "createdAt", "networkUp", "queueing", "preprocessing", "inference", "networkDown", "total", "violatedQos"] as const;

const QUERY_COLUMNS = [
  "label",
  "device",
  "purpose",
  "route",
  "createdAt",
  "promptTokens",
  "outputTokens",
  "complexity",
  "refused",
  "lost",
  "ttft",
  "total",
  "network",
  "queueing",
  "prefill",
  "decode",
  "costUsd",
  "quality",
  "good",
  "violated",
] as const;

export interface JobColumns {
  readonly header: readonly string[];
  frameRow(label: string, record: TaskRecord): CsvValue[];
  queryRow(label: string, record: QueryRecord): CsvValue[];
}

/** The columns for the families a scenario has, and the row of each family's record. */
export function jobColumns(families: { readonly frames: boolean; readonly queries: boolean }): JobColumns {
  const mixed = families.frames && families.queries;
  const header: string[] = mixed ? ["family"] : [];
  for (const name of [...(families.frames ? FRAME_COLUMNS : []), ...(families.queries ? QUERY_COLUMNS : [])]) if (!header.includes(name)) header.push(name);
  const place = (family: string, cells: Record<string, CsvValue>): CsvValue[] => header.map((name) => (name === "family" ? family : (cells[name] ?? "")));
  return {
    header,
    frameRow: (label, r) =>
      place("frames", {
        label,
        sequence: r.sequence,
        device: r.device,
        node: r.node,
        createdAt: r.createdAt,
        networkUp: r.networkUp,
        queueing: r.queueing,
        preprocessing: r.preprocessing,
        inference: r.inference,
        networkDown: r.networkDown,
        total: r.total,
        violatedQos: r.violatedQos,
      }),
    // TTFT and total of a refused or lost query are NaN: empty cells.
    queryRow: (label, r) =>
      place("queries", {
        label,
        device: r.device,
        purpose: r.purpose,
        route: r.route,
        createdAt: r.createdAt,
        promptTokens: r.promptTokens,
        outputTokens: r.outputTokens,
        complexity: r.complexity,
        refused: r.refused,
        lost: r.lost,
        ttft: r.ttft,
        total: r.total,
        network: r.network,
        queueing: r.queueing,
        prefill: r.prefill,
        decode: r.decode,
        costUsd: r.costUsd,
        quality: r.quality,
        good: r.good,
        violated: r.violated,
      }),
  };
}
