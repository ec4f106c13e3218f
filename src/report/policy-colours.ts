import type { ReportResults } from "./results-input.js";
import { OKABE_ITO } from "./style.js";

/*
 * One colour per policy label, in run charts and sweep charts alike (README: one colour per
 * scheduler). The colour is a function of the label, not of which runs a file happens to hold, so
 * a label keeps its colour between a run's report and a sweep over the same policies.
 * OKABE_ITO is read inside the functions only: style.ts re-exports this module, and a top-level
 * read would run before style.ts has initialised it.
 */

/**
 * The preferred palette slot (an index into OKABE_ITO) of each built-in policy name (frame
 * schedulers and query routers; "local-only", "cloud-only" and "external" are both). Policies
 * usually compared together get different slots; yellow (7), hard to see as a thin line, only
 * goes to the rarely shown external policy. test/report/sweep-colours.test.ts checks that every
 * registered name is here.
 */
export const POLICY_COLOUR_SLOTS: Readonly<Record<string, number>> = {
  "nearest-healthy": 0,
  "least-loaded": 1,
  "round-robin": 2,
  random: 3,
  weighted: 4,
  learned: 5,
  "nearest-healthy-qos": 6,
  "local-only": 6,
  "cloud-only": 4,
  "complexity-threshold": 2,
  "gray-zone": 3,
  "edge-first": 1,
  "learned-router": 5,
  external: 7,
};

const BUILT_IN_ORDER = Object.keys(POLICY_COLOUR_SLOTS);

/**
 * Preferred slot of any label: a built-in name's fixed slot, else a hash (FNV-1a) of the label's
 * text over the first seven colours, so a custom label ("threshold-0.5") also has the same
 * preference in every file.
 */
export function preferredSlot(label: string): number {
  const fixed = POLICY_COLOUR_SLOTS[label];
  if (fixed !== undefined) return fixed;
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % (OKABE_ITO.length - 1);
}

/**
 * The colour scale of a set of labels (domain in the order given). Each label gets its preferred
 * colour; only when two labels of the same figure prefer the same colour does the later one (built-in
 * names first in POLICY_COLOUR_SLOTS order, then the others by code-point order of the label) take
 * the first free colour in palette order. More labels than colours repeat the preferred colour.
 */
export function policyColours(labels: readonly string[]): { domain: string[]; range: string[] } {
  const domain = [...new Set(labels)];
  const rank = (label: string): number => {
    const i = BUILT_IN_ORDER.indexOf(label);
    return i < 0 ? BUILT_IN_ORDER.length : i;
  };
  const order = [...domain].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set<number>();
  const slot = new Map<string, number>();
  for (const label of order) {
    const preferred = preferredSlot(label);
    // Then the palette in order, so yellow (last) is taken only when nothing else is free.
    const free = [preferred, ...OKABE_ITO.keys()].find((candidate) => !taken.has(candidate));
    const chosen = free ?? preferred;
    taken.add(chosen);
    slot.set(label, chosen);
  }
  return { domain, range: domain.map((label) => OKABE_ITO[slot.get(label) ?? 0]) };
}

/** The colour scale of a report: its runs' labels in run order, each with its policy colour. */
export function policyColourScale(results: Pick<ReportResults, "runs">): { domain: string[]; range: string[] } {
  return policyColours(results.runs.map((run) => run.label));
}

/** The colour scale restricted to some labels, each keeping its report-wide colour. */
export function policyColourSubset(results: Pick<ReportResults, "runs">, labels: ReadonlySet<string>): { domain: string[]; range: string[] } {
  const all = policyColourScale(results);
  return { domain: all.domain.filter((label) => labels.has(label)), range: all.range.filter((_, i) => labels.has(all.domain[i])) };
}
