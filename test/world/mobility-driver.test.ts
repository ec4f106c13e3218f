import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { createTrajectory, type MobilitySettings, mobilityStreamName } from "../../src/network/mobility/models.js";
import { accessSchema, resolveAccess } from "../../src/network/mobility/schema.js";
import { WirelessAccess } from "../../src/network/wireless/access.js";
import { rateAtDistance } from "../../src/network/wireless/radio.js";
import type { ResolvedVertex } from "../../src/scenario/resolved.js";
import { MAX_TRACKED_DEVICES, MobilityDriver, type MobilityNetwork, type MobilityScenario } from "../../src/world/mobility-driver.js";

/** Records what the driver tells the network, with the clock at each call. */
class FakeNetwork implements MobilityNetwork {
  readonly attaches: { device: number; ap: number | null; readyAt: number; now: number }[] = [];
  rate: ((device: number, now: number) => number) | undefined;
  constructor(private readonly sim: Simulator) {}
  attach(device: number, ap: number | null, readyAtMs: number): void {
    this.attaches.push({ device, ap, readyAt: readyAtMs, now: this.sim.now });
  }
  setWirelessRate(rate: (device: number, now: number) => number): void {
    this.rate = rate;
  }
  waitsOf(device: number): { transfers: number; waitMs: number } {
    return { transfers: device + 2, waitMs: 7 };
  }
}

/** Times and positions solved from quadratics: equal to the hand values up to rounding (1e-6 ms, 1e-6 m). */
const r = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? v : Math.round(v * 1e6) / 1e6);

interface Setup {
  devices: { id: string; group?: string; mobility: MobilitySettings }[];
  aps: { x: number; y: number; range: number }[];
  access?: Record<string, unknown>;
  warmupMs?: number;
  durationMs?: number;
  binWidthMs?: number;
  seed?: number;
}

function build(setup: Setup) {
  const sim = new Simulator();
  const network = new FakeNetwork(sim);
  const devices = setup.devices.map((d, index) => ({ id: d.id, group: d.group ?? d.id, index }));
  const vertices: ResolvedVertex[] = [
    ...devices.map((d): ResolvedVertex => ({ id: d.id, kind: "device", position: undefined, rangeM: undefined })),
    ...setup.aps.map((ap, k): ResolvedVertex => ({ id: `ap-${k}`, kind: "access-point", position: { x: ap.x, y: ap.y }, rangeM: ap.range })),
  ];
  const scenario: MobilityScenario = {
    devices,
    network: {
      vertices,
      wireless: {
        mobility: setup.devices.map((d) => d.mobility),
        settings: resolveAccess(accessSchema.parse(setup.access ?? {})),
        accessPoints: setup.aps.map((_, k) => devices.length + k),
        airCapacityBytesPerMs: setup.aps.map(() => [Infinity, Infinity] as const),
        accessLink: devices.map(() => -1),
      },
    },
    warmupMs: setup.warmupMs ?? 0,
    durationMs: setup.durationMs ?? 200_000,
    binWidthMs: setup.binWidthMs ?? 50_000,
  };
  const horizon = scenario.durationMs;
  const driver = new MobilityDriver(sim, new RandomStreams(setup.seed ?? 1), scenario, network, horizon);
  const run = () => {
    driver.start();
    sim.run({ until: horizon });
  };
  return { sim, network, driver, run, horizon };
}

/** 10 m/s along y = 0 from x = 0 (t = 0) to x = 1000 (t = 100 s), then parked there. */
const straight: MobilitySettings = {
  model: "trace",
  samples: [
    { time: 0, x: 0, y: 0 },
    { time: 100_000, x: 1000, y: 0 },
  ],
};
const ROW = [100, 400, 700, 1000].map((x) => ({ x, y: 0, range: 200 }));

describe("the mobility driver against a recording network", () => {
  it("a straight drive past a row of APs: attach calls (AP, time, ready) exact by hand", () => {
    // Hysteresis 20 m: hand over when d_old >= d_new + 20, i.e. (x - 100) = (400 - x) + 20 at
    // x = 260 m (t = 26 s), likewise x = 560 and 860 m; the new AP is in range there (140 m < 200 m).
    // Each change waits the 50 ms handover delay; the initial attachment (x = 0: ap-0 at 100 m) none.
    const { network, run } = build({ devices: [{ id: "car", mobility: straight }], aps: ROW, access: { hysteresis: { value: 20, unit: "m" }, handoverDelay: "50 ms" } });
    run();
    expect(network.attaches.map(({ ap, now, readyAt }) => [ap, r(now), r(readyAt)])).toEqual([
      [0, 0, 0],
      [1, 26_000, 26_050],
      [2, 56_000, 56_050],
      [3, 86_000, 86_050],
    ]);
  });

  it("handovers per device-hour over the window, coverage gaps and their length, by hand", () => {
    // Window [10 s, 200 s) = 190 s: 3 handovers -> 3 x 3600 / 190 = 56.842 per device-hour.
    const row = build({ devices: [{ id: "car", mobility: straight }], aps: ROW, warmupMs: 10_000, access: { hysteresis: { value: 20, unit: "m" } } });
    row.run();
    const results = row.driver.results(200_000, [{ group: "car", jobsDelayed: 4, jobsLateAfterWait: 1 }]);
    expect(results.groups).toEqual([{ group: "car", devices: 1, handoversPerDeviceHour: (3 * 3600) / 190, jobsDelayed: 4, jobsLateAfterWait: 1 }]);
    expect(results.devices[0]).toEqual({ device: "car", group: "car", handovers: 3, coverageLosses: 0, outOfCoverageMs: 0, transfersDelayed: 2, waitMs: 7 });

    // Two APs with a gap: covered for x in [-100, 300] and [500, 900]. Leaves at 30 s, attaches to
    // ap-1 at 50 s (ready 50 s + 27.5 ms, the default delay), leaves at 90 s for good (parked at 1000 m).
    // Out of coverage in the window: (50 - 30) + (200 - 90) = 130 s.
    const gap = build({ devices: [{ id: "car", mobility: straight }], aps: [ROW[0], ROW[2]], warmupMs: 10_000 });
    gap.run();
    expect(gap.network.attaches.map(({ ap, now, readyAt }) => [ap, r(now), r(readyAt)])).toEqual([
      [0, 0, 0],
      [null, 30_000, Infinity],
      [1, 50_000, 50_027.5],
      [null, 90_000, Infinity],
    ]);
    const gapResult = gap.driver.results(200_000, []).devices[0];
    expect(gapResult).toMatchObject({ handovers: 0, coverageLosses: 2 });
    expect(gapResult.outOfCoverageMs).toBeCloseTo(130_000, 6);
  });

  it("tracks: positions at the window's bin boundaries and at each change, with the AP then", () => {
    const { driver, run } = build({ devices: [{ id: "car", mobility: straight }], aps: ROW, warmupMs: 10_000, access: { hysteresis: { value: 20, unit: "m" } } });
    run();
    const { tracks, accessPoints } = driver.results(200_000, []);
    // Boundaries 10, 60, 110, 160 s and the window's end 200 s; changes at 26, 56, 86 s.
    expect(tracks.map((track) => ({ ...track, points: track.points.map((p) => ({ t: r(p.t), x: r(p.x), y: p.y, ap: p.ap })) }))).toEqual([
      {
        device: "car",
        points: [
          { t: 10_000, x: 100, y: 0, ap: "ap-0" },
          { t: 26_000, x: 260, y: 0, ap: "ap-1" },
          { t: 56_000, x: 560, y: 0, ap: "ap-2" },
          { t: 60_000, x: 600, y: 0, ap: "ap-2" },
          { t: 86_000, x: 860, y: 0, ap: "ap-3" },
          { t: 110_000, x: 1000, y: 0, ap: "ap-3" },
          { t: 160_000, x: 1000, y: 0, ap: "ap-3" },
          { t: 200_000, x: 1000, y: 0, ap: "ap-3" },
        ],
      },
    ]);
    expect(accessPoints).toEqual(ROW.map((ap, k) => ({ id: `ap-${k}`, x: ap.x, y: ap.y, rangeM: 200 })));
  });

  it(`tracks at most ${MAX_TRACKED_DEVICES} devices: the first of each group first`, () => {
    const parked = (x: number): MobilitySettings => ({ model: "static", position: { x, y: 0 } });
    const devices = Array.from({ length: 12 }, (_, k) => ({ id: `d${k}`, group: k < 10 ? "a" : "b", mobility: parked(10 * k) }));
    const { driver, run } = build({ devices, aps: ROW });
    run();
    const tracked = driver.results(200_000, []).tracks.map((t) => t.device);
    expect(tracked).toEqual(["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d10"]);
  });

  it("the rate it gives the network: the distance law at the device's AP, in bytes/ms; during a wait, the rate when it ends", () => {
    const { network, run, sim } = build({ devices: [{ id: "car", mobility: straight }], aps: ROW, access: { rateFallsWithDistance: {}, handoverDelay: "1 s" } });
    const model = resolveAccess(accessSchema.parse({ rateFallsWithDistance: {} })).rate;
    if (model === null) throw new Error("no rate model");
    sim.schedule(5_000, () => {
      // x = 50 m, 50 m from ap-0.
      expect(network.rate?.(0, sim.now)).toBeCloseTo(rateAtDistance(model, 50, Infinity) / 8000, 9);
    });
    sim.schedule(25_500, () => {
      // Handed over to ap-1 at x = 250 (25 s); ready at 26 s, where x = 260 m is 140 m from ap-1.
      expect(network.rate?.(0, sim.now)).toBeCloseTo(rateAtDistance(model, 140, Infinity) / 8000, 9);
    });
    run();
    expect(network.attaches).toHaveLength(4);
    // Without a rate model, only the air capacity (the flow model's) limits a device: the driver gives the network no rate to ask per transfer.
    const plain = build({ devices: [{ id: "car", mobility: straight }], aps: ROW });
    plain.run();
    expect(plain.network.rate).toBeUndefined();
  });
});

const wander = (): MobilitySettings => ({ model: "random-waypoint", area: { width: 1200, height: 900 }, speedMps: { min: 2, max: 20 }, pauseMs: { min: 0, max: 5000 }, stationaryStart: true });
const GRID = Array.from({ length: 12 }, (_, k) => ({ x: 150 + 300 * (k % 4), y: 150 + 300 * Math.floor(k / 4), range: 220 }));

describe("lazy and independent", () => {
  it("schedules one engine event per attachment change, no tick: events = changes, attach calls = changes + devices", () => {
    const devices = Array.from({ length: 5 }, (_, k) => ({ id: `walker-${k}`, mobility: wander() }));
    const horizon = 600_000;
    const { driver, network, sim, run } = build({ devices, aps: GRID, durationMs: horizon, seed: 7 });
    run();
    // The oracle: the same paths (same streams) through a fresh access model, asked only for its change list.
    const streams = new RandomStreams(7);
    const oracle = new WirelessAccess(
      GRID.map((ap, k) => ({ id: `ap-${k}`, position: { x: ap.x, y: ap.y }, rangeM: ap.range, capacityBps: Infinity })),
      resolveAccess(accessSchema.parse({})),
      horizon,
    );
    let changes = 0;
    for (const d of devices) {
      oracle.addDevice(d.id, createTrajectory(d.mobility, streams.stream(mobilityStreamName(d.id))));
      changes += oracle.changesUntil(d.id, horizon).length;
    }
    expect(changes).toBeGreaterThan(50);
    expect(driver.scheduledEvents).toBe(changes);
    expect(sim.eventsExecuted).toBe(changes);
    expect(network.attaches).toHaveLength(changes + devices.length);
  });

  it("adding one moving device changes no other device's trajectory or attachment times", () => {
    const ids = ["walker-a", "walker-b", "walker-c"];
    const timeline = (list: string[]) => {
      const { network, run } = build({ devices: list.map((id) => ({ id, mobility: wander() })), aps: GRID, durationMs: 300_000 });
      run();
      return new Map(list.map((id, index) => [id, network.attaches.filter((a) => a.device === index).map(({ ap, now, readyAt }) => [ap, now, readyAt])]));
    };
    const without = timeline(ids);
    // The new device comes first, so every other device's index shifts too.
    const withOne = timeline(["newcomer", ...ids]);
    for (const id of ids) {
      expect((without.get(id) ?? []).length).toBeGreaterThan(3);
      expect(withOne.get(id)).toEqual(without.get(id));
    }
    expect(withOne.get("newcomer")).not.toEqual(withOne.get("walker-a"));
  });

  it("forgets what lies behind the clock: the legs kept stay few over a long run", () => {
    const hour = 3_600_000;
    const { run, driver, sim } = build({ devices: [{ id: "walker", mobility: wander() }], aps: GRID, durationMs: hour });
    const trajectory = (driver as unknown as { trajectories: { keptLegs: number }[] }).trajectories[0];
    let most = 0;
    for (let t = 30_000; t < hour; t += 30_000) sim.schedule(t, () => (most = Math.max(most, trajectory.keptLegs)));
    run();
    // Without forgetting, the same path holds every leg of the hour.
    const all = createTrajectory(wander(), new RandomStreams(1).stream(mobilityStreamName("walker")));
    const total = [...all.legsBetween(0, hour)].length;
    expect(total).toBeGreaterThan(40);
    expect(most).toBeLessThan(total / 5);
  });
});
