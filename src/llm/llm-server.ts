import type { Simulator } from "../engine/simulator.js";
import type { ServingSpec } from "./resolved.js";

/** A query as a server sees it: token counts in, two callbacks out. */
export interface ServerJob {
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** Prefill finished: the first output token exists (time to first token, before the downlink). */
  firstToken(): void;
  /** The last output token exists. */
  done(): void;
  /** The node crashed with the query queued or in service. */
  lost(): void;
  /** Set by the server: when the job entered the batch (queueing ends), and when its prefill ended. */
  startedAt: number;
  prefillEndedAt: number;
}

interface ActiveJob {
  readonly job: ServerJob;
  decoding: boolean;
  /** Tokens left in the current phase. */
  remaining: number;
}

/** Below this many tokens a phase counts as finished (the residue of rate x time rounding). */
const TOKEN_EPSILON = 1e-9;

/**
 * One model instance serving queries in a batch of at most maxBatch; the rest wait in FIFO order.
 *
 * A query first prefills its prompt, then decodes its output. With b queries in the batch each
 * progresses at rate x speedup[b] / b (speedup from the profile: aggregate throughput relative to
 * one query), so a query's remaining work is integrated piecewise between batch changes, as in a
 * processor-sharing queue: time to first token = queueing + prefill at the shares it got, total =
 * that + output tokens at the decode shares. A cloud endpoint (independent streams) serves every
 * query at the full rate, maxBatch then being its concurrency limit.
 */
export class LlmServer {
  private readonly queue: ServerJob[] = [];
  private queueHead = 0;
  private readonly active: ActiveJob[] = [];
  private lastUpdate = 0;
  private nextEvent: number | undefined;
  private nextTarget: ActiveJob | undefined;

  // Time-weighted statistics since `statsFrom`.
  private statsFrom = 0;
  private lastStat = 0;
  private busyArea = 0;
  private batchArea = 0;
  private queueArea = 0;
  served = 0;
  refused = 0;
  /** Refused because prompt + output exceed the context each batch slot holds. */
  refusedContext = 0;
  promptTokens = 0;
  outputTokens = 0;

  constructor(
    private readonly sim: Simulator,
    readonly spec: ServingSpec,
  ) {}

  /** Queries waiting (not yet in the batch). */
  get queueLength(): number {
    return this.queue.length - this.queueHead;
  }

  /** Queries in the batch. */
  get batchSize(): number {
    return this.active.length;
  }

  /** Whether any query was ever sent here: a node a policy never uses is not bought (no hardware or energy cost). */
  used = false;

  /** Queries sent to this server and still on the way (uplink, request overhead); kept by the sender. */
  inTransit = 0;

  /** Queries on the way, waiting or served now: what a gateway that routed them knows. */
  get outstanding(): number {
    return this.inTransit + this.queueLength + this.active.length;
  }

  /** False while the node is crashed. */
  up = true;
  /** Queries lost to crashes (queued or in service at a crash, or arriving while down). */
  lost = 0;
  private downSince = 0;
  /** Time down within the statistics window. */
  downMs = 0;

  /**
   * The node crashes: every query queued or in service is lost (told after the state is
   * consistent, like completions), and arrivals are lost until it recovers.
   */
  crash(): void {
    if (!this.up) return;
    this.advance();
    this.up = false;
    this.downSince = this.sim.now;
    if (this.nextEvent !== undefined) this.sim.cancel(this.nextEvent);
    this.nextEvent = undefined;
    this.nextTarget = undefined;
    const victims = [...this.active.map((entry) => entry.job), ...this.queue.slice(this.queueHead)];
    this.active.length = 0;
    this.queue.length = 0;
    this.queueHead = 0;
    this.lost += victims.length;
    for (const job of victims) job.lost();
  }

  recover(): void {
    if (this.up) return;
    this.accumulate();
    this.downMs += this.sim.now - Math.max(this.downSince, this.statsFrom);
    this.up = true;
    this.lastUpdate = this.sim.now;
  }

  /** Accepts a query; refuses it (false) when it does not fit the context window or the queue is full; loses it ("lost") while down. */
  submit(job: ServerJob): boolean | "lost" {
    this.used = true;
    if (!this.up) {
      this.lost++;
      return "lost";
    }
    if (job.promptTokens + job.outputTokens > this.spec.contextTokens) {
      this.refused++;
      this.refusedContext++;
      return false;
    }
    if (this.active.length >= this.spec.maxBatch && this.queueLength >= this.spec.queueCapacity) {
      this.refused++;
      return false;
    }
    this.advance();
    this.queue.push(job);
    this.admit();
    this.reschedule();
    return true;
  }

  /** Restarts the statistics and counters (end of the warm-up): node figures then cover the measured window only. */
  resetStatistics(): void {
    this.accumulate();
    this.statsFrom = this.sim.now;
    this.busyArea = 0;
    this.batchArea = 0;
    this.queueArea = 0;
    this.served = 0;
    this.refused = 0;
    this.refusedContext = 0;
    this.lost = 0;
    this.downMs = 0;
    this.promptTokens = 0;
    this.outputTokens = 0;
  }

  /** Busy share, mean batch and mean queue length over [statsFrom, now]. */
  statistics(): { busyMs: number; downMs: number; utilisation: number; meanBatch: number; meanQueueLength: number } {
    this.accumulate();
    const span = this.sim.now - this.statsFrom;
    return {
      busyMs: this.busyArea,
      // A crash still open at the end counts up to now.
      downMs: this.downMs + (this.up ? 0 : this.sim.now - Math.max(this.downSince, this.statsFrom)),
      utilisation: span > 0 ? this.busyArea / span : 0,
      meanBatch: span > 0 ? this.batchArea / span : 0,
      meanQueueLength: span > 0 ? this.queueArea / span : 0,
    };
  }

  private accumulate(): void {
    const now = this.sim.now;
    const dt = now - this.lastStat;
    if (dt > 0) {
      if (this.active.length > 0) this.busyArea += dt;
      this.batchArea += this.active.length * dt;
      this.queueArea += this.queueLength * dt;
    }
    this.lastStat = now;
  }

  private rate(entry: ActiveJob): number {
    const spec = this.spec;
    const base = entry.decoding ? spec.decodeTokensPerMs : spec.prefillTokensPerMs;
    if (spec.independentStreams) return base;
    const b = this.active.length;
    const speedups = entry.decoding ? spec.decodeSpeedup : spec.prefillSpeedup;
    return (base * speedups[Math.min(b, speedups.length) - 1]) / b;
  }

  /** Brings every active query's remaining work up to now at the rates of the batch as it was. */
  private advance(): void {
    const now = this.sim.now;
    const dt = now - this.lastUpdate;
    if (dt > 0) {
      for (const entry of this.active) entry.remaining -= this.rate(entry) * dt;
    }
    this.accumulate();
    this.lastUpdate = now;
  }

  private admit(): void {
    while (this.active.length < this.spec.maxBatch && this.queueLength > 0) {
      const job = this.queue[this.queueHead];
      this.queue[this.queueHead] = undefined as unknown as ServerJob;
      this.queueHead++;
      job.startedAt = this.sim.now;
      this.active.push({ job, decoding: false, remaining: job.promptTokens });
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  private reschedule(): void {
    if (this.nextEvent !== undefined) this.sim.cancel(this.nextEvent);
    this.nextEvent = undefined;
    this.nextTarget = undefined;
    let best = Infinity;
    for (const entry of this.active) {
      const t = Math.max(0, entry.remaining) / this.rate(entry);
      // Strictly less: on a tie the query that joined the batch first finishes first.
      if (t < best) {
        best = t;
        this.nextTarget = entry;
      }
    }
    if (this.nextTarget !== undefined) this.nextEvent = this.sim.schedule(best, () => this.phaseEnd());
  }

  private phaseEnd(): void {
    this.nextEvent = undefined;
    this.advance();
    if (this.nextTarget !== undefined) this.nextTarget.remaining = 0;
    const callbacks: Array<() => void> = [];
    const now = this.sim.now;
    for (let i = 0; i < this.active.length; i++) {
      const entry = this.active[i];
      if (entry.remaining > TOKEN_EPSILON) continue;
      if (!entry.decoding) {
        entry.decoding = true;
        entry.remaining = entry.job.outputTokens;
        entry.job.prefillEndedAt = now;
        this.promptTokens += entry.job.promptTokens;
        callbacks.push(() => entry.job.firstToken());
      } else {
        this.active.splice(i--, 1);
        this.served++;
        this.outputTokens += entry.job.outputTokens;
        callbacks.push(() => entry.job.done());
      }
    }
    this.admit();
    this.reschedule();
    // After the state is consistent: a callback may submit to this server again.
    for (const callback of callbacks) callback();
  }
}
