import * as z from "zod";
import { builtOnce } from "../../scenario/schema-on-use.js";
import { SimulationError } from "../../errors.js";
import type { ClusterView, Migration, NodeIndex, RunSummaryForPolicy, Scheduler, SchedulerContext, TaskOutcome, TaskRequest } from "../types.js";
import { askAgent, endAgent, showLine } from "./ask-agent.js";
import { LineBridge } from "./bridge.js";
import { FifoBridge, type PolicyBridge } from "./fifo-bridge.js";

export const POLICY_PROTOCOL = "continuum-sim/policy@1";

export const externalOptions = builtOnce(() =>
  z.strictObject({
    command: z.array(z.string().min(1)).min(1).meta({ description: 'The agent to start, e.g. ["python3", "agent.py"] (relative paths resolve from the working directory).' }),
    timeoutMs: z.number().positive().default(5000).meta({ description: "Wall-clock time the agent may take per answer." }),
    monitor: z.boolean().default(false).meta({ description: "Also ask the agent for migrations at every monitor tick." }),
    rewardPenalty: z.number().nonnegative().default(1).meta({ description: "Reward = -(total / deadline) - rewardPenalty when the deadline was missed." }),
    agentOptions: z.record(z.string(), z.unknown()).default({}).meta({ description: "Passed to the agent in its hello." }),
    transport: z.enum(["auto", "fifo", "worker"]).default("auto").meta({ description: "auto: named pipes where the system has them, else a worker thread; fifo or worker force one." }),
  }),
);

interface OutcomeMessage {
  sequence: number;
  device: number;
  node: number;
  createdAt: number;
  totalMs: number;
  violatedQos: boolean;
  reward: number;
}

/**
 * A policy in another process (Python, an RL agent...), spoken to in JSON lines, in lockstep:
 * every decision waits for the agent's answer, so a run is deterministic whenever the agent is.
 * The protocol is in docs/policy-protocol.md. Anything unexpected from the agent stops the run
 * with an error naming the decision, the simulated time and what was received.
 */
export function createExternal(context: SchedulerContext): Scheduler {
  const options = externalOptions().parse(context.options);
  // Named pipes from the main thread where the system has them; a worker thread elsewhere.
  const fifo = options.transport === "worker" ? undefined : FifoBridge.open(options.command, process.cwd());
  if (fifo === undefined && options.transport === "fifo") throw new SimulationError(`policy ${context.label}: named pipes are not available on this system`);
  const bridge: PolicyBridge = fifo ?? new LineBridge(options.command, process.cwd());
  const nodeIds = context.scenario.nodes.map((node) => node.id);
  const lastNode = new Int32Array(context.deviceCount).fill(-1);
  const outcomes: OutcomeMessage[] = [];
  let decision = 0;

  const ask = (message: Record<string, unknown>, expected: string, now: number): Record<string, unknown> =>
    askAgent(bridge, message, expected, decision, options.timeoutMs, `policy ${context.label}, decision ${decision} at t=${now} ms`);

  const nodeOf = (value: unknown, line: Record<string, unknown>, now: number): NodeIndex => {
    const index = typeof value === "string" ? nodeIds.indexOf(value) : value;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= nodeIds.length) {
      throw new SimulationError(
        `policy ${context.label}, decision ${decision} at t=${now} ms: node ${JSON.stringify(value)} does not exist (nodes: ${nodeIds.join(", ")}), received ${showLine(JSON.stringify(line))}`,
      );
    }
    return index;
  };

  try {
    const { command: _command, timeoutMs: _timeout, transport: _transport, agentOptions, ...settings } = options;
    ask({ type: "hello", protocol: POLICY_PROTOCOL, label: context.label, scenario: context.scenario, options: { ...settings, ...agentOptions } }, "ready", 0);
  } catch (error) {
    bridge.close(false);
    throw error;
  }

  const viewOf = (view: ClusterView, latency: number[] | number[][]) => {
    const nodes = Array.from({ length: view.nodeCount }, (_, node) => node);
    return {
      healthy: nodes.map((node) => view.isHealthy(node)),
      queueLength: nodes.map((node) => view.queueLength(node)),
      busySlots: nodes.map((node) => view.busySlots(node)),
      slots: nodes.map((node) => view.slots(node)),
      outstanding: nodes.map((node) => view.outstanding(node)),
      recentLatency: nodes.map((node) => {
        const value = view.recentLatency(node);
        return Number.isNaN(value) ? null : value;
      }),
      latency,
    };
  };

  const scheduler: Scheduler = {
    name: "external",
    place(task: TaskRequest, view: ClusterView): NodeIndex {
      decision++;
      const latency = Array.from({ length: view.nodeCount }, (_, node) => view.latency(task.device, node));
      const answer = ask(
        {
          type: "place",
          decision,
          time: view.now,
          task: { sequence: task.sequence, device: task.device, deviceId: task.deviceId, model: task.model, frameSizePx: task.frameSizePx, requestBytes: task.requestBytes, createdAt: task.createdAt },
          view: viewOf(view, latency),
          outcomes: outcomes.splice(0),
        },
        "action",
        view.now,
      );
      const node = nodeOf(answer.node, answer, view.now);
      lastNode[task.device] = node;
      return node;
    },
    observe(outcome: TaskOutcome): void {
      outcomes.push({
        sequence: outcome.sequence,
        device: outcome.device,
        node: outcome.node,
        createdAt: outcome.createdAt,
        totalMs: outcome.totalMs,
        violatedQos: outcome.violatedQos,
        reward: -(outcome.totalMs / context.scenario.qosDeadlineMs) - (outcome.violatedQos ? options.rewardPenalty : 0),
      });
    },
    close(summary: RunSummaryForPolicy | undefined): void {
      endAgent(bridge, outcomes.splice(0), summary);
    },
  };
  if (options.monitor) {
    scheduler.monitor = (view: ClusterView): Migration[] => {
      decision++;
      const matrix = Array.from({ length: view.deviceCount }, (_, device) => Array.from({ length: view.nodeCount }, (__, node) => view.latency(device, node)));
      const answer = ask({ type: "monitor", decision, time: view.now, view: viewOf(view, matrix), outcomes: outcomes.splice(0) }, "migrations", view.now);
      const moves = Array.isArray(answer.migrations) ? (answer.migrations as { device?: unknown; to?: unknown }[]) : [];
      return moves.map((move) => {
        const device = move.device;
        if (typeof device !== "number" || !Number.isInteger(device) || device < 0 || device >= view.deviceCount) {
          throw new SimulationError(`policy ${context.label}, decision ${decision} at t=${view.now} ms: device ${JSON.stringify(device)} does not exist`);
        }
        const to = nodeOf(move.to, answer, view.now);
        const from = lastNode[device] >= 0 ? lastNode[device] : to;
        lastNode[device] = to;
        return { device, from, to, reason: "external policy" };
      });
    };
  }
  return scheduler;
}
