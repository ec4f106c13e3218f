import * as z from "zod";
import { builtOnce } from "../../scenario/schema-on-use.js";
import { SimulationError } from "../../errors.js";
import { askAgent, endAgent, showLine } from "../../schedulers/external/ask-agent.js";
import { LineBridge } from "../../schedulers/external/bridge.js";
import { FifoBridge, type PolicyBridge } from "../../schedulers/external/fifo-bridge.js";
import { routeUtility } from "./learned-router.js";
import { ROUTE_MODES, type QueryRouter, type RouteMode, type RouteOutcome, type RouterFactory } from "./types.js";

export const ROUTER_PROTOCOL = "continuum-sim/router@1";

export const externalRouterOptions = builtOnce(() =>
  z.strictObject({
    command: z.array(z.string().min(1)).min(1).meta({ description: 'The agent to start, e.g. ["python3", "router.py"] (relative paths resolve from the working directory).' }),
    timeoutMs: z.number().positive().default(5000).meta({ description: "Wall-clock time the agent may take per answer." }),
    agentOptions: z.record(z.string(), z.unknown()).default({}).meta({ description: "Passed to the agent in its hello." }),
    transport: z.enum(["auto", "fifo", "worker"]).default("auto").meta({ description: "auto: named pipes where the system has them, else a worker thread." }),
    reward: z
      .strictObject({
        violationPenalty: z.number().nonnegative().default(1),
        usdPerGoodAnswer: z.number().positive().default(0.01),
        cloudPenalty: z.number().nonnegative().default(0),
        latencyPenaltyPerSecond: z.number().nonnegative().default(0),
      })
      .default({ violationPenalty: 1, usdPerGoodAnswer: 0.01, cloudPenalty: 0, latencyPenaltyPerSecond: 0 })
      .meta({ description: "How each outcome's reward is computed: the learned-router's utility with these weights (docs/llm.md)." }),
  }),
);

/** A finished query as the agent sees it: JSON has no NaN, so a refused query's times are null. */
function outcomeMessage(outcome: RouteOutcome, reward: number): Record<string, unknown> {
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    device: outcome.deviceIndex,
    route: outcome.mode,
    complexity: outcome.complexity,
    ttftMs: finite(outcome.ttftMs),
    totalMs: finite(outcome.totalMs),
    violated: outcome.violated,
    costUsd: outcome.costUsd,
    reachedCloud: outcome.reachedCloud,
    quality: outcome.quality,
    good: outcome.good,
    at: outcome.at,
    reward,
  };
}

/**
 * A router in another process (Python, an RL agent...), spoken to in JSON lines in lockstep, over
 * the same transport as external schedulers (docs/policy-protocol.md), protocol
 * `continuum-sim/router@1` (docs/llm.md). Anything unexpected from the agent stops the run with an
 * error naming the decision, the simulated time and what was received.
 */
export const createExternalRouter: RouterFactory = (context) => {
  const options = externalRouterOptions().parse(context.options);
  const fifo = options.transport === "worker" ? undefined : FifoBridge.open(options.command, process.cwd());
  if (fifo === undefined && options.transport === "fifo") throw new SimulationError(`router ${context.label}: named pipes are not available on this system`);
  const bridge: PolicyBridge = fifo ?? new LineBridge(options.command, process.cwd());
  const outcomes: Record<string, unknown>[] = [];
  let decision = 0;

  const ask = (message: Record<string, unknown>, expected: string, now: number): Record<string, unknown> =>
    askAgent(bridge, message, expected, decision, options.timeoutMs, `router ${context.label}, decision ${decision} at t=${now} ms`);

  try {
    const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
    ask(
      {
        type: "hello",
        protocol: ROUTER_PROTOCOL,
        label: context.label,
        scenario: { ...context.scenario, qos: { ttftMs: finite(context.qos.ttftMs), totalMs: finite(context.qos.totalMs) } },
        routes: ROUTE_MODES,
        options: options.agentOptions,
      },
      "ready",
      0,
    );
  } catch (error) {
    bridge.close(false);
    throw error;
  }

  const router: QueryRouter = {
    name: "external",
    route(query, view) {
      decision++;
      const answer = ask(
        {
          type: "route",
          decision,
          time: view.now,
          query: { device: query.deviceIndex, promptTokens: query.promptTokens, outputTokens: query.outputTokens, complexity: query.complexity, purpose: query.purpose },
          view: { localOutstanding: view.localOutstanding(query.deviceIndex) },
          outcomes: outcomes.splice(0),
        },
        "action",
        view.now,
      );
      const route = answer.route;
      if (typeof route !== "string" || !(ROUTE_MODES as readonly string[]).includes(route)) {
        throw new SimulationError(
          `router ${context.label}, decision ${decision} at t=${view.now} ms: route ${JSON.stringify(route)} is not one of ${ROUTE_MODES.join(", ")}, received ${showLine(JSON.stringify(answer))}`,
        );
      }
      return route as RouteMode;
    },
    observe(outcome) {
      outcomes.push(outcomeMessage(outcome, routeUtility(outcome, options.reward)));
    },
    statistics: () => ({ decisions: decision }),
    close(summary) {
      endAgent(bridge, outcomes.splice(0), summary);
    },
  };
  return router;
};
