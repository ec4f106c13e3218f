import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { type AutoscalerPort, type CatalogPort, type ControlParts, ControlPlane } from "../../src/control/control-plane.js";
import { Orchestrator, type Replica, type StopCause } from "../../src/control/orchestrator.js";
import { Provisioner } from "../../src/control/provisioning.js";
import type { ControlNode, ResolvedControl, ResolvedDeployment, ServiceFamily, ServiceHost } from "../../src/control/types.js";
import { Network } from "../../src/network/network.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";

/**
 * Hand-built control planes for the tests of CP2 (the control section's resolver is helper
 * SCHEMA's): a resolved scenario of slot-service nodes, a ResolvedControl written out, a fake
 * ServiceHost and fake catalog / autoscaler (CP1's classes are stubs on this branch).
 */

type Doc = Record<string, unknown>;

export const MB = 1e6;
export const GIB = 1024 ** 3;

const camera = (id: string): Doc => ({ id, workloads: [{ type: "arrivals", model: "m", frameSizePx: 300, requestBytes: 1000, interarrival: { dist: "exponential", mean: "100 ms" } }] });
const slots = (id: string): Doc => ({ id, services: [{ type: "slots", slots: 1, inferenceTime: "5 ms" }] });

/** Slot-service nodes and one camera; the network a star of 1 ms links unless given. */
export function scenarioOf(nodes: readonly string[], network: Doc = { default: { latency: "1 ms" } }, devices: readonly string[] = ["cam"]): ResolvedScenario {
  return resolveScenario({ name: "control", duration: "1 h", qos: { frames: "200 ms" }, devices: devices.map(camera), nodes: nodes.map(slots), network, policies: ["round-robin"] }, {});
}

export function nodeOf(over: Partial<ControlNode> = {}): ControlNode {
  return { cpuCores: 4, memoryBytes: 8 * GIB, accelerators: 0, cachedLayers: [], presentAtStart: true, ...over };
}

/** A deployment of family frames over `candidates` of `nodeCount` nodes: load 0, start 0, requests 0, unless given. */
export function deploymentOf(index: number, nodeCount: number, over: Partial<ResolvedDeployment> & { loadMsAll?: number } = {}): ResolvedDeployment {
  const { loadMsAll, ...rest } = over;
  const candidates = rest.candidates ?? Array.from({ length: nodeCount }, (_, n) => n);
  const loadMs = new Float64Array(nodeCount).fill(Number.NaN);
  for (const n of candidates) loadMs[n] = loadMsAll ?? 0;
  return {
    id: `d${index}`,
    index,
    family: "frames",
    candidates,
    image: 0,
    modelBytes: 0,
    loadMs,
    loadSource: Array.from({ length: nodeCount }, (_, n) => (candidates.includes(n) ? "scenario" : "none")),
    startMs: 0,
    requests: { cpuCores: 0, memoryBytes: 0, accelerators: 0 },
    replicas: 1,
    minReplicas: 1,
    maxReplicas: candidates.length,
    readyAtStart: false,
    scoring: "least-allocated",
    autoscaler: undefined,
    ...rest,
  };
}

export function controlOf(over: Partial<ResolvedControl> & { nodes: readonly ControlNode[] }): ResolvedControl {
  return {
    registryNode: undefined,
    pullBytesPerMs: 1000,
    maxConcurrentPulls: 3,
    modelReadBytesPerMs: 90_000,
    layers: [{ digest: "base", bytes: 10_000 }],
    images: [{ id: "img", layers: [0] }],
    deployments: [],
    catalog: { propagationDelayMs: 0, deregisterCriticalAfterMs: Infinity, reapIntervalMs: 30_000, discoveryQueryMs: 0, discoveryTtlMs: 0 },
    timeline: [],
    ...over,
  };
}

/** An orchestrator on its own simulator, with the ready / stopped events it raised. */
export function orchestratorOf(scenario: ResolvedScenario, control: ResolvedControl) {
  const sim = new Simulator();
  const network = new Network(scenario, new RandomStreams(1), sim);
  const provisioner = new Provisioner(sim, control, network);
  const ready: { atMs: number; deployment: number; node: string }[] = [];
  const stopped: { atMs: number; node: string; cause: StopCause }[] = [];
  const orchestrator = new Orchestrator(
    sim,
    control,
    scenario.nodes.map((n) => n.id),
    provisioner,
    {
      ready: (r: Replica) => ready.push({ atMs: sim.now, deployment: r.deployment, node: scenario.nodes[r.node].id }),
      stopped: (r: Replica, cause: StopCause) => stopped.push({ atMs: sim.now, node: scenario.nodes[r.node].id, cause }),
    },
  );
  return { sim, network, provisioner, orchestrator, ready, stopped };
}

/** A ServiceHost that logs what it is told and answers the load it is given. */
export class FakeHost implements ServiceHost {
  readonly log: string[] = [];
  busy = new Map<number, number>();
  jobs = new Map<number, number>();
  constructor(private readonly now: () => number) {}
  serviceStarted(node: number, family: ServiceFamily): void {
    this.log.push(`${this.now()} started ${node} ${family}`);
  }
  serviceStopped(node: number, family: ServiceFamily): void {
    this.log.push(`${this.now()} stopped ${node} ${family}`);
  }
  nodeLeft(node: number): void {
    this.log.push(`${this.now()} left ${node}`);
  }
  nodeJoined(node: number): void {
    this.log.push(`${this.now()} joined ${node}`);
  }
  busyIntegralMs(node: number): number {
    return this.busy.get(node) ?? 0;
  }
  jobsAt(node: number): number {
    return this.jobs.get(node) ?? 0;
  }
}

/** A catalog that lists what is registered (no delay, no health) and counts. */
export class FakeCatalog implements CatalogPort {
  readonly listed = new Set<string>();
  registrations = 0;
  deregistrations = 0;
  register(node: number, family: ServiceFamily): void {
    this.registrations++;
    this.listed.add(`${node} ${family}`);
  }
  deregister(node: number, family: ServiceFamily): void {
    this.deregistrations++;
    this.listed.delete(`${node} ${family}`);
  }
  setPassing(): void {}
  listedFor(_device: number, node: number, family: ServiceFamily): boolean {
    return this.listed.has(`${node} ${family}`);
  }
  discover(): number {
    return 0;
  }
  rejected(): void {}
  results() {
    return { registrations: this.registrations, deregistrations: this.deregistrations, staleRejected: 0, discoveryQueries: 0, discoveryWaitMs: 0 };
  }
}

/** A control plane with fakes; `recommend` scripts the autoscalers (default: keep the count). */
export function controlPlaneOf(scenario: ResolvedScenario, control: ResolvedControl, recommend: AutoscalerPort["recommend"] = (_t, current) => current) {
  const sim = new Simulator();
  const network = new Network(scenario, new RandomStreams(1), sim);
  const host = new FakeHost(() => sim.now);
  const catalog = new FakeCatalog();
  const parts: ControlParts = { catalog: () => catalog, autoscaler: () => ({ recommend }) };
  const plane = new ControlPlane(sim, new RandomStreams(1), { ...scenario, control }, control, network, host, parts);
  return { sim, host, catalog, plane };
}
