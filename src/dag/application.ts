import { InputError, type InputIssue } from "../errors.js";
import type { RandomStreams } from "../engine/rng.js";
import { compileDistribution, meanOf } from "../random/distributions.js";
import { suggestName } from "../text/nearest-name.js";
import {
  type ApplicationSpec,
  DEVICE_END,
  DEVICE_NAME,
  type DagApplication,
  type DagEdge,
  type DagStage,
  ON_DEVICE,
  type Place,
  QUERY_SERVICE,
  type QueryStageEntry,
  type StageHost,
  type StationStageSpec,
} from "./types.js";

/**
 * Checks an application and resolves it against the node list: names to indices, distributions
 * compiled, a topological order. Every problem is reported at once (InputError "application",
 * paths relative to the application): unknown names with a suggestion, a cycle spelt out stage by
 * stage, a stage no edge reaches or leaves, no source or no sink edge, two slot counts for one
 * (service, place) station. Means of distributions without a closed form are estimated on a
 * private stream of `streams`, so placement is deterministic. A query stage has one host, the
 * device (the device issues the query; the query router, not placement, picks where it runs),
 * whose mean for placement is the stage's passed time on its reference node.
 */
export function defineApplication(spec: ApplicationSpec, nodes: readonly string[], streams: RandomStreams): DagApplication {
  const issues: InputIssue[] = [];
  const stageIndex = new Map<string, number>();
  /** Stage ids in declaration order, once each: the list an unknown stage's suggestion reads. */
  const stageIds: string[] = [];
  spec.stages.forEach((stage, i) => {
    if (stage.id === DEVICE_NAME) issues.push({ path: `stages[${i}].id`, value: stage.id, expected: `a stage id other than "${DEVICE_NAME}" (it names the device in edges)` });
    else if (stageIndex.has(stage.id)) issues.push({ path: `stages[${i}].id`, value: stage.id, problem: "duplicate stage id", expected: `first used by stages[${stageIndex.get(stage.id)}]` });
    else {
      stageIndex.set(stage.id, i);
      stageIds.push(stage.id);
    }
  });
  if (nodes.includes(DEVICE_NAME))
    issues.push({ path: "", value: undefined, problem: `a node is named "${DEVICE_NAME}"`, expected: `in an application "${DEVICE_NAME}" names the job's own device: rename the node` });
  const placeNames = [DEVICE_NAME, ...nodes];
  const nodeIndex = new Map(nodes.map((id, i) => [id, i]));
  const stationSlots = new Map<string, { slots: number; path: string }>();
  const hostsOf = spec.stages.map((stage, i) => ("query" in stage ? queryHost(stage) : resolveHosts(stage, i, nodeIndex, placeNames, stationSlots, streams, spec.id, issues)));
  const edges: DagEdge[] = [];
  const edgeKeys = new Map<string, number>();
  spec.edges.forEach((edge, k) => {
    const end = (name: string, key: "from" | "to"): number | undefined => {
      if (name === DEVICE_NAME) return DEVICE_END;
      const index = stageIndex.get(name);
      if (index === undefined) issues.push({ path: `edges[${k}].${key}`, value: name, problem: "no such stage", expected: suggestName(name, [DEVICE_NAME, ...stageIds]) });
      return index;
    };
    const from = end(edge.from, "from");
    const to = end(edge.to, "to");
    if (!(Number.isFinite(edge.bytes) && edge.bytes >= 0)) issues.push({ path: `edges[${k}].bytes`, value: edge.bytes, expected: "a finite number of bytes, 0 or more" });
    if (from === undefined || to === undefined) return;
    if (from === DEVICE_END && to === DEVICE_END) {
      issues.push({ path: `edges[${k}]`, value: edge, expected: "an edge with a stage at one end at least" });
      return;
    }
    const key = `${from}>${to}`;
    const first = edgeKeys.get(key);
    if (first !== undefined) issues.push({ path: `edges[${k}]`, value: edge, problem: "duplicate edge", expected: `edges[${first}] already joins ${edge.from} to ${edge.to}` });
    else edgeKeys.set(key, k);
    edges.push({ from, to, bytes: edge.bytes });
  });
  if (issues.length > 0) throw new InputError("application", issues);

  const inputs: number[][] = spec.stages.map(() => []);
  const outputs: number[][] = spec.stages.map(() => []);
  const sourceEdges: number[] = [];
  const sinkEdges: number[] = [];
  edges.forEach((edge, k) => {
    if (edge.from === DEVICE_END) sourceEdges.push(k);
    else outputs[edge.from].push(k);
    if (edge.to === DEVICE_END) sinkEdges.push(k);
    else inputs[edge.to].push(k);
  });
  if (sourceEdges.length === 0) issues.push({ path: "edges", value: undefined, problem: "no source edge", expected: `a job enters the graph by an edge from "${DEVICE_NAME}"` });
  if (sinkEdges.length === 0) issues.push({ path: "edges", value: undefined, problem: "no sink edge", expected: `a job ends with an edge back to "${DEVICE_NAME}"` });
  spec.stages.forEach((stage, i) => {
    if (inputs[i].length === 0) issues.push({ path: `stages[${i}]`, value: stage.id, problem: "no edge into the stage", expected: `an edge from another stage or from "${DEVICE_NAME}"` });
    if (outputs[i].length === 0) issues.push({ path: `stages[${i}]`, value: stage.id, problem: "no edge out of the stage", expected: `an edge to another stage or back to "${DEVICE_NAME}"` });
  });
  const order = topologicalOrder(spec.stages.length, edges, inputs, outputs);
  if (order.length < spec.stages.length) {
    const cycle = findCycle(edges, inputs, order);
    issues.push({ path: "edges", value: undefined, problem: "a cycle", expected: `${cycle.map((i) => spec.stages[i].id).join(" -> ")}: a job must not come back to a stage it left` });
  }
  if (spec.deadlineMs !== undefined && !(spec.deadlineMs > 0 && Number.isFinite(spec.deadlineMs))) issues.push({ path: "deadlineMs", value: spec.deadlineMs, expected: "a positive number of ms" });
  if (issues.length > 0) throw new InputError("application", issues);

  const stages: DagStage[] = spec.stages.map((stage, i) =>
    "query" in stage
      ? { id: stage.id, service: QUERY_SERVICE, query: stage.query, maxAttempts: stage.query.maxAttempts, hosts: hostsOf[i], inputs: inputs[i], outputs: outputs[i] }
      : { id: stage.id, service: stage.service, query: undefined, maxAttempts: 1, hosts: hostsOf[i], inputs: inputs[i], outputs: outputs[i] },
  );
  const canFail = stages.some((stage) => stage.query !== undefined);
  return { id: spec.id, stages, edges, order, sourceEdges, sinkEdges, nodes: [...nodes], deadlineMs: spec.deadlineMs, canFail };
}

/** A query stage's one host: the device, its passed time on the reference node as the mean placement expects (the service time itself is never drawn). */
function queryHost(stage: QueryStageEntry): StageHost[] {
  const meanServiceMs = stage.query.passed.timeMs;
  return [{ place: ON_DEVICE, serviceTime: compileDistribution(meanServiceMs, "query"), meanServiceMs, slots: 1 }];
}

function resolveHosts(
  stage: StationStageSpec,
  i: number,
  nodeIndex: ReadonlyMap<string, number>,
  placeNames: readonly string[],
  stationSlots: Map<string, { slots: number; path: string }>,
  streams: RandomStreams,
  appId: string,
  issues: InputIssue[],
): StageHost[] {
  if (stage.hosts.length === 0) issues.push({ path: `stages[${i}].hosts`, value: stage.hosts, expected: "at least one place the stage can run" });
  const seen = new Set<Place>();
  const hosts: StageHost[] = [];
  stage.hosts.forEach((host, j) => {
    const path = `stages[${i}].hosts[${j}]`;
    const place = host.place === DEVICE_NAME ? ON_DEVICE : nodeIndex.get(host.place);
    if (place === undefined) {
      issues.push({ path: `${path}.place`, value: host.place, problem: "no such node", expected: suggestName(host.place, placeNames) });
      return;
    }
    if (seen.has(place)) issues.push({ path: `${path}.place`, value: host.place, problem: "duplicate host", expected: `one host per place in stage ${stage.id}` });
    seen.add(place);
    if (!(Number.isInteger(host.slots) && host.slots >= 1)) issues.push({ path: `${path}.slots`, value: host.slots, expected: "a whole number of slots, 1 or more" });
    // One station per (service, place): two stages of a service on a place share its servers, so they must agree on how many.
    const station = `${stage.service}@${host.place}`;
    const declared = stationSlots.get(station);
    if (declared === undefined) stationSlots.set(station, { slots: host.slots, path: `${path}.slots` });
    else if (declared.slots !== host.slots)
      issues.push({ path: `${path}.slots`, value: host.slots, expected: `${declared.slots}, as ${declared.path} (one station per service and place: its stages share its slots)` });
    let serviceTime: StageHost["serviceTime"];
    try {
      serviceTime = compileDistribution(host.serviceTime, `${path}.serviceTime`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(...error.issues);
      return;
    }
    const meanServiceMs = meanOf(serviceTime, streams.stream(`dag/${appId}/${stage.id}/${host.place}/mean-estimate`));
    hosts.push({ place, serviceTime, meanServiceMs, slots: host.slots });
  });
  // Place order (the device, then nodes by index; places are distinct): placement breaks ties by host index, so by place.
  return hosts.sort((a, b) => a.place - b.place);
}

/** Kahn's algorithm, always taking the lowest-numbered ready stage, so the order depends on the declaration alone. */
function topologicalOrder(count: number, edges: readonly DagEdge[], inputs: readonly number[][], outputs: readonly number[][]): number[] {
  const pending = inputs.map((list) => list.filter((k) => edges[k].from !== DEVICE_END).length);
  const ready: number[] = [];
  for (let i = 0; i < count; i++) if (pending[i] === 0) ready.push(i);
  const order: number[] = [];
  while (ready.length > 0) {
    // The ready set is small (a graph's width): a linear scan for its minimum keeps the order independent of insertion.
    let best = 0;
    for (let r = 1; r < ready.length; r++) if (ready[r] < ready[best]) best = r;
    const stage = ready.splice(best, 1)[0];
    order.push(stage);
    for (const k of outputs[stage]) {
      const to = edges[k].to;
      if (to !== DEVICE_END && --pending[to] === 0) ready.push(to);
    }
  }
  return order;
}

/**
 * A cycle among the stages Kahn's algorithm could not order, as stage indices with the first
 * repeated at the end. Each unordered stage has an unordered predecessor (that is why it stayed
 * unordered), so walking back through first such predecessors must revisit a stage: the walk
 * from there is the cycle, reversed.
 */
function findCycle(edges: readonly DagEdge[], inputs: readonly number[][], ordered: readonly number[]): number[] {
  const done = new Set(ordered);
  let stage = 0;
  while (done.has(stage)) stage++;
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  while (!seenAt.has(stage)) {
    seenAt.set(stage, walk.length);
    walk.push(stage);
    const back = inputs[stage].find((k) => edges[k].from !== DEVICE_END && !done.has(edges[k].from)) as number;
    stage = edges[back].from;
  }
  const cycle = walk.slice(seenAt.get(stage)).reverse();
  return [...cycle, cycle[0]];
}
