import type { DagApplication } from "./types.js";

/**
 * Who runs a stage's visits (issue 17): the runner hands each visit to the executor of its stage's
 * kind and hears back how it went; the executor does not know the graph. `Stations` runs station
 * stages (src/dag/station-stages.ts); the query traffic runs query stages
 * (src/world/queries/query-stages.ts).
 */

/** What an executor tells the runner about a visit, by the token the runner gave it. */
export interface StageClient {
  /** The visit took a server after waiting `waitMs` in the queue (not called when there is no queue: a wait of 0). */
  started(token: number, waitMs: number): void;
  /** The visit ended after `serviceMs`: passed (the job goes on) or failed (the stage is attempted again while attempts remain). A station's visit always passes. */
  finished(token: number, serviceMs: number, passed: boolean): void;
  /** The visit was lost: its node crashed while it queued or served there, or it reached the node while down. */
  lost(token: number): void;
}

/** A job as an executor sees it. */
export interface DagJobInfo {
  /** Sequence number of the job in its runner, from 0 in order of submission. */
  readonly sequence: number;
  /** The runner's slot of the job, its own until it ends (then reused). */
  readonly slot: number;
  readonly device: number;
  readonly arrivalMs: number;
}

/** Runs the visits of one kind of stage for one runner. Stage and host are indices into the runner's application. */
export interface StageExecutor {
  /** At submission: a job of `device` will visit `stage` on its host `host`. Returns the handle its visits `enter` by (Stations: the station, counted as expected there). */
  reserve(stage: number, host: number, device: number): number;
  /** The stage's last input is in (or its previous attempt failed): one visit starts now; `token` names it to the client. `job` is valid during the call only (the runner refills one object per visit). */
  enter(handle: number, stage: number, host: number, job: DagJobInfo, token: number): void;
  /** Expected wait of one more visit of `stage` on `host` for `device`, now: for placement. */
  expectedWaitMs(stage: number, host: number, device: number): number;
}

/** Builds a runner's executor of one stage kind, given the runner's application and itself as the client. */
export type StageExecutorFactory = (app: DagApplication, client: StageClient) => StageExecutor;

/** The executor factories a runner may need: one per stage kind. */
export interface StageExecutors {
  /** Station stages: Stations (src/dag/station-stages.ts). */
  readonly station?: StageExecutorFactory;
  /** Query stages: absent where nothing serves language models (an application with a query stage then cannot run). */
  readonly query?: StageExecutorFactory;
}
