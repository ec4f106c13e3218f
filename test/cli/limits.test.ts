import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_EVENTS } from "../../src/run/work-estimate.js";
import { MAX_SWEEP_RUNS } from "../../src/sweep/sampling.js";
import { REPO, runCli, tempDir, type CliResult } from "./helpers.js";

/**
 * Inputs that used to explode, hang or abort (issue 12) are refused before the work: exit 2, a
 * message at the JSON path that gives the estimate and the knob, nothing written. Each run is
 * killed after HANG_MS, so an input that hangs fails here instead of stalling the suite.
 */
const HANG_MS = 20_000;

/** A small valid edge scenario: two cameras, one abstract server, 10 s. */
const EDGE = {
  name: "limits",
  duration: "10 s",
  qos: { frames: "100 ms" },
  devices: [{ id: "cam", count: 2, workloads: [{ type: "video", model: "m", fps: 5, frameSizePx: 300 }] }],
  nodes: [{ id: "server", services: [{ type: "slots", inferenceTime: { dist: "exponential", mean: "5 ms" } }] }],
  network: { default: { latency: "5 ms" } },
  policies: ["least-loaded"],
};

const LLM = JSON.parse(readFileSync(join(REPO, "scenarios", "llm-routing.json"), "utf8")) as { devices: Array<{ workloads: Record<string, unknown>[] }> } & Record<string, unknown>;
delete LLM.$schema;

type Doc = Record<string, unknown>;

/** Writes `edit(copy of base)` to a fresh folder and runs `simulate <file> --out <folder>/out ...extra`. */
function runScenario(base: Doc, edit: (doc: Doc & { devices: Array<Doc & { workloads: Doc[] }> }) => void, extra: string[] = []): CliResult & { out: string } {
  const dir = tempDir("continuum-limits-");
  const doc = structuredClone(base) as Doc & { devices: Array<Doc & { workloads: Doc[] }> };
  edit(doc);
  const file = join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify(doc));
  const out = join(dir, "out");
  return { ...runCli([file, "--out", out, ...extra], REPO, HANG_MS), out };
}

/** Exit 2 (not a timeout, not a crash), one message at `path` containing every `words`, no stack trace, no results. */
function expectRefused(result: CliResult & { out?: string }, path: string, ...words: string[]): void {
  expect(result.code, `exit code (null: still running after ${HANG_MS} ms); stderr: ${result.stderr.slice(0, 400)}`).toBe(2);
  expect(result.stderr).toContain(`${path}:`);
  for (const word of words) expect(result.stderr).toContain(word);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  if (result.out !== undefined) expect(existsSync(join(result.out, "results.json"))).toBe(false);
}

describe("runs that cannot finish are refused with the estimate and --max-events", () => {
  it("a video workload at fps 1e308", () => {
    const run = runScenario(EDGE, (doc) => (doc.devices[0].workloads[0].fps = 1e308));
    expectRefused(run, "devices[0].workloads[0].fps", "--max-events", "events");
  });

  it("validate refuses what the run would refuse, for both kinds, and names the file; --max-events lets it pass", () => {
    for (const [base, edit] of [
      [EDGE, (doc: Doc & { devices: Array<Doc & { workloads: Doc[] }> }) => (doc.devices[0].workloads[0].fps = 1e9)],
      [LLM, (doc: Doc & { devices: Array<Doc & { workloads: Doc[] }> }) => (doc.devices[0].workloads[0].interarrival = "1 us")],
    ] as const) {
      const dir = tempDir("continuum-limits-validate-");
      const doc = structuredClone(base) as Doc & { devices: Array<Doc & { workloads: Doc[] }> };
      edit(doc);
      const file = join(dir, "scenario.json");
      writeFileSync(file, JSON.stringify(doc));
      const refused = runCli(["validate", file], REPO, HANG_MS);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`${file}: 1 problem`);
      expect(refused.stderr).toContain("--max-events");
      expect(refused.stdout).toBe("");
      const raised = runCli(["validate", file, "--max-events", "1e20"], REPO, HANG_MS);
      expect(raised.code, raised.stderr).toBe(0);
      expect(raised.stdout).toContain("ok:");
    }
  });

  it("arrivals with interarrival 0 (edge)", () => {
    const run = runScenario(EDGE, (doc) => (doc.devices[0].workloads[0] = { type: "arrivals", model: "m", interarrival: 0 }));
    expectRefused(run, "devices[0].workloads[0].interarrival", "--max-events");
  });

  it("queries with interarrival 0 (language model; was a V8 out-of-memory abort)", () => {
    const run = runScenario(LLM, (doc) => (doc.devices[0].workloads[0].interarrival = 0));
    expectRefused(run, "devices[0].workloads[0]", "--max-events");
  });

  it("dailyActiveUsers 1e12 (was still running after 120 s)", () => {
    const run = runScenario(LLM, (doc) => {
      delete doc.devices[0].workloads[0].interarrival;
      doc.devices[0].workloads[0].dailyActiveUsers = 1e12;
    });
    expectRefused(run, "devices[0].workloads[0]", "--max-events", "wall time");
  });

  it("duration 1e308 ms (was still running after 120 s)", () => {
    expectRefused(
      runScenario(EDGE, (doc) => (doc.duration = 1e308)),
      "duration",
      "ms",
    );
    expectRefused(
      runScenario(LLM, (doc) => (doc.duration = 1e308)),
      "duration",
      "ms",
    );
  });

  it("health checks every nanosecond (the schema lets any positive interval through)", () => {
    const run = runScenario(EDGE, (doc) => {
      doc.faults = [{ type: "crash", node: "server", at: "1 s" }];
      doc.healthCheck = { interval: "1 ns" };
    });
    expectRefused(run, "healthCheck.interval", "--max-events", "use a longer healthCheck.interval");
  });

  it("the estimate is checked against --max-events: below it the run is refused, raised it runs", () => {
    const refused = runScenario(EDGE, () => undefined, ["--max-events", "50"]);
    expectRefused(refused, "devices[0].workloads[0].fps", "at most 50 events (--max-events)", "2 devices x 5 requests/s x 10 s");
    const runs = runScenario(EDGE, () => undefined, ["--max-events", "1e6"]);
    expect(runs.code, runs.stderr).toBe(0);
    expect(existsSync(join(runs.out, "results.json"))).toBe(true);
    expectRefused(
      runScenario(LLM, () => undefined, ["--max-events", "1000"]),
      "devices[0].workloads[0]",
      "at most 1000 events (--max-events)",
    );
  });

  it("--max-events must be a positive number", () => {
    expectRefused(
      runScenario(EDGE, () => undefined, ["--max-events", "0"]),
      "--max-events",
    );
  });

  it("the help states the default from the one constant", () => {
    const help = runCli(["--help"]);
    expect(help.stdout.replace(/\s+/g, " ")).toContain(`default ${DEFAULT_MAX_EVENTS.toExponential()}`);
  });
});

describe("scenarios that cannot fit in memory are refused before they are expanded", () => {
  it("a device group of count 1e7 (was a V8 abort after 57 s)", () => {
    const run = runScenario(EDGE, (doc) => (doc.devices[0].count = 1e7));
    expectRefused(run, "devices[0].count", "GiB", "NODE_OPTIONS=--max-old-space-size");
  });

  it("the same for a language-model scenario", () => {
    const run = runScenario(LLM, (doc) => (doc.devices[0].count = 1e7));
    expectRefused(run, "devices[0].count", "NODE_OPTIONS=--max-old-space-size");
  });
});

describe("distributions whose draws cannot be finite are refused where they are written", () => {
  const HUGE = { dist: "lognormal", mu: 800, sigma: 1 };

  it("network jitter lognormal mu 800 (was a stack trace 'event delay must be finite')", () => {
    const run = runScenario(EDGE, (doc) => (doc.network = { default: { latency: "5 ms", jitter: HUGE } }));
    expectRefused(run, "network.default.jitter", "finite");
  });

  it("a service time and a language-model interarrival", () => {
    expectRefused(
      runScenario(EDGE, (doc) => ((doc.nodes as Array<Doc & { services: Doc[] }>)[0].services[0].inferenceTime = HUGE)),
      "nodes[0].services[0].inferenceTime",
      "finite",
    );
    expectRefused(
      runScenario(LLM, (doc) => (doc.devices[1].workloads[0].interarrival = { dist: "normal", mean: 1e308, sd: 1 })),
      "devices[1].workloads[0].interarrival",
      "1e+308 ms",
    );
  });

  it("times derived from finite numbers: a background slowdown of 1e308, a bandwidth of 1e-300 bit/s (were stack traces)", () => {
    const slowed = runScenario(EDGE, (doc) => ((doc.nodes as Doc[])[0].backgroundLoad = [{ from: 0, slowdown: 1e308 }]));
    expectRefused(slowed, "nodes[0].backgroundLoad", "slowdown");
    expectRefused(
      runScenario(EDGE, (doc) => (doc.network = { default: { latency: "5 ms", bandwidth: 1e-300 } })),
      "network",
      "bandwidth",
    );
  });

  it("simulate sample refuses the spec instead of printing Infinity", () => {
    const sample = runCli(["sample", JSON.stringify(HUGE), "-n", "3"], REPO, HANG_MS);
    expectRefused(sample, "spec", "finite");
    expect(sample.stdout).toBe("");
  });
});

describe("sweeps", () => {
  it("a range of 1e8 steps is refused at its path before any point is made (was a stack trace)", () => {
    const dir = tempDir("continuum-limits-");
    const file = join(dir, "sweep.json");
    writeFileSync(file, JSON.stringify({ name: "huge", base: EDGE, axes: [{ path: "/devices/0/count", range: { from: 1, to: 100, steps: 1e8, integer: true } }] }));
    const run = runCli(["sweep", file, "--out", join(dir, "out")], REPO, HANG_MS);
    expectRefused(run, "axes[0].range.steps", `at most ${MAX_SWEEP_RUNS} runs`);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("random sampling of a billion runs, or over a range of 1e8 grid steps, is refused the same way", () => {
    const dir = tempDir("continuum-limits-");
    const count = join(dir, "count.json");
    writeFileSync(
      count,
      JSON.stringify({ name: "huge", base: EDGE, sampling: { method: "random", count: 1e9 }, axes: [{ path: "/devices/0/count", range: { from: 1, to: 100, steps: 2, integer: true } }] }),
    );
    expectRefused(runCli(["sweep", count, "--out", join(dir, "out")], REPO, HANG_MS), "sampling.count", `at most ${MAX_SWEEP_RUNS} runs`);
    const steps = join(dir, "steps.json");
    writeFileSync(
      steps,
      JSON.stringify({ name: "huge", base: EDGE, sampling: { method: "random", count: 10 }, axes: [{ path: "/devices/0/workloads/0/fps", range: { from: 1, to: 100, steps: 1e8 } }] }),
    );
    expectRefused(runCli(["sweep", steps, "--out", join(dir, "out")], REPO, HANG_MS), "axes[0].range.steps", `at most ${MAX_SWEEP_RUNS} points on an axis`);
  });

  it("--max-events reaches the sweep's workers: each run over it fails with the estimate", () => {
    const dir = tempDir("continuum-limits-");
    const file = join(dir, "sweep.json");
    writeFileSync(file, JSON.stringify({ name: "small", base: EDGE, axes: [{ path: "/devices/0/count", values: [1, 2] }] }));
    const out = join(dir, "out");
    const run = runCli(["sweep", file, "--out", out, "--jobs", "1", "--max-events", "10", "--no-charts"], REPO, HANG_MS);
    expect(run.code, run.stderr).toBe(1);
    const failed = readdirSync(join(out, "failed"));
    expect(failed).toHaveLength(2);
    for (const name of failed) expect(readFileSync(join(out, "failed", name), "utf8")).toContain("--max-events");
  });
});
