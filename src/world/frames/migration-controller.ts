import { SimulationError } from "../../errors.js";
import type { MigrationResult } from "../../metrics/results.js";
import { DeliveryClosures } from "../../network/delivery-closures.js";
import type { ClusterView, Scheduler } from "../../schedulers/types.js";
import type { TrafficContext } from "../traffic-context.js";
import { RecentLatency } from "./recent-latency.js";

/**
 * QoS monitoring and session migration for a policy that implements `monitor`: every monitor
 * interval it sees the nodes' recent latency percentile and may move sessions. A move is
 * make-before-break: the device's frames still go to the old node until the switch completes:
 * the state transfer, then the model load (unless preloaded). When a route joins the old node to
 * the new one, the state (stateBytes) travels over it as any transfer (a flow on a
 * capacity-limited link, sharing it with frames) and the switch ends at its arrival plus the
 * load; with no node-node route (the star), the state transfer is the device's route's nominal
 * latency + stateBytes / its bandwidth now. Time in violation: monitor intervals (after the warm-up) at whose
 * tick at least one node's recent percentile exceeded the frame deadline.
 */
export class MigrationController {
  /** False for a policy without `monitor`: nothing is tracked then, and no frame is redirected (callers may skip `route` and `completed`). */
  readonly monitored: boolean;
  readonly records: MigrationResult[] = [];
  timeInViolationMs = 0;
  private readonly recent: RecentLatency[];
  private readonly redirectNode: Int32Array;
  private readonly redirectUntil: Float64Array;
  private readonly redirectMigration: Int32Array;
  private readonly deliveries: DeliveryClosures;

  constructor(
    private readonly ctx: TrafficContext,
    private readonly scheduler: Scheduler,
    private readonly endOfRun: number,
  ) {
    this.monitored = scheduler.monitor !== undefined;
    const devices = ctx.scenario.devices.length;
    this.recent = ctx.scenario.nodes.map(() => new RecentLatency());
    this.redirectNode = new Int32Array(devices).fill(-1);
    this.redirectUntil = new Float64Array(devices);
    this.redirectMigration = new Int32Array(devices).fill(-1);
    this.deliveries = new DeliveryClosures(ctx.network, () => ctx.sim.now);
  }

  /** The run ended: a switch whose state had not arrived took at least until the end. */
  finish(endMs: number): void {
    for (const record of this.records) if (Number.isNaN(record.switchMs)) record.switchMs = endMs - record.timeMs;
  }

  /** Starts the monitor ticks (monitoring policies only). */
  start(view: ClusterView): void {
    if (this.monitored) this.ctx.sim.schedule(this.ctx.scenario.monitor.intervalMs, () => this.tick(view));
  }

  /** A frame completed on `node` (its answer delivered) with this total latency. */
  completed(node: number, now: number, totalMs: number): void {
    if (this.monitored) this.recent[node].add(now, totalMs);
  }

  /** The scenario's monitor percentile of the node's recent total latencies (NaN with too few). */
  recentLatency(node: number): number {
    const monitor = this.ctx.scenario.monitor;
    return this.recent[node].percentile(this.ctx.sim.now, monitor.windowMs, monitor.percentile, monitor.minSamples);
  }

  /** The node a frame of `device` placed on `node` goes to: the old node while the device's session is switching. */
  route(device: number, node: number, now: number): number {
    if (this.redirectNode[device] < 0) return node;
    if (now < this.redirectUntil[device]) {
      this.records[this.redirectMigration[device]].requestsDuringSwitch++;
      return this.redirectNode[device];
    }
    this.redirectNode[device] = -1;
    return node;
  }

  private tick(view: ClusterView): void {
    const now = this.ctx.sim.now;
    const interval = this.ctx.scenario.monitor.intervalMs;
    const deadline = this.ctx.scenario.qos.frameDeadlineMs;
    const warmup = this.ctx.scenario.warmupMs;
    let violating = false;
    for (let node = 0; node < this.recent.length; node++) if (this.recentLatency(node) > deadline) violating = true;
    if (violating && now > warmup) this.timeInViolationMs += Math.min(interval, now - warmup);
    const migrations = (this.scheduler.monitor as NonNullable<Scheduler["monitor"]>)(view);
    for (const migration of migrations) this.apply(migration.device, migration.from, migration.to, migration.reason);
    if (now + interval <= this.endOfRun) this.ctx.sim.schedule(interval, () => this.tick(view));
  }

  private apply(device: number, from: number, to: number, reason: string): void {
    const scenario = this.ctx.scenario;
    const valid = (index: number, count: number) => Number.isInteger(index) && index >= 0 && index < count;
    if (!(valid(device, scenario.devices.length) && valid(from, scenario.nodes.length) && valid(to, scenario.nodes.length))) {
      throw new SimulationError(`scheduler ${this.scheduler.name} returned an invalid migration (device ${device}, ${from} -> ${to}) at t=${this.ctx.sim.now} ms`);
    }
    if (scenario.nodes[to].frames === undefined) {
      throw new SimulationError(
        `scheduler ${this.scheduler.name} migrated device ${scenario.devices[device].id} to node ${scenario.nodes[to].id} at t=${this.ctx.sim.now} ms, which has no frame service`,
      );
    }
    const settings = scenario.migration;
    const network = this.ctx.network;
    const now = this.ctx.sim.now;
    const load = settings.preloaded ? 0 : settings.modelLoadMs;
    const overGraph = settings.stateBytes > 0 && network.hasNodeRoute(from, to);
    const stateTransfer = settings.stateBytes > 0 && !overGraph ? network.nominalLatencyMs(device, to) + settings.stateBytes / network.bytesPerMs(device, to) : 0;
    // Over the graph the switch time is known when the state arrives (stateArrived).
    const switchMs = overGraph ? Number.NaN : load + stateTransfer;
    this.records.push({
      timeMs: now,
      device: scenario.devices[device].id,
      from: scenario.nodes[from].id,
      to: scenario.nodes[to].id,
      reason,
      switchMs,
      requestsDuringSwitch: 0,
    });
    const record = this.records.length - 1;
    // A session leaving a node known to be down cannot be served there meanwhile: it switches at once.
    const redirect = this.ctx.knownHealthy[from] === 1;
    if (overGraph) {
      if (redirect) {
        this.redirectNode[device] = from;
        this.redirectUntil[device] = Infinity;
        this.redirectMigration[device] = record;
      }
      const arrived = (): void => this.stateArrived(device, record, load);
      const delay = this.deliveries.sendBetween(device, from, to, settings.stateBytes, arrived);
      if (!Number.isNaN(delay)) this.ctx.sim.schedule(delay, arrived);
      return;
    }
    if (switchMs > 0 && redirect) {
      this.redirectNode[device] = from;
      this.redirectUntil[device] = now + switchMs;
      this.redirectMigration[device] = record;
    }
  }

  /** A migration's state reached the new node: the switch ends after the model load. */
  private stateArrived(device: number, record: number, load: number): void {
    const now = this.ctx.sim.now;
    this.records[record].switchMs = now + load - this.records[record].timeMs;
    if (this.redirectMigration[device] === record && this.redirectNode[device] >= 0) this.redirectUntil[device] = now + load;
  }
}
