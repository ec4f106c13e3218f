import { formatIssue, InputError, type InputIssue } from "../errors.js";
import { suggestName } from "../text/nearest-name.js";
import type { DistributionSpec } from "../random/distribution-spec.js";
import { compileDistribution, type CompiledDistribution } from "../random/distributions.js";
import type { HardwareProfile } from "./profile-schema.js";
import type { ProfileLibrary } from "./profiles.js";

/**
 * Lookups both scenario loaders (video and language-model) make while collecting every problem
 * instead of stopping at the first: a bad input becomes issues at `path`, and undefined.
 */

/** A profile by id, remembered in `used` (it enters the scenario hash); unknown or invalid: issues. */
export function lookupProfile(library: ProfileLibrary, id: string, path: string, issues: InputIssue[], used: Record<string, HardwareProfile>): HardwareProfile | undefined {
  if (!library.has(id)) {
    issues.push({ path, value: id, expected: `a known hardware profile: ${suggestName(id, library.ids)}` });
    return undefined;
  }
  try {
    const profile = library.get(id);
    used[id] = profile;
    return profile;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const issue of error.issues) issues.push({ path, value: id, expected: `a valid profile (${error.source}: ${formatIssue(issue)})` });
    return undefined;
  }
}

/** A compiled distribution, or its problems as issues. */
export function compileCollecting(spec: DistributionSpec, path: string, issues: InputIssue[]): CompiledDistribution | undefined {
  try {
    return compileDistribution(spec, path);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

/**
 * Device and node ids must all differ, counting the ids a device group expands to (`rpi3` with
 * count 3 is `rpi3-0` ... `rpi3-2`, and links may name the group itself). Each clash is reported
 * once, where the second name is written: a device at `devices[i].id`, a node at `nodes[i].id`,
 * naming the entry that had the id first.
 *
 * A group's member ids are never listed: a million devices' ids in one map were 50 MB at the
 * resolver's peak (issue 16). A member id is `<group id>-<k>`, k in decimal without a leading
 * zero, and k has no "-", so the last "-" of an id splits it into the one group it can belong to
 * and its k; two groups with different ids never share a member.
 */
export function checkIds(devices: readonly { id: string; count?: number }[], nodes: readonly { id: string }[], issues: InputIssue[]): void {
  const countOf = (d: number): number => devices[d].count ?? 1;
  /** The first entry that wrote each id itself (a single device's id, a group's own id). */
  const written = new Map<string, number>();
  /** Written ids of member form, by their group part: a later group with that id would contain them. */
  const writtenMembers = new Map<string, { k: number; id: string }[]>();
  /** The groups (count > 1) of each id, in order: the first whose count exceeds k owns `<id>-<k>`. */
  const groups = new Map<string, number[]>();
  const describe = (d: number): string => {
    const { id, count = 1 } = devices[d];
    return count === 1 ? `devices[${d}] ("${id}")` : `devices[${d}] ("${id}" with count ${count}: ${id}-0 ... ${id}-${count - 1})`;
  };
  /** `<group>-<k>` split at its last "-", or undefined when the tail is not a member index. */
  const memberOf = (id: string): { group: string; k: number } | undefined => {
    const dash = id.lastIndexOf("-");
    const tail = id.slice(dash + 1);
    return dash < 0 || !MEMBER_INDEX.test(tail) ? undefined : { group: id.slice(0, dash), k: Number(tail) };
  };
  /** The device entry that had `id` first (entries so far), or -1. */
  const ownerOf = (id: string): number => {
    let owner = written.get(id) ?? -1;
    const member = memberOf(id);
    const inGroups = member === undefined ? undefined : groups.get(member.group);
    if (member !== undefined && inGroups !== undefined) {
      const group = inGroups.find((g) => countOf(g) > member.k);
      if (group !== undefined && (owner < 0 || group < owner)) owner = group;
    }
    return owner;
  };
  for (let d = 0; d < devices.length; d++) {
    const { id } = devices[d];
    const count = countOf(d);
    // The group's ids in order (the id itself, then its members): the first one an earlier entry
    // has. A member can only be an id an earlier entry wrote (an earlier group of the same id owns
    // the id itself, which comes first).
    let clash: string | undefined;
    if (ownerOf(id) >= 0) clash = id;
    else if (count > 1) {
      let first: number | undefined;
      for (const m of writtenMembers.get(id) ?? []) if (m.k < count && (first === undefined || m.k < first)) first = m.k;
      if (first !== undefined) clash = `${id}-${first}`;
    }
    if (clash !== undefined) issues.push({ path: `devices[${d}].id`, value: id, expected: `ids not used by another device: "${clash}" is already an id of ${describe(ownerOf(clash))}` });
    if (!written.has(id)) written.set(id, d);
    const member = memberOf(id);
    if (member !== undefined) {
      const list = writtenMembers.get(member.group);
      if (list === undefined) writtenMembers.set(member.group, [{ k: member.k, id }]);
      else list.push({ k: member.k, id });
    }
    if (count > 1) {
      const list = groups.get(id);
      if (list === undefined) groups.set(id, [d]);
      else list.push(d);
    }
  }
  const nodeOwner = new Map<string, string>();
  nodes.forEach((node, n) => {
    const device = ownerOf(node.id);
    const other = device >= 0 ? describe(device) : nodeOwner.get(node.id);
    if (other !== undefined) issues.push({ path: `nodes[${n}].id`, value: node.id, expected: `an id not used by a device or another node: it is an id of ${other}` });
    else nodeOwner.set(node.id, `nodes[${n}]`);
  });
}

/** A member's k as a group writes it: decimal, no leading zero. */
const MEMBER_INDEX = /^(0|[1-9][0-9]*)$/;
