import { Worker } from "node:worker_threads";
import { SimulationError } from "../../errors.js";
import { BRIDGE_BUFFER_BYTES, BridgeState } from "./bridge-states.js";
import type { PolicyBridge } from "./fifo-bridge.js";

/**
 * The worker script beside this module: dist/schedulers/external/bridge-worker.js for the library (tsc),
 * dist/cli/bridge-worker.js for the bundled CLI, whose chunks sit beside its entries (scripts/bundle.mjs).
 */
const WORKER_URL = new URL("./bridge-worker.js", import.meta.url);

/**
 * A synchronous line channel to an agent process: the simulation is single-threaded and
 * synchronous, so the main thread blocks in Atomics.wait while a worker thread does the
 * asynchronous pipe I/O. Each request sends one line and waits, at most `timeoutMs` of wall
 * time, for one line back.
 */
export class LineBridge implements PolicyBridge {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly data = new Uint8Array(new SharedArrayBuffer(BRIDGE_BUFFER_BYTES));
  private readonly worker: Worker;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  private closed = false;

  constructor(command: readonly string[], cwd: string, graceMs = 2000) {
    this.worker = new Worker(WORKER_URL, {
      workerData: { control: this.control.buffer, data: this.data.buffer, command: [...command], cwd, graceMs },
    });
    this.worker.unref();
  }

  /** Sends a line and returns the agent's answer; throws SimulationError on exit or timeout. */
  request(line: string, timeoutMs: number, what: string): string {
    this.send(line, BridgeState.request);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = Atomics.load(this.control, 0);
      if (state === BridgeState.response || state === BridgeState.failed) {
        const text = this.decoder.decode(this.data.slice(0, Atomics.load(this.control, 1)));
        Atomics.store(this.control, 0, BridgeState.idle);
        if (state === BridgeState.failed) throw new SimulationError(`${what}: ${text}`);
        return text;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new SimulationError(`${what}: no answer within ${timeoutMs} ms (wall clock)`);
      Atomics.wait(this.control, 0, state, left);
    }
  }

  /** Sends a line that expects no answer. */
  notify(line: string): void {
    this.send(line, BridgeState.notify);
    this.waitWhile(BridgeState.notify, 10_000);
  }

  /** Ends the agent (gracefully: stdin closed, a grace period, then SIGKILL; or at once) and reaps it. */
  close(graceful: boolean): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, 0, graceful ? BridgeState.close : BridgeState.kill);
    Atomics.notify(this.control, 0);
    this.waitWhile(graceful ? BridgeState.close : BridgeState.kill, 15_000);
  }

  private send(line: string, state: number): void {
    if (this.closed) throw new SimulationError("the policy bridge is closed");
    const bytes = this.encoder.encode(line);
    if (bytes.length > this.data.length) throw new SimulationError(`a policy message of ${bytes.length} bytes exceeds the bridge's ${this.data.length}`);
    this.data.set(bytes);
    Atomics.store(this.control, 1, bytes.length);
    Atomics.store(this.control, 0, state);
    Atomics.notify(this.control, 0);
  }

  private waitWhile(state: number, timeoutMs: number): void {
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.control, 0) === state) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      Atomics.wait(this.control, 0, state, left);
    }
  }
}
