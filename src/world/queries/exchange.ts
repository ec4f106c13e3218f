import type { Simulator } from "../../engine/simulator.js";
import type { StageStats } from "../../metrics/stage-stats.js";
import type { DeliveryClosures } from "../../network/delivery-closures.js";
import { DOWN, type Network, UP } from "../../network/network.js";
import type { LlmSettings } from "../../scenario/resolved-scenario.js";
import type { ServerJob } from "./batch-server.js";
import type { Target } from "./query-routes.js";

/** Times of one exchange, ms; a refused exchange has refused = true, one lost to a crash lost = true. */
export interface ExchangeTimes {
  refused: boolean;
  lost: boolean;
  network: number;
  queueing: number;
  prefill: number;
  decode: number;
  /** Arrival of the first and of the last token at the device (absolute). */
  firstTokenAt: number;
  doneAt: number;
  /** A transfer of the exchange waited for a handover or for coverage. */
  waited: boolean;
}

export interface ExchangeCallbacks {
  /** The query the exchange belongs to: its transfers still held when the run ends are found by it (DeliveryClosures.heldTags). */
  readonly query: number;
  firstToken(times: ExchangeTimes): void;
  done(times: ExchangeTimes): void;
}

/** What an exchange needs of the world. */
export interface ExchangeContext {
  readonly sim: Simulator;
  readonly network: Network;
  /** The exchanges' transfers the network delivers itself (shared links, wireless devices). */
  readonly deliveries: DeliveryClosures;
  readonly llm: LlmSettings;
  /** Per node: the decode rates measured queries saw. */
  readonly decodeRate: readonly StageStats[];
}

/**
 * One prompt in, tokens out, on a target: uplink (prompt bytes), the server's fixed overhead,
 * queueing, prefill, decode; the first and the last token each take a downlink transfer. Every
 * transfer goes through the one network: a fixed time is scheduled here; a transfer the network
 * delivers itself (a shared link, a wireless device) goes on at its arrival.
 */
export function exchange(ctx: ExchangeContext, device: number, target: Target, promptTokens: number, outputTokens: number, measured: boolean, callbacks: ExchangeCallbacks): void {
  const { sim, network, llm, deliveries } = ctx;
  const times: ExchangeTimes = { refused: false, lost: false, network: 0, queueing: 0, prefill: 0, decode: 0, firstTokenAt: NaN, doneAt: NaN, waited: false };
  const node = target.node;
  const overhead = target.server.spec.requestOverheadMs;
  const noteWait = (): void => {
    if (network.lastDeliveryWaitMs > 0) times.waited = true;
  };
  let up = 0;
  let submittedAt = 0;
  /** The last token's arrival, when it came before the first (shared links reorder): it waits for the first. */
  let lastTokenWaiting: (() => void) | undefined;
  const job: ServerJob = {
    promptTokens,
    outputTokens,
    startedAt: NaN,
    prefillEndedAt: NaN,
    firstToken: () => {
      times.queueing = job.startedAt - submittedAt;
      times.prefill = job.prefillEndedAt - job.startedAt;
      const arrived = (): void => {
        times.firstTokenAt = sim.now;
        callbacks.firstToken(times);
        lastTokenWaiting?.();
      };
      const down =
        node === undefined
          ? 0
          : deliveries.send(device, node, DOWN, llm.bytesPerToken, callbacks.query, () => {
              noteWait();
              arrived();
            });
      if (Number.isNaN(down)) return;
      times.firstTokenAt = sim.now + down;
      sim.schedule(down, () => callbacks.firstToken(times));
    },
    done: () => {
      times.decode = sim.now - job.prefillEndedAt;
      // The eval rate a user of the node measures; warm-up queries are not measured.
      if (node !== undefined && measured) ctx.decodeRate[node].add((outputTokens / Math.max(times.decode, 1e-9)) * 1000);
      const sentAt = sim.now;
      const down =
        node === undefined
          ? 0
          : deliveries.send(device, node, DOWN, llm.bytesPerToken, callbacks.query, () => {
              noteWait();
              // Tokens stream in order: the last cannot arrive before the first.
              const finish = (): void => {
                lastTokenWaiting = undefined;
                times.doneAt = sim.now;
                times.network = up + (times.doneAt - sentAt);
                callbacks.done(times);
              };
              if (Number.isNaN(times.firstTokenAt)) lastTokenWaiting = finish;
              else finish();
            });
      if (Number.isNaN(down)) return;
      // Tokens stream in order: the last cannot arrive before the first.
      times.doneAt = Math.max(sim.now + down, times.firstTokenAt);
      times.network = up + (times.doneAt - sim.now);
      sim.schedule(times.doneAt - sim.now, () => callbacks.done(times));
    },
    lost: () => {
      times.lost = true;
      times.network = up;
      callbacks.done(times);
    },
  };
  const submit = (): void => {
    target.server.inTransit--;
    submittedAt = sim.now;
    const accepted = target.server.submit(job);
    if (accepted === "lost") job.lost();
    else if (!accepted) {
      times.refused = true;
      times.network = up;
      callbacks.done(times);
    }
  };
  target.server.inTransit++;
  const fixedUp =
    node === undefined
      ? 0
      : deliveries.send(device, node, UP, promptTokens * llm.bytesPerToken + llm.requestOverheadBytes, callbacks.query, (delayMs) => {
          noteWait();
          up = delayMs;
          sim.schedule(overhead, submit);
        });
  if (Number.isNaN(fixedUp)) return;
  up = fixedUp;
  sim.schedule(up + overhead, submit);
}
