import type { RandomStreams } from "../engine/rng.js";
import type { Simulator } from "../engine/simulator.js";
import type { Network } from "../network/network.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";
import { Autoscaler } from "./autoscaler.js";
import { Catalog } from "./catalog.js";
import { Orchestrator, type Replica, type StopCause } from "./orchestrator.js";
import { Provisioner } from "./provisioning.js";
import type { ControlRunResults, DeploymentResults, NodeMembership, ResolvedAutoscaler, ResolvedCatalog, ResolvedControl, ServiceFamily, ServiceHost } from "./types.js";

/** What the control plane asks of the catalog (catalog.ts). */
export type CatalogPort = Pick<Catalog, "register" | "deregister" | "setPassing" | "listedFor" | "discover" | "rejected" | "results">;
/** What it asks of an autoscaler (autoscaler.ts). */
export type AutoscalerPort = Pick<Autoscaler, "recommend">;

/** How the control plane builds its catalog and autoscalers: the real classes, or a test's fakes. */
export interface ControlParts {
  catalog(sim: Simulator, settings: ResolvedCatalog, nodeCount: number, deviceCount: number): CatalogPort;
  autoscaler(spec: ResolvedAutoscaler, minReplicas: number, maxReplicas: number): AutoscalerPort;
}

const REAL_PARTS: ControlParts = {
  catalog: (sim, settings, nodeCount, deviceCount) => new Catalog(sim, settings, nodeCount, deviceCount),
  autoscaler: (spec, minReplicas, maxReplicas) => new Autoscaler(spec, minReplicas, maxReplicas),
};

const FAMILIES: readonly ServiceFamily[] = ["frames", "llm"];

/** A node's timeline in the making (NodeMembership without its id). */
interface Membership {
  readonly joinedAtMs: number[];
  readonly leftAtMs: number[];
  readonly joinToServingMs: (number | null)[];
}

/** A job waiting in the activator for a replica of its family (scale to zero). */
interface HeldJob {
  readonly atMs: number;
  readonly release: (node: number) => void;
}

/**
 * The control plane of one run (issue 17, docs/control-plane.md, docs/orchestration.md): the
 * catalog (catalog.ts), the orchestrator that places replicas on nodes by their resource requests
 * (orchestrator.ts, pod-scoring.ts), provisioning (image layers pulled over the network, model
 * load: provisioning.ts), the autoscalers (autoscaler.ts) and the node timeline (join, leave). The
 * world builds it only for a scenario with `control`, and gives it a ServiceHost to act on.
 *
 * What the traffics read on every job is flat: `accepting` (is the node's service taking jobs
 * now) and `listedFor` (does the requesting device see it in the catalog).
 */
export class ControlPlane {
  /** Per node index: 1 while the node's slot service (frames) / language model (llm) takes new jobs. Services no deployment manages are 1 from time 0. */
  readonly accepting: { readonly frames: Uint8Array; readonly llm: Uint8Array };
  /**
   * Per node index: 1 while the node is in the cluster (0 absent at start, or after a timeline
   * leave until its join). A job reaching a node out of the cluster was sent on a stale view: the
   * traffics count it rejected, where a job reaching a crashed node is lost to the crash.
   */
  readonly inCluster: Uint8Array;
  private readonly catalog: CatalogPort;
  private readonly autoscalers: (AutoscalerPort | undefined)[];
  private readonly orchestrator: Orchestrator;
  /** Per family, per node: the deployment managing the node's service, or -1. */
  private readonly managedBy: { readonly frames: Int32Array; readonly llm: Int32Array };
  private readonly held: { readonly frames: HeldJob[]; readonly llm: HeldJob[] } = { frames: [], llm: [] };
  private readonly coldWaits: number[][];
  private readonly scaleEvents: Int32Array;
  /** Per deployment with an autoscaler: ∫ load at the last sync per node, and since when it has been idle (NaN: busy). */
  private readonly lastIntegral: Float64Array[];
  private readonly idleSinceMs: Float64Array;
  private readonly membership = new Map<number, Membership>();
  private readonly endOfRun: number;

  constructor(
    readonly sim: Simulator,
    readonly streams: RandomStreams,
    readonly scenario: ResolvedScenario,
    readonly control: ResolvedControl,
    readonly network: Network,
    readonly host: ServiceHost,
    parts: ControlParts = REAL_PARTS,
  ) {
    const nodes = scenario.nodes.length;
    this.endOfRun = scenario.durationMs + scenario.drainMs;
    this.accepting = { frames: new Uint8Array(nodes), llm: new Uint8Array(nodes) };
    this.inCluster = Uint8Array.from(control.nodes, (node) => (node.presentAtStart ? 1 : 0));
    this.managedBy = { frames: new Int32Array(nodes).fill(-1), llm: new Int32Array(nodes).fill(-1) };
    for (const deployment of control.deployments) for (const n of deployment.candidates) this.managedBy[deployment.family][n] = deployment.index;
    for (const family of FAMILIES) for (let n = 0; n < nodes; n++) if (this.serves(n, family) && this.managedBy[family][n] < 0) this.accepting[family][n] = 1;
    this.catalog = parts.catalog(sim, control.catalog, nodes, scenario.devices.length);
    this.autoscalers = control.deployments.map((d) => (d.autoscaler === undefined ? undefined : parts.autoscaler(d.autoscaler, d.minReplicas, d.maxReplicas)));
    this.coldWaits = control.deployments.map(() => []);
    this.scaleEvents = new Int32Array(control.deployments.length);
    this.lastIntegral = control.deployments.map(() => new Float64Array(nodes));
    this.idleSinceMs = new Float64Array(control.deployments.length).fill(0);
    for (const event of control.timeline) if (!this.membership.has(event.node)) this.membership.set(event.node, { joinedAtMs: [], leftAtMs: [], joinToServingMs: [] });
    const provisioner = new Provisioner(sim, control, network);
    this.orchestrator = new Orchestrator(
      sim,
      control,
      scenario.nodes.map((n) => n.id),
      provisioner,
      {
        ready: (replica) => this.replicaReady(replica),
        stopped: (replica, cause) => this.replicaStopped(replica, cause),
      },
    );
  }

  /** Schedules time 0: replicas ready at start (or provisioned from 0), the timeline, the autoscalers' syncs. Called before the traffics start. */
  start(): void {
    // Services no deployment manages are registered from time 0 on the nodes present then.
    for (const family of FAMILIES) for (let n = 0; n < this.scenario.nodes.length; n++) if (this.accepting[family][n] === 1 && this.control.nodes[n].presentAtStart) this.catalog.register(n, family);
    this.orchestrator.start();
    for (const event of this.control.timeline) this.sim.schedule(event.atMs - this.sim.now, () => (event.kind === "join" ? this.join(event.node) : this.leave(event.node)));
    this.control.deployments.forEach((deployment, d) => {
      if (deployment.autoscaler !== undefined) this.sim.schedule(deployment.autoscaler.syncPeriodMs, () => this.sync(d));
    });
  }

  /** Whether the view of `device` (-1: a policy's cluster-wide view) lists the node's service of `family` as registered and passing. */
  listedFor(device: number, node: number, family: ServiceFamily): boolean {
    return this.catalog.listedFor(device, node, family);
  }

  /** The device is about to place a job of `family`: the discovery wait it pays first, ms (0: its cached answer is fresh). */
  discover(device: number, family: ServiceFamily): number {
    return this.catalog.discover(device, family);
  }

  /** A job reached a node whose service of `family` takes no jobs (gone, a stale view): counted; the traffic counts the job lost. */
  rejected(node: number, family: ServiceFamily): void {
    this.catalog.rejected(node, family);
  }

  /**
   * Scale to zero: when the deployments managing `family` for this device have no ready replica
   * and one is being (or can be) provisioned, the job waits: `release(node)` is called (once) when a
   * replica is ready, with the replica's node, and true is returned. The traffic sends the job
   * there: the activator proxies to the new replica itself (knative.dev/docs/serving/request-flow/),
   * so neither the device's cached discovery answer nor the catalog's propagation delay stand
   * between them. False: place the job now (a replica is ready, or none
   * can ever come: the job goes wherever the policy sends it).
   *
   * The activator (Knative's) is cluster-wide: every device's job of the family waits for the
   * first replica of the family to be ready; a deployment at zero is asked for one replica now
   * (the first of the family, in scenario order, that can run one).
   */
  hold(_device: number, family: ServiceFamily, release: (node: number) => void): boolean {
    if (this.accepting[family].includes(1)) return false;
    const d = this.control.deployments.findIndex((x) => x.family === family && x.candidates.length > 0 && x.maxReplicas > 0);
    if (d < 0) return false;
    this.held[family].push({ atMs: this.sim.now, release });
    if (this.orchestrator.desired(d) === 0) {
      this.scaleEvents[d]++;
      this.orchestrator.setDesired(d, 1, "scale-up");
    }
    return true;
  }

  /** The world's health view changed (a health check): forwarded to the catalog. */
  setPassing(node: number, passing: boolean): void {
    this.catalog.setPassing(node, passing);
  }

  /** A node crashed (fault): its replicas are lost; recreated elsewhere after NODE_LOSS_EVICTION_MS (orchestrator.ts) unless it recovers first. */
  nodeDown(node: number): void {
    this.orchestrator.nodeDown(node);
  }

  /** A crashed node recovered: its replicas restart in place; pending replicas may be placed on it. */
  nodeUp(node: number): void {
    this.orchestrator.nodeUp(node);
  }

  /** The run ended at `endMs`: close the step functions and open records. */
  finish(endMs: number): void {
    this.orchestrator.finish(endMs);
  }

  results(): ControlRunResults {
    const deployments = this.control.deployments.map((deployment, d): DeploymentResults => {
      const waits = this.coldWaits[d];
      const sum = waits.reduce((a, b) => a + b, 0);
      return {
        id: deployment.id,
        family: deployment.family,
        ...this.orchestrator.results(d),
        coldStarts: { jobs: waits.length, meanWaitMs: waits.length === 0 ? null : sum / waits.length, maxWaitMs: waits.length === 0 ? null : Math.max(...waits) },
        scaleEvents: this.scaleEvents[d],
      };
    });
    const membership: NodeMembership[] = [...this.membership.keys()].sort((a, b) => a - b).map((n) => ({ node: this.scenario.nodes[n].id, ...(this.membership.get(n) as Membership) }));
    return { deployments, catalog: this.catalog.results(), membership };
  }

  private serves(node: number, family: ServiceFamily): boolean {
    return family === "frames" ? this.scenario.nodes[node].frames !== undefined : this.scenario.nodes[node].llm !== undefined;
  }

  private replicaReady(replica: Replica): void {
    const family = this.control.deployments[replica.deployment].family;
    this.accepting[family][replica.node] = 1;
    this.host.serviceStarted(replica.node, family);
    this.catalog.register(replica.node, family);
    const member = this.membership.get(replica.node);
    if (member !== undefined) {
      const last = member.joinToServingMs.length - 1;
      if (last >= 0 && member.joinToServingMs[last] === null) member.joinToServingMs[last] = this.sim.now - member.joinedAtMs[last];
    }
    const held = this.held[family];
    if (held.length === 0) return;
    this.orchestrator.markColdStart(replica);
    // Released in arrival order; a release may hold a new job (then it waits for the next replica).
    const released = held.splice(0, held.length);
    for (const job of released) {
      this.coldWaits[replica.deployment].push(this.sim.now - job.atMs);
      job.release(replica.node);
    }
  }

  private replicaStopped(replica: Replica, cause: StopCause): void {
    const family = this.control.deployments[replica.deployment].family;
    this.accepting[family][replica.node] = 0;
    // A crashed node's service is down already (the world's fault); the catalog learns it from the health checks.
    if (cause === "lost") return;
    // A node that left is down already (host.nodeLeft); a lost replica evicted was not running.
    if (cause === "scale-down" && replica.state === "ready") this.host.serviceStopped(replica.node, family);
    this.catalog.deregister(replica.node, family);
  }

  /** Timeline leave: graceful: the world takes the node down, the catalog deregisters its services, its replicas are recreated elsewhere. */
  private leave(node: number): void {
    this.membership.get(node)?.leftAtMs.push(this.sim.now);
    this.inCluster[node] = 0;
    this.host.nodeLeft(node);
    for (const family of FAMILIES) if (this.managedBy[family][node] < 0 && this.accepting[family][node] === 1) this.catalog.deregister(node, family);
    this.orchestrator.leave(node);
  }

  /** Timeline join: the node is up, its unmanaged services register again, pending replicas may land on it. */
  private join(node: number): void {
    const member = this.membership.get(node);
    member?.joinedAtMs.push(this.sim.now);
    member?.joinToServingMs.push(null);
    this.inCluster[node] = 1;
    this.host.nodeJoined(node);
    for (const family of FAMILIES) if (this.managedBy[family][node] < 0 && this.accepting[family][node] === 1) this.catalog.register(node, family);
    this.orchestrator.join(node);
  }

  /**
   * An autoscaler's sync: the metric over the last period and the ready replicas
   * (ResolvedAutoscaler.metric), the idle time, the recommendation applied.
   */
  private sync(d: number): void {
    const deployment = this.control.deployments[d];
    const spec = deployment.autoscaler as ResolvedAutoscaler;
    const now = this.sim.now;
    const last = this.lastIntegral[d];
    let busyDelta = 0;
    let readyBusy = 0;
    let jobs = 0;
    let readyJobs = 0;
    let ready = 0;
    const readyAt = new Uint8Array(this.scenario.nodes.length);
    for (const r of this.orchestrator.replicas(d)) if (r.state === "ready") readyAt[r.node] = 1;
    for (const n of deployment.candidates) {
      const integral = this.host.busyIntegralMs(n, deployment.family);
      const delta = integral - last[n];
      last[n] = integral;
      const atNode = this.host.jobsAt(n, deployment.family);
      busyDelta += delta;
      jobs += atNode;
      if (readyAt[n] === 1) {
        ready++;
        readyBusy += delta;
        readyJobs += atNode;
      }
    }
    const held = this.held[deployment.family].length;
    // Jobs waiting in the activator count as the deployment's (Knative's activator reports them).
    const metric = ready === 0 ? Number.NaN : spec.metric === "utilisation" ? readyBusy / spec.syncPeriodMs / ready : (readyJobs + held) / ready;
    // Idle is known at the syncs only: busy during the period means idle from now at the earliest; idle all period, since the last sync.
    if (jobs > 0 || held > 0) this.idleSinceMs[d] = Number.NaN;
    else if (busyDelta > 0) this.idleSinceMs[d] = now;
    else if (Number.isNaN(this.idleSinceMs[d])) this.idleSinceMs[d] = now - spec.syncPeriodMs;
    const current = this.orchestrator.desired(d);
    const desired = (this.autoscalers[d] as AutoscalerPort).recommend(now, current, ready, metric, this.idleSinceMs[d]);
    if (desired !== current) {
      this.scaleEvents[d]++;
      this.orchestrator.setDesired(d, desired, "scale-up");
    }
    if (now + spec.syncPeriodMs <= this.endOfRun) this.sim.schedule(spec.syncPeriodMs, () => this.sync(d));
  }
}
