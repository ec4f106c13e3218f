import { RandomStreams } from "../engine/rng.js";
import { Simulator } from "../engine/simulator.js";
import { Network } from "../network/network.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";
import type { Scheduler } from "../schedulers/types.js";
import type { QueryRouter } from "../llm/routers/types.js";
import { FaultInjector, type FaultRecord } from "./faults.js";
import { MobilityDriver } from "./mobility-driver.js";
import { NodeActivity } from "./node-activity.js";
import { NodeStates } from "./node-states.js";
import type { ComputeUnit, Traffic, TrafficContext } from "./traffic-context.js";
import { createComputeUnit, servicesContend } from "./compute-unit.js";
import { FrameTraffic, type FrameTrafficOptions } from "./frames/frame-traffic.js";
import { QueryTraffic, type QueryTrafficOptions } from "./queries/query-traffic.js";
import { DagTraffic } from "./dag-traffic.js";
import type { PlacementPolicy } from "../dag/placement.js";
import { ControlPlane } from "../control/control-plane.js";
import type { ServiceFamily, ServiceHost } from "../control/types.js";
import { type WorldControl, WorldServiceHost } from "./service-host.js";

/** The policies of one run, one per workload family present. */
export interface WorldPolicies {
  readonly frames: Scheduler | undefined;
  readonly queries: QueryRouter | undefined;
  /** Places application graphs (issue 17); absent for a scenario without dag workloads. */
  readonly applications?: PlacementPolicy;
}

export interface WorldOptions {
  readonly frames?: FrameTrafficOptions;
  readonly queries?: QueryTrafficOptions;
  /**
   * Builds the control plane of a scenario with `control` (default: ControlPlane); tests inject a
   * hand-made one. Called while the world is built: its clock, streams, network and node states
   * exist, its traffics not yet.
   */
  readonly controlPlane?: (host: ServiceHost, world: World) => WorldControl;
}

/**
 * The one world (issue 13): one clock, one set of random streams, one network, one health view
 * and fault injector, the compute units services share, and a traffic per workload family
 * present (frames, queries) plugged into them. A node hosting a detector and a language model is
 * one node: one crash takes both services down, one link carries both, one power figure.
 */
export class World {
  readonly sim: Simulator;
  readonly streams: RandomStreams;
  readonly network: Network;
  /** Up or down, known health and membership of each node (faults and the control plane's timeline move them). */
  readonly nodes: NodeStates;
  readonly activity: NodeActivity;
  readonly frames: FrameTraffic | undefined;
  readonly queries: QueryTraffic | undefined;
  /** Application graphs (docs/applications.md); undefined without dag workloads. */
  readonly applications: DagTraffic | undefined;
  /** Moving devices and their access points (docs/mobility.md); undefined when no device group has `mobility`. */
  readonly mobility: MobilityDriver | undefined;
  /** The control plane (issue 17, docs/control-plane.md); undefined for a scenario without `control`. */
  readonly control: WorldControl | undefined;
  private readonly faults: FaultInjector;
  private readonly traffics: Traffic[] = [];
  /** Per node: the compute units by name ("accelerator", "cpu"), created on first use. */
  private readonly units: Map<string, ComputeUnit>[];
  private readonly endOfRun: number;

  constructor(
    readonly scenario: ResolvedScenario,
    policies: WorldPolicies,
    options: WorldOptions = {},
  ) {
    // One pending arrival per device, plus room for what is in flight; the queue doubles beyond
    // (presized at four a device, a million devices reserved 144 MB of event records, issue 16).
    this.sim = new Simulator(scenario.devices.length + 1024);
    this.streams = new RandomStreams(scenario.seed);
    this.network = new Network(scenario, this.streams, this.sim);
    const nodes = scenario.nodes.length;
    this.nodes = new NodeStates(nodes, this.network, {
      wentDown: (node) => {
        this.activity.downChanged(node, true, this.sim.now);
        for (const traffic of this.traffics) traffic.crashNode(node);
      },
      wentUp: (node) => {
        this.activity.downChanged(node, false, this.sim.now);
        for (const traffic of this.traffics) traffic.recoverNode(node);
      },
    });
    this.endOfRun = scenario.durationMs + scenario.drainMs;
    // Rates and time averages cover the arrival window [warmup, duration): a drain never dilutes them.
    this.activity = new NodeActivity(nodes, scenario.warmupMs, scenario.durationMs);
    this.units = scenario.nodes.map(() => new Map());
    this.faults = new FaultInjector(this.sim, scenario, this.streams, this.nodes, this.endOfRun);
    // A resolved scenario has wireless access only for moving devices; a hand-built one may attach its devices itself (tests).
    const moving = scenario.network.wireless?.mobility.some((m) => m !== undefined) ?? false;
    this.mobility = moving ? new MobilityDriver(this.sim, this.streams, scenario, this.network, this.endOfRun) : undefined;
    let host: WorldServiceHost | undefined;
    const control = scenario.control;
    if (control !== undefined) {
      // A node whose first timeline event is a join is out of the cluster until then (the control plane calls join).
      control.nodes.forEach((node, index) => {
        if (!node.presentAtStart) this.nodes.leave(index);
      });
      const world = { leave: (node: number) => this.nodes.leave(node), join: (node: number) => this.nodes.join(node), jobsAt: (node: number, family: ServiceFamily) => this.jobsAt(node, family) };
      host = new WorldServiceHost(nodes, world, () => this.sim.now);
      const build = options.controlPlane ?? ((h) => new ControlPlane(this.sim, this.streams, scenario, control, this.network, h));
      this.control = build(host, this);
      this.nodes.control = this.control;
    } else this.control = undefined;
    const context: TrafficContext = {
      sim: this.sim,
      streams: this.streams,
      scenario,
      network: this.network,
      knownHealthy: this.nodes.knownHealthy,
      up: this.nodes.up,
      unit: (node, family) => this.unit(node, family),
      contends: (node) => servicesContend(scenario.nodes[node]),
      // Without a control plane nothing else integrates the levels: the one call of before.
      loadChanged:
        host === undefined
          ? (node, family, level) => this.activity.loadChanged(node, family, level, this.sim.now)
          : (node, family, level) => {
              this.activity.loadChanged(node, family, level, this.sim.now);
              (host as WorldServiceHost).loadChanged(node, family, level, this.sim.now);
            },
      control: this.control,
    };
    if (scenario.families.frames) {
      if (policies.frames === undefined) throw new Error("a scenario with frame workloads needs a frame policy");
      this.frames = new FrameTraffic(context, policies.frames, options.frames ?? {});
      this.traffics.push(this.frames);
    }
    if (scenario.families.queries) {
      if (policies.queries === undefined) throw new Error("a scenario with query workloads needs a query policy");
      this.queries = new QueryTraffic(context, policies.queries, options.queries ?? {});
      this.traffics.push(this.queries);
    }
    if (scenario.families.applications === true) {
      if (policies.applications === undefined) throw new Error("a scenario with dag workloads needs an applications policy");
      // Applications' query stages run on the query traffic (its routes, batch servers and meter).
      this.applications = new DagTraffic(context, policies.applications, this.queries?.queryStages);
      this.traffics.push(this.applications);
    }
    // The traffics begin with what is down already: nodes absent at start (or any the control plane took out while built).
    if (control !== undefined) {
      for (let node = 0; node < nodes; node++) if (this.nodes.up[node] === 0) for (const traffic of this.traffics) traffic.crashNode(node);
    }
  }

  /** The unit a node's service of `family` runs on; services naming the same unit share one object. */
  private unit(node: number, family: "frames" | "llm"): ComputeUnit {
    const spec = this.scenario.nodes[node];
    const name = (family === "frames" ? spec.units.frames : spec.units.llm) ?? family;
    const units = this.units[node];
    let unit = units.get(name);
    if (unit === undefined) {
      unit = createComputeUnit(spec.sharing);
      units.set(name, unit);
    }
    return unit;
  }

  run(): void {
    // Devices are attached before any transfer can start.
    this.mobility?.start();
    this.control?.start();
    this.faults.start();
    for (const traffic of this.traffics) traffic.start();
    this.sim.run({ until: this.endOfRun });
    const end = this.sim.now > this.endOfRun ? this.sim.now : this.endOfRun;
    this.activity.finish(end);
    for (const traffic of this.traffics) traffic.finish(end);
    this.control?.finish(end);
  }

  get events(): number {
    return this.sim.eventsExecuted;
  }

  /** The faults that happened in the run, in order of their start. */
  get faultRecords(): readonly FaultRecord[] {
    return this.faults.records;
  }

  /** Jobs waiting or in service at the node's service of `family` (the control plane's jobs metric). */
  jobsAt(node: number, family: "frames" | "llm"): number {
    return family === "frames" ? (this.frames?.jobsAt(node) ?? 0) : (this.queries?.jobsAt(node) ?? 0);
  }
}
