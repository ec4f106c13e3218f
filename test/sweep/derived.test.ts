import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { planSweep } from "../../src/sweep/load-sweep.js";
import { runScenarioDocument } from "../../src/sweep/run-one.js";
import { runCli, tempDir } from "../cli/helpers.js";

/*
 * Derived sweep parameters. Every expected value is worked by hand from the expression and the
 * axis values (the oracle is arithmetic, not the program's output).
 */

const SOURCE = join(import.meta.dirname, "fixtures", "derived.json");

/** A tiny inline base: one source group of `count` devices, one server of `slots` slots. */
function base(): Record<string, unknown> {
  return {
    name: "q",
    seed: 1,
    duration: "2 s",
    warmup: 0,
    qosDeadline: 100,
    devices: [{ id: "s", count: 2, workload: { type: "arrivals", model: "job", interarrival: { dist: "exponential", mean: 10 } } }],
    nodes: [{ id: "n", slots: 1, inferenceTime: { dist: "exponential", mean: 1 } }],
    schedulers: ["least-loaded"],
  };
}

const devicesAxis = { name: "devices", path: "/devices/0/count", values: [4, 12, 20, 64] };

function plan(derived: unknown[], axes: unknown[] = [devicesAxis], extra: Record<string, unknown> = {}) {
  return planSweep({ name: "d", base: base(), axes, derived, ...extra }, SOURCE);
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

const column = (p: ReturnType<typeof plan>, name: string) => p.cells.map((cell) => cell.values[name]);

describe("derived sweep parameters: values", () => {
  it("slots = ceil(devices / 8): 4, 12, 20, 64 devices give 1, 2, 3, 8 slots, written into each run's scenario", () => {
    const p = plan([{ name: "slots", path: "/nodes/0/slots", expression: "ceil(devices / 8)" }]);
    expect(column(p, "devices")).toEqual([4, 12, 20, 64]);
    expect(column(p, "slots")).toEqual([1, 2, 3, 8]);
    // The derived parameter is a column of the plan (summary.csv, sweep.json) like an axis.
    expect(p.axes.map((axis) => axis.name)).toEqual(["devices", "slots"]);
    expect(p.axes[1].values).toEqual([1, 2, 3, 8]);
    expect(p.axes[1].expression).toBe("ceil(devices / 8)");
    expect(p.axes[0].expression).toBeUndefined();
    const context = { outDir: "", sweepHash: p.hash, base: p.base, profileDirs: p.profileDirs, axes: p.axes.map((a) => ({ name: a.name, tokens: a.tokens })) };
    const documents = p.runs.map((run) => runScenarioDocument(context, run) as { nodes: Array<{ slots: number }>; devices: Array<{ count: number }> });
    expect(documents.map((d) => [d.devices[0].count, d.nodes[0].slots])).toEqual([
      [4, 1],
      [12, 2],
      [20, 3],
      [64, 8],
    ]);
  });

  it("a later expression uses an earlier one; arrival rate = load x nodes x slots / service time is a rate per second", () => {
    const p = plan(
      [
        { name: "slots", path: "/nodes/0/slots", expression: "ceil(devices / 8)" },
        // load 0.5, 1 node, slots s, service 20 ms: 0.5 * 1 * s / 0.02 s = 25 s per second; the interarrival mean per device is devices / rate seconds.
        { name: "rate", path: "/devices/0/workload/interarrival/mean", expression: "0.5 * 1 * slots / (20 ms)" },
      ],
      [devicesAxis],
    );
    expect(column(p, "rate")).toEqual([25, 50, 75, 200]);
  });

  it("units: a time is written in ms (2 s, 2 s to ms, 1.5 minute), units that cancel give a plain number", () => {
    const cases: Array<[string, number]> = [
      ["2 s to ms", 2000],
      ["2 s", 2000],
      ["1.5 minute", 90_000],
      ["devices * 250 ms", 1000], // devices = 4
      ["(2 MB) / (1 kB)", 2000],
    ];
    for (const [expression, expected] of cases) {
      const p = plan([{ name: "t", path: "/warmup", expression }], [{ name: "devices", path: "/devices/0/count", values: [4] }], { set: { "/duration": "10 min" } });
      expect(column(p, "t"), expression).toEqual([expected]);
    }
  });

  it("non-integers keep 12 significant digits (0.1 + 0.2 is 0.3, as for range points)", () => {
    const p = plan([{ name: "mean", path: "/devices/0/workload/interarrival/mean", expression: "0.1 + 0.2 + devices - devices" }]);
    expect(column(p, "mean")).toEqual([0.3, 0.3, 0.3, 0.3]);
    expect(p.axes[1].values).toEqual([0.3]);
  });

  it("run identity follows the derived value, not the expression's text: two spellings of one value give the same ids and seeds", () => {
    const a = plan([{ name: "slots", path: "/nodes/0/slots", expression: "ceil(devices / 8)" }]);
    const b = plan([{ name: "slots", path: "/nodes/0/slots", expression: "floor((devices + 7) / 8)" }]);
    const c = plan([{ name: "slots", path: "/nodes/0/slots", expression: "ceil(devices / 4)" }]);
    expect(b.runs.map((r) => [r.id, r.seed])).toEqual(a.runs.map((r) => [r.id, r.seed]));
    expect(b.hash).toBe(a.hash);
    // A different value is a different simulation: another id, another seed.
    expect(c.runs.map((r) => r.id)).not.toEqual(a.runs.map((r) => r.id));
    // And planning twice gives the same plan (deterministic).
    expect(JSON.stringify(plan([{ name: "slots", path: "/nodes/0/slots", expression: "ceil(devices / 8)" }]))).toBe(JSON.stringify(a));
  });

  it("a sweep without derived parameters plans exactly as before (ids, seeds and hash unchanged)", () => {
    const without = planSweep({ name: "d", base: base(), axes: [devicesAxis] }, SOURCE);
    const empty = plan([]);
    expect(empty.hash).toBe(without.hash);
    expect(empty.runs).toEqual(without.runs);
  });
});

describe("derived sweep parameters: errors name the sweep, the path and the expression", () => {
  it("an unknown name suggests the nearest axis name", () => {
    const issues = issuesOf(() => plan([{ name: "slots", path: "/nodes/0/slots", expression: "ceil(devicez / 8)" }]));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe("derived[0].expression");
    expect(issues[0].value).toBe("ceil(devicez / 8)");
    expect(issues[0].expected).toContain('unknown name devicez; did you mean "devices"?');
  });

  it("an unknown function suggests the nearest mathjs function; a syntax error is reported as such", () => {
    expect(issuesOf(() => plan([{ name: "slots", path: "/nodes/0/slots", expression: "ceill(devices / 8)" }]))[0].expected).toContain('unknown function ceill; did you mean "ceil"?');
    const syntax = issuesOf(() => plan([{ name: "slots", path: "/nodes/0/slots", expression: "ceil(devices / " }]));
    expect(syntax[0].path).toBe("derived[0].expression");
    expect(syntax[0].expected).toContain("an expression mathjs can read");
  });

  it("a failure in one cell names that cell's values: 1 / (devices - 12) is infinite at 12 devices", () => {
    const issues = issuesOf(() => plan([{ name: "x", path: "/devices/0/workload/interarrival/mean", expression: "1 / (devices - 12)" }]));
    expect(issues).toHaveLength(1);
    expect(issues[0].expected).toContain("with devices = 12: the result is Infinity, not a finite number");
  });

  it("functions that would change mathjs or evaluate text are disabled", () => {
    for (const expression of ['createUnit("knot", "0.514 m/s")', 'evaluate("1 + devices")', "import({}, {})"]) {
      const issues = issuesOf(() => plan([{ name: "x", path: "/nodes/0/slots", expression }]));
      expect(issues[0].expected, expression).toContain("is not available in a sweep expression");
    }
  });

  it("a unit other than a time or rate must cancel out", () => {
    const issues = issuesOf(() => plan([{ name: "x", path: "/warmup", expression: "devices * 1 MB" }]));
    expect(issues[0].expected).toContain("has a unit other than a time or a rate");
  });

  it("an expression's later use of a failed one is not reported twice (one mistake, one message)", () => {
    const issues = issuesOf(() =>
      plan([
        { name: "slots", path: "/nodes/0/slots", expression: "ceil(devicez / 8)" },
        { name: "rate", path: "/devices/0/workload/interarrival/mean", expression: "slots * 2" },
      ]),
    );
    expect(issues.map((issue) => issue.path)).toEqual(["derived[0].expression"]);
  });

  it("a value the scenario loader rejects is bad input at derived[i], with the expression and the cell", () => {
    // devices - 4 = 0 slots at 4 devices: a server needs at least one slot.
    const issues = issuesOf(() => plan([{ name: "slots", path: "/nodes/0/slots", expression: "devices - 4" }]));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].path).toBe("derived[0]");
    expect(issues[0].value).toBe(0);
    expect(issues[0].expected).toContain('"devices - 4" gives it for {"devices":4}');
  });

  it("names and paths: a name an axis has, a path an axis varies, a path the base lacks, a name that is not a symbol", () => {
    const issues = issuesOf(() =>
      plan([
        { name: "devices", path: "/nodes/0/slots", expression: "1" },
        { name: "b", path: "/devices/0/count", expression: "2" },
        { name: "c", path: "/nodes/0/slotz", expression: "3" },
      ]),
    );
    expect(issues.map((issue) => issue.path)).toEqual(["derived[0].name", "derived[1].path", "derived[2].path"]);
    expect(issues[2].expected).toContain('did you mean "slots"?');
    expect(issuesOf(() => plan([{ name: "2x", path: "/nodes/0/slots", expression: "1" }]))[0].path).toBe("derived[0].name");
  });

  it("the CLI exits 2 naming the sweep file, the path and the expression; a good sweep's summary.csv has the derived column", () => {
    const dir = tempDir("derived-");
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ name: "d", base: base(), axes: [devicesAxis], derived: [{ name: "slots", path: "/nodes/0/slots", expression: "ceil(devicez / 8)" }] }));
    const bad = runCli(["sweep", file, "--out", join(dir, "out")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(file);
    expect(bad.stderr).toContain('derived[0].expression: "ceil(devicez / 8)" is not valid');

    const good = join(dir, "good.json");
    writeFileSync(
      good,
      JSON.stringify({
        name: "d",
        base: base(),
        axes: [{ ...devicesAxis, values: [4, 12] }],
        derived: [{ name: "slots", path: "/nodes/0/slots", expression: "ceil(devices / 8)" }],
        metrics: ["frames.throughput"],
      }),
    );
    const ran = runCli(["sweep", good, "--out", join(dir, "good"), "--jobs", "1", "--no-charts", "--quiet"]);
    expect(ran.code, ran.stderr).toBe(0);
    const csv = readFileSync(join(dir, "good", "summary.csv"), "utf8")
      .trim()
      .split("\n");
    expect(csv[0].split(",").slice(0, 3)).toEqual(["cell", "devices", "slots"]);
    expect(csv.slice(1).map((line) => line.split(",").slice(1, 3).join(","))).toEqual(["4,1", "12,2"]);
  });
});
