import { describe, expect, it } from "vitest";
import type { RunResults } from "../../src/metrics/results-schema.js";
import { llmScenario, phonesAndCloud, q, simulateQueries } from "./llm-helpers.js";

// Money made expensive enough that the cloud is worth it only for harder queries: a cloud query
// costs $0.0004 (200 prompt + 50 output tokens), 0.8 of a good answer at $0.0005 per good answer.
const USD_PER_GOOD_ANSWER = 0.0005;
const THRESHOLDS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

function scenario(routers: unknown[]) {
  return llmScenario(phonesAndCloud(routers));
}

/** Mean utility per query as the learned router counts it (expected quality instead of the drawn judgement, to cut noise). */
function utility(run: RunResults): number {
  const good = q(run).quality.meanProbability! * run.jobs.completed;
  return (good - run.jobs.violations - q(run).cost.apiUsd / USD_PER_GOOD_ANSWER) / run.jobs.generated;
}

describe("learned-router", () => {
  const fixed = simulateQueries(scenario(THRESHOLDS.map((t) => ({ name: "complexity-threshold", label: `t${t}`, options: { threshold: t } }))));
  const utilities = fixed.runs.map(utility);
  const best = THRESHOLDS[utilities.indexOf(Math.max(...utilities))];
  const options = { initialThresholds: [1], usdPerGoodAnswer: USD_PER_GOOD_ANSWER };
  const learned = simulateQueries(
    scenario([
      { name: "learned-router", label: "global", options },
      { name: "learned-router", label: "federated", options: { ...options, scope: "device", federatedInterval: "10 min" } },
    ]),
  );

  it("the best fixed threshold is interior (the test means something)", () => {
    expect(best).toBeGreaterThan(0);
    expect(best).toBeLessThan(1);
  });

  it("ends closer to the best fixed threshold than it started", () => {
    for (const run of learned.runs) {
      const start = run.policyStatistics.initialThreshold as number;
      const end = run.policyStatistics.finalThreshold as number;
      expect(start).toBe(1);
      expect(Math.abs(end - best), run.label).toBeLessThan(Math.abs(start - best));
      expect(Math.abs(end - best), run.label).toBeLessThanOrEqual(0.2);
    }
  });

  it("earns more than where it started (everything local), and explores about epsilon of the time", () => {
    const startUtility = utilities[THRESHOLDS.indexOf(1)];
    const global = learned.runs[0];
    expect(utility(global)).toBeGreaterThan(startUtility);
    const explored = (global.policyStatistics.explored as number) / (global.policyStatistics.observed as number);
    expect(explored).toBeGreaterThan(0.07);
    expect(explored).toBeLessThan(0.13);
  });

  it("federated averaging counts its bytes: devices x (bins x modes x 2 numbers x 8 bytes) up and down per round", () => {
    const federated = learned.runs[1].policyStatistics;
    const rounds = federated.federatedRounds as number;
    expect(rounds).toBeGreaterThanOrEqual(17);
    expect(federated.federatedBytes).toBe(rounds * 2 * 10 * (10 * 2) * 2 * 8);
  });

  it("a price on privacy (cloudPenalty) moves the threshold the other way: from 0 (all cloud) to keeping prompts local", () => {
    const privacy = simulateQueries(scenario([{ name: "learned-router", label: "private", options: { initialThresholds: [0], usdPerGoodAnswer: USD_PER_GOOD_ANSWER, cloudPenalty: 1 } }])).runs[0];
    expect(privacy.policyStatistics.initialThreshold).toBe(0);
    expect(privacy.policyStatistics.finalThreshold as number).toBeGreaterThanOrEqual(0.9);
    expect(q(privacy).privacy.shareOfQueriesToCloud!).toBeLessThan(0.2);
  });
});
