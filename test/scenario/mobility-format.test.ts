import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { ACCESS_DEFAULTS, MOBILITY_DEFAULTS } from "../../src/network/mobility/schema.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";
import { scenarioJsonSchema } from "../../src/scenario/json-schema.js";

type Doc = Record<string, any>;

const frames = [{ type: "arrivals", model: "m", frameSizePx: 300, requestBytes: 10_000, interarrival: { dist: "exponential", mean: "100 ms" } }];

/**
 * Two moving cars along y = 0 and a fixed camera; two access points 400 m apart (range 250 m), each
 * behind a switch with an edge node, joined by a router. `edit` changes the document under test.
 */
function doc(edit: (d: Doc) => void = () => {}): Doc {
  const d: Doc = {
    name: "mobile",
    duration: "10 s",
    qos: { frames: "200 ms" },
    devices: [
      { id: "car", count: 2, workloads: frames, mobility: { model: "static", position: { x: 100, y: 0 } } },
      { id: "pole", workloads: frames },
    ],
    nodes: [
      { id: "edge-a", services: [{ type: "slots", slots: 1, inferenceTime: "5 ms" }] },
      { id: "edge-b", services: [{ type: "slots", slots: 1, inferenceTime: "5 ms" }] },
    ],
    network: {
      topology: "graph",
      default: { latency: "1 ms" },
      vertices: [
        { id: "ap-a", kind: "access-point", position: { x: 0, y: 0 }, range: 250, capacity: "100 Mbit/s" },
        { id: "ap-b", kind: "access-point", position: { x: 400, y: 0 }, range: 250, capacity: { up: "40 Mbit/s", down: "80 Mbit/s" } },
        { id: "sw-a", kind: "switch" },
        { id: "sw-b", kind: "switch" },
        { id: "core", kind: "router" },
      ],
      links: [
        { between: ["ap-a", "sw-a"] },
        { between: ["sw-a", "edge-a"] },
        { between: ["ap-b", "sw-b"] },
        { between: ["sw-b", "edge-b"] },
        { between: ["sw-a", "core"] },
        { between: ["sw-b", "core"] },
        { between: ["pole", "sw-a"] },
      ],
      wireless: { latency: "3 ms", handoverDelay: "50 ms", hysteresis: { value: 3, unit: "dB" } },
    },
    policies: ["round-robin"],
  };
  edit(d);
  return d;
}

function problems(document: Doc, baseDir?: string): { path: string; expected: string }[] {
  try {
    resolveScenario(document, baseDir === undefined ? {} : { baseDir });
  } catch (error) {
    if (error instanceof InputError) return error.issues.map((i) => ({ path: i.path, expected: i.expected }));
    throw error;
  }
  return [];
}

const resolved = (d: Doc, baseDir?: string): ResolvedScenario => resolveScenario(d, baseDir === undefined ? {} : { baseDir });

describe("mobility and wireless access in the scenario format", () => {
  it("resolves access points, air capacity in bytes/ms, the hop's link and one access link per moving device", () => {
    const s = resolved(doc());
    const w = s.network.wireless;
    expect(w).toBeDefined();
    if (w === undefined) return;
    const ids = w.accessPoints.map((v) => s.network.vertices[v].id);
    expect(ids).toEqual(["ap-a", "ap-b"]);
    // 100 Mbit/s = 1e8 / 8 / 1000 = 12,500 bytes/ms; 40 and 80 Mbit/s = 5,000 and 10,000.
    expect(w.airCapacityBytesPerMs).toEqual([
      [12_500, 12_500],
      [5_000, 10_000],
    ]);
    expect(w.settings.handoverDelayMs).toBe(50);
    expect(w.settings.hysteresis).toEqual({ value: 3, unit: "dB" });
    expect(w.mobility.map((m) => m?.model)).toEqual(["static", "static", undefined]);
    expect(w.accessLink[2]).toBe(-1);
    for (const device of [0, 1]) {
      const link = s.network.links[w.accessLink[device]];
      expect(link.kind).toBe("access");
      expect(link.from).toBe(device);
      // At x = 100 the car is 100 m from ap-a and 300 m from ap-b: ap-a, the nearest in range.
      expect(s.network.vertices[link.to].id).toBe("ap-a");
      expect(link.parameters.nominalLatencyMs).toBe(3);
    }
    // Route car -> edge-a: hop 3 ms + ap-a--sw-a 1 ms + sw-a--edge-a 1 ms.
    expect(s.network.nominalLatencyMs[0][0]).toBe(5);
    // No direct links for moving devices.
    expect(s.network.links.filter((l) => l.kind === "direct")).toHaveLength(0);
  });

  it("the initial access point is the one nearest the device at t = 0 in range, else the first", () => {
    const s = resolved(
      doc((d) => {
        d.devices[0].count = 1;
        d.devices[0].mobility.position = { x: 330, y: 0 };
        d.devices.splice(1, 0, { id: "far", workloads: frames, mobility: { model: "static", position: { x: 5000, y: 0 } } });
      }),
    );
    const w = s.network.wireless;
    if (w === undefined) throw new Error("no wireless");
    const to = (device: number): string => s.network.vertices[s.network.links[w.accessLink[device]].to].id;
    expect(to(0)).toBe("ap-b");
    expect(to(1)).toBe("ap-a");
  });

  it("the hop's latency, jitter and bandwidth default to network.default's", () => {
    const s = resolved(
      doc((d) => {
        d.network.wireless = {};
        d.network.default = { latency: "2 ms", bandwidth: "8 Mbit/s" };
      }),
    );
    const link = s.network.links[s.network.wireless?.accessLink[0] ?? -1];
    expect(link.parameters.nominalLatencyMs).toBe(2);
    expect(link.parameters.bytesPerMs).toBe(1000);
  });

  it("a scenario without mobility has no wireless part (and its access points need no position)", () => {
    const s = resolved(
      doc((d) => {
        delete d.devices[0].mobility;
        d.network.vertices[0] = { id: "ap-a", kind: "access-point" };
        d.network.links.push({ between: ["car", "ap-a"] });
      }),
    );
    expect(s.network.wireless).toBeUndefined();
  });

  it("the defaults are stated once: the schema's descriptions quote the constants the resolver applies", () => {
    const text = JSON.stringify(scenarioJsonSchema());
    expect(text).toContain(`default ${ACCESS_DEFAULTS.handoverDelayMs} ms`);
    expect(text).toContain(`default ${MOBILITY_DEFAULTS.stepMs} ms`);
    expect(text).toContain(`default ${MOBILITY_DEFAULTS.pauseMs} ms`);
    const s = resolved(doc((d) => (d.network.wireless = {})));
    expect(s.network.wireless?.settings.handoverDelayMs).toBe(ACCESS_DEFAULTS.handoverDelayMs);
    expect(s.network.wireless?.settings.hysteresis).toEqual({ unit: "dB", value: ACCESS_DEFAULTS.hysteresisDb });
    const gm = resolved(doc((d) => (d.devices[0].mobility = { model: "gauss-markov", area: { width: 400, height: 10 }, meanSpeedMps: 10 }))).network.wireless?.mobility[0];
    expect(gm).toMatchObject({ stepMs: MOBILITY_DEFAULTS.stepMs, alpha: MOBILITY_DEFAULTS.alpha });
  });

  it("durations are written as elsewhere in the format: a string with a unit or a number of ms", () => {
    const w = resolved(
      doc((d) => {
        d.devices[0].mobility = { model: "random-direction", area: { width: 400, height: 10 }, speedMps: [5, 10], travel: ["2 s", "1 min"], pause: 500 };
        d.network.wireless.handoverDelay = 27;
      }),
    ).network.wireless;
    expect(w?.mobility[0]).toMatchObject({ travelMs: { min: 2000, max: 60_000 }, pauseMs: { min: 500, max: 500 } });
    expect(w?.settings.handoverDelayMs).toBe(27);
    expect(problems(doc((d) => (d.network.wireless.handoverDelay = "-5 ms"))).map((p) => p.path)).toEqual(["network.wireless.handoverDelay"]);
  });
});

describe("one mistake, one message at its path", () => {
  it("a moving group in the latency matrix: its access is by radio, with the nearest wired group named", () => {
    const found = problems(doc((d) => (d.network.latencyMatrix = { rows: ["car"], columns: ["edge-a"], values: [["5 ms"]] })));
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe("network.latencyMatrix.rows[0]");
    expect(found[0].expected).toMatch(/car moves \(mobility\) and reaches the network by radio/);
    expect(found[0].expected).toMatch(/pole/);
  });

  it("a moving group (or one of its devices) in a links[] entry", () => {
    const found = problems(doc((d) => d.network.links.push({ between: ["car-1", "sw-b"] })));
    expect(found.map((p) => p.path)).toEqual(["network.links[7].between[0]"]);
    expect(found[0].expected).toMatch(/by radio/);
  });

  it("mobility without any access point", () => {
    const found = problems(
      doc((d) => {
        d.network.vertices[0].kind = "switch";
        d.network.vertices[1].kind = "router";
      }),
    );
    expect(found.map((p) => p.path)).toEqual(["devices[0].mobility"]);
    expect(found[0].expected).toMatch(/access point to attach to/);
  });

  it("an access point without position or range, when devices move", () => {
    const found = problems(
      doc((d) => {
        delete d.network.vertices[0].position;
        delete d.network.vertices[1].range;
      }),
    );
    expect(found.map((p) => p.path)).toEqual(["network.vertices[0].position", "network.vertices[1].range"]);
  });

  it("an air capacity that is not a bandwidth", () => {
    expect(problems(doc((d) => (d.network.vertices[1].capacity = { up: "fast", down: "80 Mbit/s" }))).map((p) => p.path)).toEqual(["network.vertices[1].capacity.up"]);
  });

  it("a link capacity that is not a bandwidth: one problem at its path (link and air capacities have one reader)", () => {
    expect(problems(doc((d) => (d.network.links[0].capacity = "fast"))).map((p) => p.path)).toEqual(["network.links[0].capacity"]);
  });

  it("an access point that cannot reach a node (instead of every device)", () => {
    const found = problems(doc((d) => d.network.links.splice(5, 1)));
    // sw-b no longer reaches the core: ap-b cannot reach edge-a, ap-a cannot reach edge-b; the pole (wired, at sw-a) cannot reach edge-b.
    expect(found.filter((p) => /^a route from access point/.test(p.expected)).map((p) => p.expected.split(" (")[0])).toEqual([
      "a route from access point ap-a to node edge-b",
      "a route from access point ap-b to node edge-a",
    ]);
    expect(found.every((p) => p.path === "network")).toBe(true);
    expect(found.some((p) => /device car/.test(p.expected))).toBe(false);
  });

  it("a trace whose device id is missing: at mobility.device, with the nearest id of the trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "mobility-format-"));
    writeFileSync(join(dir, "t.csv"), "time,device,x,y\n0,bus-0,0,0\n10,bus-0,100,0\n0,bus-1,400,0\n");
    const ok = resolved(
      doc((d) => (d.devices[0] = { id: "bus", count: 2, workloads: frames, mobility: { model: "trace", file: "t.csv" } })),
      dir,
    ).network.wireless;
    expect(ok?.mobility[1]).toEqual({ model: "trace", samples: [{ time: 0, x: 400, y: 0 }] });
    const named = problems(
      doc((d) => (d.devices[0] = { id: "car", workloads: frames, mobility: { model: "trace", file: "t.csv", device: "bus-3" } })),
      dir,
    );
    expect(named.map((p) => p.path)).toEqual(["devices[0].mobility.device"]);
    expect(named[0].expected).toMatch(/did you mean "bus-[01]"/);
    // By default each device follows its own id: car-0 and car-1 are not in the trace (one message for the group).
    const own = problems(
      doc((d) => (d.devices[0].mobility = { model: "trace", file: "t.csv" })),
      dir,
    );
    expect(own.map((p) => p.path)).toEqual(["devices[0].mobility"]);
    expect(own[0].expected).toMatch(/device's own id/);
  });
});
