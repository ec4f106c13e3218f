/**
 * Closed forms for a chain of stages with independent attempts: stage i passes an attempt with
 * probability p_i and is tried up to k_i times; the job fails at the first stage that runs out
 * of attempts. Used to check the simulation and to explain its numbers (docs/llm.md).
 */
export interface StageModel {
  readonly successProbability: number;
  readonly maxAttempts: number;
  readonly tokensPassed: number;
  readonly tokensFailed: number;
  readonly timePassedMs: number;
  readonly timeFailedMs: number;
}

/** P(stage passes within k attempts) = 1 - (1 - p)^k. */
export function stageSuccess(stage: StageModel): number {
  return 1 - (1 - stage.successProbability) ** stage.maxAttempts;
}

/** P(every stage passes). */
export function jobSuccessProbability(stages: readonly StageModel[]): number {
  return stages.reduce((product, stage) => product * stageSuccess(stage), 1);
}

/** Expected sum over the attempts a stage makes of `passed` or `failed` (tokens or time), whatever its outcome. */
function expectedPerStage(stage: StageModel, passed: number, failed: number): number {
  const p = stage.successProbability;
  let total = 0;
  for (let j = 1; j <= stage.maxAttempts; j++) total += (1 - p) ** (j - 1) * (p * passed + (1 - p) * failed);
  return total;
}

/** Expected sum over a passing stage's attempts, given that it passed: (j - 1) failures then a pass. */
function expectedPerStageGivenPass(stage: StageModel, passed: number, failed: number): number {
  const p = stage.successProbability;
  let total = 0;
  for (let j = 1; j <= stage.maxAttempts; j++) total += (1 - p) ** (j - 1) * p * ((j - 1) * failed + passed);
  return total / stageSuccess(stage);
}

/** E[tokens] of a job, ended either way: stage i is reached with probability prod_{m<i} s_m. */
export function expectedTokensPerJob(stages: readonly StageModel[]): number {
  let reach = 1;
  let total = 0;
  for (const stage of stages) {
    total += reach * expectedPerStage(stage, stage.tokensPassed, stage.tokensFailed);
    reach *= stageSuccess(stage);
  }
  return total;
}

/** E[tokens | the job succeeded]. */
export function expectedTokensPerSucceededJob(stages: readonly StageModel[]): number {
  return stages.reduce((sum, stage) => sum + expectedPerStageGivenPass(stage, stage.tokensPassed, stage.tokensFailed), 0);
}

/** E[time | the job succeeded], ms, with attempts back to back. */
export function expectedTimePerSucceededJobMs(stages: readonly StageModel[]): number {
  return stages.reduce((sum, stage) => sum + expectedPerStageGivenPass(stage, stage.timePassedMs, stage.timeFailedMs), 0);
}

/** Expected attempts of a job, ended either way. */
export function expectedAttemptsPerJob(stages: readonly StageModel[]): number {
  let reach = 1;
  let total = 0;
  for (const stage of stages) {
    total += reach * expectedPerStage(stage, 1, 1);
    reach *= stageSuccess(stage);
  }
  return total;
}
