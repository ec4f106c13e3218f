import type { Simulator } from "../../engine/simulator.js";
import type { StageStats } from "../../metrics/stage-stats.js";
import { DOWN, type Network, UP } from "../../network/network.js";
import type { LlmSettings } from "../../scenario/resolved-scenario.js";
import type { ServerJob } from "./batch-server.js";
import type { Target } from "./query-routes.js";

/** Times of one exchange, ms; a refused exchange has refused = true, one lost to a crash lost = true. */
export interface ExchangeTimes {
  readonly refused: boolean;
  readonly lost: boolean;
  readonly network: number;
  readonly queueing: number;
  readonly prefill: number;
  readonly decode: number;
  /** Arrival of the first and of the last token at the device (absolute). */
  readonly firstTokenAt: number;
  readonly doneAt: number;
  /** A transfer of the exchange waited for a handover or for coverage. */
  readonly waited: boolean;
}

/** What an exchange tells the query it belongs to (by the query's slot, given at `start`). */
export interface ExchangeClient {
  /** The first token reached the device (only for an exchange started with `reportsFirstToken`). */
  firstToken(query: number, times: ExchangeTimes): void;
  /** The last token reached the device, or the exchange was refused or lost. */
  done(query: number, times: ExchangeTimes): void;
}

/** What an exchange needs of the world. */
export interface ExchangeContext {
  readonly sim: Simulator;
  readonly network: Network;
  readonly llm: LlmSettings;
  /** Per node: the decode rates measured queries saw. */
  readonly decodeRate: readonly StageStats[];
}

// Which transfer of an exchange a network delivery is (the delivery's arg is slot * LEGS + leg).
const LEG_UP = 0;
const LEG_FIRST = 1;
const LEG_LAST = 2;
const LEGS = 3;

/**
 * One exchange in flight: its times (what the query reads), the server's job, and the state of
 * its transfers. Pooled and reused, so an exchange allocates nothing; its events carry its slot.
 */
class Exchange implements ServerJob, ExchangeTimes {
  query = 0;
  /** The owning query's id: a transfer still held at the end is the query's only while it lives. */
  queryId = 0;
  reportsFirstToken = false;
  device = 0;
  target: Target | undefined = undefined;
  promptTokens = 0;
  outputTokens = 0;
  measured = false;
  startedAt = Number.NaN;
  prefillEndedAt = Number.NaN;
  refused = false;
  lost = false;
  network = 0;
  queueing = 0;
  prefill = 0;
  decode = 0;
  firstTokenAt = Number.NaN;
  doneAt = Number.NaN;
  waited = false;
  /** The uplink's time, its start (a delivered one is timed at its arrival), the submission and the last token's send. */
  up = 0;
  upSentAt = 0;
  submittedAt = 0;
  lastSentAt = 0;
  /** The last token's arrival came before the first's (shared links reorder): it waits for the first. */
  lastTokenWaiting = false;
  /** The query has been told `done`: nothing more is told it. */
  ended = false;
  /** First-token arrivals still to come (after a crash or a reordered last token, they outlive `done`). */
  firstTokensPending = 0;

  constructor(
    readonly slot: number,
    private readonly owner: Exchanges,
  ) {}

  firstToken(): void {
    this.owner.served(this);
  }

  done(): void {
    this.owner.decoded(this);
  }

  crashed(): void {
    this.owner.lostAtServer(this);
  }
}

/**
 * Exchanges: one prompt in, tokens out, on a target: uplink (prompt bytes), the server's fixed
 * overhead, queueing, prefill, decode; the first and the last token each take a downlink
 * transfer. Every transfer goes through the one network: a fixed time is scheduled here (a
 * registered event kind, the exchange's slot as its argument); a transfer the network delivers
 * itself (a shared link, a wireless device) goes on at its arrival.
 */
export class Exchanges {
  private readonly pool: Exchange[] = [];
  private readonly free: number[] = [];
  private readonly submitKind: number;
  private readonly firstTokenKind: number;
  private readonly lastTokenKind: number;
  private readonly deliveryKind: number;

  constructor(
    private readonly ctx: ExchangeContext,
    private readonly client: ExchangeClient,
  ) {
    const sim = ctx.sim;
    this.deliveryKind = ctx.network.registerDelivery((arg) => this.delivered(arg));
    this.submitKind = sim.registerKind((slot) => this.submit(this.pool[slot]));
    this.firstTokenKind = sim.registerKind((slot) => this.firstTokenArrived(this.pool[slot]));
    this.lastTokenKind = sim.registerKind((slot) => this.tell(this.pool[slot]));
  }

  /**
   * Starts an exchange of the query in slot `query` (id `queryId`) from `device` on `target`;
   * `reportsFirstToken`: whether the query hears of its first token (a collaborative query's
   * local draft does not).
   */
  start(device: number, target: Target, promptTokens: number, outputTokens: number, measured: boolean, query: number, queryId: number, reportsFirstToken: boolean): void {
    const { sim, network, llm } = this.ctx;
    const ex = this.allocate();
    ex.query = query;
    ex.queryId = queryId;
    ex.reportsFirstToken = reportsFirstToken;
    ex.device = device;
    ex.target = target;
    ex.promptTokens = promptTokens;
    ex.outputTokens = outputTokens;
    ex.measured = measured;
    ex.startedAt = Number.NaN;
    ex.prefillEndedAt = Number.NaN;
    ex.refused = false;
    ex.lost = false;
    ex.network = 0;
    ex.queueing = 0;
    ex.prefill = 0;
    ex.decode = 0;
    ex.firstTokenAt = Number.NaN;
    ex.doneAt = Number.NaN;
    ex.waited = false;
    ex.up = 0;
    ex.submittedAt = 0;
    ex.lastTokenWaiting = false;
    ex.ended = false;
    ex.firstTokensPending = 0;
    const node = target.node;
    target.server.inTransit++;
    let fixedUp = 0;
    if (node !== undefined) {
      ex.upSentAt = sim.now;
      fixedUp = network.transfer(device, node, UP, promptTokens * llm.bytesPerToken + llm.requestOverheadBytes, this.deliveryKind, ex.slot * LEGS + LEG_UP);
    }
    if (Number.isNaN(fixedUp)) return;
    ex.up = fixedUp;
    sim.scheduleKind(fixedUp + target.server.spec.requestOverheadMs, this.submitKind, ex.slot);
  }

  /** The exchanges with a transfer held now (their device out of range), in start order: their queries waited. */
  held(): { readonly query: number; readonly queryId: number }[] {
    return this.ctx.network.heldArgs(this.deliveryKind).map((arg) => this.pool[Math.floor(arg / LEGS)]);
  }

  private allocate(): Exchange {
    const slot = this.free.pop();
    if (slot !== undefined) return this.pool[slot];
    const ex = new Exchange(this.pool.length, this);
    this.pool.push(ex);
    return ex;
  }

  /** A transfer the network delivered itself has arrived (lastDeliveryWaitMs readable). */
  private delivered(arg: number): void {
    const ex = this.pool[Math.floor(arg / LEGS)];
    const leg = arg % LEGS;
    if (this.ctx.network.lastDeliveryWaitMs > 0) ex.waited = true;
    if (leg === LEG_UP) {
      ex.up = this.ctx.sim.now - ex.upSentAt;
      this.ctx.sim.scheduleKind((ex.target as Target).server.spec.requestOverheadMs, this.submitKind, ex.slot);
    } else if (leg === LEG_FIRST) {
      ex.firstTokenAt = this.ctx.sim.now;
      this.firstTokenArrived(ex);
    } else if (Number.isNaN(ex.firstTokenAt)) {
      // Tokens stream in order: the last cannot arrive before the first.
      ex.lastTokenWaiting = true;
    } else this.lastTokenArrived(ex);
  }

  private submit(ex: Exchange): void {
    const server = (ex.target as Target).server;
    server.inTransit--;
    ex.submittedAt = this.ctx.sim.now;
    const accepted = server.submit(ex);
    if (accepted === "lost") this.lostAtServer(ex);
    else if (!accepted) {
      ex.refused = true;
      ex.network = ex.up;
      this.tell(ex);
    }
  }

  /** The server finished the prefill: the first token goes down. */
  served(ex: Exchange): void {
    const { sim, network, llm } = this.ctx;
    ex.queueing = ex.startedAt - ex.submittedAt;
    ex.prefill = ex.prefillEndedAt - ex.startedAt;
    const node = (ex.target as Target).node;
    ex.firstTokensPending++;
    const down = node === undefined ? 0 : network.transfer(ex.device, node, DOWN, llm.bytesPerToken, this.deliveryKind, ex.slot * LEGS + LEG_FIRST);
    if (Number.isNaN(down)) return;
    ex.firstTokenAt = sim.now + down;
    sim.scheduleKind(down, this.firstTokenKind, ex.slot);
  }

  /** The server produced the last token: it goes down, after the first. */
  decoded(ex: Exchange): void {
    const { sim, network, llm } = this.ctx;
    const node = (ex.target as Target).node;
    ex.decode = sim.now - ex.prefillEndedAt;
    // The eval rate a user of the node measures; warm-up queries are not measured.
    if (node !== undefined && ex.measured) this.ctx.decodeRate[node].add((ex.outputTokens / Math.max(ex.decode, 1e-9)) * 1000);
    ex.lastSentAt = sim.now;
    const down = node === undefined ? 0 : network.transfer(ex.device, node, DOWN, llm.bytesPerToken, this.deliveryKind, ex.slot * LEGS + LEG_LAST);
    if (Number.isNaN(down)) return;
    // Tokens stream in order: the last cannot arrive before the first.
    ex.doneAt = Math.max(sim.now + down, ex.firstTokenAt);
    ex.network = ex.up + (ex.doneAt - sim.now);
    sim.scheduleKind(ex.doneAt - sim.now, this.lastTokenKind, ex.slot);
  }

  lostAtServer(ex: Exchange): void {
    ex.lost = true;
    ex.network = ex.up;
    this.tell(ex);
  }

  private firstTokenArrived(ex: Exchange): void {
    ex.firstTokensPending--;
    if (!ex.ended && ex.reportsFirstToken) this.client.firstToken(ex.query, ex);
    if (ex.lastTokenWaiting) this.lastTokenArrived(ex);
    else if (ex.ended && ex.firstTokensPending === 0) this.free.push(ex.slot);
  }

  /** A delivered last token (now, or when the first arrived). */
  private lastTokenArrived(ex: Exchange): void {
    ex.lastTokenWaiting = false;
    ex.doneAt = this.ctx.sim.now;
    ex.network = ex.up + (ex.doneAt - ex.lastSentAt);
    this.tell(ex);
  }

  /** Tells the query the exchange is over; the exchange is reused once no first token is still to come. */
  private tell(ex: Exchange): void {
    ex.ended = true;
    this.client.done(ex.query, ex);
    if (ex.firstTokensPending === 0) this.free.push(ex.slot);
  }
}
