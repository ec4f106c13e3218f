import type { LlmWorkload, ServingSpec } from "../llm/resolved.js";
import { suggestName } from "../text/nearest-name.js";
import type { HardwareProfile } from "./profile-schema.js";
import type { ResolveContext } from "./resolve-context.js";
import type { FrameResolver } from "./resolve-frames.js";
import { queryWorkloads, serving } from "./resolve-llm.js";
import type { DeviceAt } from "./resolve-shorthands.js";
import type { DagWorkload, DeviceWorkload, FrameWorkload, QueryWorkload, ResolvedDevice, ResolvedNode } from "./resolved-scenario.js";
import { isFrameWorkload } from "./schema-workloads.js";
import { dagWorkloads } from "./resolve-applications.js";

/** Per device group, per workload: the workload of each device of the group (undefined after a problem). */
export type GroupWorkloads = (readonly (FrameWorkload | LlmWorkload | DagWorkload)[] | undefined)[];

/** Every group's workloads, resolved before the nodes: the frame workloads make the service classes the nodes serve. */
export function resolveWorkloads(
  devices: readonly DeviceAt[],
  frames: FrameResolver,
  nodeIds: ReadonlyMap<string, number>,
  /** Application ids in scenario order (dag workloads name one). */
  applications: readonly string[],
  ctx: ResolveContext,
): GroupWorkloads[] {
  return devices.map((device) => {
    const count = device.doc.count ?? 1;
    return device.workloads.map(({ doc, path }) =>
      doc.type === "dag" ? dagWorkloads(doc, path, count, applications, ctx) : isFrameWorkload(doc) ? frames.workloads(doc, path, count) : queryWorkloads(ctx, doc, path, count, nodeIds),
    );
  });
}

/**
 * Devices with groups expanded (`<id>-0` ... for count > 1), their workloads, and where each can
 * run its jobs without a node: frames on the device's CPU (local-only), queries on its own
 * model (localModel) or else on the edge nodes of the local route.
 */
export function resolveDevices(
  groups: readonly DeviceAt[],
  workloads: readonly GroupWorkloads[],
  nodes: readonly ResolvedNode[],
  /** Per node: it declares a language-model service (even one with a problem, reported where it is written). */
  servesQueries: readonly boolean[],
  cloudNode: number | undefined,
  contextTokens: number,
  frames: FrameResolver,
  ctx: ResolveContext,
): ResolvedDevice[] {
  const nodeIds = new Map<string, number>();
  for (const node of nodes) if (!nodeIds.has(node.id)) nodeIds.set(node.id, node.index);
  // The local route's default: every edge node serving a language model.
  const edgeLlmNodes = nodes.filter((node) => servesQueries[node.index] && node.role !== "cloud" && node.index !== cloudNode).map((node) => node.index);
  const devices: ResolvedDevice[] = [];
  // A query workload is tagged with its family once, so devices given the same workload share the tagged object.
  const tagged = new Map<LlmWorkload, QueryWorkload>();
  const deviceWorkload = (workload: FrameWorkload | LlmWorkload | DagWorkload): DeviceWorkload => {
    if ("family" in workload) return workload;
    let query = tagged.get(workload);
    if (query === undefined) {
      query = Object.assign({}, workload, { family: "queries" as const });
      tagged.set(workload, query);
    }
    return query;
  };
  groups.forEach((group, g) => {
    const { doc, path } = group;
    const count = doc.count ?? 1;
    const profile: HardwareProfile | undefined = doc.profile === undefined ? undefined : ctx.profile(doc.profile, `${path}.profile`);
    let localServing: ServingSpec | undefined;
    if (doc.localModel !== undefined) {
      if (doc.profile === undefined) ctx.fail(`${path}.profile`, undefined, "a hardware profile: the device has a localModel");
      else if (profile !== undefined) localServing = serving(ctx, profile, doc.localModel, `${path}.localModel`, { contextTokens });
      if (doc.localNodes !== undefined) ctx.fail(`${path}.localNodes`, doc.localNodes, "no localNodes with a localModel (the local route is the device itself)");
    }
    let localNodes: number[] = [];
    if (doc.localModel === undefined && doc.localNodes !== undefined) {
      doc.localNodes.forEach((id, i) => {
        const index = nodeIds.get(id);
        if (index === undefined) ctx.fail(`${path}.localNodes[${i}]`, id, `a node id: ${suggestName(id, [...nodeIds.keys()])}`);
        else if (index === cloudNode) ctx.fail(`${path}.localNodes[${i}]`, id, "an edge node, not the cloud node");
        else if (!servesQueries[index]) ctx.fail(`${path}.localNodes[${i}]`, id, "a node with a language-model service");
        else localNodes.push(index);
      });
    } else if (doc.localModel === undefined) localNodes = edgeLlmNodes;
    // A workload with a problem is left out (the run is refused anyway): its devices still exist, so links and faults naming them are no second mistake.
    const perWorkload = workloads[g].filter((w): w is readonly (FrameWorkload | LlmWorkload | DagWorkload)[] => w !== undefined);
    const firstFrame = perWorkload.find((w): w is readonly FrameWorkload[] => "family" in w[0] && w[0].family === "frames");
    const localService = frames.localService(profile, firstFrame?.[0], path);
    // One workloads array for the whole group unless a trace deals each member its own rows: a
    // copy per device (to carry its stream prefix) was about 200 bytes a device (issue 16).
    const shared = perWorkload.every((w) => w.every((workload) => workload === w[0]));
    const groupWorkloads = shared ? perWorkload.map((w) => deviceWorkload(w[0])) : undefined;
    for (let i = 0; i < count; i++) {
      const id = count === 1 ? doc.id : `${doc.id}-${i}`;
      const deviceWorkloads = groupWorkloads ?? perWorkload.map((w) => deviceWorkload(w[i]));
      devices.push({ id, group: doc.id, index: devices.length, profile: doc.profile, workloads: deviceWorkloads, localService, localServing, localNodes });
    }
  });
  return devices;
}
