import { describe, expect, it } from "vitest";
import { Catalog } from "../../src/control/catalog.js";
import type { ResolvedCatalog } from "../../src/control/types.js";
import { Simulator } from "../../src/engine/simulator.js";

function settings(overrides: Partial<ResolvedCatalog> = {}): ResolvedCatalog {
  return {
    propagationDelayMs: 50,
    deregisterCriticalAfterMs: Number.POSITIVE_INFINITY,
    reapIntervalMs: 30_000,
    discoveryQueryMs: 0,
    discoveryTtlMs: 0,
    ...overrides,
  };
}

/** Runs `action` at each absolute time, in the order given for equal times (the simulator's insertion order). */
function at(sim: Simulator, steps: readonly (readonly [number, () => void])[]): void {
  for (const [time, action] of steps) sim.schedule(time - sim.now, action);
  sim.run();
}

describe("the catalog's views, a propagation delay late", () => {
  it("rejects exactly the jobs routed in [t, t + d) to a service deregistered at t", () => {
    // Hand-worked timeline: d = 50 ms, the service (node 0, frames) registered before the run,
    // stopped and deregistered at t = 1000 ms. A policy routes a job to the node when its view
    // (listedFor(-1): the servers' state at now - d) lists it; the node accepts a job only before
    // its service stops (accepting: the world's flag, cleared by the stop at t). Rejected = routed
    // and not accepted:
    //   999       listed, accepting          -> served
    //   1000      listed, stopped (the stop event was scheduled first at t) -> rejected
    //   1025      listed (1025 < t + d)      -> rejected
    //   1049.999  listed                     -> rejected
    //   1050      not listed (t + d: the change has reached the view) -> not routed
    //   1051      not listed                 -> not routed
    const sim = new Simulator();
    const catalog = new Catalog(sim, settings(), 2, 0);
    let accepting = true;
    const rejectedAt: number[] = [];
    const routedAt: number[] = [];
    const job = () => {
      if (!catalog.listedFor(-1, 0, "frames")) return;
      routedAt.push(sim.now);
      if (!accepting) {
        catalog.rejected(0, "frames");
        rejectedAt.push(sim.now);
      }
    };
    catalog.register(0, "frames");
    at(sim, [
      [999, job],
      [
        1000,
        () => {
          accepting = false;
          catalog.deregister(0, "frames");
        },
      ],
      [1000, job],
      [1025, job],
      [1049.999, job],
      [1050, job],
      [1051, job],
    ]);
    expect(routedAt).toEqual([999, 1000, 1025, 1049.999]);
    expect(rejectedAt).toEqual([1000, 1025, 1049.999]);
    expect(catalog.results()).toEqual({ registrations: 1, deregistrations: 1, staleRejected: 3, discoveryQueries: 0, discoveryWaitMs: 0 });
    // The servers knew at once; the other family and the other node were never listed.
    expect(catalog.listedNow(0, "frames")).toBe(false);
    expect(catalog.listedAsOf(0, "llm", 500)).toBe(false);
    expect(catalog.listedAsOf(1, "frames", 500)).toBe(false);
  });

  it("shows a registration made during the run from registration + d, one made at time 0 from time 0", () => {
    const sim = new Simulator();
    const catalog = new Catalog(sim, settings({ propagationDelayMs: 50 }), 2, 0);
    catalog.register(1, "llm");
    const seen: [number, boolean][] = [];
    const look = () => seen.push([sim.now, catalog.listedFor(-1, 0, "llm")]);
    at(sim, [
      [0, look],
      [200, () => catalog.register(0, "llm")],
      [200, look],
      [249.5, look],
      [250, look],
    ]);
    expect(seen).toEqual([
      [0, false],
      [200, false],
      [249.5, false],
      [250, true],
    ]);
    // Registered at time 0: the initial state, seen by a view at time 0 (not from 50 ms).
    expect(catalog.listedAsOf(1, "llm", 0)).toBe(true);
    expect(catalog.listedNow(0, "llm")).toBe(true);
  });

  it("lets a device with a TTL see a deregistered service until its next query after q + TTL", () => {
    // d = 50, TTL = 300, queries free. Deregistered at t = 1000 (views from 1050). Device 0 asks
    // at q = 800 (answer: as of 800, listed); its answer is fresh while now - 800 < 300, so at
    // 900 and 1060 (after t + d) it still sees the service; at 1100 = q + TTL it asks again and
    // sees it gone. Device 1 first asks at 1060: gone.
    const sim = new Simulator();
    const catalog = new Catalog(sim, settings({ discoveryTtlMs: 300 }), 1, 2);
    catalog.register(0, "frames");
    const seen: string[] = [];
    const job = (device: number) => () => {
      const wait = catalog.discover(device, "frames");
      seen.push(`${sim.now} d${device} wait ${wait} ${catalog.listedFor(device, 0, "frames") ? "listed" : "gone"}`);
    };
    at(sim, [
      [800, job(0)],
      [900, job(0)],
      [1000, () => catalog.deregister(0, "frames")],
      [1060, job(0)],
      [1060, job(1)],
      [1099, job(0)],
      [1100, job(0)],
    ]);
    expect(seen).toEqual(["800 d0 wait 0 listed", "900 d0 wait 0 listed", "1060 d0 wait 0 listed", "1060 d1 wait 0 gone", "1099 d0 wait 0 listed", "1100 d0 wait 0 gone"]);
    // Queries: device 0 at 800 and 1100, device 1 at 1060.
    expect(catalog.results().discoveryQueries).toBe(3);
  });

  it("answers a query after discoveryQueryMs with the view as of its arrival, shared by jobs while in flight", () => {
    // d = 50, Q = 20, TTL = 0 (every job asks, unless a query is in flight). Deregistered at
    // t = 1000 (views from 1050).
    //   1020 asks: waits 20, answer at 1040 = as of 1040 (< 1050): listed
    //   1030 a query is in flight: waits 10 for it, no new query; placed at 1040 with it
    //   1030 meanwhile the device's view is its previous answer (none: as of now, listed)
    //   1045 the answer of 1040 is no longer fresh (TTL 0): asks, answer at 1065: gone
    const sim = new Simulator();
    const catalog = new Catalog(sim, settings({ discoveryQueryMs: 20 }), 1, 1);
    catalog.register(0, "frames");
    const seen: string[] = [];
    const job = () => {
      const wait = catalog.discover(0, "frames");
      sim.schedule(wait, () => seen.push(`asked ${sim.now - wait} placed ${sim.now} ${catalog.listedFor(0, 0, "frames") ? "listed" : "gone"}`));
    };
    at(sim, [
      [1000, () => catalog.deregister(0, "frames")],
      [1020, job],
      [1030, job],
      [1030, () => seen.push(`view at 1030 ${catalog.listedFor(0, 0, "frames") ? "listed" : "gone"}`)],
      [1045, job],
    ]);
    expect(seen).toEqual(["view at 1030 listed", "asked 1020 placed 1040 listed", "asked 1030 placed 1040 listed", "asked 1045 placed 1065 gone"]);
    expect(catalog.results()).toMatchObject({ discoveryQueries: 2, discoveryWaitMs: 20 + 10 + 20 });
  });

  it("with query time 0 and TTL 0 gives every job exactly the policy's view, one query per job", () => {
    const sim = new Simulator();
    const catalog = new Catalog(sim, settings(), 1, 1);
    const pairs: [boolean, boolean][] = [];
    const job = () => {
      expect(catalog.discover(0, "llm")).toBe(0);
      pairs.push([catalog.listedFor(0, 0, "llm"), catalog.listedFor(-1, 0, "llm")]);
    };
    at(sim, [
      [10, () => catalog.register(0, "llm")],
      [30, job],
      [60, job],
      [70, () => catalog.setPassing(0, false)],
      [100, job],
      [120, job],
    ]);
    expect(pairs).toEqual([
      [false, false],
      [true, true],
      [true, true],
      [false, false],
    ]);
    expect(catalog.results().discoveryQueries).toBe(4);
  });
});

describe("the catalog's history", () => {
  it("answers listedAsOf like a scan of the hand-listed intervals after 101 flips (the arrays grow)", () => {
    // Health flips at 100, 200, ..., 10_100 ms (101 flips: failing after the odd ones). The
    // oracle: listed as of v <=> the last flip made at or before v - d left the node passing.
    const d = 7;
    const sim = new Simulator();
    const catalog = new Catalog(sim, settings({ propagationDelayMs: d }), 3, 0);
    catalog.register(2, "frames");
    const flips: number[] = [];
    for (let k = 1; k <= 101; k++) {
      flips.push(100 * k);
      sim.schedule(100 * k, () => catalog.setPassing(2, k % 2 === 0));
    }
    sim.run();
    const oracle = (view: number): boolean => {
      let made = 0;
      for (const flip of flips) if (flip + d <= view) made++;
      return made % 2 === 0;
    };
    for (let view = 0; view <= 10_300; view += 1) expect(catalog.listedAsOf(2, "frames", view), `as of ${view}`).toBe(oracle(view));
    expect(catalog.listedNow(2, "frames")).toBe(false);
  });
});

describe("the catalog's reaper (Consul: deregister_critical_service_after, reaped every 30 s)", () => {
  const reaping = settings({ deregisterCriticalAfterMs: 60_000, reapIntervalMs: 30_000 });

  it("deregisters a service critical since c at the first reap tick after c + 60 s", () => {
    // Ticks at 30, 60, 90, 120 s... Consul reaps a service critical for MORE than the setting
    // (agent.go: CriticalFor() > timeout). Critical at c = 10 s: c + 60 = 70 s -> reaped at 90 s.
    // Critical at 30 s (node 1): at the 90 s tick it has been critical for exactly 60 s, kept ->
    // reaped at 120 s. Critical at 29.5 s (node 2): 89.5 s -> 90 s.
    const sim = new Simulator();
    const catalog = new Catalog(sim, reaping, 3, 0);
    const reaped: string[] = [];
    catalog.onReaped = (node, family) => reaped.push(`${sim.now} node ${node} ${family}`);
    catalog.register(0, "frames");
    catalog.register(0, "llm");
    catalog.register(1, "frames");
    catalog.register(2, "llm");
    // Nothing critical: no reaper event.
    expect(sim.pendingEvents).toBe(0);
    at(sim, [
      [10_000, () => catalog.setPassing(0, false)],
      [29_500, () => catalog.setPassing(2, false)],
      [30_000, () => catalog.setPassing(1, false)],
    ]);
    expect(reaped).toEqual(["90000 node 0 frames", "90000 node 0 llm", "90000 node 2 llm", "120000 node 1 frames"]);
    expect(catalog.results().deregistrations).toBe(4);
    // Passing again after the reap: the service definition is gone, not listed until registered again.
    sim.schedule(10_000, () => catalog.setPassing(0, true));
    sim.run();
    expect(catalog.listedNow(0, "frames")).toBe(false);
    catalog.register(0, "frames");
    expect(catalog.listedNow(0, "frames")).toBe(true);
  });

  it("keeps a service that passes again before its reap, and leaves no reaper event", () => {
    const sim = new Simulator();
    const catalog = new Catalog(sim, reaping, 1, 0);
    let reaps = 0;
    catalog.onReaped = () => reaps++;
    catalog.register(0, "frames");
    at(sim, [
      [10_000, () => catalog.setPassing(0, false)],
      // The reaper event (90 s) and the test's own step at 89.999 s.
      [10_000, () => expect(sim.pendingEvents).toBe(2)],
      [89_999, () => catalog.setPassing(0, true)],
    ]);
    expect(sim.pendingEvents).toBe(0);
    sim.run({ until: 1_000_000 });
    expect(reaps).toBe(0);
    expect(catalog.listedNow(0, "frames")).toBe(true);
    // Failing in (10 s, 89.999 s): views saw it gone from 10.05 s to 90.049 s.
    expect(catalog.listedAsOf(0, "frames", 10_049)).toBe(true);
    expect(catalog.listedAsOf(0, "frames", 10_050)).toBe(false);
    expect(catalog.listedAsOf(0, "frames", 90_048)).toBe(false);
    expect(catalog.listedAsOf(0, "frames", 90_049)).toBe(true);
    expect(catalog.results().deregistrations).toBe(0);
  });

  it("schedules nothing when deregisterCriticalAfter is never (Consul's default)", () => {
    const sim = new Simulator();
    const catalog = new Catalog(sim, settings(), 1, 0);
    catalog.register(0, "llm");
    sim.schedule(5, () => catalog.setPassing(0, false));
    sim.run();
    expect(sim.pendingEvents).toBe(0);
    expect(catalog.results().deregistrations).toBe(0);
  });

  it("makes a service registered on a failing node critical from its registration", () => {
    // Node failing since 1 s; registered at 40 s: critical from 40 s -> 100 s -> reaped at 120 s.
    const sim = new Simulator();
    const catalog = new Catalog(sim, reaping, 1, 0);
    const reaped: number[] = [];
    catalog.onReaped = () => reaped.push(sim.now);
    at(sim, [
      [1_000, () => catalog.setPassing(0, false)],
      [40_000, () => catalog.register(0, "frames")],
    ]);
    expect(reaped).toEqual([120_000]);
    expect(catalog.listedAsOf(0, "frames", 60_000)).toBe(false);
  });
});
