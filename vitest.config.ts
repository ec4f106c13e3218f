import { defineConfig } from "vitest/config";

/**
 * Tests that drive the built CLI or another process (a browser, an agent, a sweep's workers) as a
 * user does. Everything else is the fast unit subset (`npm run test:unit`, well under a minute).
 */
const PROCESS_TESTS = [
  "test/api.test.ts",
  "test/cli/**/*.test.ts",
  "test/llm/cli.test.ts",
  "test/llm/external-router.test.ts",
  "test/llm/sweep.test.ts",
  "test/llm/validation.test.ts",
  // In-process, but it simulates every shipped scenario and renders every chart twice (~20 s).
  "test/report/chart-geometry.test.ts",
  "test/report/html-browser.test.ts",
  "test/report/report-cli.test.ts",
  // Re-runs scripts/make-mobility-trace.mjs in a node process.
  "test/network/mobility-trace.test.ts",
  "test/package.test.ts",
  "test/python.test.ts",
  "test/scenario/one-mistake-one-message.test.ts",
  "test/sweep/cluster.test.ts",
  "test/sweep/derived.test.ts",
  "test/sweep/derived-lazy.test.ts",
  "test/sweep/slurm-*.test.ts",
  "test/sweep/sweep-cli.test.ts",
  "test/sweep/sweep-reliability.test.ts",
];

/**
 * In-process but slow (statistical runs, every chart rendered, a million-event queue): in the full
 * suite only, so `npm run test:unit` stays under a minute on a 2-core machine.
 */
const SLOW_TESTS = [
  "test/bench/reference-loops.test.ts",
  "test/engine/pending-events.test.ts",
  // Fills the event queue to its 4,194,304 slots, twice (~200 MB each).
  "test/engine/event-queue-limit.test.ts",
  "test/network/flows-ps.test.ts",
  "test/report/frame-charts.test.ts",
  "test/report/legacy-results.test.ts",
  "test/report/llm-report.test.ts",
  "test/report/network-charts.test.ts",
  "test/scenario/shared-uplink.test.ts",
  "test/world/mobility-handover.test.ts",
  "test/run/work-estimate.test.ts",
  // Measures live memory of resolved worlds at 200-1,200 devices x 100 nodes (~3.5 s).
  "test/run/work-estimate-memory.test.ts",
  // Fits distributions to samples of thousands (~5 s).
  "test/fit/fit.test.ts",
  // Renders whole reports to disk (~3.5 s).
  "test/report/write-report.test.ts",
  // Two statistical runs of about 200,000 frames on a shared uplink (~6 s).
  "test/world/shared-links.test.ts",
  // Statistical DAG runs (Jackson's tandem with 300,000 jobs, Erlang C): ~2 s of the unit subset's minute.
  "test/dag/jackson.test.ts",
  "test/dag/stations.test.ts",
  // The unit subset measured 63.7 s on 2 cores after issue 16's 2026-12-02 tests; these four (about
  // 13 s of test time: two statistical checks, the fit CLI on sample files, print rendering) keep it under a minute.
  "test/world/queueing-theory.test.ts",
  "test/random/stable.test.ts",
  "test/fit/cli.test.ts",
  "test/report/render-print.test.ts",
];

export default defineConfig({
  test: {
    // Statistical validation runs simulate millions of tasks: allow them time without a wall-clock assertion.
    testTimeout: 300_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...PROCESS_TESTS, ...SLOW_TESTS] } },
      { extends: true, test: { name: "process", include: [...PROCESS_TESTS, ...SLOW_TESTS] } },
    ],
  },
});
