import { growFloat64, growInt32, growUint8 } from "../../engine/typed-arrays.js";

/**
 * Requests in flight, as pooled records in typed arrays (81 bytes each, counting the
 * node queue's slot), recycled through a free list. A record index is the event argument.
 */
export class TaskPool {
  createdAt: Float64Array;
  networkUpMs: Float64Array;
  enqueuedAt: Float64Array;
  queueingMs: Float64Array;
  preprocessingMs: Float64Array;
  inferenceMs: Float64Array;
  device: Int32Array;
  node: Int32Array;
  /** The frame source (device workload) that created the request. */
  source: Int32Array;
  /** The serving node's crash epoch when service started. */
  epoch: Int32Array;
  /** Sequence number of the request in the run; a double so it never overflows. */
  sequence: Float64Array;
  /** 1 while the record holds a request in flight. */
  live: Uint8Array;
  /** 1 once a transfer of the request waited for a handover or for coverage (Network.lastDeliveryWaitMs). */
  waited: Uint8Array;
  private free: Int32Array;
  private freeCount = 0;
  private used = 0;
  private liveCount = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.createdAt = new Float64Array(capacity);
    this.networkUpMs = new Float64Array(capacity);
    this.enqueuedAt = new Float64Array(capacity);
    this.queueingMs = new Float64Array(capacity);
    this.preprocessingMs = new Float64Array(capacity);
    this.inferenceMs = new Float64Array(capacity);
    this.device = new Int32Array(capacity);
    this.node = new Int32Array(capacity);
    this.source = new Int32Array(capacity);
    this.epoch = new Int32Array(capacity);
    this.sequence = new Float64Array(capacity);
    this.live = new Uint8Array(capacity);
    this.waited = new Uint8Array(capacity);
    this.free = new Int32Array(capacity);
  }

  /** Records currently allocated. */
  get inFlight(): number {
    return this.liveCount;
  }

  /** Bytes held by the typed arrays (the pool's whole footprint). */
  get allocatedBytes(): number {
    return this.createdAt.length * (7 * 8 + 5 * 4 + 2);
  }

  allocate(): number {
    this.liveCount++;
    let task: number;
    if (this.freeCount > 0) task = this.free[--this.freeCount];
    else {
      if (this.used === this.createdAt.length) this.grow();
      task = this.used++;
    }
    this.live[task] = 1;
    this.waited[task] = 0;
    return task;
  }

  release(task: number): void {
    this.liveCount--;
    this.live[task] = 0;
    this.free[this.freeCount++] = task;
  }

  /** Calls `visit` for every request still in flight, in record order. */
  forEachLive(visit: (task: number) => void): void {
    for (let task = 0; task < this.used; task++) if (this.live[task] === 1) visit(task);
  }

  private grow(): void {
    const capacity = this.createdAt.length * 2;
    this.createdAt = growFloat64(this.createdAt, capacity);
    this.networkUpMs = growFloat64(this.networkUpMs, capacity);
    this.enqueuedAt = growFloat64(this.enqueuedAt, capacity);
    this.queueingMs = growFloat64(this.queueingMs, capacity);
    this.preprocessingMs = growFloat64(this.preprocessingMs, capacity);
    this.inferenceMs = growFloat64(this.inferenceMs, capacity);
    this.device = growInt32(this.device, capacity);
    this.node = growInt32(this.node, capacity);
    this.source = growInt32(this.source, capacity);
    this.epoch = growInt32(this.epoch, capacity);
    this.sequence = growFloat64(this.sequence, capacity);
    this.live = growUint8(this.live, capacity);
    this.waited = growUint8(this.waited, capacity);
    this.free = growInt32(this.free, capacity);
  }
}

/** A growable FIFO ring of int32 values (a node's waiting requests). */
export class IntQueue {
  private items: Int32Array;
  private head = 0;
  private length = 0;

  constructor(initialCapacity = 64) {
    this.items = new Int32Array(Math.max(4, initialCapacity));
  }

  get size(): number {
    return this.length;
  }

  get allocatedBytes(): number {
    return this.items.byteLength;
  }

  push(value: number): void {
    if (this.length === this.items.length) this.grow();
    this.items[(this.head + this.length) % this.items.length] = value;
    this.length++;
  }

  /** The oldest value, without removing it (the queue must not be empty). */
  peek(): number {
    return this.items[this.head];
  }

  shift(): number {
    const value = this.items[this.head];
    this.head = (this.head + 1) % this.items.length;
    this.length--;
    return value;
  }

  private grow(): void {
    const grown = new Int32Array(this.items.length * 2);
    for (let i = 0; i < this.length; i++) grown[i] = this.items[(this.head + i) % this.items.length];
    this.items = grown;
    this.head = 0;
  }
}
