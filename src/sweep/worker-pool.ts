import { Worker } from "node:worker_threads";
import type { RunSpec } from "./plan-types.js";
import { rmSync } from "node:fs";
import { temporaryName } from "../io/atomic-file.js";
import { guardTemporary } from "../io/cleanup.js";
import { runFiles, type RunContext, type RunOutcome } from "./run-one.js";

/**
 * The worker script beside this module: dist/sweep/run-worker.js for the library (tsc), dist/cli/run-worker.js
 * for the bundled CLI, whose chunks sit beside its entries (scripts/bundle.mjs).
 */
const WORKER_URL = new URL("./run-worker.js", import.meta.url);

/**
 * Runs `runs` on `jobs` worker threads, feeding each worker its next run as soon as it reports.
 * Order of completion is irrelevant: each run writes its own file and the summary is built from
 * the files, sorted (or, without an output folder, each outcome carries its results and the
 * caller files them by run). A worker that dies (out of memory, a native crash) fails its run and is
 * replaced, so the other runs go on.
 */
export async function runOnWorkers(context: RunContext, runs: readonly RunSpec[], jobs: number, onOutcome: (outcome: RunOutcome, run: RunSpec) => undefined | "stop"): Promise<void> {
  let next = 0;
  const workerCount = Math.max(1, Math.min(jobs, runs.length));
  await Promise.all(Array.from({ length: workerCount }, () => drive()));

  async function drive(): Promise<void> {
    while (next < runs.length) {
      const worker = new Worker(WORKER_URL, { workerData: context });
      try {
        await feed(worker);
      } finally {
        await worker.terminate();
      }
    }
  }

  /** Feeds one worker until the queue is empty (resolves) or the worker dies (resolves after failing its run). */
  function feed(worker: Worker): Promise<void> {
    return new Promise((resolvePromise) => {
      let current: RunSpec | undefined;
      // The temp files the worker may write for its current run, guarded here (see leaveTemporariesToMainThread).
      let guarded: Array<{ path: string; release: () => void }> = [];
      const unguard = (remove: boolean): void => {
        for (const { path, release } of guarded) {
          if (remove) rmSync(path, { force: true });
          release();
        }
        guarded = [];
      };
      const sendNext = (): void => {
        unguard(false);
        current = next < runs.length ? runs[next++] : undefined;
        if (current === undefined) {
          resolvePromise();
          return;
        }
        const outDir = context.outDir;
        guarded =
          outDir === undefined
            ? []
            : Object.values(runFiles(outDir, current.id)).map((file) => {
                const path = temporaryName(file, worker.threadId);
                return { path, release: guardTemporary({ kind: "path", path }) };
              });
        worker.postMessage(current);
      };
      worker.on("message", (outcome: RunOutcome) => {
        // "stop": no run is handed out any more; the runs under way finish.
        if (current !== undefined && onOutcome(outcome, current) === "stop") next = runs.length;
        sendNext();
      });
      const died = (reason: string): void => {
        // A worker that died mid-write left its temp file.
        unguard(true);
        if (current !== undefined && onOutcome({ id: current.id, ok: false, error: `worker died: ${reason}` }, current) === "stop") next = runs.length;
        current = undefined;
        resolvePromise();
      };
      worker.on("error", (error) => died(error.message));
      worker.on("exit", (code) => {
        if (current !== undefined) died(`exit code ${code}`);
      });
      sendNext();
    });
  }
}
