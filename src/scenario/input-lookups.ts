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
 * naming the device group that already has the id.
 */
export function checkIds(devices: readonly { id: string; count?: number }[], nodes: readonly { id: string }[], issues: InputIssue[]): void {
  const owner = new Map<string, string>();
  const describe = (d: number): string => {
    const { id, count = 1 } = devices[d];
    return count === 1 ? `devices[${d}] ("${id}")` : `devices[${d}] ("${id}" with count ${count}: ${id}-0 ... ${id}-${count - 1})`;
  };
  devices.forEach((device, d) => {
    // The group's ids in order: the id itself (k = -1), then `<id>-<k>` when count > 1. Made one at a
    // time and described once a group: arrays of them and a description per id were a gigabyte of
    // garbage at a million devices (issue 16).
    const last = (device.count ?? 1) === 1 ? -1 : (device.count as number) - 1;
    const idAt = (k: number): string => (k < 0 ? device.id : `${device.id}-${k}`);
    let clash: string | undefined;
    for (let k = -1; k <= last && clash === undefined; k++) if (owner.has(idAt(k))) clash = idAt(k);
    if (clash !== undefined) issues.push({ path: `devices[${d}].id`, value: device.id, expected: `ids not used by another device: "${clash}" is already an id of ${owner.get(clash)}` });
    const description = describe(d);
    for (let k = -1; k <= last; k++) {
      const id = idAt(k);
      if (!owner.has(id)) owner.set(id, description);
    }
  });
  nodes.forEach((node, n) => {
    const other = owner.get(node.id);
    if (other !== undefined) issues.push({ path: `nodes[${n}].id`, value: node.id, expected: `an id not used by a device or another node: it is an id of ${other}` });
    else owner.set(node.id, `nodes[${n}]`);
  });
}
