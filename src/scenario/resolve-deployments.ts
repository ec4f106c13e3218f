import * as C from "../control/defaults.js";
import type { ResolvedAutoscaler, ResolvedDeployment, ServiceFamily } from "../control/types.js";
import { suggestName } from "../text/nearest-name.js";
import type { ResolveContext } from "./resolve-context.js";
import type { ResolvedNode } from "./resolved-scenario.js";
import type { AutoscalerDocument, DeploymentDocument } from "./schema-control.js";

export interface DeploymentInput {
  readonly nodes: readonly ResolvedNode[];
  readonly imageIndex: ReadonlyMap<string, number>;
  readonly modelReadBytesPerMs: number;
}

const SERVICE_WORDS: Readonly<Record<ServiceFamily, string>> = { frames: "a slot service (frames)", llm: "a language-model service (llm)" };

const serves = (node: ResolvedNode, family: ServiceFamily): boolean => (family === "frames" ? node.frames !== undefined : node.llm !== undefined);

/**
 * `control.deployments`: candidates (listed, or by default every node serving the family that no
 * other deployment of it lists), load times per candidate, requests, replica bounds and the
 * autoscaler with HPA's and Knative's defaults. A node's service of one family is managed by at
 * most one deployment.
 */
export function resolveDeployments(docs: readonly DeploymentDocument[], input: DeploymentInput, ctx: ResolveContext): ResolvedDeployment[] {
  const candidates = resolveCandidates(docs, input.nodes, ctx);
  const seen = new Map<string, number>();
  return docs.map((doc, d): ResolvedDeployment => {
    const path = `control.deployments[${d}]`;
    if (seen.has(doc.id)) ctx.fail(`${path}.id`, doc.id, `a deployment id not used before (control.deployments[${seen.get(doc.id)}])`);
    else seen.set(doc.id, d);
    const image = input.imageIndex.get(doc.image);
    if (image === undefined) ctx.fail(`${path}.image`, doc.image, `an image id of control.images: ${suggestName(doc.image, [...input.imageIndex.keys()])}`);
    const modelBytes = doc.modelSize ?? C.DEFAULT_MODEL_BYTES;
    const startMs = doc.startTime ?? C.DEFAULT_START_MS;
    if (!(startMs >= 0)) ctx.fail(`${path}.startTime`, doc.startTime, "a non-negative duration");
    const { loadMs, loadSource } = loadTimes(doc, path, candidates[d], modelBytes, input, ctx);
    const replicas = replicaBounds(doc, path, candidates[d], input.nodes, ctx);
    return {
      id: doc.id,
      index: d,
      family: doc.family,
      candidates: candidates[d],
      image: image ?? -1,
      modelBytes,
      loadMs,
      loadSource,
      startMs,
      requests: {
        cpuCores: doc.requests?.cpu ?? C.DEFAULT_REQUESTS.cpuCores,
        memoryBytes: doc.requests?.memory ?? C.DEFAULT_REQUESTS.memoryBytes,
        accelerators: doc.requests?.accelerator ?? C.DEFAULT_REQUESTS.accelerators,
      },
      ...replicas,
      readyAtStart: doc.readyAtStart ?? C.DEFAULT_READY_AT_START,
      scoring: doc.scoring ?? C.DEFAULT_SCORING,
      autoscaler: doc.autoscaler === undefined ? undefined : resolveAutoscaler(doc.autoscaler, replicas.minReplicas, `${path}.autoscaler`, ctx),
    };
  });
}

/** Per deployment, its candidate node indices in scenario order. Listed nodes first (checked), then each family's default. */
function resolveCandidates(docs: readonly DeploymentDocument[], nodes: readonly ResolvedNode[], ctx: ResolveContext): number[][] {
  const nodeIndex = new Map<string, number>();
  for (const node of nodes) if (!nodeIndex.has(node.id)) nodeIndex.set(node.id, node.index);
  // Per family: node index -> the deployment that lists it.
  const owner: Record<ServiceFamily, Map<number, number>> = { frames: new Map(), llm: new Map() };
  const listed = docs.map((doc, d): number[] | undefined => {
    if (doc.nodes === undefined) return undefined;
    const mine = new Set<number>();
    const serving = nodes.filter((node) => serves(node, doc.family)).map((node) => node.id);
    doc.nodes.forEach((id, k) => {
      const path = `control.deployments[${d}].nodes[${k}]`;
      const index = nodeIndex.get(id);
      if (index === undefined) ctx.fail(path, id, `a node id with ${SERVICE_WORDS[doc.family]}: ${suggestName(id, serving)}`);
      else if (!serves(nodes[index], doc.family)) ctx.fail(path, id, `a node with ${SERVICE_WORDS[doc.family]}: ${suggestName(id, serving)}`);
      else if (mine.has(index)) ctx.fail(path, id, "a node not already listed by this deployment");
      else if (owner[doc.family].has(index)) {
        const other = owner[doc.family].get(index) as number;
        ctx.fail(path, id, `a node no other ${doc.family} deployment manages: "${id}" is managed by "${docs[other].id}" (control.deployments[${other}])`);
      } else {
        mine.add(index);
        owner[doc.family].set(index, d);
      }
    });
    return [...mine].sort((a, b) => a - b);
  });
  const defaultTaker: Partial<Record<ServiceFamily, number>> = {};
  return docs.map((doc, d) => {
    const path = `control.deployments[${d}].nodes`;
    let mine = listed[d];
    if (mine === undefined) {
      const taker = defaultTaker[doc.family];
      if (taker !== undefined) {
        ctx.fail(path, undefined, `a list of candidate nodes: "${docs[taker].id}" (control.deployments[${taker}]) already takes every ${doc.family} node no deployment lists`);
        return [];
      }
      defaultTaker[doc.family] = d;
      mine = nodes.filter((node) => serves(node, doc.family) && !owner[doc.family].has(node.index)).map((node) => node.index);
      if (mine.length === 0) ctx.fail(path, undefined, `a candidate node: no node with ${SERVICE_WORDS[doc.family]} is left for this deployment`);
    }
    return mine;
  });
}

/** Per node index: the load time of a candidate (given, or modelBytes / modelReadRate: an estimate), NaN and "none" elsewhere. */
function loadTimes(doc: DeploymentDocument, path: string, candidates: readonly number[], modelBytes: number, input: DeploymentInput, ctx: ResolveContext) {
  const loadMs = new Float64Array(input.nodes.length).fill(Number.NaN);
  const loadSource: ("scenario" | "estimate" | "none")[] = input.nodes.map(() => "none");
  const given = doc.loadTime;
  const byNode = typeof given === "object" ? given : undefined;
  if (byNode !== undefined) {
    const valid = ["default", ...candidates.map((n) => input.nodes[n].id)];
    for (const key of Object.keys(byNode)) if (!valid.includes(key)) ctx.fail(`${path}.loadTime.${key}`, byNode[key], `a candidate node id or "default": ${suggestName(key, valid)}`);
  }
  for (const n of candidates) {
    // The key that gives this node's time: its own id, else "default" (undefined: none, an estimate).
    // Own keys only: a node named "constructor" is not Object's.
    const id = input.nodes[n].id;
    const key = byNode === undefined ? undefined : Object.hasOwn(byNode, id) ? id : Object.hasOwn(byNode, "default") ? "default" : undefined;
    const ms = typeof given === "number" ? given : key === undefined ? undefined : byNode?.[key];
    if (ms !== undefined && !(ms >= 0)) ctx.fail(key === undefined ? `${path}.loadTime` : `${path}.loadTime.${key}`, ms, "a non-negative duration");
    loadMs[n] = ms ?? modelBytes / input.modelReadBytesPerMs;
    loadSource[n] = ms === undefined ? "estimate" : "scenario";
  }
  return { loadMs, loadSource };
}

/**
 * Replicas at time 0 and the bounds. Without an autoscaler the count is fixed (min = max =
 * replicas; replicas beyond the candidates stay pending, as pods that fit no node). With one,
 * maxReplicas is at most the candidates (one replica per node) and replicas lies within the bounds.
 */
function replicaBounds(doc: DeploymentDocument, path: string, candidateIndices: readonly number[], nodes: readonly ResolvedNode[], ctx: ResolveContext) {
  const candidates = candidateIndices.length;
  const scaler = doc.autoscaler;
  if (scaler === undefined) {
    const replicas = doc.replicas ?? C.DEFAULT_REPLICAS;
    return { replicas, minReplicas: replicas, maxReplicas: replicas };
  }
  const minReplicas = scaler.minReplicas ?? C.DEFAULT_MIN_REPLICAS;
  const maxReplicas = scaler.maxReplicas ?? candidates;
  if (scaler.maxReplicas !== undefined && scaler.maxReplicas > candidates) {
    const ids = candidateIndices.map((n) => nodes[n].id).join(", ");
    ctx.fail(`${path}.autoscaler.maxReplicas`, scaler.maxReplicas, `at most ${candidates}, the candidate nodes (one replica per node: ${ids})`);
  } else if (minReplicas > maxReplicas) {
    const why = scaler.maxReplicas === undefined ? `maxReplicas, by default the ${candidates} candidate nodes` : "maxReplicas";
    ctx.fail(`${path}.autoscaler.minReplicas`, minReplicas, `at most ${maxReplicas} (${why})`);
  }
  const replicas = doc.replicas ?? Math.min(Math.max(C.DEFAULT_REPLICAS, minReplicas), maxReplicas);
  if (doc.replicas !== undefined && (doc.replicas < minReplicas || doc.replicas > maxReplicas) && minReplicas <= maxReplicas) {
    ctx.fail(`${path}.replicas`, doc.replicas, `a count within the autoscaler's bounds [${minReplicas}, ${maxReplicas}]`);
  }
  return { replicas, minReplicas, maxReplicas };
}

function resolveAutoscaler(doc: AutoscalerDocument, minReplicas: number, path: string, ctx: ResolveContext): ResolvedAutoscaler {
  const metric = doc.metric ?? C.DEFAULT_AUTOSCALER_METRIC;
  if (metric === "utilisation" && doc.target > 1) ctx.fail(`${path}.target`, doc.target, "a utilisation in (0, 1] (metric utilisation)");
  if (doc.scaleToZeroAfter !== undefined && minReplicas > 0)
    ctx.fail(`${path}.scaleToZeroAfter`, doc.scaleToZeroAfter, `no scaleToZeroAfter: it applies only with minReplicas 0 (here ${minReplicas})`);
  const H = C.DEFAULT_HPA;
  const scaler: ResolvedAutoscaler = {
    metric,
    target: doc.target,
    syncPeriodMs: doc.syncPeriod ?? H.syncPeriodMs,
    tolerance: doc.tolerance ?? H.tolerance,
    scaleDownWindowMs: doc.scaleDownWindow ?? H.scaleDownWindowMs,
    scaleUpWindowMs: doc.scaleUpWindow ?? H.scaleUpWindowMs,
    scaleUpPods: doc.scaleUpPods ?? H.scaleUpPods,
    scaleUpPercent: doc.scaleUpPercent ?? H.scaleUpPercent,
    scaleDownPercent: doc.scaleDownPercent ?? H.scaleDownPercent,
    scaleToZeroAfterMs: minReplicas === 0 ? (doc.scaleToZeroAfter ?? C.DEFAULT_SCALE_TO_ZERO_AFTER_MS) : Infinity,
  };
  if (!(scaler.syncPeriodMs > 0)) ctx.fail(`${path}.syncPeriod`, doc.syncPeriod, "a positive duration");
  for (const [key, ms] of [
    ["scaleUpWindow", scaler.scaleUpWindowMs],
    ["scaleDownWindow", scaler.scaleDownWindowMs],
    ["scaleToZeroAfter", scaler.scaleToZeroAfterMs],
  ] as const) {
    if (!(ms >= 0)) ctx.fail(`${path}.${key}`, doc[key], "a non-negative duration");
  }
  return scaler;
}
