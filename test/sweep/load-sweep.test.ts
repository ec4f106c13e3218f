import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { lookupPointer, parsePointer, setPointer } from "../../src/sweep/json-pointer.js";
import { loadSweepFile, planSweep } from "../../src/sweep/load-sweep.js";
import { parseShard, shardRuns } from "../../src/sweep/shard.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
const SOURCE = join(FIXTURES, "inline.json");

/** A tiny inline base: one source, one abstract server. */
function base(): Record<string, unknown> {
  return {
    name: "q",
    seed: 1,
    duration: "2 s",
    qosDeadline: 100,
    devices: [{ id: "s", count: 2, workload: { type: "arrivals", model: "job", interarrival: { dist: "exponential", mean: 10 } } }],
    nodes: [{ id: "n", slots: 1, inferenceTime: { dist: "exponential", mean: 1 } }],
    schedulers: ["least-loaded"],
  };
}

function issuesOf(action: () => unknown): InputError["issues"] {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("JSON pointers (RFC 6901)", () => {
  it("unescapes ~1 and ~0 and refuses non-pointers", () => {
    expect(parsePointer("/a~1b/m~0n/0")).toEqual(["a/b", "m~n", "0"]);
    expect(parsePointer("devices")).toBeUndefined();
    expect(parsePointer("/a~2")).toBeUndefined();
  });

  it("looks up and replaces existing locations only", () => {
    const doc = { devices: [{ count: 2 }] };
    expect(lookupPointer(doc, ["devices", "0", "count"])).toEqual({ ok: true, value: 2 });
    expect(lookupPointer(doc, ["devices", "1"])).toEqual({ ok: false, miss: { found: "/devices", missing: "1", available: ["0..0"] } });
    setPointer(doc, ["devices", "0", "count"], 9);
    expect(doc.devices[0].count).toBe(9);
  });
});

describe("sweep file", () => {
  it("a bad axis path names the path and the scenario key it did not find", () => {
    const issues = issuesOf(() => planSweep({ name: "x", base: base(), axes: [{ path: "/devices/0/cuont", values: [1, 2] }] }, SOURCE));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe("axes[0].path");
    expect(issues[0].value).toBe("/devices/0/cuont");
    expect(issues[0].expected).toContain('key "cuont" not found at "/devices/0"');
    expect(issues[0].expected).toContain('did you mean "count"? known: count, id, workload');
  });

  it("names the missing top-level key of a file base too", () => {
    const issues = issuesOf(() => loadSweepFile(join(FIXTURES, "bad-axis.json")));
    expect(issues[0]).toMatchObject({ path: "axes[1].path", value: "/healthCheck/interval" });
    expect(issues[0].expected).toContain(`key "healthCheck" not found at the scenario's top level`);
    expect(issues[0].expected).toContain("edge-ai-testbed.json");
  });

  it("rejects unknown keys and bad values with their JSON path", () => {
    const issues = issuesOf(() =>
      planSweep({ name: "x", base: base(), axes: [{ path: "/duration", values: ["1 s"] }], replication: 3, sampling: { method: "latin-hypercube" }, metrics: ["latency.total.p42"] }, SOURCE),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toContain("replication");
    expect(paths).toContain("sampling.count");
    expect(paths).toContain("metrics[0]");
    expect(issues.find((i) => i.path === "replication")).toMatchObject({ problem: "no such key", expected: expect.stringContaining('did you mean "replications"?') });
  });

  it("checks every axis value against the scenario loader", () => {
    const issues = issuesOf(() => planSweep({ name: "x", base: base(), axes: [{ path: "/devices/0/count", values: [3, 0] }] }, SOURCE));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe("axes[0].values[1]");
    expect(issues[0].value).toBe(0);
    expect(issues[0].expected).toContain("devices[0].count");
  });

  it("builds the grid, sorted in the file's value order, with replications", () => {
    const plan = planSweep(
      {
        name: "x",
        base: base(),
        axes: [
          { path: "/devices/0/count", values: [4, 2] },
          { name: "slots", path: "/nodes/0/slots", range: { from: 1, to: 3, steps: 3 } },
        ],
        replications: 2,
      },
      SOURCE,
    );
    expect(plan.cells.map((c) => [c.values["/devices/0/count"], c.values.slots])).toEqual([
      [4, 1],
      [4, 2],
      [4, 3],
      [2, 1],
      [2, 2],
      [2, 3],
    ]);
    expect(plan.runs).toHaveLength(12);
    expect(plan.runs[1].id).toBe(`${plan.cells[0].id}-r1`);
    expect(new Set(plan.runs.map((r) => r.seed)).size).toBe(12);
  });

  it("a run's id and seed depend on its coordinates only, not on the other runs", () => {
    const small = planSweep({ name: "x", base: base(), axes: [{ path: "/devices/0/count", values: [2, 3] }], replications: 2 }, SOURCE);
    const large = planSweep({ name: "x", base: base(), axes: [{ path: "/devices/0/count", values: [1, 3, 2, 5] }], replications: 4 }, SOURCE);
    const seeds = new Map(large.runs.map((r) => [r.id, r.seed]));
    for (const run of small.runs) expect(seeds.get(run.id)).toBe(run.seed);
    const otherSeed = planSweep({ name: "x", base: base(), axes: [{ path: "/devices/0/count", values: [2, 3] }], replications: 2, seed: 2 }, SOURCE);
    expect(otherSeed.runs[0].id).toBe(small.runs[0].id);
    expect(otherSeed.runs[0].seed).not.toBe(small.runs[0].seed);
  });

  it("log ranges round to whole numbers without duplicates", () => {
    const plan = planSweep({ name: "x", base: base(), axes: [{ path: "/devices/0/count", range: { from: 4, to: 256, steps: 7, scale: "log", integer: true } }] }, SOURCE);
    expect(plan.axes[0].values).toEqual([4, 8, 16, 32, 64, 128, 256]);
  });

  it("Latin-hypercube sampling uses every stratum of every axis exactly once", () => {
    const count = 8;
    const plan = planSweep(
      {
        name: "x",
        base: base(),
        axes: [
          { name: "mean", path: "/devices/0/workload/interarrival/mean", range: { from: 10, to: 20, steps: 2 } },
          { name: "deadline", path: "/qosDeadline", range: { from: 100, to: 200, steps: 2 } },
        ],
        sampling: { method: "latin-hypercube", count },
      },
      SOURCE,
    );
    expect(plan.cells).toHaveLength(count);
    for (const [name, from] of [
      ["mean", 10],
      ["deadline", 100],
    ] as const) {
      const width = from / count;
      const strata = plan.cells.map((c) => Math.floor(((c.values[name] as number) - from) / width)).sort((a, b) => a - b);
      expect(strata).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
  });

  it("random sampling keeps earlier points when the count grows", () => {
    const axes = [{ name: "mean", path: "/devices/0/workload/interarrival/mean", range: { from: 10, to: 20, steps: 2 } }];
    const three = planSweep({ name: "x", base: base(), axes, sampling: { method: "random", count: 3 } }, SOURCE);
    const five = planSweep({ name: "x", base: base(), axes, sampling: { method: "random", count: 5 } }, SOURCE);
    const ids = new Set(five.cells.map((c) => c.id));
    for (const cell of three.cells) expect(ids.has(cell.id)).toBe(true);
  });
});

describe("shipped sweeps", () => {
  it.each([
    ["devices-vs-scheduler.json", 7 * 4, 5],
    ["health-check-interval.json", 5 * 4, 5],
  ])("sweeps/%s loads: %i cells x %i replications", (file, cells, replications) => {
    const plan = loadSweepFile(join(import.meta.dirname, "..", "..", "sweeps", file));
    expect(plan.cells).toHaveLength(cells);
    expect(plan.runs).toHaveLength(cells * replications);
  });
});

describe("shards", () => {
  it("K/N is 0-based; the slices are disjoint and cover every run", () => {
    expect(parseShard("0/3")).toEqual({ index: 0, count: 3 });
    expect(() => parseShard("3/3")).toThrow(InputError);
    expect(() => parseShard("1-3")).toThrow(InputError);
    const plan = planSweep({ name: "x", base: base(), axes: [{ path: "/devices/0/count", values: [1, 2, 3] }], replications: 3 }, SOURCE);
    const slices = [0, 1, 2].map((index) => shardRuns(plan.runs, { index, count: 3 }).map((r) => r.id));
    expect(slices.flat().sort()).toEqual(plan.runs.map((r) => r.id).sort());
    expect(slices.map((s) => s.length)).toEqual([3, 3, 3]);
  });
});
