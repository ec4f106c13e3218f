import { SimulationError } from "../errors.js";
import type { RandomStreams } from "../engine/rng.js";
import type { Simulator } from "../engine/simulator.js";
import type { FaultResult } from "../metrics/results.js";
import type { ResolvedFault } from "../scenario/resolved.js";

/** What the injector reads of a scenario (video or language-model). */
export interface FaultScenario {
  readonly faults: readonly ResolvedFault[];
  readonly nodes: readonly { readonly id: string; readonly index: number }[];
  readonly devices: readonly { readonly id: string }[];
  readonly healthCheckIntervalMs: number;
  readonly healthCheckTimeoutMs: number;
}

/** A fault as it happened in a run (the results' FaultResult, one definition for both). */
export type FaultRecord = FaultResult;

/** What the fault injector needs of the world. */
export interface FaultTarget {
  isUp(node: number): boolean;
  isHealthy(node: number): boolean;
  crashNode(node: number): void;
  recoverNode(node: number): void;
  setKnownHealth(node: number, healthy: boolean): void;
  setLinkDegradation(node: number, devices: readonly number[], latencyFactor: number, addedLatencyMs: number, bandwidthFactor: number): void;
}

/**
 * Schedules the scenario's faults and the health checks that detect them.
 *
 * Health checks: node n is probed at n/N of an interval and then every interval (staggered, as
 * independent check timers would be, but deterministic). A probe of an up node passes at once; a
 * probe of a down node fails after the timeout, and only then is the node known to be down. A
 * node is known up again at the first passing probe after it recovers. Without faults no probe is
 * scheduled: every node stays up and known up.
 */
export class FaultInjector {
  readonly records: FaultRecord[] = [];
  /** The open crash record of each node, to fill in detection and recovery times. */
  private readonly openCrash: (FaultRecord | undefined)[];

  constructor(
    private readonly sim: Simulator,
    private readonly scenario: FaultScenario,
    private readonly streams: RandomStreams,
    private readonly world: FaultTarget,
    private readonly endOfRun: number,
  ) {
    this.openCrash = scenario.nodes.map(() => undefined);
  }

  start(): void {
    const scenario = this.scenario;
    if (scenario.faults.length === 0) return;
    const interval = scenario.healthCheckIntervalMs;
    const nodeCount = scenario.nodes.length;
    for (const node of scenario.nodes) this.scheduleCheck(node.index, (interval * node.index) / nodeCount);
    for (const fault of scenario.faults) {
      if (fault.kind === "crash") {
        this.at(fault.atMs, () => this.crash(fault.node));
        if (fault.recoverAfterMs !== Infinity) this.at(fault.atMs + fault.recoverAfterMs, () => this.recover(fault.node));
      } else if (fault.kind === "crashes") {
        const stream = this.streams.stream(`fault/${fault.index}/${scenario.nodes[fault.node].id}`);
        const upTime = fault.mtbf.bind(stream);
        const downTime = fault.mttr.bind(stream);
        const cycle = (from: number): void => {
          const crashAt = from + positive(upTime(), "mtbf");
          this.at(crashAt, () => {
            this.crash(fault.node);
            const recoverAt = crashAt + positive(downTime(), "mttr");
            this.at(recoverAt, () => {
              this.recover(fault.node);
              cycle(recoverAt);
            });
          });
        };
        cycle(0);
      } else {
        const node = scenario.nodes[fault.node].id;
        const everyDevice = fault.devices.length === scenario.devices.length;
        const who = everyDevice ? "*" : fault.devices.map((d) => scenario.devices[d].id).join(", ");
        this.at(fault.fromMs, () => {
          this.world.setLinkDegradation(fault.node, fault.devices, fault.latencyMultiplier, fault.addedLatencyMs, fault.bandwidthFactor);
          this.records.push({ kind: "link-degradation", target: `${node} <- ${who}`, startMs: fault.fromMs, endMs: fault.toMs <= this.endOfRun ? fault.toMs : null });
        });
        this.at(fault.toMs, () => this.world.setLinkDegradation(fault.node, fault.devices, 1, 0, 1));
      }
    }
  }

  /** Schedules at an absolute time, ignoring times past the end of the run. */
  private at(time: number, action: () => void): void {
    if (time > this.endOfRun) return;
    this.sim.schedule(Math.max(0, time - this.sim.now), action);
  }

  private crash(node: number): void {
    if (!this.world.isUp(node)) return;
    this.world.crashNode(node);
    const record: FaultRecord = {
      kind: "crash",
      target: this.scenario.nodes[node].id,
      startMs: this.sim.now,
      endMs: null,
      detectedAtMs: null,
      recoveryDetectedAtMs: null,
    };
    this.records.push(record);
    this.openCrash[node] = record;
  }

  private recover(node: number): void {
    if (this.world.isUp(node)) return;
    this.world.recoverNode(node);
    const record = this.openCrash[node];
    if (record !== undefined) record.endMs = this.sim.now;
  }

  private scheduleCheck(node: number, time: number): void {
    this.at(time, () => {
      this.check(node);
      this.scheduleCheck(node, this.sim.now + this.scenario.healthCheckIntervalMs);
    });
  }

  private check(node: number): void {
    if (this.world.isUp(node)) {
      if (!this.world.isHealthy(node)) {
        this.world.setKnownHealth(node, true);
        const record = this.openCrash[node];
        if (record !== undefined) record.recoveryDetectedAtMs = this.sim.now;
        this.openCrash[node] = undefined;
      }
      return;
    }
    this.at(this.sim.now + this.scenario.healthCheckTimeoutMs, () => {
      // The probe times out only if the node is still down when the timeout expires.
      if (this.world.isUp(node) || !this.world.isHealthy(node)) return;
      this.world.setKnownHealth(node, false);
      const record = this.openCrash[node];
      if (record !== undefined && record.detectedAtMs === null) record.detectedAtMs = this.sim.now;
    });
  }
}

function positive(value: number, what: string): number {
  if (!(value > 0)) throw new SimulationError(`${what} draw ${value} ms is not positive; truncate it with "min"`);
  return value;
}
