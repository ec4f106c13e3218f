import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DeploymentResults, ReplicaStep } from "../../src/control/types.js";
import type { Results, RunResults } from "../../src/metrics/results-schema.js";
import { simulate } from "../../src/run/simulate.js";
import { loadScenarioFile } from "../../src/scenario/resolve.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";
import { REPO } from "../cli/helpers.js";

/*
 * The two control-plane scenarios of issue 17 (docs/control-plane.md) run and show what each is
 * for: consul-demo, a board that leaves and rejoins gets its replica back (its image cached: start
 * plus load, nothing pulled) and stale views are rejected only in the TTL after the leave;
 * k3s-autoscale, the replicas follow a day's load up to the cluster's 8 nodes, and each scale-up
 * pulls the image and loads the model at the estimated rate. Expected figures come from the
 * scenario's own inputs (sizes, rates, times), not from a previous run.
 */

const CONSUL = join(REPO, "scenarios", "consul-demo.json");
const K3S = join(REPO, "scenarios", "k3s-autoscale.json");

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The step in force at `atMs` (the last change at or before it). */
function stepAt(steps: readonly ReplicaStep[], atMs: number): ReplicaStep {
  const before = steps.filter((s) => s.atMs <= atMs);
  if (before.length === 0) throw new Error(`no replica step at or before ${atMs} ms`);
  return before[before.length - 1];
}

/** Time average of ready replicas over [from, to). */
function meanReady(steps: readonly ReplicaStep[], from: number, to: number): number {
  let integral = 0;
  let at = from;
  let current = stepAt(steps, from).ready;
  for (const s of steps) {
    if (s.atMs <= from) continue;
    if (s.atMs >= to) break;
    integral += current * (s.atMs - at);
    at = s.atMs;
    current = s.ready;
  }
  return (integral + current * (to - at)) / (to - from);
}

function only(run: RunResults): DeploymentResults {
  expect(run.control).not.toBeNull();
  const deployments = run.control?.deployments ?? [];
  expect(deployments).toHaveLength(1);
  return deployments[0];
}

describe("scenarios/consul-demo.json: discovery, a board leaving and rejoining", () => {
  let scenario: ResolvedScenario;
  let results: Results;
  it("resolves and runs, with a control section in every run", () => {
    scenario = loadScenarioFile(CONSUL);
    results = simulate(scenario);
    expect(results.runs.map((run) => run.label)).toEqual(["nearest-healthy", "nearest-healthy-qos"]);
    for (const run of results.runs) expect(only(run).id).toBe("detector");
  });

  it("the Coral leaves at 5 min (its replica pending: every other board runs one) and rejoins at 7 min to serve after start + load, nothing pulled", () => {
    const control = scenario.control;
    if (control === undefined) throw new Error("no control");
    const coral = scenario.nodes.findIndex((node) => node.id === "coral");
    const deployment = control.deployments[0];
    // The image is cached on the board (it ran a replica from the start): no pull, so join to serving is exactly start + load.
    const joinToServing = deployment.startMs + deployment.loadMs[coral];
    for (const run of results.runs) {
      const d = only(run);
      expect(run.control?.membership).toEqual([{ node: "coral", leftAtMs: [5 * MIN], joinedAtMs: [7 * MIN], joinToServingMs: [expect.closeTo(joinToServing, 6)] }]);
      expect(stepAt(d.replicas, 5 * MIN - 1)).toMatchObject({ desired: 3, ready: 3, pending: 0 });
      expect(stepAt(d.replicas, 6 * MIN)).toMatchObject({ ready: 2, pending: 1 });
      expect(stepAt(d.replicas, 9 * MIN)).toMatchObject({ desired: 3, ready: 3, pending: 0 });
      expect(d.pending).toEqual([expect.objectContaining({ atMs: 5 * MIN, untilMs: 7 * MIN })]);
      const back = d.provisioning.filter((p) => p.reason === "join");
      expect(back).toEqual([expect.objectContaining({ node: "coral", scheduledAtMs: 7 * MIN, bytesPulled: 0, layersPulled: 0, loadSource: "scenario" })]);
      expect(back[0].readyAtMs).toBeCloseTo(7 * MIN + joinToServing, 6);
    }
  });

  it("discovery: each camera asks at most once per TTL (plus its first query); stale rejections only from frames sent within TTL + propagation + query of the leave", () => {
    const c = scenario.control?.catalog;
    if (c === undefined) throw new Error("no catalog");
    const endMs = scenario.durationMs + scenario.drainMs;
    for (const run of results.runs) {
      const catalog = run.control?.catalog;
      expect(catalog?.discoveryQueries).toBeGreaterThanOrEqual(3);
      expect(catalog?.discoveryQueries).toBeLessThanOrEqual(3 * Math.ceil(endMs / (c.discoveryTtlMs + c.discoveryQueryMs) + 1));
      // Every query is waited for by the frame that asked: 30 ms each.
      expect(catalog?.discoveryWaitMs).toBeCloseTo((catalog?.discoveryQueries ?? 0) * c.discoveryQueryMs, 6);
      expect(catalog?.staleRejected).toBeLessThanOrEqual(3 * 5 * ((c.discoveryTtlMs + c.propagationDelayMs + c.discoveryQueryMs) / 1000) + 3);
    }
  });

  it("the overloaded Jetson's session migrates under nearest-healthy-qos, after the overload begins (2 min)", () => {
    const qos = results.runs[1];
    expect(qos.migrations.length).toBeGreaterThan(0);
    expect(qos.migrations[0]).toMatchObject({ from: "jetson-nano" });
    expect(qos.migrations[0].timeMs).toBeGreaterThan(2 * MIN);
  });
});

describe("scenarios/k3s-autoscale.json: replicas follow a day's load up to the 8 nodes", () => {
  let scenario: ResolvedScenario;
  let d: DeploymentResults;
  it("resolves and runs, one llm deployment", () => {
    scenario = loadScenarioFile(K3S);
    const results = simulate(scenario);
    d = only(results.runs[0]);
    expect(d).toMatchObject({ id: "llama-1b", family: "llm" });
    expect(stepAt(d.replicas, 0)).toMatchObject({ ready: 1 });
  });

  it("replicas follow the load: at the 8 nodes in the peak hours (11-13 h), at most 3 in the night (2-5 h, a twentieth of the peak)", () => {
    expect(meanReady(d.replicas, 11 * HOUR, 13 * HOUR)).toBeGreaterThan(7.5);
    // At night about 0.3 of a node is busy: one replica at 30 %, two when a sync catches a query on each.
    expect(Math.max(...d.replicas.filter((s) => s.atMs >= 2 * HOUR && s.atMs < 5 * HOUR).map((s) => s.ready), stepAt(d.replicas, 2 * HOUR).ready)).toBeLessThanOrEqual(3);
    expect(meanReady(d.replicas, 2 * HOUR, 5 * HOUR)).toBeLessThan(2);
    // Never more than the nodes; at the max only in the day (hourly weights 2 and over: 6 h to 23 h; a 15 s sync with every replica busy can jump early).
    expect(Math.max(...d.replicas.map((s) => s.ready))).toBe(8);
    for (const s of d.replicas.filter((step) => step.ready === 8)) {
      expect(s.atMs).toBeGreaterThanOrEqual(6 * HOUR);
      expect(s.atMs).toBeLessThan(23 * HOUR);
    }
    expect(d.scaleEvents).toBeGreaterThan(2);
  });

  it("a scale-up to a Pi without the image pulls its 3 layers (839 MB) no faster than the 1 Gbit/s link, then loads 750 MB at 90 MB/s (an estimate)", () => {
    const fresh = d.provisioning.filter((p) => p.reason === "scale-up" && p.layersPulled === 3);
    expect(fresh.length).toBeGreaterThan(0);
    for (const p of fresh) {
      expect(p.bytesPulled).toBe(839e6);
      expect(p.pullEndMs - p.scheduledAtMs).toBeGreaterThanOrEqual((839e6 * 8) / 1e6);
      expect(p.loadSource).toBe("estimate");
      if (p.readyAtMs !== null) expect(p.readyAtMs - p.startEndMs).toBeCloseTo(750e6 / 90e3, 6);
    }
    // Every Pi but the server (registry, image cached) pulls the image once at most: its layers stay cached.
    const nodes = fresh.map((p) => p.node);
    expect(new Set(nodes).size).toBe(nodes.length);
    expect(nodes).not.toContain("pi-0");
  });
});
