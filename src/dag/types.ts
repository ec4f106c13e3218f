import type { PipelineStageSpec } from "../llm/resolved.js";
import type { CompiledDistribution } from "../random/distributions.js";
import type { DistributionSpec } from "../random/distribution-spec.js";

/**
 * Applications as graphs of stages (issue 17, "Applications as graphs"): the vocabulary of
 * iFogSim2 (AppModule placed on a node, AppEdge carrying tupleNwLength bytes, a SENSOR edge in from
 * the device and an ACTUATOR edge back to it) and YAFS (modules, messages of `bytes` from `s` to
 * `d`, the user as source "None"), as summarised in /work/shared/notes/control-plane.md, section 7.
 * A job is one run of the graph: it starts on a device, crosses every edge once and ends when the
 * last byte of every sink edge is back on the device.
 */

/**
 * Where a stage runs or data is: ON_DEVICE (the job's own device) or a node index (the order of
 * the node list the application was defined against). A number, so a job's placement is an
 * Int32Array and places compare with `===`.
 */
export type Place = number;

/** The job's own device, as a place: a stage placed there runs on the device that sent the job. */
export const ON_DEVICE: Place = -1;

/** The name that stands for the device in an application's edges (`from` of a source edge, `to` of a sink edge) and hosts. */
export const DEVICE_NAME = "device";

/** One place where a stage may run, as written (node names, a distribution spec). */
export interface StageHostSpec {
  /** A node id, or "device" for the job's own device. */
  place: string;
  /** Service time of the stage there (ms, or a distribution spec). */
  serviceTime: DistributionSpec;
  /** Servers of the (service, place) station: stages of one service on one place share them. */
  slots: number;
}

/** A stage run at a station: a service on one of its hosts. */
export interface StationStageSpec {
  id: string;
  /** The service that runs the stage: its station on a place is shared by every stage of that service there. */
  service: string;
  /** Where it may run; placement chooses one per job. */
  hosts: readonly StageHostSpec[];
}

/**
 * A language-model query stage, resolved (the pipeline stage's fields, `name` the stage id): each
 * attempt is one query routed by the run's query router, then its tool time; it passes with
 * `successProbability` on the reference node's model (scaled by the quality proxy elsewhere) and is
 * attempted up to `maxAttempts` times (src/world/queries/query-stages.ts).
 */
export interface QueryStageSpec extends PipelineStageSpec {
  /** Index of the node whose model the stage's figures were measured on. */
  readonly referenceNode: number;
}

/** A query stage as given to defineApplication: its place is the device (the device issues the query; the router picks where it runs). */
export interface QueryStageEntry {
  id: string;
  query: QueryStageSpec;
}

export type StageSpec = StationStageSpec | QueryStageEntry;

/** The service name of query stages in results and stations' keys: the language-model family's. */
export const QUERY_SERVICE = "llm";

export interface EdgeSpec {
  /** A stage id, or "device" for a source edge. */
  from: string;
  /** A stage id, or "device" for a sink edge. */
  to: string;
  /** Bytes carried once per job along the edge. */
  bytes: number;
}

/** An application as written: the graph of stages and the edges between them and the device. */
export interface ApplicationSpec {
  id: string;
  stages: readonly StageSpec[];
  edges: readonly EdgeSpec[];
  /** End-to-end deadline, ms: jobs slower than it count as violations (none when absent). */
  deadlineMs?: number;
}

/** A host resolved: the place as a number, the distribution compiled, its mean known. */
export interface StageHost {
  place: Place;
  serviceTime: CompiledDistribution;
  /** Mean service time, ms: exact when known in closed form, else estimated on a private stream (meanOf). */
  meanServiceMs: number;
  slots: number;
}

export interface DagStage {
  id: string;
  /** The station's service; QUERY_SERVICE for a query stage. */
  service: string;
  /** A query stage's spec (run by the query traffic's executor); undefined for a station stage. */
  query: QueryStageSpec | undefined;
  /** Visits before a job fails at the stage: 1 for a station stage (a visit always passes). */
  maxAttempts: number;
  /** Hosts in place order (the device, then nodes by index), whatever the order written: placement ties go to the earlier one. */
  hosts: readonly StageHost[];
  /** Edges into the stage (indices into DagApplication.edges); a source edge comes from the device. */
  inputs: readonly number[];
  /** Edges out of the stage; several = a fork (each successor gets its bytes). */
  outputs: readonly number[];
}

/** An edge resolved: stage indices, SOURCE/SINK for the device end. */
export interface DagEdge {
  /** Stage index, or DEVICE_END for a source edge. */
  from: number;
  /** Stage index, or DEVICE_END for a sink edge. */
  to: number;
  bytes: number;
}

/** The device end of a source or sink edge, in DagEdge.from / DagEdge.to. */
export const DEVICE_END = -1;

/** A validated application: acyclic, every stage on a path from the device back to the device. */
export interface DagApplication {
  id: string;
  stages: readonly DagStage[];
  edges: readonly DagEdge[];
  /** Stage indices in a topological order, ties by declaration order. */
  order: readonly number[];
  /** Edge indices of the source edges (device -> stage) and of the sink edges (stage -> device). */
  sourceEdges: readonly number[];
  sinkEdges: readonly number[];
  /** The node ids the places index. */
  nodes: readonly string[];
  deadlineMs: number | undefined;
  /** Some stage can fail a job (a query stage): its results count failed jobs. */
  canFail: boolean;
}

/** The name of a place in results and messages. */
export function placeName(app: Pick<DagApplication, "nodes">, place: Place): string {
  return place === ON_DEVICE ? DEVICE_NAME : app.nodes[place];
}
