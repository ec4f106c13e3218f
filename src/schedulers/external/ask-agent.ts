import { SimulationError } from "../../errors.js";
import type { PolicyBridge } from "./fifo-bridge.js";

/**
 * One lockstep exchange with an agent: send `message`, read one line, and check it is a JSON
 * message of the `expected` type answering this `decision` (the handshake's "ready" has none).
 * Anything else is a SimulationError naming `what` (the policy or router, the decision, the
 * simulated time) and the line received.
 */
export function askAgent(bridge: PolicyBridge, message: Record<string, unknown>, expected: string, decision: number, timeoutMs: number, what: string): Record<string, unknown> {
  const line = bridge.request(JSON.stringify(message), timeoutMs, what);
  let answer: unknown;
  try {
    answer = JSON.parse(line);
  } catch {
    throw new SimulationError(`${what}: expected a JSON line of type "${expected}", received ${showLine(line)}`);
  }
  if (answer === null || typeof answer !== "object" || (answer as { type?: unknown }).type !== expected) {
    throw new SimulationError(`${what}: expected a message of type "${expected}", received ${showLine(line)}`);
  }
  if (expected !== "ready" && (answer as { decision?: unknown }).decision !== decision) {
    throw new SimulationError(`${what}: the answer is for decision ${String((answer as { decision?: unknown }).decision)}, received ${showLine(line)}`);
  }
  return answer as Record<string, unknown>;
}

/** A received line for an error message, cut to 200 characters. */
export function showLine(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 197)}...` : text);
}

/**
 * Ends an agent: after a run, the end message (outcomes not yet delivered, the summary) and a
 * graceful close; after a failure (no summary), the agent is killed rather than told the run ended.
 */
export function endAgent(bridge: PolicyBridge, outcomes: unknown[], summary: object | undefined): void {
  if (summary === undefined) {
    bridge.close(false);
    return;
  }
  try {
    bridge.notify(JSON.stringify({ type: "end", outcomes, summary }));
  } finally {
    bridge.close(true);
  }
}
