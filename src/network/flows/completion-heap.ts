/**
 * The flows in flight ordered by completion time, then id: an indexed binary min-heap whose keys
 * are updated in place (SimGrid's Lazy action heap). The engine's queues cancel lazily, so
 * rescheduling one event per flow whenever its rate changed left a dead record per change:
 * on a link with 1,000 flows every start or end moves all 1,000, and the queue overflowed
 * (measured, src/bench/flow-events.ts). Here a change costs O(log n) and leaves nothing behind;
 * the FlowNetwork keeps one engine event at the earliest completion.
 */
export class CompletionHeap {
  /** Slots in heap order. */
  private heap: Int32Array = new Int32Array(64);
  private size = 0;
  /** Per slot: its index in `heap`, or -1 when absent. */
  private position: Int32Array = new Int32Array(64).fill(-1);
  private time: Float64Array = new Float64Array(64);
  private id: Float64Array = new Float64Array(64);

  get length(): number {
    return this.size;
  }

  /** The slot completing first (ties: lowest id), or -1 when empty. */
  top(): number {
    return this.size > 0 ? this.heap[0] : -1;
  }

  /** Completion time of the first slot (Infinity when empty). */
  topTime(): number {
    return this.size > 0 ? this.time[this.heap[0]] : Number.POSITIVE_INFINITY;
  }

  /** Inserts `slot` or moves it to its new completion `time`. */
  set(slot: number, id: number, time: number): void {
    this.ensure(slot);
    this.time[slot] = time;
    this.id[slot] = id;
    let at = this.position[slot];
    if (at < 0) {
      if (this.size === this.heap.length) {
        const grown = new Int32Array(this.heap.length * 2);
        grown.set(this.heap);
        this.heap = grown;
      }
      at = this.size++;
      this.heap[at] = slot;
      this.position[slot] = at;
    }
    this.down(this.up(at));
  }

  /** Removes `slot` if present. */
  remove(slot: number): void {
    const at = slot < this.position.length ? this.position[slot] : -1;
    if (at < 0) return;
    this.position[slot] = -1;
    const last = this.heap[--this.size];
    if (at === this.size) return;
    this.heap[at] = last;
    this.position[last] = at;
    this.down(this.up(at));
  }

  private before(a: number, b: number): boolean {
    const ta = this.time[a];
    const tb = this.time[b];
    return ta < tb || (ta === tb && this.id[a] < this.id[b]);
  }

  private up(at: number): number {
    const slot = this.heap[at];
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const other = this.heap[parent];
      if (!this.before(slot, other)) break;
      this.heap[at] = other;
      this.position[other] = at;
      at = parent;
    }
    this.heap[at] = slot;
    this.position[slot] = at;
    return at;
  }

  private down(at: number): void {
    const slot = this.heap[at];
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.before(this.heap[child + 1], this.heap[child])) child++;
      const other = this.heap[child];
      if (!this.before(other, slot)) break;
      this.heap[at] = other;
      this.position[other] = at;
      at = child;
    }
    this.heap[at] = slot;
    this.position[slot] = at;
  }

  private ensure(slot: number): void {
    if (slot < this.position.length) return;
    let length = this.position.length;
    while (length <= slot) length *= 2;
    const position = new Int32Array(length).fill(-1);
    position.set(this.position);
    this.position = position;
    const time = new Float64Array(length);
    time.set(this.time);
    this.time = time;
    const id = new Float64Array(length);
    id.set(this.id);
    this.id = id;
  }
}
