/**
 * The handshake states in slot 0 of the bridge's shared Int32Array (slot 1 holds the byte length
 * of the message in the shared data buffer). The main thread blocks with Atomics.wait while the
 * worker thread, which owns the agent process and its pipes, does the asynchronous I/O.
 */
export const BridgeState = {
  idle: 0,
  /** main -> worker: send the message, wait for one line back. */
  request: 1,
  /** worker -> main: the agent's line. */
  response: 2,
  /** main -> worker: send the message, no answer expected. */
  notify: 3,
  /** worker -> main: the agent exited or could not start; the data is a description. */
  failed: 4,
  /** main -> worker: kill the agent now. */
  kill: 5,
  /** worker -> main: the agent has exited and been reaped. */
  done: 6,
  /** main -> worker: close the agent's stdin, wait for it to exit (kill it after a grace period). */
  close: 7,
} as const;

/** Bytes of the shared message buffer: a monitor view of 1,000 devices x 100 nodes fits. */
export const BRIDGE_BUFFER_BYTES = 32 * 1024 * 1024;
