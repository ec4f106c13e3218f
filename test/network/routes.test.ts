import { describe, expect, it } from "vitest";
import { type RoutedLink, Routes } from "../../src/network/topology/routes.js";

/**
 * Shortest routes on a small graph worked out by hand (the comments give each sum and tie-break).
 * Vertices: 0 dev (device), 1 s1, 2 z-switch, 3 a-switch (relays), 4 node, 5 mid (a node: it does
 * not relay), 6 dev2 (device). Index order and id order differ on purpose: z-switch (2) sorts
 * after a-switch (3).
 */
const ids = ["dev", "s1", "z-switch", "a-switch", "node", "mid", "dev2"];
const relays = Uint8Array.from([0, 1, 1, 1, 0, 0, 0]);
const graph: RoutedLink[] = [
  { from: 0, to: 1, nominalLatencyMs: 1 }, // L0 dev-s1
  { from: 1, to: 2, nominalLatencyMs: 2 }, // L1 s1-z
  { from: 1, to: 3, nominalLatencyMs: 2 }, // L2 s1-a
  { from: 2, to: 4, nominalLatencyMs: 3 }, // L3 z-node
  { from: 4, to: 3, nominalLatencyMs: 3 }, // L4 node-a (written backwards: crossed in reverse from s1)
  { from: 1, to: 4, nominalLatencyMs: 5 }, // L5 s1-node
  { from: 0, to: 5, nominalLatencyMs: 1 }, // L6 dev-mid
  { from: 5, to: 4, nominalLatencyMs: 1 }, // L7 mid-node: dev-mid-node is 2 ms but mid is a node, which forwards nothing
  { from: 6, to: 2, nominalLatencyMs: 1 }, // L8 dev2-z
  { from: 6, to: 3, nominalLatencyMs: 1 }, // L9 dev2-a
];

describe("routes on a hand-worked graph", () => {
  it("takes the least nominal latency, never through a device or node, and on a tie the fewer hops", () => {
    const routes = new Routes(ids, relays, graph);
    // dev->node: via s1 directly 1+5 = 6 (2 hops); via z or a 1+2+3 = 6 (3 hops); via mid 2 (not allowed).
    expect(routes.route(0, 4)).toEqual({ links: [0, 5], forward: [true, true], nominalLatencyMs: 6 });
    // node->dev is the same route backwards.
    expect(routes.route(4, 0)).toEqual({ links: [5, 0], forward: [false, false], nominalLatencyMs: 6 });
    expect(routes.route(0, 0)).toEqual({ links: [], forward: [], nominalLatencyMs: 0 });
    // dev->mid: the direct link; mid's only other neighbour is node, which does not relay either.
    expect(routes.route(0, 5)?.links).toEqual([6]);
  });

  it("breaks a tie of latency and hops by the predecessor's id in lexicographic order, not its index", () => {
    const routes = new Routes(ids, relays, graph);
    routes.setLinkUp(5, false);
    // Now 6 ms both ways, 3 hops each: node's predecessor is z-switch (index 2) or a-switch (index 3); "a-switch" < "z-switch".
    expect(routes.route(0, 4)).toEqual({ links: [0, 2, 4], forward: [true, true, false], nominalLatencyMs: 6 });
    // dev->dev2: 1+2+1 via either switch, equal hops: a-switch again.
    expect(routes.route(0, 6)?.links).toEqual([0, 2, 9]);
  });

  it("is recomputed when a link goes down, comes back or changes latency", () => {
    const routes = new Routes(ids, relays, graph);
    expect(routes.route(0, 4)?.links).toEqual([0, 5]);
    routes.setLinkUp(5, false);
    expect(routes.route(0, 4)?.links).toEqual([0, 2, 4]);
    routes.setLinkNominalLatency(4, 4); // via a-switch 7 ms, via z-switch 6 ms
    expect(routes.route(0, 4)).toEqual({ links: [0, 1, 3], forward: [true, true, true], nominalLatencyMs: 6 });
    routes.setLinkUp(5, true);
    expect(routes.route(0, 4)?.links).toEqual([0, 5]);
    routes.setLinkUp(0, false);
    expect(routes.route(0, 4)).toBeUndefined(); // mid does not relay, so dev is cut off
  });

  it("relabels a re-attached device in the cached trees instead of recomputing them, with the same answer as a fresh computation", () => {
    const routes = new Routes(ids, relays, graph);
    // From node: dev2 via z (3+1) or a (3+1), 2 hops each: a-switch.
    expect(routes.route(4, 6)?.links).toEqual([4, 9]);
    expect(routes.cachedTrees).toBe(1);
    routes.setLinkUp(9, false); // dev2 leaves a-switch
    expect(routes.cachedTrees).toBe(1); // kept, dev2 relabelled
    expect(routes.route(4, 6)?.links).toEqual([3, 8]);
    const fresh = new Routes(ids, relays, graph);
    fresh.setLinkUp(9, false);
    for (let to = 0; to < ids.length; to++) expect(routes.route(4, to)).toEqual(fresh.route(4, to));
    // A change between relays drops the tree.
    routes.setLinkUp(1, false);
    expect(routes.cachedTrees).toBe(0);
    expect(routes.route(4, 6)?.links).toEqual([3, 8]); // recomputed: node-z-dev2 does not use s1-z
    expect(routes.route(4, 1)?.links).toEqual([5]);
  });

  it("compares latencies in whole nanoseconds, so float rounding does not break a tie", () => {
    // x-rb-y: 0.7 + 0.1 = 0.7999999999999999 in floating point; x-ra-y: 0.4 + 0.4 = 0.8. Equal in
    // ns, equal hops: the predecessor "ra" wins, although the float sum of the other is smaller.
    const routes = new Routes(["x", "rb", "ra", "y"], Uint8Array.from([0, 1, 1, 0]), [
      { from: 0, to: 1, nominalLatencyMs: 0.7 },
      { from: 1, to: 3, nominalLatencyMs: 0.1 },
      { from: 0, to: 2, nominalLatencyMs: 0.4 },
      { from: 2, to: 3, nominalLatencyMs: 0.4 },
    ]);
    expect(routes.route(0, 3)?.links).toEqual([2, 3]);
  });

  it("costs one tree per source: routes to 10,000 devices from 20 nodes build 20 trees", () => {
    // 20 nodes, 100 access points, 10,000 devices; node j on ap j, device k on ap k % 100.
    const nodes = 20;
    const aps = 100;
    const devices = 10_000;
    const vertexIds = [...Array.from({ length: devices }, (_, k) => `d${k}`), ...Array.from({ length: nodes }, (_, j) => `n${j}`), ...Array.from({ length: aps }, (_, a) => `ap${a}`), "core"];
    const core = devices + nodes + aps;
    const relay = new Uint8Array(vertexIds.length);
    relay.fill(1, devices + nodes);
    const links: RoutedLink[] = [];
    for (let a = 0; a < aps; a++) links.push({ from: devices + nodes + a, to: core, nominalLatencyMs: 2 });
    for (let j = 0; j < nodes; j++) links.push({ from: devices + j, to: devices + nodes + j, nominalLatencyMs: 1 });
    for (let k = 0; k < devices; k++) links.push({ from: k, to: devices + nodes + (k % aps), nominalLatencyMs: 5 });
    const routes = new Routes(vertexIds, relay, links);
    let sum = 0;
    for (let j = 0; j < nodes; j++) for (let k = 0; k < devices; k++) sum += routes.route(devices + j, k)?.nominalLatencyMs ?? NaN;
    expect(routes.cachedTrees).toBe(nodes);
    // Same AP (k % 100 === j): 1 + 5 = 6 ms; else 1 + 2 + 2 + 5 = 10 ms. 100 devices per AP.
    expect(sum).toBe(nodes * (100 * 6 + 9_900 * 10));
  });
});

describe("moveLinkEnd: an access link moved to another access point", () => {
  it("gives, from cached trees and fresh ones, the routes a fresh Routes built with the link already moved gives", () => {
    // L0 moves from s1 to z-switch: dev then reaches node by z (1 + 3 = 4 ms) instead of s1 (6 ms).
    const routes = new Routes(ids, relays, graph);
    // Trees cached from every vertex before the move (node's is the one Network asks).
    for (let v = 0; v < ids.length; v++) routes.route(v, 0);
    routes.moveLinkEnd(0, 2);
    const moved = graph.map((link, i) => (i === 0 ? { ...link, to: 2 } : link));
    const fresh = new Routes(ids, relays, moved);
    for (let a = 0; a < ids.length; a++) {
      for (let b = 0; b < ids.length; b++) expect(routes.route(a, b), `${ids[a]} -> ${ids[b]}`).toEqual(fresh.route(a, b));
    }
    expect(routes.route(4, 0)).toEqual({ links: [3, 0], forward: [false, false], nominalLatencyMs: 4 });
    expect(routes.endsOf(0)).toEqual({ from: 0, to: 2 });
    // And back: as the original graph.
    routes.moveLinkEnd(0, 1);
    const original = new Routes(ids, relays, graph);
    for (let a = 0; a < ids.length; a++) for (let b = 0; b < ids.length; b++) expect(routes.route(a, b)).toEqual(original.route(a, b));
  });
});
