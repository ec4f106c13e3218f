import { SimulationError } from "../errors.js";
import { growFloat64, growInt32 } from "./typed-arrays.js";

export const CANCELLED_KIND = -1;
/** Most events that can be pending at once (slots are packed into handles: see below). */
export const MAX_PENDING_EVENTS = 1 << 22;
const SLOT_SPACE = MAX_PENDING_EVENTS;
const GENERATION_MASK = (1 << 30) - 1;

/**
 * The generation packed into a handle. Handles pass 2^31 once slots are reused (they are doubles,
 * not small integers), and `handle % SLOT_SPACE` on a double is a call to fmod: it was a few per
 * cent of llm-cost-20k, whose batched servers cancel an event per submission. Dividing by a power
 * of two, flooring, multiplying back and subtracting are all exact below 2^53.
 */
function generationOf(handle: number): number {
  return Math.floor(handle / SLOT_SPACE);
}

/**
 * The event records both pending-event sets share: `time`, `kind` and `arg` per slot in typed
 * arrays, slots recycled through a free list, and handles that pack (generation, slot) so a stale
 * handle can never cancel the event that reuses its slot (slot < 2^22, generation < 2^30: an
 * exact integer in a double). Cancellation here is lazy (the record is marked and skipped later);
 * a subclass may remove the record at once instead.
 */
export abstract class EventSlots {
  protected time: Float64Array;
  protected kind: Int32Array;
  protected arg: Int32Array;
  private generation: Int32Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotCount = 0;
  protected nextSeq = 0;
  protected liveCount = 0;

  constructor(requested: number) {
    // Never more slots than handles can name (a larger presize would let handles collide).
    const capacity = Math.min(requested, SLOT_SPACE);
    this.time = new Float64Array(capacity);
    this.kind = new Int32Array(capacity);
    this.arg = new Int32Array(capacity);
    this.generation = new Int32Array(capacity);
    this.freeSlots = new Int32Array(capacity);
  }

  /** Number of pending events that have not been cancelled. */
  get size(): number {
    return this.liveCount;
  }

  /** Total events ever pushed (the next sequence number). */
  get pushed(): number {
    return this.nextSeq;
  }

  /** Kind of a pending event by handle, or CANCELLED_KIND when it ran or was cancelled. */
  kindOfHandle(handle: number): number {
    const slot = this.pendingSlot(handle);
    return slot < 0 ? CANCELLED_KIND : this.kind[slot];
  }

  /** The slot of a pending, not cancelled event by handle; -1 when it ran or was cancelled. */
  protected pendingSlot(handle: number): number {
    const generation = generationOf(handle);
    const slot = handle - generation * SLOT_SPACE;
    if (slot >= this.slotCount || this.generation[slot] !== generation || this.kind[slot] === CANCELLED_KIND) return -1;
    return slot;
  }

  /** Argument of a pending event by handle (meaningful only while kindOfHandle is not CANCELLED_KIND). */
  argOfHandle(handle: number): number {
    return this.arg[handle - generationOf(handle) * SLOT_SPACE];
  }

  /** Cancels a pending event; returns false if it already ran or was cancelled. */
  cancel(handle: number): boolean {
    if (this.kindOfHandle(handle) === CANCELLED_KIND) return false;
    this.kind[handle - generationOf(handle) * SLOT_SPACE] = CANCELLED_KIND;
    this.liveCount--;
    return true;
  }

  timeOf(slot: number): number {
    return this.time[slot];
  }

  kindOf(slot: number): number {
    return this.kind[slot];
  }

  argOf(slot: number): number {
    return this.arg[slot];
  }

  /** A fresh record filled with the event; returns its slot. */
  protected newRecord(time: number, kind: number, arg: number): number {
    let slot: number;
    if (this.freeCount > 0) slot = this.freeSlots[--this.freeCount];
    else {
      if (this.slotCount === this.kind.length) this.grow();
      slot = this.slotCount++;
    }
    this.time[slot] = time;
    this.kind[slot] = kind;
    this.arg[slot] = arg;
    return slot;
  }

  protected handleOf(slot: number): number {
    return this.generation[slot] * SLOT_SPACE + slot;
  }

  /** Returns a slot to the free list once its event has left the set. */
  protected releaseSlot(slot: number): void {
    this.generation[slot] = (this.generation[slot] + 1) & GENERATION_MASK;
    this.freeSlots[this.freeCount++] = slot;
  }

  /** Subclasses grow their own per-slot arrays to `capacity` here. */
  protected abstract growRecords(capacity: number): void;

  /**
   * Doubles the per-slot arrays, the last step only up to SLOT_SPACE: a queue presized to a count
   * that is not a power of two (one event a device) used to double past it and refuse at about
   * 3.1 M-4.0 M pending events instead of at the 4,194,304 its handles can name.
   */
  private grow(): void {
    const current = this.kind.length;
    if (current >= SLOT_SPACE) {
      // A model state, not a bug: every request in flight holds an event (work-estimate.ts refuses what is known before the run).
      throw new SimulationError(
        `more than ${SLOT_SPACE} events pending at once (requests in flight, arrivals, timers): the run outgrew the event queue; lower the arrival rates or device counts, or the time requests wait`,
      );
    }
    const capacity = Math.min(Math.max(1, current * 2), SLOT_SPACE);
    this.time = growFloat64(this.time, capacity);
    this.kind = growInt32(this.kind, capacity);
    this.arg = growInt32(this.arg, capacity);
    this.generation = growInt32(this.generation, capacity);
    this.freeSlots = growInt32(this.freeSlots, capacity);
    this.growRecords(capacity);
  }
}
