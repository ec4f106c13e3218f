import type { Simulator } from "../../engine/simulator.js";
import type { ServingSpec } from "../../llm/resolved.js";
import type { ComputeUnit } from "../traffic-context.js";
import { ServerWindow, type WindowStatistics } from "./server-window.js";

/** A query as a server sees it: token counts in, two callbacks out. */
export interface ServerJob {
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** Prefill finished: the first output token exists (time to first token, before the downlink). */
  firstToken(): void;
  /** The last output token exists. */
  done(): void;
  /** The node crashed with the query queued or in service (the query is lost). */
  crashed(): void;
  /** Set by the server: when the job entered the batch (queueing ends), and when its prefill ended. */
  startedAt: number;
  prefillEndedAt: number;
}

/** Where the server sits, for the world's bookkeeping (a device's own model has none). */
export interface ServerPlacement {
  /** The compute unit its inference runs on. */
  readonly unit: ComputeUnit;
  /** Told 1 when the batch becomes non-empty, 0 when it empties. */
  readonly loadChanged: (level: number) => void;
  /**
   * With a control plane (issue 17): whether the node's language model takes new queries now
   * (ControlPlane.accepting), and what to tell it of a query that came anyway (a stale view).
   * Undefined without one: the model runs from time 0.
   */
  readonly control?: { accepting(): boolean; inCluster(): boolean; rejected(): void };
}

/** Below this many tokens a phase counts as finished (the residue of rate x time rounding). */
const TOKEN_EPSILON = 1e-9;

/**
 * One model instance serving queries in a batch of at most maxBatch; the rest wait in FIFO order.
 *
 * A query first prefills its prompt, then decodes its output. With b queries in the batch each
 * progresses at rate x speedup[b] / b x speed (speedup from the profile: aggregate throughput
 * relative to one query; speed: the share of its compute unit the service gets now, 1 alone), so
 * a query's remaining work is integrated piecewise between batch or speed changes, as in a
 * processor-sharing queue. A cloud endpoint (independent streams) serves every query at the full
 * rate, maxBatch then being its concurrency limit.
 *
 * Its figures cover the measurement window [windowFrom, windowTo) whichever query the work
 * belonged to: time averages (utilisation, mean batch, mean queue length, down time) over it, and
 * counters of what happened in it (under overload they show the node's capacity); a drain never
 * dilutes them.
 */
export class BatchServer {
  private readonly queue: ServerJob[] = [];
  private queueHead = 0;
  // The batch in the order its queries joined it, as parallel arrays (no object per admission):
  // the job, whether it decodes (1) or prefills (0), and the tokens left in its current phase.
  private readonly active: ServerJob[] = [];
  private decoding = new Uint8Array(8);
  private remaining = new Float64Array(8);
  private lastUpdate = 0;
  private nextEvent: number | undefined;
  /** The batch position whose phase the pending phase end finishes (-1: none), and in how long it was due when planned. */
  private nextTarget = -1;
  private bestMs = Infinity;
  /** The event kind of this server's phase ends (a registered handler: no closure per event). */
  private readonly phaseEndKind: number;
  /** Share of the compute unit's speed the service has now (cached: a change is integrated at the old one first). */
  private speed = 1;
  /** Tokens per ms of one query in each phase for the batch and speed now; set by `updateRates`. */
  private prefillRate = 0;
  private decodeRate = 0;
  /** Tokens of one query in each phase since the last update; set by `step`. */
  private prefillStep = 0;
  private decodeStep = 0;
  /**
   * The same rates and steps indexed by a query's `decoding` flag (0 prefill, 1 decode): the loops
   * over the batch read them without a branch on the flag, which mixes phases at random in a
   * cloud endpoint's batch (a mispredicted branch per query and pass). Filled with the fields above.
   */
  private readonly rateOf = new Float64Array(2);
  private readonly stepOf = new Float64Array(2);
  private readonly unitId: number;
  private readonly told: ServerJob[] = [];
  private readonly prefilled: boolean[] = [];

  /** Time-weighted statistics, clipped to the window. */
  private readonly window: ServerWindow;
  served = 0;
  refused = 0;
  /** Refused because prompt + output exceed the context each batch slot holds. */
  refusedContext = 0;
  promptTokens = 0;
  outputTokens = 0;
  /** Queries lost to crashes (queued or in service at a crash, or arriving while down). */
  lost = 0;

  constructor(
    private readonly sim: Simulator,
    readonly spec: ServingSpec,
    private readonly windowFrom: number,
    private readonly windowTo: number,
    private readonly placement: ServerPlacement | undefined,
  ) {
    this.window = new ServerWindow(windowFrom, windowTo);
    this.phaseEndKind = sim.registerKind(() => this.phaseEnd());
    this.unitId = placement === undefined ? -1 : placement.unit.register(() => this.speedChanged());
    if (placement !== undefined) this.speed = placement.unit.speedOf(this.unitId);
  }

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

  /**
   * The node crashes: every query queued or in service is lost (told after the state is
   * consistent, like completions), and arrivals are lost until it recovers.
   */
  crash(): void {
    if (!this.up) return;
    this.advance();
    this.up = false;
    if (this.nextEvent !== undefined) this.sim.cancel(this.nextEvent);
    this.nextEvent = undefined;
    this.nextTarget = -1;
    const victims = [...this.active, ...this.queue.slice(this.queueHead)];
    const wasBusy = this.active.length > 0;
    this.active.length = 0;
    this.queue.length = 0;
    this.queueHead = 0;
    if (wasBusy) this.busyChanged(false);
    if (this.inWindow()) this.lost += victims.length;
    for (const job of victims) job.crashed();
  }

  recover(): void {
    if (this.up) return;
    this.accumulate(this.sim.now);
    this.up = true;
    this.lastUpdate = this.sim.now;
  }

  /**
   * Accepts a query; refuses it (false) when it does not fit the context window or the queue is
   * full; loses it ("lost") while down or while the control plane runs no replica of it here.
   */
  submit(job: ServerJob): boolean | "lost" {
    this.used = true;
    const control = this.placement?.control;
    if (!this.up) {
      // Down because it left the cluster (a stale view sent it: counted by the catalog), or crashed.
      if (control !== undefined && !control.inCluster()) control.rejected();
      if (this.inWindow()) this.lost++;
      return "lost";
    }
    if (control !== undefined && !control.accepting()) {
      control.rejected();
      if (this.inWindow()) this.lost++;
      return "lost";
    }
    if (job.promptTokens + job.outputTokens > this.spec.contextTokens) {
      if (this.inWindow()) {
        this.refused++;
        this.refusedContext++;
      }
      return false;
    }
    if (this.active.length >= this.spec.maxBatch && this.queueLength >= this.spec.queueCapacity) {
      if (this.inWindow()) this.refused++;
      return false;
    }
    // Independent streams: the rates do not depend on the batch, so the pass that integrates the
    // work also finds the earliest phase end among the queries already in the batch.
    const fused = this.spec.independentStreams;
    if (fused) this.advanceAndScan();
    else this.advance();
    const wasBusy = this.active.length > 0;
    const before = this.active.length;
    this.queue.push(job);
    this.admit();
    if (!wasBusy) this.busyChanged(true);
    if (fused) this.scheduleEarliest(before);
    else this.reschedule();
    return true;
  }

  /** Whether now is inside the window (counters count what happens there). */
  private inWindow(): boolean {
    const now = this.sim.now;
    return now >= this.windowFrom && now < this.windowTo;
  }

  /** Busy time, mean batch and mean queue length over the window, closed at `endMs` (the end of the run). */
  statistics(endMs: number): WindowStatistics {
    this.accumulate(endMs);
    return this.window.statistics();
  }

  /** Integrates the state since the last call up to `now`, the part inside the window. */
  private accumulate(now: number): void {
    this.window.accumulate(now, this.active.length, this.queueLength, !this.up);
  }

  /**
   * Each phase's per-query rate for the batch and speed now: once per integration step rather than
   * once per query (the same expression, so the same doubles as a per-query computation).
   */
  private updateRates(): void {
    const spec = this.spec;
    const prefill = spec.prefillTokensPerMs * this.speed;
    const decode = spec.decodeTokensPerMs * this.speed;
    if (spec.independentStreams) {
      this.prefillRate = prefill;
      this.decodeRate = decode;
    } else {
      const b = this.active.length;
      if (b === 0) return;
      this.prefillRate = (prefill * spec.prefillSpeedup[Math.min(b, spec.prefillSpeedup.length) - 1]) / b;
      this.decodeRate = (decode * spec.decodeSpeedup[Math.min(b, spec.decodeSpeedup.length) - 1]) / b;
    }
    this.rateOf[0] = this.prefillRate;
    this.rateOf[1] = this.decodeRate;
  }

  /** Brings every active query's remaining work up to now at the rates of the batch (and speed) as it was. */
  private advance(): void {
    this.step();
    const stepOf = this.stepOf;
    const decoding = this.decoding;
    const remaining = this.remaining;
    const b = this.active.length;
    for (let i = 0; i < b; i++) remaining[i] -= stepOf[decoding[i]];
  }

  /**
   * The work each phase's queries did since the last update (prefillStep, decodeStep; 0 when
   * none: subtracting 0 leaves every double as it was), and the statistics integrated up to now.
   * The rates are those of the batch and speed now, as the caller's scan after it needs them
   * (every reader of the rates sets them first, so setting them with nothing to step is harmless).
   */
  private step(): void {
    const now = this.sim.now;
    const dt = now - this.lastUpdate;
    this.prefillStep = 0;
    this.decodeStep = 0;
    if (this.active.length > 0) {
      this.updateRates();
      if (dt > 0) {
        this.prefillStep = this.prefillRate * dt;
        this.decodeStep = this.decodeRate * dt;
      }
    }
    this.stepOf[0] = this.prefillStep;
    this.stepOf[1] = this.decodeStep;
    this.accumulate(now);
    this.lastUpdate = now;
  }

  /** The unit's share for this service changed (now): finish the work done at the old speed, then replan. */
  private speedChanged(): void {
    if (this.placement === undefined) return;
    const speed = this.placement.unit.speedOf(this.unitId);
    if (speed === this.speed) return;
    this.advance();
    this.speed = speed;
    if (this.up) this.reschedule();
  }

  /** The batch became non-empty (true) or empty (false): the node's load and the unit's contention follow. */
  private busyChanged(busy: boolean): void {
    if (this.placement === undefined) return;
    this.placement.loadChanged(busy ? 1 : 0);
    this.placement.unit.setBusy(this.unitId, busy);
    // A unit calls back only the OTHER services whose share changed: the share this one starts
    // (or stops) with is read here. Work up to now is already integrated by the caller.
    this.speed = this.placement.unit.speedOf(this.unitId);
  }

  private admit(): void {
    while (this.active.length < this.spec.maxBatch && this.queueLength > 0) {
      const job = this.queue[this.queueHead];
      this.queue[this.queueHead] = undefined as unknown as ServerJob;
      this.queueHead++;
      job.startedAt = this.sim.now;
      const at = this.active.length;
      if (at === this.remaining.length) this.grow();
      this.active.push(job);
      this.decoding[at] = 0;
      this.remaining[at] = job.promptTokens;
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  /** Doubles the batch arrays (a batch larger than any before). */
  private grow(): void {
    const decoding = new Uint8Array(this.decoding.length * 2);
    decoding.set(this.decoding);
    this.decoding = decoding;
    const remaining = new Float64Array(this.remaining.length * 2);
    remaining.set(this.remaining);
    this.remaining = remaining;
  }

  /** Plans the next phase end from scratch: the query whose phase ends first at the rates now. */
  private reschedule(): void {
    this.bestMs = Infinity;
    this.nextTarget = -1;
    this.scheduleEarliest(0);
  }

  /**
   * Schedules the phase end of the batch's earliest query, the positions before `from` already
   * scanned (bestMs, nextTarget) at the rates now, and cancels the pending one.
   */
  private scheduleEarliest(from: number): void {
    this.updateRates();
    this.scheduleFrom(from);
  }

  /** scheduleEarliest with the rates already set for the batch and speed now (a phase end's fused pass). */
  private scheduleFrom(from: number): void {
    if (this.nextEvent !== undefined) this.sim.cancel(this.nextEvent);
    this.nextEvent = undefined;
    const decoding = this.decoding;
    const remaining = this.remaining;
    const rateOf = this.rateOf;
    const b = this.active.length;
    let best = this.bestMs;
    let target = this.nextTarget;
    for (let i = from; i < b; i++) {
      const t = Math.max(0, remaining[i]) / rateOf[decoding[i]];
      // Strictly less: on a tie the query that joined the batch first finishes first.
      if (t < best) {
        best = t;
        target = i;
      }
    }
    this.nextTarget = target;
    if (target >= 0) this.nextEvent = this.sim.scheduleKind(best, this.phaseEndKind, 0);
  }

  /** advance(), and the earliest phase end among the batch's queries at the rates now (independent streams only: they do not depend on the batch). */
  private advanceAndScan(): void {
    this.step();
    const stepOf = this.stepOf;
    const rateOf = this.rateOf;
    const decoding = this.decoding;
    const remaining = this.remaining;
    const b = this.active.length;
    let best = Infinity;
    let target = -1;
    for (let i = 0; i < b; i++) {
      const phase = decoding[i];
      const left = remaining[i] - stepOf[phase];
      remaining[i] = left;
      const t = Math.max(0, left) / rateOf[phase];
      if (t < best) {
        best = t;
        target = i;
      }
    }
    this.bestMs = best;
    this.nextTarget = target;
  }

  private phaseEnd(): void {
    this.nextEvent = undefined;
    // advance() and the compaction below in one pass: the same subtractions, then the target's phase is over.
    this.step();
    const stepOf = this.stepOf;
    const target = this.nextTarget;
    // This pass also finds the earliest next phase end at the rates now (set by step), valid when
    // they hold after the batch changes: always for independent streams, else when the batch keeps its size.
    const rateOf = this.rateOf;
    const decodeRate = this.decodeRate;
    let best = Infinity;
    let next = -1;
    // The queries to tell, in batch order, and whether each finished its prefill (else its output).
    // Scratch arrays, overwritten from index 0 (truncating them cost a runtime call): a phase end
    // runs only from the event loop, never inside its own callbacks.
    const told = this.told;
    const prefilled = this.prefilled;
    let toldCount = 0;
    const now = this.sim.now;
    const counted = this.inWindow();
    const active = this.active;
    const decoding = this.decoding;
    const remaining = this.remaining;
    // Compacts the batch in place, keeping order (a splice per finished query allocated an array).
    let kept = 0;
    const b = active.length;
    for (let i = 0; i < b; i++) {
      const job = active[i];
      const phase = decoding[i];
      const left = i === target ? 0 : remaining[i] - stepOf[phase];
      if (left > TOKEN_EPSILON) {
        if (kept !== i) {
          active[kept] = job;
          decoding[kept] = phase;
        }
        // left > 0 here: the same double as reschedule's max(0, left) / rate.
        const t = left / rateOf[phase];
        if (t < best) {
          best = t;
          next = kept;
        }
        remaining[kept++] = left;
        continue;
      }
      told[toldCount] = job;
      prefilled[toldCount++] = decoding[i] === 0;
      if (decoding[i] === 0) {
        job.prefillEndedAt = now;
        if (counted) this.promptTokens += job.promptTokens;
        const t = job.outputTokens / decodeRate;
        if (t < best) {
          best = t;
          next = kept;
        }
        active[kept] = job;
        decoding[kept] = 1;
        remaining[kept++] = job.outputTokens;
      } else if (counted) {
        this.served++;
        this.outputTokens += job.outputTokens;
      }
    }
    // pop, not a length store: setting length is a runtime call.
    while (active.length > kept) active.pop();
    this.admit();
    if (this.active.length === 0) this.busyChanged(false);
    if (this.spec.independentStreams || this.active.length === b) {
      // The rates of the pass hold (a batch left empty schedules nothing, whatever its speed now).
      this.bestMs = best;
      this.nextTarget = next;
      this.scheduleFrom(kept);
    } else this.reschedule();
    // After the state is consistent: a callback may submit to this server again.
    for (let i = 0; i < toldCount; i++) {
      if (prefilled[i]) told[i].firstToken();
      else told[i].done();
    }
  }
}
