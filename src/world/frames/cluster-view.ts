import { meanOf } from "../../random/distributions.js";
import { RandomStreams } from "../../engine/rng.js";
import type { ClusterView } from "../../schedulers/types.js";
import type { WorldControl } from "../service-host.js";
import type { TrafficContext } from "../traffic-context.js";
import type { LocalExecutor } from "./local-executor.js";
import type { MigrationController } from "./migration-controller.js";
import type { OutstandingFrames } from "./outstanding-frames.js";
import type { SlotServices } from "./slot-server.js";

/**
 * What a frame policy sees of the world (ClusterView). Nodes are every node of the scenario, by
 * index; a node without a frame service (one hosting only a language model) looks unusable: not
 * healthy, 0 slots, infinite profile times. A policy placing a frame there anyway is a
 * SimulationError (FrameTraffic). A device with several frame workloads is seen through its first
 * (profilePreprocessingMs / profileInferenceMs use that workload's model and frame size).
 */
export class FrameClusterView implements ClusterView {
  /** Mean preprocessing and inference time per (node, service class), interleaved. */
  private readonly serviceMeans: Float64Array;
  /** Service class of each device's first frame workload (0 for a device without one). */
  private readonly deviceClass: Int32Array;
  private readonly classes: number;
  // Read by policies on every placement: flat copies of what the scenario objects hold.
  private readonly nodeCountValue: number;
  private readonly deadlineMs: number;
  private readonly nodeIds: readonly string[];
  private readonly deviceIds: readonly string[];
  private readonly cloud: Uint8Array;
  private readonly knownHealthy: Uint8Array;
  /** 1 for a node with a frame service (isHealthy is read for every node at every placement). */
  private readonly servesFrames: Uint8Array;
  private readonly outstandingCount: Int32Array;

  constructor(
    private readonly ctx: TrafficContext,
    private readonly servers: SlotServices,
    private readonly local: LocalExecutor,
    private readonly migration: MigrationController,
    /** Per node: frames placed there whose answer has not reached the device yet. */
    private readonly outstandingFrames: OutstandingFrames,
  ) {
    const scenario = ctx.scenario;
    this.classes = scenario.serviceClasses.length;
    this.nodeCountValue = scenario.nodes.length;
    this.deadlineMs = scenario.qos.frameDeadlineMs;
    this.nodeIds = scenario.nodes.map((node) => node.id);
    this.deviceIds = scenario.devices.map((device) => device.id);
    this.cloud = Uint8Array.from(scenario.nodes.map((node) => (node.role === "cloud" ? 1 : 0)));
    this.knownHealthy = ctx.knownHealthy;
    this.servesFrames = servesFramesOf(scenario.nodes);
    this.outstandingCount = outstandingFrames.counts;
    this.deviceClass = Int32Array.from(scenario.devices.map((device) => device.workloads.find((workload) => workload.family === "frames")?.serviceClass ?? 0));
    this.serviceMeans = new Float64Array(scenario.nodes.length * this.classes * 2).fill(Infinity);
    // Means are estimated from streams of their own, so asking for them never shifts a run's draws.
    const meanStreams = new RandomStreams("service-means");
    for (const node of scenario.nodes) {
      node.frames?.service.forEach((service, serviceClass) => {
        const at = (node.index * this.classes + serviceClass) * 2;
        this.serviceMeans[at] = meanOf(service.preprocessing, meanStreams.stream(`${node.id}/${serviceClass}/p`));
        this.serviceMeans[at + 1] = meanOf(service.inference, meanStreams.stream(`${node.id}/${serviceClass}/i`));
      });
    }
  }

  get now(): number {
    return this.ctx.sim.now;
  }
  get nodeCount(): number {
    return this.nodeCountValue;
  }
  get deviceCount(): number {
    return this.ctx.scenario.devices.length;
  }
  get qosDeadlineMs(): number {
    return this.deadlineMs;
  }
  nodeId(node: number): string {
    return this.nodeIds[node];
  }
  deviceId(device: number): string {
    return this.deviceIds[device];
  }
  isHealthy(node: number): boolean {
    return this.knownHealthy[node] === 1 && this.servesFrames[node] === 1;
  }
  slots(node: number): number {
    return this.servers.slots(node);
  }
  busySlots(node: number): number {
    return this.servers.busySlots(node);
  }
  queueLength(node: number): number {
    return this.servers.waiting(node);
  }
  queueDelay(node: number): number {
    return this.servers.queueDelay(node);
  }
  isOverloaded(node: number): boolean {
    return this.servers.queueDelay(node) > this.qosDeadlineMs;
  }
  outstanding(node: number): number {
    return this.outstandingCount[node];
  }
  leastOutstanding(): number {
    // The fewest outstanding among serving nodes; when that node is not known healthy, the policy scans.
    const node = this.outstandingFrames.least();
    return node >= 0 && this.knownHealthy[node] === 1 ? node : -1;
  }
  latency(device: number, node: number): number {
    return this.ctx.network.nominalLatencyMs(device, node);
  }
  profilePreprocessingMs(device: number, node: number): number {
    return this.serviceMeans[(node * this.classes + this.deviceClass[device]) * 2];
  }
  profileInferenceMs(device: number, node: number): number {
    return this.serviceMeans[(node * this.classes + this.deviceClass[device]) * 2 + 1];
  }
  isCloud(node: number): boolean {
    return this.cloud[node] === 1;
  }
  canRunLocally(device: number): boolean {
    return this.local.canRun(device);
  }
  recentLatency(node: number): number {
    return this.migration.recentLatency(node);
  }
}

/**
 * The view with a control plane (issue 17): a node is healthy for the policy only when the
 * catalog, as the viewer sees it (late by the propagation delay), also lists its slot service.
 * The viewer is the device whose frame is being placed (FrameTraffic sets it around `place`);
 * -1 otherwise (monitor ticks, migrations): the policy's cluster-wide view. A subclass, so that a
 * run without a control plane reads isHealthy as before, with no check added.
 */
export class ControlledFrameClusterView extends FrameClusterView {
  viewer = -1;

  constructor(
    ctx: TrafficContext,
    servers: SlotServices,
    local: LocalExecutor,
    migration: MigrationController,
    outstandingFrames: OutstandingFrames,
    private readonly control: WorldControl,
  ) {
    super(ctx, servers, local, migration, outstandingFrames);
  }

  /** Health depends on the viewer's catalog here: the policy scans. */
  override leastOutstanding(): number {
    return -1;
  }

  override isHealthy(node: number): boolean {
    return super.isHealthy(node) && this.control.listedFor(this.viewer, node, "frames");
  }
}

/** Per node, 1 when it has a frame service (the view's isHealthy, and which nodes least-loaded's tree holds). */
export function servesFramesOf(nodes: readonly { readonly frames?: unknown }[]): Uint8Array {
  return Uint8Array.from(nodes, (node) => (node.frames === undefined ? 0 : 1));
}
