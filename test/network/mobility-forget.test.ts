import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { createTrajectory, type MobilitySettings } from "../../src/network/mobility/models.js";
import { type AccessPoint, WirelessAccess } from "../../src/network/wireless/access.js";

const APS: AccessPoint[] = Array.from({ length: 9 }, (_, k) => ({ id: `ap-${k}`, position: { x: 100 + 200 * (k % 3), y: 100 + 200 * Math.floor(k / 3) }, rangeM: 150, capacityBps: 1e8 }));
const WALK: MobilitySettings = { model: "random-waypoint", area: { width: 600, height: 600 }, speedMps: { min: 2, max: 15 }, pauseMs: { min: 0, max: 4000 }, stationaryStart: true };
const SETTINGS = { hysteresis: { unit: "m" as const, value: 15 }, handoverDelayMs: 40, pathLoss: { exponent: 3, referenceDistanceM: 1, referenceLossDb: 46.6777 }, rate: null };

describe("WirelessAccess.forget", () => {
  it("changes nothing a later query sees: the same timeline and ready times as a twin that keeps everything", () => {
    const horizon = 1_800_000;
    const make = () => {
      const access = new WirelessAccess(APS, SETTINGS, horizon);
      access.addDevice("walker", createTrajectory(WALK, new RandomStreams(3).stream("walker")));
      return access;
    };
    const forgetful = make();
    const twin = make();
    let t = 0;
    let changes = 0;
    for (;;) {
      const next = forgetful.nextHandover("walker", t);
      expect(next).toEqual(twin.nextHandover("walker", t));
      if (next === null) break;
      t = next.time;
      changes++;
      // Only the first change after the start waits for nothing: the delay must survive dropping the initial attachment.
      expect(forgetful.attachment("walker", t)).toEqual(twin.attachment("walker", t));
      expect(forgetful.rateAt("walker", t + 20)).toBe(twin.rateAt("walker", t + 20));
      forgetful.forget("walker", t);
    }
    expect(changes).toBeGreaterThan(30);
    expect(twin.changesUntil("walker", horizon)).toHaveLength(changes);
    // What the forgetful one still lists: the last change only.
    expect(forgetful.changesUntil("walker", horizon)).toHaveLength(1);
    expect(forgetful.attachment("walker", t).readyAt).toBe(twin.attachment("walker", t).readyAt);
  });
});
