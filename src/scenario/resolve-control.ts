import * as C from "../control/defaults.js";
import type { ControlNode, NodeTimelineEvent, ResolvedCatalog, ResolvedControl, ResolvedImage, ResolvedLayer } from "../control/types.js";
import { formatDuration } from "../random/duration.js";
import { suggestName } from "../text/nearest-name.js";
import { capacityBytesPerMs } from "./bandwidth.js";
import type { ResolveContext } from "./resolve-context.js";
import { resolveDeployments } from "./resolve-deployments.js";
import type { ResolvedDevice, ResolvedNode } from "./resolved-scenario.js";
import type { ControlDocument } from "./schema-control.js";

/**
 * Resolves `control` (issue 17): sizes to bytes, times to ms, node and image ids to indices,
 * resources from the hardware profiles, every problem reported at its JSON path
 * (`control.deployments[2].image`) with the nearest valid name. Defaults: src/control/defaults.ts.
 * The deployments: resolve-deployments.ts.
 */
export function resolveControl(doc: ControlDocument | undefined, nodes: readonly ResolvedNode[], _devices: readonly ResolvedDevice[], ctx: ResolveContext): ResolvedControl | undefined {
  if (doc === undefined) return undefined;
  const nodeIds = nodes.map((node) => node.id);
  const nodeIndex = new Map<string, number>();
  nodes.forEach((node) => {
    if (!nodeIndex.has(node.id)) nodeIndex.set(node.id, node.index);
  });
  const node = (id: string, path: string): number | undefined => {
    const index = nodeIndex.get(id);
    if (index === undefined) ctx.fail(path, id, `a node id: ${suggestName(id, nodeIds)}`);
    return index;
  };

  const registryNode = doc.registry === undefined ? undefined : node(doc.registry, "control.registry");
  const pullBytesPerMs = capacityBytesPerMs(doc.pullRate ?? C.DEFAULT_PULL_RATE_BITS_PER_S, "control.pullRate", ctx);
  const modelReadBytesPerMs = capacityBytesPerMs(doc.modelReadRate ?? C.DEFAULT_MODEL_READ_RATE_BITS_PER_S, "control.modelReadRate", ctx);
  const { layers, images, imageIndex } = resolveImages(doc.images ?? [], ctx);
  const timeline = resolveTimeline(doc.timeline ?? [], node, ctx);
  const absentAtStart = new Set<number>();
  const seen = new Set<number>();
  for (const event of timeline) {
    if (!seen.has(event.node) && event.kind === "join") absentAtStart.add(event.node);
    seen.add(event.node);
  }
  const controlNodes = resolveControlNodes(doc.nodes ?? {}, nodes, { images, imageIndex, absentAtStart, node }, ctx);
  const deployments = resolveDeployments(doc.deployments ?? [], { nodes, imageIndex, modelReadBytesPerMs }, ctx);
  return {
    registryNode,
    pullBytesPerMs,
    maxConcurrentPulls: doc.maxConcurrentPulls ?? C.DEFAULT_MAX_CONCURRENT_PULLS,
    modelReadBytesPerMs,
    layers,
    images,
    nodes: controlNodes,
    deployments,
    catalog: resolveCatalog(doc.catalog ?? {}, ctx),
    timeline,
  };
}

/** Images with their layers as indices into one list of layers, deduplicated by digest (in first-appearance order). */
function resolveImages(docs: NonNullable<ControlDocument["images"]>, ctx: ResolveContext): { layers: ResolvedLayer[]; images: ResolvedImage[]; imageIndex: ReadonlyMap<string, number> } {
  const layers: ResolvedLayer[] = [];
  const layerAt = new Map<string, { index: number; path: string }>();
  const imageIndex = new Map<string, number>();
  const images = docs.map((image, i): ResolvedImage => {
    const path = `control.images[${i}]`;
    if (imageIndex.has(image.id)) ctx.fail(`${path}.id`, image.id, `an image id not used before (control.images[${imageIndex.get(image.id)}])`);
    else imageIndex.set(image.id, i);
    const own = new Set<string>();
    const indices = image.layers.flatMap((layer, l) => {
      const at = `${path}.layers[${l}]`;
      if (own.has(layer.digest)) {
        ctx.fail(`${at}.digest`, layer.digest, "a layer not already in this image");
        return [];
      }
      own.add(layer.digest);
      const known = layerAt.get(layer.digest);
      if (known === undefined) {
        layerAt.set(layer.digest, { index: layers.length, path: at });
        layers.push({ digest: layer.digest, bytes: layer.size });
        return [layers.length - 1];
      }
      const bytes = layers[known.index].bytes;
      if (bytes !== layer.size) ctx.fail(`${at}.size`, layer.size, `${bytes} bytes, the size ${known.path} gives layer "${layer.digest}": one digest, one layer`);
      return [known.index];
    });
    return { id: image.id, layers: indices };
  });
  return { layers, images, imageIndex };
}

interface NodeInput {
  readonly images: readonly ResolvedImage[];
  readonly imageIndex: ReadonlyMap<string, number>;
  readonly absentAtStart: ReadonlySet<number>;
  readonly node: (id: string, path: string) => number | undefined;
}

/** Per node index: capacity from the profile (or an abstract server's), with `control.nodes` overrides; cached images as layer indices. */
function resolveControlNodes(overrides: NonNullable<ControlDocument["nodes"]>, nodes: readonly ResolvedNode[], input: NodeInput, ctx: ResolveContext): ControlNode[] {
  const byNode = new Map<number, { doc: (typeof overrides)[string]; path: string }>();
  // Object keys in document order: deterministic, as JSON.parse keeps it.
  for (const [id, doc] of Object.entries(overrides)) {
    const path = `control.nodes.${id}`;
    const index = input.node(id, path);
    if (index !== undefined) byNode.set(index, { doc, path });
  }
  return nodes.map((node): ControlNode => {
    const profile = node.profile === null ? undefined : ctx.quietProfile(node.profile);
    const base =
      profile === undefined
        ? C.DEFAULT_NODE_WITHOUT_PROFILE
        : { cpuCores: profile.cpu.cores, memoryBytes: profile.memoryMiB * 2 ** 20, accelerators: profile.accelerator.kind === "none" ? 0 : C.PROFILE_ACCELERATORS };
    const override = byNode.get(node.index);
    const cached = new Set<number>();
    (override?.doc.cachedImages ?? []).forEach((id, k) => {
      const image = input.imageIndex.get(id);
      if (image === undefined) ctx.fail(`${override?.path}.cachedImages[${k}]`, id, `an image id of control.images: ${suggestName(id, [...input.imageIndex.keys()])}`);
      else for (const layer of input.images[image].layers) cached.add(layer);
    });
    return {
      cpuCores: override?.doc.cpuCores ?? base.cpuCores,
      memoryBytes: override?.doc.memory ?? base.memoryBytes,
      accelerators: override?.doc.accelerators ?? base.accelerators,
      cachedLayers: [...cached].sort((a, b) => a - b),
      presentAtStart: !input.absentAtStart.has(node.index),
    };
  });
}

function resolveCatalog(doc: NonNullable<ControlDocument["catalog"]>, ctx: ResolveContext): ResolvedCatalog {
  const catalog: ResolvedCatalog = {
    propagationDelayMs: doc.propagationDelay ?? C.DEFAULT_PROPAGATION_DELAY_MS,
    deregisterCriticalAfterMs: doc.deregisterCriticalAfter ?? C.DEFAULT_DEREGISTER_CRITICAL_AFTER_MS,
    reapIntervalMs: C.REAP_INTERVAL_MS,
    discoveryQueryMs: doc.discoveryQueryTime ?? C.DEFAULT_DISCOVERY_QUERY_MS,
    discoveryTtlMs: doc.discoveryTtl ?? C.DEFAULT_DISCOVERY_TTL_MS,
  };
  for (const [key, ms] of [
    ["propagationDelay", catalog.propagationDelayMs],
    ["discoveryQueryTime", catalog.discoveryQueryMs],
    ["discoveryTtl", catalog.discoveryTtlMs],
  ] as const) {
    if (!(ms >= 0)) ctx.fail(`control.catalog.${key}`, doc[key], "a non-negative duration");
  }
  if (!(catalog.deregisterCriticalAfterMs >= C.MIN_DEREGISTER_CRITICAL_AFTER_MS)) {
    ctx.fail("control.catalog.deregisterCriticalAfter", doc.deregisterCriticalAfter, `a duration of at least ${formatDuration(C.MIN_DEREGISTER_CRITICAL_AFTER_MS)} (Consul's minimum)`);
  }
  return catalog;
}

/**
 * Join and leave events sorted by time, then scenario order. Per node they alternate (leave, join,
 * leave... or join, leave... for a node absent at start) at strictly increasing times.
 */
function resolveTimeline(docs: NonNullable<ControlDocument["timeline"]>, node: (id: string, path: string) => number | undefined, ctx: ResolveContext): NodeTimelineEvent[] {
  const entries = docs.flatMap((event, k) => {
    const path = `control.timeline[${k}]`;
    if (!(event.at >= 0)) ctx.fail(`${path}.at`, event.at, "a non-negative duration");
    const index = node(event.node, `${path}.node`);
    return index === undefined ? [] : [{ k, event: { atMs: event.at, node: index, kind: event.event } satisfies NodeTimelineEvent }];
  });
  entries.sort((a, b) => a.event.atMs - b.event.atMs || a.k - b.k);
  const last = new Map<number, (typeof entries)[number]>();
  for (const entry of entries) {
    const before = last.get(entry.event.node);
    const path = `control.timeline[${entry.k}]`;
    if (before !== undefined && before.event.atMs === entry.event.atMs) {
      ctx.fail(`${path}.at`, docs[entry.k].at, `a time after ${formatDuration(before.event.atMs)}, when control.timeline[${before.k}] already has node "${docs[entry.k].node}" ${before.event.kind}`);
    } else if (before !== undefined && before.event.kind === entry.event.kind) {
      const other = entry.event.kind === "join" ? "leave" : "join";
      ctx.fail(
        `${path}.event`,
        entry.event.kind,
        `"${other}": node "${docs[entry.k].node}" already did "${entry.event.kind}" at ${formatDuration(before.event.atMs)} (control.timeline[${before.k}]); a node's events alternate`,
      );
    }
    last.set(entry.event.node, entry);
  }
  return entries.map((entry) => entry.event);
}
