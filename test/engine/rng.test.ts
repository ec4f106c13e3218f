import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import { RandomStreams } from "../../src/engine/rng.js";

function draws(uniform: () => number, n: number): number[] {
  return Array.from({ length: n }, () => uniform());
}

describe("RandomStreams", () => {
  it("gives the same draws for the same seed and name", () => {
    expect(draws(new RandomStreams(42).stream("device/a"), 5)).toEqual(draws(new RandomStreams(42).stream("device/a"), 5));
  });

  it("adding a stream or drawing from another stream never changes a stream's draws", () => {
    const alone = new RandomStreams(7);
    const expected = draws(alone.stream("device/cam-3/arrivals"), 100);
    const crowded = new RandomStreams(7);
    for (let i = 0; i < 50; i++) draws(crowded.stream(`device/extra-${i}/arrivals`), 10);
    const interleaved: number[] = [];
    const target = crowded.stream("device/cam-3/arrivals");
    const other = crowded.stream("device/cam-4/arrivals");
    for (let i = 0; i < 100; i++) {
      interleaved.push(target());
      other();
    }
    expect(interleaved).toEqual(expected);
  });

  it("different seeds and different names give different draws in [0, 1)", () => {
    const a = draws(new RandomStreams(1).stream("x"), 1000);
    const b = draws(new RandomStreams(2).stream("x"), 1000);
    const c = draws(new RandomStreams(1).stream("y"), 1000);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
    for (const value of [...a, ...b, ...c]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
  });

  it("draws exactly what seedrandom's Alea draws for the stream's seed, from a stream or a table", () => {
    const streams = new RandomStreams(99);
    const reference = seedrandom.alea(streams.seedFor("link/a/b/up"));
    const fromStream = draws(streams.stream("link/a/b/up"), 1000);
    expect(fromStream).toEqual(draws(reference, 1000));
    const table = streams.table();
    const first = table.add("link/a/b/up");
    const second = table.add("link/a/c/up");
    const referenceAgain = seedrandom.alea(streams.seedFor("link/a/b/up"));
    const otherReference = seedrandom.alea(streams.seedFor("link/a/c/up"));
    // The table seeds through its own port of Alea's seeding: its draws must equal seedrandom's.
    for (let i = 0; i < 500; i++) {
      table.select(first);
      expect(table.uniform()).toBe(referenceAgain());
      table.select(second);
      expect(table.uniform()).toBe(otherReference());
    }
  });

  it("the table's seeding port gives seedrandom's state for many names, empty and non-ASCII included", () => {
    const streams = new RandomStreams("port");
    const table = streams.table();
    const names = ["", "a", "link/device-999/edge-11/down", "µ-node/ü", "x".repeat(500)];
    for (const name of names) {
      const index = table.add(name);
      const reference = seedrandom.alea(streams.seedFor(name));
      table.select(index);
      for (let i = 0; i < 50; i++) expect(table.uniform()).toBe(reference());
    }
  });

  it("a pair of streams seeded together gets seedrandom's states, lengths unequal and across a chunk's end", () => {
    const streams = new RandomStreams("pair");
    const table = streams.table();
    const pairs: [string, string][] = [
      ["link/device-7/up", "link/device-7/down"],
      ["", "x"],
      ["µ-node/ü/down", "a"],
      ["same", "same"],
    ];
    const check = (index: number, name: string) => {
      const reference = seedrandom.alea(streams.seedFor(name));
      table.select(index);
      for (let i = 0; i < 20; i++) expect(table.uniform()).toBe(reference());
    };
    for (const [a, b] of pairs) {
      const first = table.addPair(a, b);
      check(first, a);
      check(first + 1, b);
    }
    // Fill the first chunk (1,024 streams) to its last slot: the pair straddles two chunks.
    while (table.size < 1023) table.add(`filler-${table.size}`);
    const straddling = table.addPair("link/device-1023/up", "link/device-1023/down");
    expect(straddling).toBe(1023);
    check(1023, "link/device-1023/up");
    check(1024, "link/device-1023/down");
    const after = table.add("after");
    expect(after).toBe(1025);
    check(after, "after");
  });

  it("a table and named streams keep seedrandom's draws across chunk boundaries, drawn interleaved", () => {
    const streams = new RandomStreams(3);
    const table = streams.table();
    // 2,100 streams: three chunks of states (1,024 a chunk), the boundaries 1,023 | 1,024 and 2,047 | 2,048 included.
    const names = Array.from({ length: 2100 }, (_, i) => `link/device-${i}/edge-${i % 7}/up`);
    const indices = names.map((name) => table.add(name));
    expect(table.size).toBe(2100);
    const probes = [0, 1, 1022, 1023, 1024, 1025, 2047, 2048, 2099];
    const references = probes.map((i) => seedrandom.alea(streams.seedFor(names[i])));
    const named = probes.map((i) => streams.stream(`named/${names[i]}`));
    for (let k = 0; k < 1200; k++) named.push(streams.stream(`filler-${k}`));
    const namedReferences = probes.map((i) => seedrandom.alea(streams.seedFor(`named/${names[i]}`)));
    for (let step = 0; step < 300; step++) {
      probes.forEach((i, p) => {
        table.select(indices[i]);
        expect(table.uniform()).toBe(references[p]());
        expect(named[p]()).toBe(namedReferences[p]());
      });
    }
    // A fixed uniform draws from its own stream whatever the table has selected.
    const fixed = table.fixed(indices[1024]);
    table.select(indices[0]);
    expect(fixed()).toBe(references[4]());
    expect(table.uniform()).toBe(references[0]());
  });
});
