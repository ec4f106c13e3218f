import type { Simulator } from "../engine/simulator.js";
import type { CatalogResults, ResolvedCatalog, ServiceFamily } from "./types.js";

/**
 * A Consul-like catalog (issue 17, docs/control-plane.md): which node's service of each family is
 * registered and passing, as the catalog servers know it, and as views see it `propagationDelayMs`
 * later. A device agent's view is the answer of its last discovery query, cached for
 * `discoveryTtlMs`. Health comes from the world's health checks (one mechanism: the fault
 * injector's probes, scenario.healthCheck), reported through `setPassing`.
 *
 * Keeps, per (node, family), the history of its listed state (registered && passing) as change
 * times, so a view "as of time t" is a binary search, allocation-free.
 */
export class Catalog {
  constructor(
    readonly sim: Simulator,
    readonly settings: ResolvedCatalog,
    readonly nodeCount: number,
    readonly deviceCount: number,
  ) {
    throw new Error("Catalog: not implemented yet (issue 17, helper CP1)");
  }

  /** The service on `node` started (a replica became ready): registered, passing. */
  register(_node: number, _family: ServiceFamily): void {}

  /** Graceful removal (scale-down, node leave): deregistered now. */
  deregister(_node: number, _family: ServiceFamily): void {}

  /** Health of the node as the checks know it now (every family on the node). Critical longer than deregisterCriticalAfterMs: deregistered by the reaper. */
  setPassing(_node: number, _passing: boolean): void {}

  /** Registered and passing in the catalog servers now (no delay). */
  listedNow(_node: number, _family: ServiceFamily): boolean {
    return false;
  }

  /** Listed as a view saw it at `atMs` (the servers' state at atMs - propagationDelayMs). */
  listedAsOf(_node: number, _family: ServiceFamily, _atMs: number): boolean {
    return false;
  }

  /**
   * The view of `device` (its cached discovery answer): listed as of its last query. device -1:
   * a policy's view of the whole cluster, listedAsOf(now).
   */
  listedFor(_device: number, _node: number, _family: ServiceFamily): boolean {
    return false;
  }

  /**
   * The device is about to place a job of `family`: when its cached answer has expired it queries
   * now, and the answer arrives discoveryQueryMs later (returned: the job waits that long, then
   * is placed with the new answer). 0 when the cache is fresh.
   */
  discover(_device: number, _family: ServiceFamily): number {
    return 0;
  }

  /** A job reached a node whose service was gone: counted. */
  rejected(_node: number, _family: ServiceFamily): void {}

  results(): CatalogResults {
    return { registrations: 0, deregistrations: 0, staleRejected: 0, discoveryQueries: 0, discoveryWaitMs: 0 };
  }
}
