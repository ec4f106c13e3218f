import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { createTrajectory, mobilityStreamName, type TraceSample } from "../../src/network/mobility/models.js";
import { type AccessPoint, type AccessSettings, type Hysteresis, WirelessAccess } from "../../src/network/wireless/access.js";

/**
 * Handover timelines worked by hand: a device drives along a straight road past a row of APs at
 * constant speed, so each event is where a distance condition first holds, solved on paper.
 */

const NS3_PATH_LOSS = { exponent: 3, referenceDistanceM: 1, referenceLossDb: 46.6777 };
const settings = (hysteresis: Hysteresis, handoverDelayMs = 27.5): AccessSettings => ({ hysteresis, handoverDelayMs, pathLoss: NS3_PATH_LOSS, rate: null });
const ap = (id: string, x: number, rangeM: number, y = 0): AccessPoint => ({ id, position: { x, y }, rangeM, capacityBps: 50e6 });

/** A device on a straight line from `from` at 0 to `to` at `seconds`, held there after. */
function drive(from: [number, number], to: [number, number], seconds: number) {
  const samples: TraceSample[] = [
    { time: 0, x: from[0], y: from[1] },
    { time: seconds * 1000, x: to[0], y: to[1] },
  ];
  return createTrajectory({ model: "trace", samples }, () => 0.5);
}

const ROW = [ap("ap0", 0, 80), ap("ap1", 100, 80), ap("ap2", 200, 80), ap("ap3", 300, 80)];

describe("a straight drive past a row of APs at 10 m/s", () => {
  it("10 m hysteresis: hand over where d_old = d_new + 10 (x = 55, 155, 255), drop out at the last AP's edge (x = 380)", () => {
    const access = new WirelessAccess(ROW, settings({ unit: "m", value: 10 }), 60_000);
    access.addDevice("car", drive([-50, 0], [400, 0], 45));
    expect(access.attachment("car", 0)).toEqual({ ap: "ap0", since: 0, readyAt: 0 });
    const changes = access.changesUntil("car", 60_000);
    // x = -50 + 10 t (t in s): x = 55 at 10.5 s, 155 at 20.5 s, 255 at 30.5 s, 380 at 43 s.
    expect(changes.map((c) => [c.fromAp, c.toAp])).toEqual([
      ["ap0", "ap1"],
      ["ap1", "ap2"],
      ["ap2", "ap3"],
      ["ap3", null],
    ]);
    expect(changes.map((c) => c.time)).toEqual([10_500, 20_500, 30_500, 43_000].map((t) => expect.closeTo(t, 6)));
    expect(access.handoverCount("car", 60_000)).toBe(3);
    expect(access.handoverCount("car", 20_000)).toBe(1);
  });

  it("the handover delay: transfers wait 27.5 ms after each change, and the rate is 0 meanwhile", () => {
    const access = new WirelessAccess(ROW, settings({ unit: "m", value: 10 }), 60_000);
    access.addDevice("car", drive([-50, 0], [400, 0], 45));
    const during = access.attachment("car", 10_510);
    expect(during.ap).toBe("ap1");
    expect(during.since).toBeCloseTo(10_500, 6);
    expect(during.readyAt).toBeCloseTo(10_527.5, 6);
    expect(access.rateAt("car", 10_510)).toBe(0);
    expect(access.rateAt("car", 10_530)).toBe(50e6);
    expect(access.rateAt("car", 44_000)).toBe(0);
    expect(access.attachment("car", 44_000).readyAt).toBe(Infinity);
  });

  it("nextHandover gives the next change strictly after t, and null past the last", () => {
    const access = new WirelessAccess(ROW, settings({ unit: "m", value: 10 }), 60_000);
    access.addDevice("car", drive([-50, 0], [400, 0], 45));
    const first = access.nextHandover("car", 0);
    expect(first?.fromAp).toBe("ap0");
    expect(first?.toAp).toBe("ap1");
    const second = access.nextHandover("car", first?.time as number);
    expect(second?.time).toBeCloseTo(20_500, 6);
    expect(access.nextHandover("car", 43_000.001)).toBeNull();
  });

  it("3 dB hysteresis with n = 3 is a distance ratio 10^(3/30): hand over at x = 100k/(1+k) past each AP", () => {
    const access = new WirelessAccess(ROW, settings({ unit: "dB", value: 3 }), 60_000);
    access.addDevice("car", drive([-50, 0], [400, 0], 45));
    const k = 10 ** (3 / 30);
    const x = (100 * k) / (1 + k); // 55.73 m
    const times = access.changesUntil("car", 60_000).map((c) => c.time);
    expect(times.slice(0, 3)).toEqual([0, 100, 200].map((offset) => expect.closeTo(((offset + x + 50) / 10) * 1000, 6)));
  });

  it("no hysteresis: hand over at the midpoints (x = 50, 150, 250), with no ping-pong", () => {
    const access = new WirelessAccess(ROW, settings({ unit: "m", value: 0 }), 60_000);
    access.addDevice("car", drive([-50, 0], [400, 0], 45));
    const changes = access.changesUntil("car", 60_000);
    expect(changes.map((c) => c.time)).toEqual([10_000, 20_000, 30_000, 43_000].map((t) => expect.closeTo(t, 6)));
  });

  it("off the axis (y = 30), the 10 m hysteresis point solves sqrt(x^2 + 900) - sqrt((100 - x)^2 + 900) = 10 (bisection)", () => {
    const access = new WirelessAccess([ap("ap0", 0, 200), ap("ap1", 100, 200)], settings({ unit: "m", value: 10 }), 60_000);
    access.addDevice("car", drive([-50, 30], [150, 30], 20));
    let lo = 0;
    let hi = 100;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (Math.hypot(mid, 30) - Math.hypot(100 - mid, 30) < 10) lo = mid;
      else hi = mid;
    }
    const [change] = access.changesUntil("car", 60_000);
    expect(change.toAp).toBe("ap1");
    expect(change.time).toBeCloseTo(((lo + 50) / 10) * 1000, 6);
  });

  it("leaving range comes first when the hysteresis point lies beyond the edge: to the nearest AP in range", () => {
    // ap0 reaches 60 m; 30 m hysteresis would hand over at x = 65, but the edge is at x = 60 (t = 11 s), where ap1 is 40 m away.
    const access = new WirelessAccess([ap("ap0", 0, 60), ap("ap1", 100, 80)], settings({ unit: "m", value: 30 }), 60_000);
    access.addDevice("car", drive([-50, 0], [150, 0], 20));
    const [change] = access.changesUntil("car", 60_000);
    expect(change).toEqual({ time: expect.closeTo(11_000, 6), fromAp: "ap0", toAp: "ap1" });
  });

  it("a coverage gap: out at one edge, in at the next, each attachment after the start waiting the delay; no handover counted", () => {
    const access = new WirelessAccess([ap("ap0", 0, 40), ap("ap1", 200, 40)], settings({ unit: "m", value: 0 }, 100), 60_000);
    access.addDevice("car", drive([-20, 0], [300, 0], 32));
    const changes = access.changesUntil("car", 60_000);
    // x = -20 + 10 t: out of ap0 at x = 40 (6 s), into ap1 at x = 160 (18 s), out at x = 240 (26 s).
    expect(changes.map((c) => [c.time, c.fromAp, c.toAp])).toEqual([
      [expect.closeTo(6000, 6), "ap0", null],
      [expect.closeTo(18_000, 6), null, "ap1"],
      [expect.closeTo(26_000, 6), "ap1", null],
    ]);
    expect(access.attachment("car", 10_000).ap).toBeNull();
    expect(access.attachment("car", 18_050).readyAt).toBeCloseTo(18_100, 6);
    expect(access.handoverCount("car", 60_000)).toBe(0);
  });

  it("changes are never looked for past the horizon", () => {
    const access = new WirelessAccess(ROW, settings({ unit: "m", value: 10 }), 25_000);
    access.addDevice("car", drive([-50, 0], [400, 0], 45));
    expect(access.changesUntil("car", 60_000).length).toBe(2);
    expect(access.nextHandover("car", 20_500)).toBeNull();
  });
});

describe("random waypoint over a grid of APs: the exact timeline against polling every 10 ms", () => {
  it("same sequence of APs, each change within one polling step", () => {
    const aps: AccessPoint[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) aps.push({ id: `ap${i}${j}`, position: { x: 60 + i * 130, y: 60 + j * 130 }, rangeM: 110, capacityBps: 1e6 });
    const margin = 5;
    const horizon = 1_800_000;
    const trajectory = createTrajectory(
      { model: "random-waypoint", area: { width: 500, height: 380 }, speedMps: { min: 2, max: 20 }, pauseMs: { min: 0, max: 3000 }, stationaryStart: true },
      new RandomStreams(11).stream(mobilityStreamName("walker")),
    );
    const access = new WirelessAccess(aps, settings({ unit: "m", value: margin }), horizon);
    access.addDevice("walker", trajectory);
    const exact = access.changesUntil("walker", horizon);

    // The rule, polled: leave when out of range (to the nearest in range), else go to the nearest AP in range nearer by the margin.
    const step = 10;
    const distance = (k: number, t: number) => {
      const p = trajectory.positionAt(t);
      return Math.hypot(p.x - aps[k].position.x, p.y - aps[k].position.y);
    };
    const nearest = (t: number, keep: (k: number) => boolean) => {
      let best = -1;
      for (let k = 0; k < aps.length; k++) if (keep(k) && distance(k, t) <= aps[k].rangeM && (best < 0 || distance(k, t) < distance(best, t))) best = k;
      return best;
    };
    let current = nearest(0, () => true);
    const polled: { time: number; to: string | null }[] = [];
    for (let t = step; t <= horizon; t += step) {
      let next = current;
      if (current >= 0 && distance(current, t) > aps[current].rangeM) next = nearest(t, (k) => k !== current);
      else if (current >= 0) {
        const better = nearest(t, (k) => k !== current && distance(k, t) <= distance(current, t) - margin);
        if (better >= 0) next = better;
      } else next = nearest(t, () => true);
      if (next !== current) polled.push({ time: t, to: next < 0 ? null : aps[next].id });
      current = next;
    }
    expect(exact.length).toBeGreaterThan(50);
    expect(exact.map((c) => c.toAp)).toEqual(polled.map((c) => c.to));
    exact.forEach((change, i) => {
      expect(polled[i].time - change.time).toBeGreaterThanOrEqual(0);
      expect(polled[i].time - change.time).toBeLessThanOrEqual(step);
    });
  });
});

describe("handover determinism", () => {
  const aps: AccessPoint[] = [];
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) aps.push({ id: `ap${i}${j}`, position: { x: 50 + i * 100, y: 50 + j * 100 }, rangeM: 80, capacityBps: 1e6 });
  const timelines = (seed: number, devices: string[]) => {
    const streams = new RandomStreams(seed);
    const access = new WirelessAccess(aps, settings({ unit: "dB", value: 3 }), 600_000);
    for (const id of devices) {
      const mobility = { model: "random-waypoint" as const, area: { width: 500, height: 500 }, speedMps: { min: 1, max: 15 }, pauseMs: { min: 0, max: 0 }, stationaryStart: true };
      access.addDevice(id, createTrajectory(mobility, streams.stream(mobilityStreamName(id))));
    }
    // Interleave the devices' queries: the answers must not depend on who asked first.
    for (const id of [...devices].reverse()) access.nextHandover(id, 100_000);
    return new Map(devices.map((id) => [id, access.changesUntil(id, 600_000)]));
  };

  it("the same seed gives the same timelines; adding a device changes no other device's", () => {
    const two = timelines(5, ["a", "b"]);
    expect(two.get("a")?.length).toBeGreaterThan(5);
    expect(timelines(5, ["a", "b"])).toEqual(two);
    const three = timelines(5, ["new", "a", "b"]);
    expect(three.get("a")).toEqual(two.get("a"));
    expect(three.get("b")).toEqual(two.get("b"));
    expect(timelines(6, ["a"]).get("a")).not.toEqual(two.get("a"));
  });
});
