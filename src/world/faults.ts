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
 * independent check timers would be, but deterministic). A crash is in progress over
 * [start, end). The rules, each about one crash, so that no probe is credited to a crash it never
 * saw:
 * - A probe sent while the node is up passes at once: the node is known up from then. It cannot
 *   fail, even if the node crashes before a timeout would have expired.
 * - A probe sent during a crash fails at send + timeout if that SAME crash is still in progress
 *   then: the node is known down from then, and the crash's `detectedAtMs` is the first such
 *   failure. A crash is detected this way even if the node was already known down (a previous
 *   crash ended, and this one began, before any probe saw the node up).
 * - A probe sent during a crash that ends before its timeout gives no answer: known health stays
 *   as it was, and a crash that began meanwhile is not credited (it was not in progress when the
 *   probe was sent). A crash shorter than the timeout, or falling between probes, can go unseen.
 * - A detected crash's `recoveryDetectedAtMs` is the first passing probe after its end. An
 *   undetected crash has none (nothing was known to recover from).
 * Without faults no probe is scheduled: every node stays up and known up.
 */
export class FaultInjector {
  readonly records: FaultRecord[] = [];
  /** Each node's crash in progress (undefined while the node is up). */
  private readonly ongoing: (OngoingCrash | undefined)[];
  /** Each node's detected crashes whose recovery no passing probe has seen yet. */
  private readonly awaitingRecovery: FaultRecord[][];

  constructor(
    private readonly sim: Simulator,
    private readonly scenario: FaultScenario,
    private readonly streams: RandomStreams,
    private readonly world: FaultTarget,
    private readonly endOfRun: number,
  ) {
    this.ongoing = scenario.nodes.map(() => undefined);
    this.awaitingRecovery = scenario.nodes.map(() => []);
  }

  start(): void {
    const scenario = this.scenario;
    if (scenario.faults.length === 0) return;
    const interval = scenario.healthCheckIntervalMs;
    const nodeCount = scenario.nodes.length;
    for (const fault of scenario.faults) {
      if (fault.kind === "crash") {
        this.at(fault.atMs, () => this.crash(fault.node, fault.atMs + fault.recoverAfterMs));
        if (fault.recoverAfterMs !== Infinity) this.at(fault.atMs + fault.recoverAfterMs, () => this.recover(fault.node));
      } else if (fault.kind === "crashes") {
        const stream = this.streams.stream(`fault/${fault.index}/${scenario.nodes[fault.node].id}`);
        const upTime = fault.mtbf.bind(stream);
        const downTime = fault.mttr.bind(stream);
        const cycle = (from: number): void => {
          const crashAt = from + positive(upTime(), "mtbf");
          this.at(crashAt, () => {
            const recoverAt = crashAt + positive(downTime(), "mttr");
            this.crash(fault.node, recoverAt);
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
    // After the faults: a crash at the instant of a probe is then seen by it (crashes are in
    // progress from their start), at time 0 as at every later probe, scheduled later still.
    for (const node of scenario.nodes) this.scheduleCheck(node.index, (interval * node.index) / nodeCount);
  }

  /** Schedules at an absolute time, ignoring times past the end of the run. */
  private at(time: number, action: () => void): void {
    if (time > this.endOfRun) return;
    this.sim.schedule(Math.max(0, time - this.sim.now), action);
  }

  /** `endsAt`: when the crash's recovery is scheduled (Infinity: never), so that a probe timing out at that very instant does not depend on which event runs first. */
  private crash(node: number, endsAt: number): void {
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
    this.ongoing[node] = { record, endsAt };
  }

  private recover(node: number): void {
    if (this.world.isUp(node)) return;
    this.world.recoverNode(node);
    const crash = this.ongoing[node];
    if (crash !== undefined) crash.record.endMs = this.sim.now;
    this.ongoing[node] = undefined;
  }

  private scheduleCheck(node: number, time: number): void {
    this.at(time, () => {
      this.check(node);
      this.scheduleCheck(node, this.sim.now + this.scenario.healthCheckIntervalMs);
    });
  }

  /** Sends a probe (the rules are in the class comment). */
  private check(node: number): void {
    const crash = this.ongoing[node];
    if (crash === undefined) {
      if (!this.world.isHealthy(node)) this.world.setKnownHealth(node, true);
      for (const record of this.awaitingRecovery[node]) record.recoveryDetectedAtMs = this.sim.now;
      this.awaitingRecovery[node] = [];
      return;
    }
    const timesOutAt = this.sim.now + this.scenario.healthCheckTimeoutMs;
    this.at(timesOutAt, () => {
      // The same crash, still in progress: recovery at this very instant ends it first.
      if (this.ongoing[node] !== crash || crash.endsAt <= timesOutAt) return;
      this.world.setKnownHealth(node, false);
      if (crash.record.detectedAtMs === null) {
        crash.record.detectedAtMs = timesOutAt;
        this.awaitingRecovery[node].push(crash.record);
      }
    });
  }
}

/** A crash in progress on a node. */
interface OngoingCrash {
  readonly record: FaultRecord;
  /** When its recovery is scheduled, ms (Infinity: never). */
  readonly endsAt: number;
}

function positive(value: number, what: string): number {
  if (!(value > 0)) throw new SimulationError(`${what} draw ${value} ms is not positive; truncate it with "min"`);
  return value;
}
