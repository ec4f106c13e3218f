import type { ControlRunResults, ResolvedControl, ServiceFamily, ServiceHost } from "../../src/control/types.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";
import type { WorldControl } from "../../src/world/service-host.js";
import type { World } from "../../src/world/world.js";

/**
 * A hand-made control plane for the world's wiring tests (the real one is helper CP2's): every
 * service accepting and listed unless a test says otherwise, every call recorded with its time.
 */
export class FakeControl implements WorldControl {
  readonly accepting: { readonly frames: Uint8Array; readonly llm: Uint8Array };
  /** 1 while the node is in the cluster (a test sets 0 to mimic a leave). */
  readonly inCluster: Uint8Array;
  /** Whether `viewer` sees the node's service of `family` listed now: by default, while the node is in the cluster (no propagation delay). */
  listed: (viewer: number, node: number, family: ServiceFamily) => boolean = (_viewer, node) => this.inCluster[node] === 1;
  /** The discovery wait of each call, ms. */
  discoverWait: (device: number, family: ServiceFamily) => number = () => 0;
  /** Whether a job is held now (its release is kept in `held`). */
  holding: (device: number, family: ServiceFamily) => boolean = () => false;
  /** Scheduled at start(): what the test wants to happen during the run. */
  onStart: () => void = () => undefined;
  readonly held: ((node: number) => void)[] = [];
  readonly rejections: { node: number; family: ServiceFamily; at: number }[] = [];
  readonly passing: { node: number; passing: boolean; at: number }[] = [];
  readonly downUp: { node: number; down: boolean; at: number }[] = [];
  readonly discovered: { device: number; family: ServiceFamily; at: number }[] = [];
  finishedAt = Number.NaN;
  host: ServiceHost | undefined;
  world: World | undefined;

  constructor(nodeCount: number) {
    this.accepting = { frames: new Uint8Array(nodeCount).fill(1), llm: new Uint8Array(nodeCount).fill(1) };
    this.inCluster = new Uint8Array(nodeCount).fill(1);
  }

  /** WorldOptions.controlPlane: gives this fake to the world. */
  readonly build = (host: ServiceHost, world: World): WorldControl => {
    this.host = host;
    this.world = world;
    world.scenario.control?.nodes.forEach((node, index) => {
      this.inCluster[index] = node.presentAtStart ? 1 : 0;
    });
    return this;
  };

  private get now(): number {
    return (this.world as World).sim.now;
  }

  /** A timeline leave as the real control plane does it: out of the cluster, then the world told. */
  leave(node: number): void {
    this.inCluster[node] = 0;
    this.host?.nodeLeft(node);
  }

  /** A timeline join as the real control plane does it. */
  join(node: number): void {
    this.inCluster[node] = 1;
    this.host?.nodeJoined(node);
  }

  /** Runs `action` at absolute time `at` (call from onStart). */
  at(at: number, action: () => void): void {
    (this.world as World).sim.schedule(at - this.now, action);
  }

  start(): void {
    this.onStart();
  }
  listedFor(viewer: number, node: number, family: ServiceFamily): boolean {
    return this.listed(viewer, node, family);
  }
  discover(device: number, family: ServiceFamily): number {
    this.discovered.push({ device, family, at: this.now });
    return this.discoverWait(device, family);
  }
  rejected(node: number, family: ServiceFamily): void {
    this.rejections.push({ node, family, at: this.now });
  }
  hold(device: number, family: ServiceFamily, release: (node: number) => void): boolean {
    if (!this.holding(device, family)) return false;
    this.held.push(release);
    return true;
  }
  /** Releases the held jobs in the order they were held, to a replica on `node`. */
  releaseAll(node = 0): void {
    for (const release of this.held.splice(0)) release(node);
  }
  setPassing(node: number, passing: boolean): void {
    this.passing.push({ node, passing, at: this.now });
  }
  nodeDown(node: number): void {
    this.downUp.push({ node, down: true, at: this.now });
  }
  nodeUp(node: number): void {
    this.downUp.push({ node, down: false, at: this.now });
  }
  finish(endMs: number): void {
    this.finishedAt = endMs;
  }
  results(): ControlRunResults {
    return { deployments: [], catalog: { registrations: 0, deregistrations: 0, staleRejected: this.rejections.length, discoveryQueries: this.discovered.length, discoveryWaitMs: 0 }, membership: [] };
  }
}

/** The scenario with a `control` section the fake ignores, except each node's presence at start. */
export function withControl(scenario: ResolvedScenario, absentAtStart: readonly string[] = []): ResolvedScenario {
  const control: ResolvedControl = {
    registryNode: undefined,
    pullBytesPerMs: 12_500,
    maxConcurrentPulls: 3,
    modelReadBytesPerMs: 90_000,
    layers: [],
    images: [],
    nodes: scenario.nodes.map((node) => ({ cpuCores: 1, memoryBytes: Infinity, accelerators: 0, cachedLayers: [], presentAtStart: !absentAtStart.includes(node.id) })),
    deployments: [],
    catalog: { propagationDelayMs: 0, deregisterCriticalAfterMs: Infinity, reapIntervalMs: 30_000, discoveryQueryMs: 0, discoveryTtlMs: 0 },
    timeline: [],
  };
  return { ...scenario, control };
}
