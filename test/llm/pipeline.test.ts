import { describe, expect, it } from "vitest";
import {
  expectedAttemptsPerJob,
  expectedTimePerSucceededJobMs,
  expectedTokensPerJob,
  expectedTokensPerSucceededJob,
  jobSuccessProbability,
  type StageModel,
} from "../../src/llm/pipeline-closed-form.js";
import { boardAndCloud, llmScenario, simulateQueries } from "./llm-helpers.js";

// The TinyML lifecycle figures (issue 8): data processing, INT8 quantisation and conversion, sketch generation.
const STAGES = [
  { name: "data-processing", successProbability: 0.9, passed: { time: "36.00 s", tokens: 15284 }, failed: { time: "69.79 s", tokens: 28654 } },
  { name: "quantisation", successProbability: 0.933, passed: { time: "16.63 s", tokens: 3849 }, failed: { time: "46.58 s", tokens: 16622 } },
  { name: "sketch-generation", successProbability: 0.3, passed: { time: "113.86 s", tokens: 10095 }, failed: { time: "119.58 s", tokens: 14286 } },
];
const SECONDS = [
  [36.0, 69.79],
  [16.63, 46.58],
  [113.86, 119.58],
];

function models(maxAttempts: number): StageModel[] {
  return STAGES.map((stage, i) => ({
    successProbability: stage.successProbability,
    maxAttempts,
    tokensPassed: stage.passed.tokens,
    tokensFailed: stage.failed.tokens,
    timePassedMs: SECONDS[i][0] * 1000,
    timeFailedMs: SECONDS[i][1] * 1000,
  }));
}

const JOBS_PER_DEVICE = 400;

function run(maxAttempts: number) {
  const doc = boardAndCloud({
    duration: `${JOBS_PER_DEVICE * 10} s`,
    drain: "2 h",
    qos: { total: "1 h" },
    devices: [
      {
        id: "dev",
        count: 50,
        localNodes: ["board"],
        workload: {
          type: "pipeline",
          interarrival: "10 s",
          referenceNode: "cloud",
          stages: STAGES.map((stage) => ({ ...stage, outputShare: 0.05, maxAttempts })),
        },
      },
    ],
    routers: ["cloud-only"],
  });
  return simulateQueries(llmScenario(doc)).runs[0].queries!.pipelines!;
}

describe("LLM-assisted pipelines against the closed form for independent retries", () => {
  for (const k of [1, 3]) {
    it(`${k === 1 ? "without retries" : "with up to 3 attempts per stage"}: success probability, tokens and time`, () => {
      const p = run(k);
      const stages = models(k);
      const ended = p.succeeded + p.failed;
      expect(p.unfinished).toBe(0);
      expect(ended).toBe(p.started);
      const success = jobSuccessProbability(stages);
      const se = Math.sqrt((success * (1 - success)) / ended);
      expect(Math.abs(p.successProbability! - success)).toBeLessThan(4 * se);
      expect(p.tokensPerEndedJob! / expectedTokensPerJob(stages)).toBeCloseTo(1, 1);
      expect(Math.abs(p.tokensPerEndedJob! / expectedTokensPerJob(stages) - 1)).toBeLessThan(0.03);
      expect(Math.abs(p.tokensPerFinishedJob! / expectedTokensPerSucceededJob(stages) - 1)).toBeLessThan(0.03);
      expect(Math.abs(p.timePerFinishedJobMs.mean! / expectedTimePerSucceededJobMs(stages) - 1)).toBeLessThan(0.03);
      expect(Math.abs(p.attemptsPerEndedJob! / expectedAttemptsPerJob(stages) - 1)).toBeLessThan(0.03);
      // On the reference placement an attempt takes exactly the measured time and tokens.
      p.stages.forEach((stage, i) => {
        expect(stage.meanTimePassedMs! / 1000).toBeCloseTo(SECONDS[i][0], 6);
        expect(stage.meanTokensPassed).toBe(STAGES[i].passed.tokens);
        if (stage.meanTimeFailedMs !== null) expect(stage.meanTimeFailedMs / 1000).toBeCloseTo(SECONDS[i][1], 6);
        const rate = STAGES[i].successProbability;
        expect(Math.abs(stage.attemptPassRate! - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / stage.attempts));
      });
    });
  }

  it("retries raise the end-to-end success: 0.252 without, 0.643 with three attempts", () => {
    expect(jobSuccessProbability(models(1))).toBeCloseTo(0.9 * 0.933 * 0.3, 12);
    expect(jobSuccessProbability(models(3))).toBeCloseTo((1 - 0.1 ** 3) * (1 - 0.067 ** 3) * (1 - 0.7 ** 3), 12);
  });

  it("a measured time shorter than the LLM exchange on the reference node is refused", () => {
    const doc = boardAndCloud({
      devices: [
        {
          id: "dev",
          localNodes: ["board"],
          workload: { type: "pipeline", interarrival: "10 s", referenceNode: "board", stages: [{ ...STAGES[0], outputShare: 0.05 }] },
        },
      ],
    });
    expect(() => llmScenario(doc)).toThrow(/devices\[0\]\.workload\.stages\[0\]\.passed\.time/);
  });

  it("two stages of one name are refused at the second's name (the stages of the pipeline's graph are named by them)", () => {
    const doc = boardAndCloud({
      devices: [
        {
          id: "dev",
          localNodes: ["board"],
          workload: { type: "pipeline", interarrival: "10 s", referenceNode: "cloud", stages: [STAGES[0], { ...STAGES[1], name: STAGES[0].name }] },
        },
      ],
    });
    expect(() => llmScenario(doc)).toThrow(/devices\[0\]\.workload\.stages\[1\]\.name/);
  });
});
