import type { LinkResult, LinkResults, MobilityResults } from "../../src/metrics/network-results.js";
import type { ReportResults } from "../../src/report/results-input.js";
import { fixture } from "./fixtures.js";

/*
 * Hand-built `links` and `mobility` sections (issue 15) on the testbed fixture (3 runs, window
 * [10 s, 60 s)), so the results format and the two charts are tested without the world that will
 * produce them. Every figure is chosen here; the tests' expectations follow from these choices.
 */

/** 10 bins of 5 s over the 50 s window. */
export const LINK_BIN_MS = 5000;
export const LINK_BINS = 10;

/** A link direction whose series ramps linearly from `from` to `to` (shares of capacity); utilisation = the series' mean. */
function rampLink(id: string, direction: LinkResult["direction"], from: number, to: number, capacityMbps = 100): LinkResult {
  const series = Array.from({ length: LINK_BINS }, (_, i) => from + ((to - from) * i) / (LINK_BINS - 1));
  const utilisation = series.reduce((a, b) => a + b, 0) / LINK_BINS;
  return {
    id,
    direction,
    capacityMbps,
    bytes: Math.round(((utilisation * capacityMbps * 1e6) / 8) * (LINK_BINS * LINK_BIN_MS * 1e-3)),
    utilisation,
    meanFlows: utilisation * 3,
    peakFlows: 7,
    series,
  };
}

/**
 * Eight link directions with mean utilisations (the ramp's midpoint): cam-ap--edge forward 0.5
 * (0 -> 1 at scale 1: the busiest, reaching 100 %) and reverse 0.025; switch--core 0.2 and 0.01;
 * edge--cloud 0.1 and 0.02; ap-1 air up 0.3 and down 0.05. The two least busy, left out of a
 * six-panel chart: switch--core reverse (0.01) and edge--cloud reverse (0.02).
 */
export function handLinks(scale = 1): LinkResults {
  return {
    binWidthMs: LINK_BIN_MS,
    links: [
      rampLink("cam-ap--edge", "forward", 0, 1 * scale),
      rampLink("cam-ap--edge", "reverse", 0.02, 0.03),
      rampLink("switch--core", "forward", 0.1, 0.3),
      rampLink("switch--core", "reverse", 0.01, 0.01),
      rampLink("edge--cloud", "forward", 0.05, 0.15),
      rampLink("edge--cloud", "reverse", 0.01, 0.03),
      rampLink("ap-1/air", "forward", 0.2, 0.4, 200),
      rampLink("ap-1/air", "reverse", 0.04, 0.06, 200),
    ],
    meanFlowsInFlight: 2.5,
  };
}

/** Three access points 150 m apart on the x axis, range 100 m. */
export const HAND_APS: MobilityResults["accessPoints"] = [
  { id: "ap-0", x: 0, y: 0, rangeM: 100 },
  { id: "ap-1", x: 150, y: 0, rangeM: 100 },
  { id: "ap-2", x: 300, y: 0, rangeM: 100 },
];

/** Attached to the nearest AP within range (the hysteresis does not matter for a drawing), else null. */
function nearestInRange(x: number, y: number): string | null {
  let best: { id: string; d: number } | null = null;
  for (const ap of HAND_APS) {
    const d = Math.hypot(x - ap.x, y - ap.y);
    if (d <= ap.rangeM && (best === null || d < best.d)) best = { id: ap.id, d };
  }
  return best?.id ?? null;
}

/**
 * Two cars, 13 points each, one per 4 s. car-0 along y = 20 from x = -60 to 420 (40 m steps): in
 * range of ap-0 at the start (63 m), out of every range at the last point only (122 m from ap-2).
 * car-1 along y = -40 from x = 440 to 0: out of range at its first two points (146 m and 111 m from
 * ap-2), then in range. Three points out of range in all.
 */
export function handMobility(): MobilityResults {
  const drive = (device: string, x0: number, x1: number, y: number) => ({
    device,
    points: Array.from({ length: 13 }, (_, i) => {
      const x = x0 + ((x1 - x0) * i) / 12;
      return { t: 10_000 + i * 4000, x, y, ap: nearestInRange(x, y) };
    }),
  });
  return {
    devices: [
      { device: "car-0", group: "cars", handovers: 2, coverageLosses: 1, outOfCoverageMs: 8000, transfersDelayed: 5, waitMs: 1234.5 },
      { device: "car-1", group: "cars", handovers: 2, coverageLosses: 0, outOfCoverageMs: 0, transfersDelayed: 3, waitMs: 400 },
    ],
    groups: [{ group: "cars", devices: 2, handoversPerDeviceHour: 144, jobsDelayed: 8, jobsLateAfterWait: 2 }],
    tracks: [drive("car-0", -60, 420, 20), drive("car-1", 440, 0, -40)],
    accessPoints: HAND_APS,
  };
}

/** The testbed fixture with links on every run (the first run's uplink busier) and mobility on every run. */
export function withNetworkSections(): ReportResults {
  const results = fixture();
  results.runs.forEach((run, i) => {
    run.links = handLinks(1 - 0.1 * i);
    run.mobility = handMobility();
  });
  return results;
}
