import { describe, expect, it } from "vitest";
import type { FrameNodeResults, FrameResults } from "../../src/metrics/results-schema.js";
import { runScenario } from "./run-scenario.js";

type Doc = Record<string, unknown>;

function base(extra: Doc): Doc {
  return {
    name: "faults",
    seed: 4,
    duration: "120 s",
    drain: "2 s",
    qosDeadline: "100 ms",
    devices: [{ id: "cam", count: 5, workload: { type: "video", model: "m", fps: 10, frameSizePx: 300 } }],
    nodes: [
      { id: "near", slots: 2, inferenceTime: { dist: "exponential", mean: 20 } },
      { id: "far", slots: 2, inferenceTime: { dist: "exponential", mean: 20 } },
    ],
    network: {
      default: { latency: "5 ms" },
      links: [{ between: ["cam", "far"], latency: "15 ms" }],
    },
    schedulers: ["nearest-healthy"],
    ...extra,
  };
}

const run = runScenario;

describe("crashes, health checks and recovery", () => {
  const doc = base({
    healthCheck: { interval: "10 s", timeout: "1 s" },
    faults: [{ type: "crash", node: "near", at: "35 s", recoverAfter: "35 s" }],
  });

  it("a crash is known only after a failed check; then no request is placed on the node until a check sees it back", () => {
    const { results, records } = run(doc);
    const r = results.runs[0];
    const crash = r.faults[0];
    // Node 0 of 2 is checked at 0, 10, 20, ... s: the check at 40 s finds it down and times out
    // at 41 s; it is back at 70 s and the 70 s check sees it.
    expect(crash).toMatchObject({ kind: "crash", target: "near", startMs: 35_000, endMs: 70_000, detectedAtMs: 41_000, recoveryDetectedAtMs: 70_000 });
    const onNear = records["nearest-healthy"].filter((rec) => rec.node === "near");
    // Nothing created on the node while it was down or known down completed there.
    expect(onNear.filter((rec) => rec.createdAt >= 35_000 && rec.createdAt < 70_000)).toHaveLength(0);
    // Requests placed there between the crash and its detection were lost: 6 s at 50 frames/s,
    // plus the few queued or in service at the crash.
    expect(r.jobs.lost).toBeGreaterThanOrEqual(6 * 50 - 5);
    expect(r.jobs.lost).toBeLessThanOrEqual(6 * 50 + 20);
    expect((r.nodes[0].frames as FrameNodeResults).lost).toBe(r.jobs.lost);
    // After detection the far node takes everything; after recovery the near node is used again.
    expect(records["nearest-healthy"].some((rec) => rec.node === "far" && rec.createdAt > 41_000 && rec.createdAt < 70_000)).toBe(true);
    expect(onNear.some((rec) => rec.createdAt > 70_000)).toBe(true);
    expect(r.nodes[0].downMs).toBe(35_000);
    // Lost requests are QoS violations.
    expect(r.jobs.violations).toBe(r.jobs.late + r.jobs.refused + r.jobs.lost);
    expect((r.frames as FrameResults).timeSeries.bins.reduce((s, b) => s + b.lost, 0)).toBe(r.jobs.lost);
  });

  it("a shorter health-check interval loses fewer requests", () => {
    const slow = run(doc).results.runs[0].jobs.lost;
    const fast = run({ ...doc, healthCheck: { interval: "2 s", timeout: "0.5 s" } }).results.runs[0].jobs.lost;
    expect(fast).toBeLessThan(slow / 3);
    expect(fast).toBeGreaterThan(0);
  });

  it("random crashes from MTBF/MTTR are the same for every scheduler (their own stream) and recover", () => {
    const { results } = run(
      base({
        schedulers: ["nearest-healthy", "round-robin", "least-loaded"],
        faults: [{ type: "crashes", node: "far", mtbf: { dist: "exponential", mean: "20 s" }, mttr: { dist: "uniform", low: "2 s", high: "6 s" } }],
      }),
    );
    const schedules = results.runs.map((r) => JSON.stringify(r.faults.map((f) => [f.startMs, f.endMs])));
    expect(new Set(schedules).size).toBe(1);
    const faults = results.runs[0].faults;
    expect(faults.length).toBeGreaterThan(2);
    for (const f of faults) {
      expect(f.kind).toBe("crash");
      if (f.endMs !== null) {
        expect(f.endMs - f.startMs).toBeGreaterThanOrEqual(2000);
        expect(f.endMs - f.startMs).toBeLessThanOrEqual(6000);
      }
    }
    // round-robin keeps sending to the far node until a check finds it down: it loses requests.
    expect(results.runs[1].jobs.lost).toBeGreaterThan(0);
  });
});

describe("health-check detection is credited only to the crash a probe saw", () => {
  // One camera frame every 100 ms from 50 ms on, 5 ms to either node, 10 ms of inference: a frame
  // created at t reaches its node at t + 5 ms and is done at t + 15 ms. nearest-healthy sends
  // every frame to "near" while it is known up and to "far" while it is known down. With 2 nodes,
  // near (node 0) is probed at 0, 10, 20, 30 s and far (node 1) at 5, 15, 25 s; timeout 1 s.
  const crashes = (faults: Doc[]): Doc => ({
    name: "detection",
    duration: "40 s",
    drain: "1 s",
    qosDeadline: "1 s",
    devices: [{ id: "cam", workload: { type: "arrivals", model: "m", interarrival: 100, startOffset: 50 } }],
    nodes: [
      { id: "near", slots: 1, inferenceTime: 10, preprocessingTime: 0 },
      { id: "far", slots: 1, inferenceTime: 10, preprocessingTime: 0 },
    ],
    network: { default: { latency: "5 ms" }, links: [{ between: ["cam", "far"], latency: "5 ms" }] },
    schedulers: ["nearest-healthy"],
    healthCheck: { interval: "10 s", timeout: "1 s" },
    faults,
  });

  it("a probe sent during one crash that times out during the next detects neither (issue 13's timeline)", () => {
    // Crash A over [9.5, 10.1) s, crash B over [10.9, 15.9) s. The probe at 10 s is sent during A;
    // A has ended by its timeout at 11 s, so it gives no answer, and B, in progress at 11 s, began
    // after the probe was sent: neither is detected. No probe is sent during B (the next is at
    // 20 s, when the node is up, and passes). Neither was detected, so neither has a recovery
    // detection. near is never known down, so every frame goes to near: the frames reaching it
    // while it is down are lost, 6 of them during A (reaching it at 9.555 ... 10.055 s) and 50
    // during B (10.955 ... 15.855 s).
    const { results, records } = run(
      crashes([
        { type: "crash", node: "near", at: "9.5 s", recoverAfter: "0.6 s" },
        { type: "crash", node: "near", at: "10.9 s", recoverAfter: "5 s" },
      ]),
    );
    const r = results.runs[0];
    expect(r.faults).toEqual([
      { kind: "crash", target: "near", startMs: 9_500, endMs: 10_100, detectedAtMs: null, recoveryDetectedAtMs: null },
      { kind: "crash", target: "near", startMs: 10_900, endMs: 15_900, detectedAtMs: null, recoveryDetectedAtMs: null },
    ]);
    expect(records["nearest-healthy"].filter((rec) => rec.node === "far")).toHaveLength(0);
    expect(r.jobs.lost).toBe(6 + 50);
  });

  it("a crash that begins before any probe saw the previous one end is detected by its own probe", () => {
    // Crash A over [5, 15) s: the probe at 10 s is sent during A, which is still in progress at
    // 11 s: detected at 11 s. Crash B over [17, 27) s begins while near is still known down (no
    // probe between 15 and 17 s): the probe at 20 s is sent during B, still in progress at 21 s:
    // B is detected at 21 s. The probe at 30 s passes: it is the first passing probe after either
    // crash ended, so both recoveries are seen at 30 s. near is known down over [11, 30) s: the
    // frames created then (11.05 ... 29.95 s, 190) go to far; the 60 reaching near during A
    // before 11 s (5.055 ... 10.955 s) and none during B are lost.
    const { results, records } = run(
      crashes([
        { type: "crash", node: "near", at: "5 s", recoverAfter: "10 s" },
        { type: "crash", node: "near", at: "17 s", recoverAfter: "10 s" },
      ]),
    );
    const r = results.runs[0];
    expect(r.faults).toEqual([
      { kind: "crash", target: "near", startMs: 5_000, endMs: 15_000, detectedAtMs: 11_000, recoveryDetectedAtMs: 30_000 },
      { kind: "crash", target: "near", startMs: 17_000, endMs: 27_000, detectedAtMs: 21_000, recoveryDetectedAtMs: 30_000 },
    ]);
    const onFar = records["nearest-healthy"].filter((rec) => rec.node === "far").map((rec) => rec.createdAt);
    expect(onFar).toHaveLength(190);
    expect(Math.min(...onFar)).toBe(11_050);
    expect(Math.max(...onFar)).toBe(29_950);
    expect(r.jobs.lost).toBe(60);
  });

  it("a probe whose timeout ends exactly when the crash ends gives no answer (a crash is in progress over [start, end))", () => {
    // Crash over [9, 11) s: the probe at 10 s is sent during it; at its timeout, 11 s, the node is
    // back. The crash over [29, 31.5) s is seen by the probe at 30 s (timeout 31 s), and its
    // recovery by the probe at 40 s (the run ends at 41 s, with the drain).
    const { results } = run(
      crashes([
        { type: "crash", node: "near", at: "9 s", recoverAfter: "2 s" },
        { type: "crash", node: "near", at: "29 s", recoverAfter: "2.5 s" },
      ]),
    );
    expect(results.runs[0].faults.map((f) => [f.detectedAtMs, f.recoveryDetectedAtMs])).toEqual([
      [null, null],
      [31_000, 40_000],
    ]);
  });
});

describe("link degradation", () => {
  it("multiplies latency and adds delay only within its interval, only on its links", () => {
    const { results, records } = run(
      base({
        faults: [{ type: "link-degradation", node: "near", devices: ["cam-1"], from: "40 s", to: "80 s", latencyMultiplier: 3, addedLatency: "7 ms" }],
      }),
    );
    const recs = records["nearest-healthy"];
    // Requests created in the last frame period before 80 s may still cross the degraded link: left out.
    const up = (device: string, inside: boolean) =>
      recs
        .filter((r) => r.device === device && r.node === "near")
        .filter((r) => (inside ? r.createdAt >= 40_000 && r.createdAt < 79_000 : r.createdAt < 40_000 || r.createdAt > 80_000))
        .map((r) => r.networkUp);
    expect(new Set(up("cam-1", true))).toEqual(new Set([5 * 3 + 7]));
    expect(new Set(up("cam-1", false))).toEqual(new Set([5]));
    expect(new Set(up("cam-2", true))).toEqual(new Set([5]));
    expect(results.runs[0].faults).toEqual([{ kind: "link-degradation", target: "near <- cam-1", startMs: 40_000, endMs: 80_000 }]);
  });
});

describe("energy", () => {
  it("equals idle power x up time + (busy - idle) x busy time, on a hand-computed case", () => {
    // One Coral Dev Board (idle 2.9 W, busy 5.4 W in its profile), one slot, 10 ms per request,
    // one request every 100 ms for 60 s: busy 10% of the time.
    const { results } = run({
      name: "energy",
      duration: "60 s",
      qosDeadline: "1 s",
      devices: [{ id: "d", workload: { type: "arrivals", model: "m", interarrival: 100, startOffset: 0 } }],
      nodes: [{ id: "coral", profile: "coral-dev-board", slots: 1, inferenceTime: 10, preprocessingTime: 0 }],
      schedulers: ["round-robin"],
    });
    const node = results.runs[0].nodes[0];
    expect(node.utilisation).toBeCloseTo(0.1, 9);
    expect(node.energyJ as number).toBeCloseTo(2.9 * 60 + (5.4 - 2.9) * 6, 6);
    // A node with no power figures reports null rather than a made-up number.
    const abstract = run({
      name: "energy2",
      duration: "1 s",
      qosDeadline: "1 s",
      devices: [{ id: "d", workload: { type: "arrivals", model: "m", interarrival: 100 } }],
      nodes: [{ id: "n", inferenceTime: 10 }],
      schedulers: ["round-robin"],
    });
    expect(abstract.results.runs[0].nodes[0].energyJ).toBeNull();
  });
});

describe("fault validation", () => {
  it("names the path of an unknown node, device or an empty interval", () => {
    expect(() => run(base({ faults: [{ type: "crash", node: "nowhere", at: "1 s" }] }))).toThrow(/faults\[0\]\.node/);
    expect(() => run(base({ faults: [{ type: "link-degradation", node: "near", devices: ["ghost"], from: 1, to: 2 }] }))).toThrow(/faults\[0\]\.devices\[0\]/);
    expect(() => run(base({ faults: [{ type: "link-degradation", node: "near", from: "5 s", to: "5 s" }] }))).toThrow(/faults\[0\]\.to/);
    expect(() => run(base({ faults: [{ type: "meteor", node: "near" }] }))).toThrow(/faults\[0\]\.type/);
  });
});
