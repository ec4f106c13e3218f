/**
 * Per node, the frames placed there whose answer has not reached the device yet, and (once asked)
 * the node with the fewest of them, ties to the lowest index: least-loaded's choice without its
 * scan of every node at every placement (issue 16: at 100 nodes the scan was most of an arrival's
 * time).
 *
 * The minimum is kept in a tournament tree over the serving nodes: each inner entry holds the
 * better of its two children, (fewer outstanding, then lower index), so the root is the lexical
 * minimum of (count, index) and an update walks one path to the root (7 steps at 100 nodes). The
 * tree is built at the first `least()`, so a policy that never asks pays only the counts.
 */
export class OutstandingFrames {
  readonly counts: Int32Array;
  /** Leaves at size + node (-1: padding or a node without a frame service); inner entries at 1..size-1. */
  private tree: Int32Array | undefined;
  private readonly size: number;

  constructor(
    nodeCount: number,
    /** 1 for a node with a frame service: the others are never a policy's choice. */
    private readonly servesFrames: Uint8Array,
  ) {
    this.counts = new Int32Array(nodeCount);
    let size = 1;
    while (size < nodeCount) size <<= 1;
    this.size = size;
  }

  add(node: number): void {
    this.counts[node]++;
    if (this.tree !== undefined) this.update(node);
  }

  remove(node: number): void {
    this.counts[node]--;
    if (this.tree !== undefined) this.update(node);
  }

  /** The serving node with the fewest outstanding frames, ties to the lowest index; -1 when no node serves frames. */
  least(): number {
    if (this.tree === undefined) this.tree = this.build();
    return this.tree[1];
  }

  private build(): Int32Array {
    const size = this.size;
    const tree = new Int32Array(2 * size).fill(-1);
    for (let node = 0; node < this.counts.length; node++) if (this.servesFrames[node] === 1) tree[size + node] = node;
    for (let at = size - 1; at >= 1; at--) tree[at] = this.better(tree[2 * at], tree[2 * at + 1]);
    return tree;
  }

  private update(node: number): void {
    const tree = this.tree as Int32Array;
    for (let at = (this.size + node) >> 1; at >= 1; at >>= 1) tree[at] = this.better(tree[2 * at], tree[2 * at + 1]);
  }

  /** Of two leaves' nodes, the left one's index is the lower: it wins ties. */
  private better(left: number, right: number): number {
    if (left < 0) return right;
    if (right < 0) return left;
    return this.counts[right] < this.counts[left] ? right : left;
  }
}
