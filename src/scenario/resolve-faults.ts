import type { InputIssue } from "../errors.js";
import { DEFAULT_LINK_DEGRADATION } from "./defaults.js";
import { compileCollecting } from "./input-lookups.js";
import { suggestName } from "../text/nearest-name.js";
import type { ResolvedFault } from "./resolved.js";
import type { faultSchema } from "./schema.js";
import type * as z from "zod";

type FaultDocument = z.output<typeof faultSchema>;

/**
 * The scenario's faults with node and device ids resolved to indices (a device entry names its
 * whole group) and distributions compiled; problems become issues at `faults[i]`.
 */
export function resolveFaults(
  documents: readonly FaultDocument[],
  devices: readonly { id: string; group: string; index: number }[],
  nodes: readonly { id: string; index: number }[],
  issues: InputIssue[],
): ResolvedFault[] {
  const fail = (path: string, value: unknown, expected: string): void => {
    issues.push({ path, value, expected });
  };
  const nodeIndex = new Map(nodes.map((node) => [node.id, node.index]));
  const faults: ResolvedFault[] = [];
  documents.forEach((fault, index) => {
    const path = `faults[${index}]`;
    const node = nodeIndex.get(fault.node);
    if (node === undefined) {
      fail(
        `${path}.node`,
        fault.node,
        `a node id: ${suggestName(
          fault.node,
          nodes.map((n) => n.id),
        )}`,
      );
      return;
    }
    if (fault.type === "crash") {
      if (fault.at < 0) fail(`${path}.at`, fault.at, "a non-negative time");
      const recoverAfterMs = fault.recoverAfter ?? Infinity;
      if (!(recoverAfterMs > 0)) fail(`${path}.recoverAfter`, fault.recoverAfter, "a positive duration");
      faults.push({ kind: "crash", node, atMs: fault.at, recoverAfterMs });
    } else if (fault.type === "crashes") {
      const mtbf = compileCollecting(fault.mtbf, `${path}.mtbf`, issues);
      const mttr = compileCollecting(fault.mttr, `${path}.mttr`, issues);
      if (mtbf !== undefined && mttr !== undefined) faults.push({ kind: "crashes", node, index, mtbf, mttr });
    } else {
      if (!(fault.to > fault.from) || fault.from < 0) fail(`${path}.to`, fault.to, `a time after from (${fault.from} ms)`);
      let members: number[] = devices.map((device) => device.index);
      if (fault.devices !== undefined) {
        members = [];
        fault.devices.forEach((deviceId, d) => {
          const matching = devices.filter((device) => device.id === deviceId || device.group === deviceId);
          if (matching.length === 0) fail(`${path}.devices[${d}]`, deviceId, `a device id: ${suggestName(deviceId, [...new Set(devices.map((x) => x.group))])}`);
          members.push(...matching.map((device) => device.index));
        });
      }
      faults.push({
        kind: "link-degradation",
        node,
        devices: [...new Set(members)].sort((a, b) => a - b),
        fromMs: fault.from,
        toMs: fault.to,
        latencyMultiplier: fault.latencyMultiplier ?? DEFAULT_LINK_DEGRADATION.latencyMultiplier,
        addedLatencyMs: fault.addedLatency ?? DEFAULT_LINK_DEGRADATION.addedLatencyMs,
        bandwidthFactor: fault.bandwidthFactor ?? DEFAULT_LINK_DEGRADATION.bandwidthFactor,
      });
    }
  });
  return faults;
}
