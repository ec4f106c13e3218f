import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { workerData } from "node:worker_threads";
import { BridgeState } from "./bridge-states.js";
import { startAgent } from "./process-group.js";

/**
 * Runs in a worker thread: owns the agent process and relays one message at a time between the
 * main thread (blocked in Atomics.wait) and the agent's stdin/stdout.
 */
interface BridgeWorkerData {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
  command: string[];
  cwd: string;
  graceMs: number;
}

const { control: controlBuffer, data: dataBuffer, command, cwd, graceMs } = workerData as BridgeWorkerData;
const control = new Int32Array(controlBuffer);
const data = new Uint8Array(dataBuffer);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// In a process group of its own, guarded by this thread's clean-up process (process-group.ts).
const agent = startAgent(command, cwd, ["pipe", "pipe", "inherit"]);
const child = agent.child as ChildProcessWithoutNullStreams;
let exit: string | undefined;
const lines: string[] = [];
let wake: (() => void) | undefined;
const poke = (): void => {
  const resume = wake;
  wake = undefined;
  resume?.();
};
child.on("exit", (code, signal) => {
  exit = signal !== null ? `the agent was killed by ${signal}` : `the agent exited with code ${code}`;
  poke();
});
child.on("error", (error) => {
  exit = `the agent could not run: ${error.message}`;
  poke();
});
// A dead agent's pipe raises EPIPE on write: the exit event reports it.
child.stdin.on("error", () => undefined);
// Split stdout into lines by hand: readline's machinery costs more than the rest of a round trip.
let partial = "";
child.stdout.setEncoding("utf8");
child.stdout.on("data", (chunk: string) => {
  let start = 0;
  for (let end = chunk.indexOf("\n"); end >= 0; end = chunk.indexOf("\n", start)) {
    lines.push(partial + chunk.slice(start, end));
    partial = "";
    start = end + 1;
  }
  partial += chunk.slice(start);
  if (lines.length > 0) poke();
});

function nextLine(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const take = (): void => {
      if (lines.length > 0) resolve(lines.shift());
      else if (exit !== undefined) resolve(undefined);
      else wake = take;
    };
    take();
  });
}

function exited(): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (exit !== undefined) resolve();
      else wake = check;
    };
    check();
  });
}

function reply(state: number, text: string): void {
  const bytes = encoder.encode(text).subarray(0, data.length);
  data.set(bytes);
  Atomics.store(control, 1, bytes.length);
  Atomics.store(control, 0, state);
  Atomics.notify(control, 0);
}

/** Atomics.waitAsync (Node 16+; in TypeScript's lib only from ES2024). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

async function waitForWork(): Promise<number> {
  for (;;) {
    const state = Atomics.load(control, 0);
    if (state === BridgeState.request || state === BridgeState.notify || state === BridgeState.kill || state === BridgeState.close) return state;
    const waiting = waitAsync(control, 0, state);
    if (waiting.async) await waiting.value;
  }
}

async function stop(graceful: boolean): Promise<void> {
  if (exit === undefined) {
    child.stdin.end();
    if (!graceful) child.kill("SIGKILL");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceful ? graceMs : 0);
    await exited();
    clearTimeout(timer);
  }
  // Whatever the agent started goes with it (blocking this thread for at most the grace period).
  agent.endGroup(graceful ? graceMs : 0);
  reply(BridgeState.done, exit ?? "");
}

/** Resolves when the main thread asks to kill or close while a line is awaited (an agent that hangs). */
async function stopRequested(): Promise<number> {
  for (;;) {
    const state = Atomics.load(control, 0);
    if (state === BridgeState.kill || state === BridgeState.close) return state;
    const waiting = waitAsync(control, 0, state);
    if (waiting.async) await waiting.value;
  }
}

async function relay(): Promise<void> {
  for (;;) {
    const state = await waitForWork();
    if (state === BridgeState.kill || state === BridgeState.close) {
      await stop(state === BridgeState.close);
      return;
    }
    const message = decoder.decode(data.slice(0, Atomics.load(control, 1)));
    if (exit === undefined) child.stdin.write(`${message}\n`);
    if (state === BridgeState.notify) {
      reply(BridgeState.idle, "");
      continue;
    }
    const line = await Promise.race([nextLine(), stopping]);
    if (typeof line === "object" && line !== null) {
      await stopAfter(line.stop);
      return;
    }
    if (line === undefined) reply(BridgeState.failed, exit ?? "the agent closed its output");
    else reply(BridgeState.response, line);
  }
}

async function stopAfter(state: number): Promise<void> {
  await stop(state === BridgeState.close);
}

/** One watcher for the whole run (a watcher per request would pile up waiters). */
const stopping: Promise<{ stop: number }> = stopRequested().then((stop) => ({ stop }));

// A pending Atomics.waitAsync does not keep a thread alive: once the agent has exited, this timer
// keeps the worker listening until the main thread says it is done with it.
const keepAlive = setInterval(() => undefined, 1 << 30);
void relay().finally(() => clearInterval(keepAlive));
