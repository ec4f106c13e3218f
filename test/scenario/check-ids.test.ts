import { describe, expect, it } from "vitest";
import type { InputIssue } from "../../src/errors.js";
import { checkIds } from "../../src/scenario/input-lookups.js";

type Device = { id: string; count?: number };

/** The rule written out the long way: every entry's ids listed, the first to have an id owns it. */
function byListing(devices: readonly Device[], nodes: readonly { id: string }[]): InputIssue[] {
  const issues: InputIssue[] = [];
  const owner = new Map<string, string>();
  devices.forEach((device, d) => {
    const count = device.count ?? 1;
    const ids = [device.id, ...(count > 1 ? Array.from({ length: count }, (_, k) => `${device.id}-${k}`) : [])];
    const description = count === 1 ? `devices[${d}] ("${device.id}")` : `devices[${d}] ("${device.id}" with count ${count}: ${device.id}-0 ... ${device.id}-${count - 1})`;
    const clash = ids.find((id) => owner.has(id));
    if (clash !== undefined) issues.push({ path: `devices[${d}].id`, value: device.id, expected: `ids not used by another device: "${clash}" is already an id of ${owner.get(clash)}` });
    for (const id of ids) if (!owner.has(id)) owner.set(id, description);
  });
  nodes.forEach((node, n) => {
    const other = owner.get(node.id);
    if (other !== undefined) issues.push({ path: `nodes[${n}].id`, value: node.id, expected: `an id not used by a device or another node: it is an id of ${other}` });
    else owner.set(node.id, `nodes[${n}]`);
  });
  return issues;
}

function issuesOf(devices: readonly Device[], nodes: readonly { id: string }[]): InputIssue[] {
  const issues: InputIssue[] = [];
  checkIds(devices, nodes, issues);
  return issues;
}

describe("device and node ids (checkIds)", () => {
  it("names the member a single device takes from a later group, and the group that owns it", () => {
    expect(issuesOf([{ id: "cam-1" }, { id: "cam", count: 3 }], [])).toEqual([
      { path: "devices[1].id", value: "cam", expected: 'ids not used by another device: "cam-1" is already an id of devices[0] ("cam-1")' },
    ]);
    expect(issuesOf([{ id: "cam", count: 3 }, { id: "cam-2" }], [{ id: "cam-0" }, { id: "cam-3" }, { id: "cam-3" }])).toEqual([
      { path: "devices[1].id", value: "cam-2", expected: 'ids not used by another device: "cam-2" is already an id of devices[0] ("cam" with count 3: cam-0 ... cam-2)' },
      { path: "nodes[0].id", value: "cam-0", expected: 'an id not used by a device or another node: it is an id of devices[0] ("cam" with count 3: cam-0 ... cam-2)' },
      { path: "nodes[2].id", value: "cam-3", expected: "an id not used by a device or another node: it is an id of nodes[1]" },
    ]);
  });

  it("does not take a leading zero or a member past the count for a member", () => {
    expect(issuesOf([{ id: "cam", count: 3 }, { id: "cam-01" }, { id: "cam-3" }, { id: "cam-1-0" }], [])).toEqual([]);
  });

  it("agrees with listing every id, over 3,000 random small scenarios", () => {
    // A tiny alphabet of ids that are each other's groups and members ("a", "a-1", "a-1-0", "a-10" ...).
    const names = ["a", "a-0", "a-1", "a-2", "a-3", "a-1-0", "a-1-1", "a-10", "a-11", "a-01", "b", "b-0", "b-2", "a-1-", "-0", "a--1"];
    let state = 12345;
    const next = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    let clashes = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const devices = Array.from({ length: 1 + next(5) }, () => ({ id: names[next(names.length)], count: [1, 1, 2, 3, 11][next(5)] }));
      const nodes = Array.from({ length: next(3) }, () => ({ id: names[next(names.length)] }));
      const expected = byListing(devices, nodes);
      clashes += expected.length;
      expect(issuesOf(devices, nodes)).toEqual(expected);
    }
    // The trials must exercise clashes, or agreeing proves little.
    expect(clashes).toBeGreaterThan(1000);
  });
});
