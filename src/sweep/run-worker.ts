import { parentPort, workerData } from "node:worker_threads";
import type { RunSpec } from "./plan-types.js";
import { leaveTemporariesToMainThread } from "../io/atomic-file.js";
import { executeRun, type RunContext } from "./run-one.js";

/**
 * Worker-thread entry: receives runs one at a time, simulates each, writes its file and reports
 * the outcome. Writing in the worker keeps the main thread free and means a finished run is on
 * disk before anyone is told about it.
 */
leaveTemporariesToMainThread();
const context = workerData as RunContext;
const port = parentPort;
if (port === null) throw new Error("run-worker.js must be started as a worker thread");
port.on("message", (run: RunSpec) => {
  port.postMessage(executeRun(context, run));
});
