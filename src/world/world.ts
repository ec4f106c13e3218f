import type { ControlPlane } from "../control/control-plane.js";
import { RandomStreams } from "../engine/rng.js";
import { Simulator } from "../engine/simulator.js";
import { Network } from "../network/network.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";
import type { Scheduler } from "../schedulers/types.js";
import type { QueryRouter } from "../llm/routers/types.js";
import { FaultInjector, type FaultRecord, type FaultTarget } from "./faults.js";
import { MobilityDriver } from "./mobility-driver.js";
import { NodeActivity } from "./node-activity.js";
import type { ComputeUnit, Traffic, TrafficContext } from "./traffic-context.js";
import { createComputeUnit, servicesContend } from "./compute-unit.js";
import { FrameTraffic, type FrameTrafficOptions } from "./frames/frame-traffic.js";
import { QueryTraffic, type QueryTrafficOptions } from "./queries/query-traffic.js";

/** The policies of one run, one per workload family present. */
export interface WorldPolicies {
  readonly frames: Scheduler | undefined;
  readonly queries: QueryRouter | undefined;
}

export interface WorldOptions {
  readonly frames?: FrameTrafficOptions;
  readonly queries?: QueryTrafficOptions;
}

/**
 * The one world (issue 13): one clock, one set of random streams, one network, one health view
 * and fault injector, the compute units services share, and a traffic per workload family
 * present (frames, queries) plugged into them. A node hosting a detector and a language model is
 * one node: one crash takes both services down, one link carries both, one power figure.
 */
export class World implements FaultTarget {
  readonly sim: Simulator;
  readonly streams: RandomStreams;
  readonly network: Network;
  readonly knownHealthy: Uint8Array;
  readonly up: Uint8Array;
  readonly activity: NodeActivity;
  readonly frames: FrameTraffic | undefined;
  readonly queries: QueryTraffic | undefined;
  /** Moving devices and their access points (docs/mobility.md); undefined when no device group has `mobility`. */
  readonly mobility: MobilityDriver | undefined;
  /** Stub (helper OUT, so simulate.ts compiles): helper WIRE builds it for a scenario with `control`. */
  readonly control: ControlPlane | undefined = undefined;
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
    this.sim = new Simulator(Math.max(1024, scenario.devices.length * 4));
    this.streams = new RandomStreams(scenario.seed);
    this.network = new Network(scenario, this.streams, this.sim);
    const nodes = scenario.nodes.length;
    this.knownHealthy = new Uint8Array(nodes).fill(1);
    this.up = new Uint8Array(nodes).fill(1);
    this.endOfRun = scenario.durationMs + scenario.drainMs;
    // Rates and time averages cover the arrival window [warmup, duration): a drain never dilutes them.
    this.activity = new NodeActivity(nodes, scenario.warmupMs, scenario.durationMs);
    this.units = scenario.nodes.map(() => new Map());
    this.faults = new FaultInjector(this.sim, scenario, this.streams, this, this.endOfRun);
    // A resolved scenario has wireless access only for moving devices; a hand-built one may attach its devices itself (tests).
    const moving = scenario.network.wireless?.mobility.some((m) => m !== undefined) ?? false;
    this.mobility = moving ? new MobilityDriver(this.sim, this.streams, scenario, this.network, this.endOfRun) : undefined;
    const context: TrafficContext = {
      sim: this.sim,
      streams: this.streams,
      scenario,
      network: this.network,
      knownHealthy: this.knownHealthy,
      up: this.up,
      unit: (node, family) => this.unit(node, family),
      contends: (node) => servicesContend(scenario.nodes[node]),
      loadChanged: (node, family, level) => this.activity.loadChanged(node, family, level, this.sim.now),
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
    this.faults.start();
    for (const traffic of this.traffics) traffic.start();
    this.sim.run({ until: this.endOfRun });
    const end = this.sim.now > this.endOfRun ? this.sim.now : this.endOfRun;
    this.activity.finish(end);
    for (const traffic of this.traffics) traffic.finish(end);
  }

  get events(): number {
    return this.sim.eventsExecuted;
  }

  /** The faults that happened in the run, in order of their start. */
  get faultRecords(): readonly FaultRecord[] {
    return this.faults.records;
  }

  // FaultTarget: what the fault injector acts on ------------------------------------------------
  isUp(node: number): boolean {
    return this.up[node] === 1;
  }

  isHealthy(node: number): boolean {
    return this.knownHealthy[node] === 1;
  }

  crashNode(node: number): void {
    if (this.up[node] === 0) return;
    this.up[node] = 0;
    this.activity.downChanged(node, true, this.sim.now);
    for (const traffic of this.traffics) traffic.crashNode(node);
  }

  recoverNode(node: number): void {
    if (this.up[node] === 1) return;
    this.up[node] = 1;
    this.activity.downChanged(node, false, this.sim.now);
    for (const traffic of this.traffics) traffic.recoverNode(node);
  }

  setKnownHealth(node: number, healthy: boolean): void {
    this.knownHealthy[node] = healthy ? 1 : 0;
  }

  setLinkDegradation(node: number, devices: readonly number[], latencyFactor: number, addedLatencyMs: number, bandwidthFactor: number): void {
    this.network.setLinkDegradation(node, devices, latencyFactor, addedLatencyMs, bandwidthFactor);
  }
}
