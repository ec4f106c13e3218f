/**
 * "Did you mean …?" for every name a user types (keys, schedulers, routers, profiles, presets,
 * distributions, commands, options): one rule, so every message suggests the same way.
 */

/** Optimal string alignment distance (Levenshtein plus adjacent transposition: "durtaion" is one edit from "duration"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1];
}

/**
 * The valid name closest to `typed`, or undefined when none is close enough to be a typo: at most
 * a third of the longer name's letters differ (at least one edit allowed), compared without case.
 * Ties go to the name listed first, so the answer does not depend on anything but `valid`'s order.
 */
export function nearestName(typed: string, valid: readonly string[]): string | undefined {
  const needle = typed.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of valid) {
    const candidate = name.toLowerCase();
    if (candidate === needle) return name;
    const distance = editDistance(needle, candidate);
    const allowed = Math.max(1, Math.floor(Math.max(needle.length, candidate.length) / 3));
    if (distance <= allowed && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The tail of an error about an unknown name: `did you mean "duration"? known: a, b, c`, or only the
 * list when nothing is close. Long lists are cut after `maxListed` names.
 */
export function suggestName(typed: string, valid: readonly string[], maxListed = 40): string {
  const near = nearestName(typed, valid);
  const listed = valid.length > maxListed ? `${valid.slice(0, maxListed).join(", ")}, … (${valid.length} in all)` : valid.join(", ");
  return near === undefined ? `known: ${listed}` : `did you mean "${near}"? known: ${listed}`;
}
