import type { Simulator } from "../engine/simulator.js";
import { growFloat64 } from "../engine/typed-arrays.js";
import type { CatalogResults, ResolvedCatalog, ServiceFamily } from "./types.js";

/** Index of a family in the per-(node, family) arrays: key = node * FAMILIES + family. */
const FAMILIES = 2;
function familyIndex(family: ServiceFamily): number {
  return family === "frames" ? 0 : 1;
}
const FAMILY_NAMES: readonly ServiceFamily[] = ["frames", "llm"];

/** Change times a (node, family) history starts with; it doubles when full. */
const INITIAL_HISTORY = 4;

/**
 * A Consul-like catalog (issue 17, docs/catalog-and-autoscaling.md): which node's service of each
 * family is registered and passing, as the catalog servers know it, and as views see it
 * `propagationDelayMs` later. A device agent's view is the answer of its last discovery query,
 * cached for `discoveryTtlMs`. Health comes from the world's health checks (one mechanism: the
 * fault injector's probes, scenario.healthCheck), reported through `setPassing`.
 *
 * Keeps, per (node, family), the history of its listed state (registered && passing) as the times
 * its changes reach the views, so a view "as of time t" is a binary search, allocation-free. The
 * listed state starts false and every recorded change flips it: listed as of t <=> an odd number
 * of changes visible by t.
 *
 * Time conventions (the tests pin each side):
 * - A change made at time c reaches the views at c + propagationDelayMs and is in effect there
 *   (a view at exactly c + d sees it). Changes made at time 0, before the run's first event, are
 *   the catalog's initial state, seen by every view from time 0 (replicas ready at start were
 *   registered before the run).
 * - A discovery query made at q costs discoveryQueryMs = Q; its answer arrives at a = q + Q and is
 *   the view as of a (the servers' state at a - d). It is fresh while now - a < discoveryTtlMs;
 *   a job arriving while a query is in flight waits for that answer (the agent's resolver
 *   coalesces identical queries) instead of asking again.
 */
export class Catalog {
  /** Per key: 1 while registered (a reaped service is no longer registered). */
  private readonly registered: Uint8Array;
  /** Per node: the health checks' state (1 = passing, the state before any check runs). */
  private readonly passing: Uint8Array;
  /** Per key: the reaper event of a critical service, -1 when none (passing, or never reaped). */
  private readonly reapEvent: Float64Array;
  /** Per key: times the listed state's changes reach the views, ascending, `changeCount[key]` of them. */
  private readonly changes: Float64Array[];
  private readonly changeCount: Int32Array;
  /** Per family, per device: arrival time of the latest discovery answer (maybe still in flight), NaN before the first. */
  private readonly answerAt: readonly Float64Array[];
  /** Per family, per device: arrival time of the answer before it (the one in use while the latest is in flight). */
  private readonly previousAnswerAt: readonly Float64Array[];
  private readonly reapKind: number;
  private registrations = 0;
  private deregistrations = 0;
  private staleRejected = 0;
  private discoveryQueries = 0;
  private discoveryWaitMs = 0;

  /**
   * Called when the reaper deregisters a service (critical for deregisterCriticalAfterMs): the
   * catalog forgets it, and only a new `register` lists it again (Consul removes the service
   * definition). The control plane may restart the replica.
   */
  onReaped: ((node: number, family: ServiceFamily) => void) | undefined = undefined;

  constructor(
    readonly sim: Simulator,
    readonly settings: ResolvedCatalog,
    readonly nodeCount: number,
    readonly deviceCount: number,
  ) {
    const keys = nodeCount * FAMILIES;
    this.registered = new Uint8Array(keys);
    this.passing = new Uint8Array(nodeCount).fill(1);
    this.reapEvent = new Float64Array(keys).fill(-1);
    this.changes = Array.from({ length: keys }, () => new Float64Array(INITIAL_HISTORY));
    this.changeCount = new Int32Array(keys);
    this.answerAt = [new Float64Array(deviceCount).fill(Number.NaN), new Float64Array(deviceCount).fill(Number.NaN)];
    this.previousAnswerAt = [new Float64Array(deviceCount).fill(Number.NaN), new Float64Array(deviceCount).fill(Number.NaN)];
    this.reapKind = sim.registerKind((key) => this.reap(key));
  }

  /** The service on `node` started (a replica became ready): registered, passing if its node is. */
  register(node: number, family: ServiceFamily): void {
    const key = node * FAMILIES + familyIndex(family);
    if (this.registered[key] === 1) return;
    this.registered[key] = 1;
    this.registrations++;
    if (this.passing[node] === 1) this.recordChange(key);
    // Registered on a node the checks call failing: critical from now (Consul's initial status is critical).
    else this.becomeCritical(key);
  }

  /** Graceful removal (scale-down, node leave): deregistered now. */
  deregister(node: number, family: ServiceFamily): void {
    this.remove(node * FAMILIES + familyIndex(family));
  }

  /** Health of the node as the checks know it now (every family on the node). Critical longer than deregisterCriticalAfterMs: deregistered by the reaper. */
  setPassing(node: number, passing: boolean): void {
    const state = passing ? 1 : 0;
    if (this.passing[node] === state) return;
    this.passing[node] = state;
    for (let family = 0; family < FAMILIES; family++) {
      const key = node * FAMILIES + family;
      if (this.registered[key] === 0) continue;
      this.recordChange(key);
      if (passing) this.clearCritical(key);
      else this.becomeCritical(key);
    }
  }

  /** Registered and passing in the catalog servers now (no delay). */
  listedNow(node: number, family: ServiceFamily): boolean {
    return this.registered[node * FAMILIES + familyIndex(family)] === 1 && this.passing[node] === 1;
  }

  /** Listed as a view saw it at `atMs` (the servers' state at atMs - propagationDelayMs). */
  listedAsOf(node: number, family: ServiceFamily, atMs: number): boolean {
    const key = node * FAMILIES + familyIndex(family);
    const count = this.changeCount[key];
    if (count === 0) return false;
    const times = this.changes[key];
    if (times[count - 1] <= atMs) return (count & 1) === 1;
    // Changes visible by atMs: the first index whose time is later.
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (times[mid] <= atMs) low = mid + 1;
      else high = mid;
    }
    return (low & 1) === 1;
  }

  /**
   * The view of `device` (its cached discovery answer): listed as of the arrival of its latest
   * answer that has arrived. device -1: a policy's view of the whole cluster, listedAsOf(now). A
   * device that never asked (its job did not call `discover`) sees listedAsOf(now).
   */
  listedFor(device: number, node: number, family: ServiceFamily): boolean {
    const now = this.sim.now;
    if (device < 0) return this.listedAsOf(node, family, now);
    const f = familyIndex(family);
    let answer = this.answerAt[f][device];
    if (answer > now) answer = this.previousAnswerAt[f][device];
    return this.listedAsOf(node, family, Number.isNaN(answer) ? now : answer);
  }

  /**
   * The device is about to place a job of `family`: when its cached answer has expired it queries
   * now, and the answer arrives discoveryQueryMs later (returned: the job waits that long, then
   * is placed with the new answer). While a query is in flight: the rest of its time. 0 when the
   * cache is fresh.
   */
  discover(device: number, family: ServiceFamily): number {
    const now = this.sim.now;
    const f = familyIndex(family);
    const answers = this.answerAt[f];
    const answer = answers[device];
    let wait: number;
    if (answer > now) wait = answer - now;
    else if (now - answer < this.settings.discoveryTtlMs) return 0;
    else {
      // Expired, or NaN (never asked: the comparison is false).
      wait = this.settings.discoveryQueryMs;
      this.previousAnswerAt[f][device] = answer;
      answers[device] = now + wait;
      this.discoveryQueries++;
    }
    this.discoveryWaitMs += wait;
    return wait;
  }

  /** A job reached a node whose service was gone: counted. */
  rejected(_node: number, _family: ServiceFamily): void {
    this.staleRejected++;
  }

  results(): CatalogResults {
    return {
      registrations: this.registrations,
      deregistrations: this.deregistrations,
      staleRejected: this.staleRejected,
      discoveryQueries: this.discoveryQueries,
      discoveryWaitMs: this.discoveryWaitMs,
    };
  }

  private remove(key: number): void {
    if (this.registered[key] === 0) return;
    this.registered[key] = 0;
    this.deregistrations++;
    if (this.passing[Math.floor(key / FAMILIES)] === 1) this.recordChange(key);
    this.clearCritical(key);
  }

  /** The listed state of `key` flipped now: its change reaches the views propagationDelayMs later. */
  private recordChange(key: number): void {
    const now = this.sim.now;
    // Time 0 is the initial state: every view sees it (see the class comment).
    const visibleAt = now === 0 ? Number.NEGATIVE_INFINITY : now + this.settings.propagationDelayMs;
    const count = this.changeCount[key];
    let times = this.changes[key];
    if (count === times.length) {
      times = growFloat64(times, 2 * count);
      this.changes[key] = times;
    }
    times[count] = visibleAt;
    this.changeCount[key] = count + 1;
  }

  /**
   * Consul's reaper runs every reapIntervalMs from the agent's start (time 0) and removes a
   * service critical for MORE than the setting (agent.go reapServicesInternal:
   * `cs.CriticalFor() > timeout`): critical since c, it goes at the first run after
   * c + deregisterCriticalAfterMs, strictly (a run at exactly that time finds it critical for
   * exactly the setting and keeps it). One event per
   * critical service, only when the setting is finite.
   */
  private becomeCritical(key: number): void {
    const after = this.settings.deregisterCriticalAfterMs;
    if (!Number.isFinite(after)) return;
    const interval = this.settings.reapIntervalMs;
    const reapAt = (Math.floor((this.sim.now + after) / interval) + 1) * interval;
    this.reapEvent[key] = this.sim.scheduleKindAt(reapAt, this.reapKind, key);
  }

  private clearCritical(key: number): void {
    const event = this.reapEvent[key];
    if (event >= 0) {
      this.sim.cancel(event);
      this.reapEvent[key] = -1;
    }
  }

  private reap(key: number): void {
    this.reapEvent[key] = -1;
    this.remove(key);
    this.onReaped?.(Math.floor(key / FAMILIES), FAMILY_NAMES[key % FAMILIES]);
  }
}
