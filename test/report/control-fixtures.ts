import type { ControlRunResults, ProvisioningRecord } from "../../src/control/types.js";
import type { ReportResults } from "../../src/report/results-input.js";
import { fixture } from "./fixtures.js";

/*
 * A hand-built `control` section (issue 17) on the testbed fixture (3 runs, window [10 s, 60 s),
 * drain 5 s), so the results format, the two charts and the tables are tested without the control
 * plane that will produce it. Every figure is chosen here; the tests' expectations follow from
 * these choices by hand.
 *
 * "detector" (frames) on coral, jetson-nano, up-squared, 3 replicas ready at the start. The
 * jetson leaves at 20 s: its replica is wanted again at once but no other node is free, so it is
 * pending until the jetson rejoins at 30 s; it is placed there at 30 s, pulls 4 s (one layer of
 * 12 MB, the other cached), starts 1 s, loads 7 s: ready at 42 s (12 s after the join).
 * "assistant" (llm) scales to zero: a job at 5 s wants a replica (a cold start: image cached,
 * start 1 s, load 3 s, ready at 9 s; 2 jobs waited, 3.5 s on average, 4 s at most), idle ->
 * scaled to zero at 40 s; wanted again at 55 s, pull 3 s, start 1 s, loading when the run ends.
 */
export function handControl(): ControlRunResults {
  const initial = (node: string): ProvisioningRecord => ({
    deployment: "detector",
    node,
    reason: "initial",
    requestedAtMs: 0,
    scheduledAtMs: 0,
    pullEndMs: 0,
    bytesPulled: 0,
    layersPulled: 0,
    layersCached: 2,
    startEndMs: 0,
    readyAtMs: 0,
    loadSource: "scenario",
    coldStart: false,
  });
  return {
    deployments: [
      {
        id: "detector",
        family: "frames",
        replicas: [
          { atMs: 0, desired: 3, ready: 3, pending: 0 },
          { atMs: 20_000, desired: 3, ready: 2, pending: 1 },
          { atMs: 30_000, desired: 3, ready: 2, pending: 0 },
          { atMs: 42_000, desired: 3, ready: 3, pending: 0 },
        ],
        provisioning: [
          initial("coral"),
          initial("jetson-nano"),
          initial("up-squared"),
          {
            deployment: "detector",
            node: "jetson-nano",
            reason: "join",
            requestedAtMs: 20_000,
            scheduledAtMs: 30_000,
            pullEndMs: 34_000,
            bytesPulled: 12e6,
            layersPulled: 1,
            layersCached: 1,
            startEndMs: 35_000,
            readyAtMs: 42_000,
            loadSource: "scenario",
            coldStart: false,
          },
        ],
        pending: [{ deployment: "detector", atMs: 20_000, untilMs: 30_000, reason: "0/3 nodes available: 2 already run a replica, 1 is down" }],
        coldStarts: { jobs: 0, meanWaitMs: null, maxWaitMs: null },
        scaleEvents: 0,
      },
      {
        id: "assistant",
        family: "llm",
        replicas: [
          { atMs: 0, desired: 0, ready: 0, pending: 0 },
          { atMs: 5000, desired: 1, ready: 0, pending: 0 },
          { atMs: 9000, desired: 1, ready: 1, pending: 0 },
          { atMs: 40_000, desired: 0, ready: 0, pending: 0 },
          { atMs: 55_000, desired: 1, ready: 0, pending: 0 },
        ],
        provisioning: [
          {
            deployment: "assistant",
            node: "up-squared",
            reason: "scale-up",
            requestedAtMs: 5000,
            scheduledAtMs: 5000,
            pullEndMs: 5000,
            bytesPulled: 0,
            layersPulled: 0,
            layersCached: 3,
            startEndMs: 6000,
            readyAtMs: 9000,
            loadSource: "estimate",
            coldStart: true,
          },
          {
            deployment: "assistant",
            node: "coral",
            reason: "scale-up",
            requestedAtMs: 55_000,
            scheduledAtMs: 55_000,
            pullEndMs: 58_000,
            bytesPulled: 30e6,
            layersPulled: 3,
            layersCached: 0,
            startEndMs: 59_000,
            readyAtMs: null,
            loadSource: "estimate",
            coldStart: false,
          },
        ],
        pending: [],
        coldStarts: { jobs: 2, meanWaitMs: 3500, maxWaitMs: 4000 },
        scaleEvents: 3,
      },
    ],
    catalog: { registrations: 5, deregistrations: 2, staleRejected: 3, discoveryQueries: 40, discoveryWaitMs: 200 },
    membership: [{ node: "jetson-nano", joinedAtMs: [30_000], leftAtMs: [20_000], joinToServingMs: [12_000] }],
  };
}

/** The testbed fixture with `handControl()` on its first run (the other two have none). */
export function withControl(): ReportResults {
  const results = fixture();
  results.runs[0].control = handControl();
  return results;
}

/** `count` extra replicas of "assistant" on the first run, requested 1 s apart from 10 s, each 2 s to ready: more rows than the chart draws. */
export function withManyReplicas(count: number): ReportResults {
  const results = withControl();
  const control = results.runs[0].control as ControlRunResults;
  const assistant = control.deployments[1];
  const extra: ProvisioningRecord[] = Array.from({ length: count }, (_, i) => ({
    ...assistant.provisioning[0],
    node: `n${i}`,
    requestedAtMs: 10_000 + 1000 * i,
    scheduledAtMs: 10_000 + 1000 * i,
    pullEndMs: 10_000 + 1000 * i,
    startEndMs: 10_500 + 1000 * i,
    readyAtMs: 12_000 + 1000 * i,
    coldStart: false,
  }));
  results.runs[0].control = { ...control, deployments: [control.deployments[0], { ...assistant, provisioning: [...assistant.provisioning, ...extra] }] };
  return results;
}
