import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { createTrajectory } from "../../src/network/mobility/models.js";
import { ACCESS_DEFAULTS, accessSchema, MOBILITY_DEFAULTS, mobilitySchema, resolveAccess, resolveMobility } from "../../src/network/mobility/schema.js";
import { WirelessAccess } from "../../src/network/wireless/access.js";
import { hysteresisDistanceRatio, pathLossDb, rateAtDistance } from "../../src/network/wireless/radio.js";

const NS3 = { exponent: 3, referenceDistanceM: 1, referenceLossDb: 46.6777 };

describe("radio formulas", () => {
  it("log-distance path loss with the NS-3 defaults: 46.68 dB at 1 m, +30 dB per decade", () => {
    expect(pathLossDb(NS3, 1)).toBeCloseTo(46.6777, 10);
    expect(pathLossDb(NS3, 10)).toBeCloseTo(76.6777, 10);
    expect(pathLossDb(NS3, 100)).toBeCloseTo(106.6777, 10);
    expect(pathLossDb(NS3, 0.2)).toBeCloseTo(46.6777, 10);
  });

  it("a dB hysteresis is a distance ratio: 3 dB at n = 3 is 10^0.1 = 1.2589, 6 dB at n = 2 is 10^0.3 = 1.9953", () => {
    expect(hysteresisDistanceRatio(NS3, 3)).toBeCloseTo(1.258925, 6);
    expect(hysteresisDistanceRatio({ ...NS3, exponent: 2 }, 6)).toBeCloseTo(1.995262, 6);
    expect(hysteresisDistanceRatio(NS3, 0)).toBe(1);
  });

  it("rate at 10 m by hand: SNR = 16.02 - 76.68 - (-174 + 73.01 + 7) = 33.33 dB, 0.65 x 20 MHz x log2(1 + 2153) = 143.9 Mb/s", () => {
    const model = { pathLoss: NS3, txPowerDbm: 16.0206, bandwidthHz: 20e6, noiseFigureDb: 7, efficiency: 0.65 };
    // Noise: -174 dBm/Hz + 10 log10(2e7) = -174 + 73.0103 = -100.9897 dBm, + 7 dB = -93.9897 dBm.
    // SNR = 16.0206 - 76.6777 + 93.9897 = 33.3326 dB = 2153.3 (linear).
    const expected = 0.65 * 20e6 * Math.log2(1 + 10 ** (33.3326 / 10));
    expect(rateAtDistance(model, 10, 1e12)).toBeCloseTo(expected, -3);
    expect(expected / 1e6).toBeCloseTo(143.95, 1);
    expect(rateAtDistance(model, 10, 50e6)).toBe(50e6);
    expect(rateAtDistance(model, 100, 1e12)).toBeLessThan(rateAtDistance(model, 10, 1e12));
  });
});

describe("schema fragment and defaults", () => {
  it("the access defaults resolve to the NS-3 and ITU figures stated once in ACCESS_DEFAULTS", () => {
    const resolved = resolveAccess(accessSchema.parse({ rateFallsWithDistance: {} }));
    expect(resolved).toEqual({
      hysteresis: { unit: "dB", value: ACCESS_DEFAULTS.hysteresisDb },
      handoverDelayMs: 27.5,
      pathLoss: NS3,
      rate: { pathLoss: NS3, txPowerDbm: 16.0206, bandwidthHz: 20e6, noiseFigureDb: 7, efficiency: 0.65 },
    });
    expect(resolveAccess(accessSchema.parse({})).rate).toBeNull();
  });

  it("mobility specs resolve to the models' units (ms, rad), with NS-3 Gauss-Markov defaults", () => {
    const gm = resolveMobility(mobilitySchema.parse({ model: "gauss-markov", area: { width: 100, height: 50 }, meanSpeedMps: 3, meanDirectionDeg: 90 }));
    expect(gm).toMatchObject({ alpha: MOBILITY_DEFAULTS.alpha, stepMs: 1000, speedSdMps: 1, directionSdRad: 1, meanDirectionRad: Math.PI / 2, start: null });
    const rwp = resolveMobility(mobilitySchema.parse({ model: "random-waypoint", area: { width: 100, height: 50 }, speedMps: [1, 5], pause: "2 s" }));
    expect(rwp).toMatchObject({ speedMps: { min: 1, max: 5 }, pauseMs: { min: 2000, max: 2000 }, stationaryStart: true });
    expect(mobilitySchema.safeParse({ model: "random-waypoint", area: { width: 100, height: 50 }, speedMps: [0, 5] }).success).toBe(false);
    expect(mobilitySchema.safeParse({ model: "teleport" }).success).toBe(false);
    expect(mobilitySchema.safeParse({ model: "random-waypoint", area: { width: 100, height: 50 }, speedMps: [5, 1] }).success).toBe(false);
  });

  it("a static device never hands over and keeps its AP's full capacity", () => {
    const access = new WirelessAccess([{ id: "ap", position: { x: 0, y: 0 }, rangeM: 50, capacityBps: 20e6 }], resolveAccess(accessSchema.parse({})), 3_600_000);
    access.addDevice("pole", createTrajectory({ model: "static", position: { x: 10, y: 0 } }, new RandomStreams(1).stream("pole")));
    expect(access.nextHandover("pole", 0)).toBeNull();
    expect(access.rateAt("pole", 1_000_000)).toBe(20e6);
  });
});
