import { describe, expect, it } from "vitest";
import { InputError, type InputIssue } from "../../src/errors.js";
import { simulate } from "../../src/run/simulate.js";
import { loadScenarioFile, resolveScenario } from "../../src/scenario/resolve.js";
import { meanAndSe } from "../batch-means.js";

/**
 * Applications through the whole stack: a scenario document, the resolver, simulate() and the
 * world's clock, network and DagTraffic, against oracles that do not come from the program.
 */

const LAMBDA = 0.6; // jobs per ms
const MU = [1, 1.25, 2]; // per ms: rho 0.6, 0.48, 0.3

/** Three M/M/1 stages in series on nodes a, b, c; Poisson arrivals; every link 0 ms and no bandwidth limit. */
function tandem(seed: number, duration = "30 s", policies: unknown[] = ["per-stage"]) {
  return {
    name: "tandem",
    seed,
    duration,
    warmup: "1 s",
    devices: [{ id: "cam", workloads: [{ type: "dag", application: "chain", interarrival: { dist: "exponential", mean: `${1 / LAMBDA} ms` } }] }],
    nodes: ["a", "b", "c"].map((id) => ({ id, services: [] })),
    network: {
      topology: "graph",
      default: { latency: "0 ms", bandwidth: null },
      links: [{ between: ["cam", "a"] }, { between: ["cam", "b"] }, { between: ["cam", "c"] }, { between: ["a", "b"] }, { between: ["b", "c"] }],
    },
    applications: [
      {
        id: "chain",
        stages: MU.map((mu, i) => ({
          id: `s${i}`,
          service: `svc${i}`,
          hosts: [{ place: ["a", "b", "c"][i], serviceTime: { dist: "exponential", mean: `${1 / mu} ms` }, slots: 1 }],
        })),
        edges: [
          { from: "device", to: "s0", bytes: 1000 },
          { from: "s0", to: "s1", bytes: 1000 },
          { from: "s1", to: "s2", bytes: 1000 },
          { from: "s2", to: "device", bytes: 100 },
        ],
      },
    ],
    policies,
  };
}

describe("three M/M/1 stages in series through the resolver and simulate() are a Jackson tandem", () => {
  // Independent replications (seeds 1-10), 30 s each (about 18,000 jobs after a 1 s warm-up): the
  // replication means are independent, so their spread gives the standard error.
  const runs = Array.from({ length: 10 }, (_, r) => simulate(resolveScenario(tandem(r + 1))).runs[0]);
  const apps = runs.map((run) => (run.applications ?? [])[0]);

  it("end-to-end mean = sum 1/(mu_i - lambda) within 3 SE", () => {
    const expected = MU.reduce((sum, mu) => sum + 1 / (mu - LAMBDA), 0); // 4.753 ms
    const { mean, se } = meanAndSe(apps.map((app) => app.latency.mean as number));
    expect(Math.abs(mean - expected)).toBeLessThan(3 * se);
    expect(se).toBeLessThan(0.05);
  });

  it("each stage's mean wait = rho_i/(mu_i - lambda) within 3 SE", () => {
    MU.forEach((mu, i) => {
      const { mean, se } = meanAndSe(apps.map((app) => app.stages[i].wait.mean as number));
      expect(Math.abs(mean - LAMBDA / mu / (mu - LAMBDA))).toBeLessThan(3 * se);
    });
  });

  it("every job is counted, transfers over 0 ms links take 0, and the run's events are 1 + 3 stages + 4 edges per job", () => {
    for (const [r, run] of runs.entries()) {
      const app = apps[r];
      expect(app.jobs.completed + app.jobs.unfinished).toBe(app.jobs.generated);
      expect(run.jobs.generated).toBe(app.jobs.generated);
      for (const edge of app.edges) expect(edge.transfer.max).toBe(0);
      // Jobs of the warm-up and of the drain count as events too: the ratio to the measured jobs is near 8 (the work estimate's figure).
      expect(run.events / app.jobs.generated).toBeGreaterThan(8);
      expect(run.events / app.jobs.generated).toBeLessThan(8 * (30 / 29) * 1.01);
    }
  });
});

describe("fork/join with constant times and fixed link latencies: one job's exact timeline", () => {
  /**
   * cam -> a (n0) -> {b (n1), c (n2)} -> d (n3) -> cam. Links: cam-n0 1 ms, n0-n1 1 ms, n0-n2 2 ms,
   * n1-n3 1 ms, n2-n3 1 ms, n3-cam 1 ms (each the shortest route between its ends; nodes do not relay).
   * By hand: the job leaves at 0, reaches n0 at 1; a serves 1-3; b's input is in at 4, b serves
   * 4-9, its output reaches n3 at 10; c's input at 5, c serves 5-8, reaches n3 at 9; d waits for
   * its slower input (the join) and serves 10-11; the answer is back at 12 ms.
   */
  const doc = {
    name: "fork-join",
    duration: "1 s",
    devices: [{ id: "cam", workloads: [{ type: "dag", application: "fj", interarrival: "1 h", startOffset: "0 ms" }] }],
    nodes: ["n0", "n1", "n2", "n3"].map((id) => ({ id, services: [] })),
    network: {
      topology: "graph",
      vertices: [{ id: "r", kind: "router" }],
      default: { latency: "1 ms", bandwidth: null },
      links: [
        { between: ["cam", "n0"] },
        { between: ["n0", "n1"] },
        { between: ["n0", "n2"], latency: "2 ms" },
        { between: ["n1", "n3"] },
        { between: ["n2", "n3"] },
        { between: ["n3", "cam"] },
        // The resolver wants a route from the device to every node: n1 and n2 through a router, 50 ms away, which no transfer of the job takes.
        { between: ["cam", "r"], latency: "0 ms" },
        { between: ["r", "n1"], latency: "50 ms" },
        { between: ["r", "n2"], latency: "50 ms" },
      ],
    },
    applications: [
      {
        id: "fj",
        deadline: "11 ms",
        stages: [
          { id: "a", service: "A", hosts: [{ place: "n0", serviceTime: "2 ms", slots: 1 }] },
          { id: "b", service: "B", hosts: [{ place: "n1", serviceTime: "5 ms", slots: 1 }] },
          { id: "c", service: "C", hosts: [{ place: "n2", serviceTime: "3 ms", slots: 1 }] },
          { id: "d", service: "D", hosts: [{ place: "n3", serviceTime: "1 ms", slots: 1 }] },
        ],
        edges: [
          { from: "device", to: "a", bytes: 10 },
          { from: "a", to: "b", bytes: 10 },
          { from: "a", to: "c", bytes: 10 },
          { from: "b", to: "d", bytes: 10 },
          { from: "c", to: "d", bytes: 10 },
          { from: "d", to: "device", bytes: 10 },
        ],
      },
    ],
    policies: ["per-stage"],
  };

  it("latency 12 ms, transfers 1, 1, 2, 1, 1, 1 ms, d waits 0 after its join, late against an 11 ms deadline", () => {
    const app = (simulate(resolveScenario(doc)).runs[0].applications ?? [])[0];
    expect(app.jobs.generated).toBe(1);
    expect(app.jobs.completed).toBe(1);
    expect(app.latency.mean).toBeCloseTo(12, 9);
    expect(app.edges.map((e) => e.transfer.mean)).toEqual([1, 1, 2, 1, 1, 1].map((x) => expect.closeTo(x, 9)));
    expect(app.stages.map((s) => s.serviceTime.mean)).toEqual([2, 5, 3, 1].map((x) => expect.closeTo(x, 9)));
    expect(app.stages[3].wait.mean).toBe(0);
    expect(app.jobs.late).toBe(1);
  });
});

describe("errors at their JSON paths", () => {
  const issuesOf = (doc: unknown): readonly InputIssue[] => {
    try {
      resolveScenario(doc);
    } catch (error) {
      if (error instanceof InputError) return error.issues;
      throw error;
    }
    throw new Error("resolved without a problem");
  };

  it("an unknown application in a workload, with the nearest name", () => {
    const doc = tandem(1);
    doc.devices[0].workloads[0].application = "chian";
    const issues = issuesOf(doc);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe("devices[0].workloads[0].application");
    expect(issues[0].expected).toContain('did you mean "chain"');
  });

  it("an unknown stage in an edge, with the near miss", () => {
    const doc = tandem(1);
    doc.applications[0].edges[2].to = "s3";
    const issues = issuesOf(doc);
    expect(issues.map((i) => i.path)).toContain("applications[0].edges[2].to");
    expect(issues.find((i) => i.path === "applications[0].edges[2].to")?.expected).toContain('did you mean "s');
  });

  it("a cycle, spelt out stage by stage, at applications[0].edges", () => {
    const doc = tandem(1);
    doc.applications[0].edges.push({ from: "s2", to: "s1", bytes: 0 });
    const issue = issuesOf(doc).find((i) => i.problem === "a cycle");
    expect(issue?.path).toBe("applications[0].edges");
    expect(issue?.expected).toMatch(/^(s1 -> s2 -> s1|s2 -> s1 -> s2):/);
  });

  it("no route between two nodes that consecutive stages may run on (nodes do not relay)", () => {
    const doc = tandem(1);
    doc.network.links = doc.network.links.filter((link) => link.between.join() !== "a,b");
    const issues = issuesOf(doc);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe("applications[0].edges[1]");
    expect(issues[0].expected).toContain("none for a -> b");
  });

  it("a frame scheduler's name where the scenario has only applications", () => {
    const issues = issuesOf(tandem(1, "2 s", ["least-loaded"]));
    expect(issues[0].path).toBe("policies[0]");
    expect(issues[0].expected).toContain("per-stage");
  });

  it("whole-graph's options are checked", () => {
    const issues = issuesOf(tandem(1, "2 s", [{ name: "whole-graph", options: { exhaustiveLimit: 0 } }]));
    expect(issues[0].path).toBe("policies[0].options.exhaustiveLimit");
  });
});

describe("determinism", () => {
  it("same seed: byte-identical results; another seed: different", () => {
    const once = JSON.stringify(simulate(resolveScenario(tandem(5, "3 s", ["per-stage", "whole-graph"]))));
    const again = JSON.stringify(simulate(resolveScenario(tandem(5, "3 s", ["per-stage", "whole-graph"]))));
    const other = JSON.stringify(simulate(resolveScenario(tandem(6, "3 s", ["per-stage", "whole-graph"]))));
    expect(again).toBe(once);
    expect(other).not.toBe(once);
  });
});

describe("a crash loses the visits at the node's stations, and the jobs that reach it while down", () => {
  /**
   * One stage on node a, 10 ms constant, one slot; a job every 4 ms from 0 to 196 ms (50 jobs);
   * 0 ms links; a crashes at 21 ms and is back at 121 ms. By hand: jobs 0 and 1 end at 10 and 20;
   * at 21 job 2 is in service and jobs 3-5 queue: 4 lost; jobs arriving at 24, ..., 120 find a down:
   * 25 lost; the 19 from 124 on are served after the recovery (the drain lets them finish).
   */
  const doc = {
    name: "crash",
    duration: "200 ms",
    drain: "1 s",
    devices: [{ id: "cam", workloads: [{ type: "dag", application: "one", fps: 250, startOffset: "0 ms" }] }],
    nodes: [{ id: "a", services: [] }],
    network: { topology: "graph", default: { latency: "0 ms", bandwidth: null }, links: [{ between: ["cam", "a"] }] },
    faults: [{ type: "crash", node: "a", at: "21 ms", recoverAfter: "100 ms" }],
    applications: [
      {
        id: "one",
        stages: [{ id: "s", service: "S", hosts: [{ place: "a", serviceTime: "10 ms", slots: 1 }] }],
        edges: [
          { from: "device", to: "s", bytes: 0 },
          { from: "s", to: "device", bytes: 0 },
        ],
      },
    ],
    policies: ["per-stage"],
  };

  it("50 jobs: 29 lost, 21 completed", () => {
    const run = simulate(resolveScenario(doc)).runs[0];
    const app = (run.applications ?? [])[0];
    expect(app.jobs.generated).toBe(50);
    expect(app.jobs.lost).toBe(29);
    expect(app.jobs.completed).toBe(21);
    expect(app.jobs.unfinished).toBe(0);
    expect(run.jobs.lost).toBe(29);
  });
});

describe("scenarios/dag-video-analytics.json", () => {
  it("resolves, runs, and whole-graph placement's mean latency is at most per-stage's", () => {
    const scenario = loadScenarioFile(new URL("../../scenarios/dag-video-analytics.json", import.meta.url), {}, (d) => (d.duration = "1 min"));
    const runs = simulate(scenario).runs;
    expect(runs.map((run) => run.label)).toEqual(["per-stage", "whole-graph"]);
    const [perStage, wholeGraph] = runs.map((run) => (run.applications ?? [])[0]);
    for (const app of [perStage, wholeGraph]) {
      // 4 cameras x 10 jobs/s x the 50 s measured (1 min - 10 s warm-up), all back within the drain.
      expect(app.jobs.generated).toBe(2000);
      expect(app.jobs.completed).toBe(2000);
      expect(app.stages.map((s) => s.id)).toEqual(["decode", "detect", "track"]);
    }
    // Per stage decodes on the camera (8 ms beats shipping the JPEG) and must then ship the 270 kB tensor over 5G; whole graph ships the 60 kB JPEG and keeps the chain on one node.
    expect(wholeGraph.latency.mean as number).toBeLessThanOrEqual(perStage.latency.mean as number);
    expect(perStage.stages[0].places.map((p) => p.place)).toEqual(["device"]);
  });
});
