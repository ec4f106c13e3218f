import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { RandomStreams } from "../../src/engine/rng.js";
import { IntTable } from "../../src/network/int-table.js";
import { DOWN, Network, UP } from "../../src/network/network.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";

type Doc = Record<string, any>;

function star(devices: number, nodes: number, network: Doc): ResolvedScenario {
  return resolveScenario(
    {
      name: "star",
      duration: "10 s",
      qosDeadline: "200 ms",
      devices: [{ id: "cam", count: devices, workload: { type: "arrivals", model: "m", interarrival: "100 ms" } }],
      nodes: Array.from({ length: nodes }, (_, i) => ({ id: `n${i}`, inferenceTime: 5 })),
      network,
      schedulers: ["round-robin"],
    },
    {},
  );
}

/** Every typed array an object holds in its own fields, one level down (the network and its draws). */
function typedArrays(object: object): ArrayBufferView[] {
  const found: ArrayBufferView[] = [];
  for (const value of Object.values(object)) {
    if (ArrayBuffer.isView(value)) found.push(value);
    else if (value !== null && typeof value === "object" && !Array.isArray(value)) for (const inner of Object.values(value)) if (ArrayBuffer.isView(inner)) found.push(inner);
  }
  return found;
}

describe("a star of direct links only: no per-(device, node) state (issue 16)", () => {
  it("the network holds no typed array of one entry per pair, nor per link direction", () => {
    const devices = 2000;
    const nodes = 50;
    const s = star(devices, nodes, { default: { latency: { dist: "exponential", mean: "5 ms" } } });
    const network = new Network(s, new RandomStreams(1));
    // Some use: streams are made per pair used, in a sparse table.
    for (let d = 0; d < devices; d += 7) network.transfer(d, d % nodes, UP, 0, 0, 0);
    const arrays = typedArrays(network);
    expect(arrays.length).toBeGreaterThan(3);
    for (const array of arrays) expect((array as Float64Array).length).toBeLessThan(devices * nodes);
  });

  it("draws every direct link of a device from its stream link/<device>/<up|down>, whatever the node (issue 16)", () => {
    const s = star(3, 2, { default: { latency: { dist: "uniform", low: "1 ms", high: "2 ms" } } });
    const network = new Network(s, new RandomStreams(1));
    const reference = new RandomStreams(1);
    const up2 = reference.stream("link/cam-2/up");
    // cam-2's uplinks to n1, n0, n1 are three successive draws of one stream; its downlink and cam-0's have their own.
    expect(network.transfer(2, 1, UP, 0, 0, 0)).toBeCloseTo(1 + up2(), 12);
    expect(network.transfer(2, 1, DOWN, 0, 0, 0)).toBeCloseTo(1 + reference.stream("link/cam-2/down")(), 12);
    expect(network.transfer(2, 0, UP, 0, 0, 0)).toBeCloseTo(1 + up2(), 12);
    expect(network.transfer(2, 1, UP, 0, 0, 0)).toBeCloseTo(1 + up2(), 12);
    expect(network.transfer(0, 0, UP, 0, 0, 0)).toBeCloseTo(1 + reference.stream("link/cam-0/up")(), 12);
  });

  it("a star whose direct links are objects (another vertex present) draws the same: one stream per device and direction", () => {
    const latency = { dist: "uniform", low: "1 ms", high: "2 ms" };
    const rows = new Network(star(3, 2, { default: { latency } }), new RandomStreams(1));
    const objects = star(3, 2, { default: { latency }, vertices: [{ id: "r", kind: "router" }], links: [{ between: ["n0", "r"], latency: "1 ms" }] });
    expect(objects.network.direct).toBeUndefined();
    const linked = new Network(objects, new RandomStreams(1));
    const transfers: [number, number, 0 | 1][] = [
      [2, 1, UP],
      [2, 0, UP],
      [2, 0, DOWN],
      [0, 1, UP],
      [2, 1, DOWN],
      [2, 1, UP],
    ];
    for (const [device, node, direction] of transfers) expect(linked.transfer(device, node, direction, 0, 0, 0)).toBe(rows.transfer(device, node, direction, 0, 0, 0));
  });

  it("adding a device shifts no other device's link draws", () => {
    const latency = { default: { latency: { dist: "exponential", mean: "5 ms" } } };
    const three = new Network(star(3, 2, latency), new RandomStreams(1));
    const four = new Network(star(4, 2, latency), new RandomStreams(1));
    // The new device draws first, on both directions and both nodes.
    for (let node = 0; node < 2; node++) {
      four.transfer(3, node, UP, 0, 0, 0);
      four.transfer(3, node, DOWN, 0, 0, 0);
    }
    for (const [device, node] of [
      [1, 0],
      [1, 1],
      [2, 1],
    ])
      expect(four.transfer(device, node, UP, 0, 0, 0)).toBe(three.transfer(device, node, UP, 0, 0, 0));
  });

  it("a degradation applies to its pairs only and lifts (hand-worked: 10 ms, 8 Mbit/s = 1000 B/ms, 2000 bytes)", () => {
    const s = star(3, 2, { default: { latency: "10 ms", bandwidth: "8 Mbit/s" } });
    const network = new Network(s, new RandomStreams(1));
    expect(network.transfer(1, 0, UP, 2000, 0, 0)).toBe(12);
    network.setLinkDegradation(0, [1, 2], 2, 5, 0.5);
    // 10 x 2 + 5 + 2000 / (1000 x 0.5).
    expect(network.transfer(1, 0, UP, 2000, 0, 0)).toBe(29);
    expect(network.transfer(2, 0, DOWN, 2000, 0, 0)).toBe(29);
    expect(network.bytesPerMs(1, 0)).toBe(500);
    expect(network.transfer(0, 0, UP, 2000, 0, 0)).toBe(12);
    expect(network.transfer(1, 1, UP, 2000, 0, 0)).toBe(12);
    network.setLinkDegradation(0, [1], 1, 0, 1);
    expect(network.transfer(1, 0, UP, 2000, 0, 0)).toBe(12);
    expect(network.transfer(2, 0, UP, 2000, 0, 0)).toBe(29);
  });
});

describe("IntTable (the sparse map of degraded pairs)", () => {
  it("agrees with a Map over 20,000 operations, keys up to 2^52, growth and overwrites", () => {
    const table = new IntTable();
    const oracle = new Map<number, number>();
    const mismatches: number[] = [];
    // A fixed LCG: the same keys every run; runs of consecutive keys (a device's pairs) and far ones.
    let x = 12345;
    const next = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x;
    };
    for (let i = 0; i < 20_000; i++) {
      const r = next();
      const key = r % 3 === 0 ? r % 5000 : r % 3 === 1 ? r * 1048576 + (next() % 1024) : i;
      if (next() % 2 === 0) {
        const value = next() % 1_000_000;
        table.set(key, value);
        oracle.set(key, value);
      }
      if (table.get(key) !== (oracle.get(key) ?? -1)) mismatches.push(key);
    }
    expect(mismatches).toEqual([]);
    expect(table.size).toBe(oracle.size);
    for (const [key, value] of oracle) expect(table.get(key)).toBe(value);
    expect(table.get(2 ** 52 + 1)).toBe(-1);
  });
});

describe("RandomStreams' pooled states (one Float64Array per 1024 streams, not one per stream)", () => {
  it("every stream, across chunk boundaries, draws what seedrandom's Alea draws for its seed", () => {
    const streams = new RandomStreams(3);
    const names = Array.from({ length: 2500 }, (_, i) => `device/cam-${i}/arrivals`);
    const uniforms = names.map((name) => streams.stream(name));
    // Interleaved: a stream's draws must not touch its neighbours' state.
    const drawn = names.map(() => [] as number[]);
    for (let round = 0; round < 3; round++) for (let i = 0; i < uniforms.length; i++) drawn[i].push(uniforms[i]());
    const mismatches = names.filter((name, i) => {
      const reference = seedrandom.alea(streams.seedFor(name));
      return drawn[i].some((value) => value !== reference());
    });
    expect(mismatches).toEqual([]);
    expect(streams.stream(names[1500])).toBe(uniforms[1500]);
  });
});
