import { DagResultsRecorder, type DagResults } from "../dag/dag-results.js";
import { type DagNetwork, DagRunner } from "../dag/dag-runner.js";
import type { PlacementPolicy } from "../dag/placement.js";
import type { StageExecutorFactory } from "../dag/stage-executor.js";
import { stationStages } from "../dag/station-stages.js";
import { Stations } from "../dag/stations.js";
import { ON_DEVICE, type Place } from "../dag/types.js";
import { SimulationError } from "../errors.js";
import { DOWN, type Network, UP } from "../network/network.js";
import type { Sampler } from "../random/distributions.js";
import { type DagWorkload, streamPrefix } from "../scenario/resolved-scenario.js";
import type { ResolvedNetworkLink } from "../scenario/resolved.js";
import type { Traffic, TrafficContext } from "./traffic-context.js";

/** One device's dag workload: who sends, which runner, how the gaps are drawn. */
interface DagSource {
  readonly device: number;
  readonly runner: DagRunner;
  readonly gap: Sampler;
  readonly first: number;
}

/**
 * The application-graph traffic of the one world (issue 17, docs/applications.md): each device's
 * dag workloads submit jobs of their application on the world's clock, from time 0 until the end
 * of `duration` (streams `<streamPrefix>/arrivals` and `/start`, as frame workloads). Each job is
 * placed by the run's applications policy (src/dag/placement.ts) from the stations' queues and the
 * network's nominal latencies, then runs on stations shared by every application (one per
 * (service, place)) over the world's Network: device <-> node by `transfer` UP/DOWN, node -> node
 * by `transferBetween`. Nodes known down are not chosen (their hosts' expected wait is Infinity);
 * a crash loses the visits at the node's stations, and a job reaching a down node is lost. Query
 * stages are run by `queryStages`, the query traffic's executor (src/world/queries/query-stages.ts).
 */
export class DagTraffic implements Traffic {
  private readonly stations: Stations;
  private readonly runners: DagRunner[];
  private readonly recorders: DagResultsRecorder[];
  private readonly sources: DagSource[] = [];
  private readonly arrivalKind: number;
  private readonly endOfArrivalsMs: number;
  private results: DagResults[] | undefined;

  constructor(
    private readonly ctx: TrafficContext,
    placement: PlacementPolicy,
    queryStages: StageExecutorFactory | undefined,
  ) {
    const { sim, scenario, streams, network, knownHealthy } = ctx;
    const applications = scenario.applications ?? [];
    this.endOfArrivalsMs = scenario.durationMs;
    this.stations = new Stations(sim);
    // Placement sees a node known down as never free: the health checks' view, as frames' policies have it.
    const healthy: PlacementPolicy = (app, estimates) =>
      placement(app, {
        transferMs: estimates.transferMs,
        waitMs: (s, h) => {
          const place = app.stages[s].hosts[h].place;
          return place !== ON_DEVICE && knownHealthy[place] === 0 ? Infinity : estimates.waitMs(s, h);
        },
      });
    this.recorders = applications.map((app) => new DagResultsRecorder(app, scenario.warmupMs));
    this.runners = applications.map((app, a) => {
      let runner: DagRunner | undefined;
      const delivery = network.registerDelivery((token) => (runner as DagRunner).delivered(token));
      const executors = { station: stationStages(this.stations, streams, (device) => scenario.devices[device].id), query: queryStages };
      runner = new DagRunner(sim, app, executors, worldDagNetwork(network, scenario.network.links, delivery), healthy, this.recorders[a]);
      return runner;
    });
    for (const device of scenario.devices) {
      device.workloads.forEach((workload, k) => {
        if (workload.family === "applications") this.sources.push(this.sourceOf(device.index, device.id, workload, streamPrefix(device.id, k)));
      });
    }
    this.arrivalKind = sim.registerKind((source) => this.onArrival(source));
  }

  private sourceOf(device: number, deviceId: string, workload: DagWorkload, prefix: string): DagSource {
    const streams = this.ctx.streams;
    const runner = this.runners[workload.application];
    const period = workload.periodMs;
    const gap: Sampler = workload.interarrival !== undefined ? workload.interarrival.bind(streams.stream(`${prefix}/arrivals`)) : () => period as number;
    const first = workload.startOffset !== undefined ? workload.startOffset.bind(streams.stream(`${prefix}/start`))() : gap();
    if (!(first >= 0)) throw new SimulationError(`device ${deviceId}: start offset ${first} ms of its dag workload is negative`);
    return { device, runner, gap, first };
  }

  start(): void {
    this.sources.forEach((source, s) => {
      if (source.first < this.endOfArrivalsMs) this.ctx.sim.scheduleKind(source.first, this.arrivalKind, s);
    });
  }

  private onArrival(s: number): void {
    const source = this.sources[s];
    source.runner.submit(source.device);
    const gap = source.gap();
    if (!(gap >= 0)) throw new SimulationError(`device ${this.ctx.scenario.devices[source.device].id}: interarrival draw ${gap} ms of its dag workload is negative; truncate it with "min": 0`);
    if (this.ctx.sim.now + gap < this.endOfArrivalsMs) this.ctx.sim.scheduleKind(gap, this.arrivalKind, s);
  }

  crashNode(node: number): void {
    this.stations.crash(node);
  }

  recoverNode(node: number): void {
    this.stations.recover(node);
  }

  finish(endMs: number): void {
    this.results = this.recorders.map((recorder, a) => recorder.results(endMs, this.runners[a].inFlightArrivalsMs()));
  }

  /** Per application, in scenario order (after finish). */
  applicationResults(): DagResults[] {
    if (this.results === undefined) throw new SimulationError("the applications' results are read before the run finished");
    return this.results;
  }
}

/**
 * The world's Network as the graphs' DagNetwork: device -> node UP, node -> device DOWN,
 * node -> node over the node-node route; `delivery` (from registerDelivery) hands the runner the
 * transfers the network delivers itself. Placement's estimate is the nominal latency plus the bytes
 * over the route's bottleneck rate (no queueing on shared links, no jitter).
 */
export function worldDagNetwork(network: Network, links: readonly ResolvedNetworkLink[], delivery: number): DagNetwork {
  return {
    transfer(device: number, from: Place, to: Place, bytes: number, token: number): number {
      if (from === ON_DEVICE) return network.transfer(device, to, UP, bytes, delivery, token);
      if (to === ON_DEVICE) return network.transfer(device, from, DOWN, bytes, delivery, token);
      return network.transferBetween(device, from, to, bytes, delivery, token);
    },
    expectedTransferMs(device: number, from: Place, to: Place, bytes: number): number {
      if (from === ON_DEVICE || to === ON_DEVICE) {
        const node = from === ON_DEVICE ? to : from;
        const rate = network.bytesPerMs(device, node);
        return network.nominalLatencyMs(device, node) + (bytes > 0 && rate > 0 && rate !== Infinity ? bytes / rate : 0);
      }
      const route = network.route(network.nodeVertex(from), network.nodeVertex(to));
      if (route === undefined) return Infinity;
      let rate = Infinity;
      for (const link of route.links) rate = Math.min(rate, links[link].parameters.bytesPerMs, ...links[link].capacityBytesPerMs);
      return route.nominalLatencyMs + (bytes > 0 && rate !== Infinity ? bytes / rate : 0);
    },
  };
}
