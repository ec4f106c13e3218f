/**
 * Shortest routes over the network graph (docs/network.md, "Routes").
 *
 * Weight of a link: its nominal one-way latency (the MEAN of its latency distribution plus the
 * jitter's mean and the propagation delay), because means add along a route and medians do not.
 * Weights are compared as integer nanoseconds, so two routes of equal latency tie exactly (no
 * floating-point near-ties) and the tie-break decides: fewer hops, then the predecessor vertex
 * whose id is first in lexicographic order (its rank). Only relaying vertices (access points,
 * base stations, switches, routers) forward traffic: a route never passes through a device, a
 * node or an interface, which is why the star shorthand's route is always its direct link.
 *
 * Cost: one Dijkstra tree per SOURCE, O((V + E) log V), computed at the first route from it and
 * cached (V floats and ints per tree). Routes between devices and nodes are asked from the node
 * side (Network does), so 10,000 devices and 20 nodes cost 20 trees, not 10,000. A change to a
 * link one of whose ends is an endpoint-only vertex (a device re-attached to another access
 * point, its access link degraded) relabels that one vertex in each cached tree, O(degree) per
 * tree; a change between relaying vertices drops the cached trees (recomputed at next use).
 */

/** What routing needs of a link: its ends (vertex indices) and its nominal one-way latency. */
export interface RoutedLink {
  readonly from: number;
  readonly to: number;
  readonly nominalLatencyMs: number;
}

export interface Route {
  /** Link indices from the source to the target. */
  readonly links: readonly number[];
  /** Per link of `links`: true when it is crossed from its `from` end to its `to` end. */
  readonly forward: readonly boolean[];
  /** Sum of the links' nominal latencies (ms); 0 from a vertex to itself. */
  readonly nominalLatencyMs: number;
}

const NS_PER_MS = 1e6;

/** Kinds of vertex that forward traffic (a route passes through no other). */
export const RELAY_KINDS: ReadonlySet<string> = new Set(["access-point", "base-station", "switch", "router"]);

interface Tree {
  readonly dist: Float64Array;
  readonly hops: Int32Array;
  /** Link by which each vertex is reached; -1 for the source and unreached vertices. */
  readonly via: Int32Array;
}

export class Routes {
  private readonly vertexCount: number;
  private readonly rank: Int32Array;
  private readonly weightNs: Float64Array;
  /** Both ends of each link, XOR-ed: the far end of link l from v is ends[l] ^ v. */
  private readonly ends: Int32Array;
  /** Each link's ends now (moveLinkEnd changes `to`); forward is from -> to. */
  private readonly fromOf: Int32Array;
  private readonly toOf: Int32Array;
  private readonly up: Uint8Array;
  /** Incident links per vertex, in link order (as a fresh build lists them, so a moved link ties as it would there). */
  private readonly incident: number[][];
  private readonly trees = new Map<number, Tree>();

  /**
   * @param vertexIds ids of the vertices (their order gives the tie-break rank)
   * @param relays per vertex, 1 when it forwards traffic
   */
  constructor(
    vertexIds: readonly string[],
    private readonly relays: Uint8Array,
    private readonly links: readonly RoutedLink[],
  ) {
    const n = vertexIds.length;
    this.vertexCount = n;
    this.rank = new Int32Array(n);
    const order = vertexIds.map((_, i) => i).sort((a, b) => (vertexIds[a] < vertexIds[b] ? -1 : vertexIds[a] > vertexIds[b] ? 1 : a - b));
    order.forEach((v, r) => {
      this.rank[v] = r;
    });
    this.weightNs = new Float64Array(links.length);
    this.ends = Int32Array.from(links, (link) => link.from ^ link.to);
    this.fromOf = Int32Array.from(links, (link) => link.from);
    this.toOf = Int32Array.from(links, (link) => link.to);
    this.up = new Uint8Array(links.length).fill(1);
    this.incident = Array.from({ length: n }, () => []);
    links.forEach((link, i) => {
      this.weightNs[i] = Math.round(link.nominalLatencyMs * NS_PER_MS);
      this.incident[link.from].push(i);
      this.incident[link.to].push(i);
    });
  }

  /**
   * Moves link `link`'s `to` end to `vertex` (a wireless device's access link to its new access
   * point): its `from` end, weight and direction are kept. Cached trees are updated as for any
   * change of the link: the endpoint-only end is relabelled in place (invalidate).
   */
  moveLinkEnd(link: number, vertex: number): void {
    const old = this.toOf[link];
    if (old === vertex) return;
    const from = this.fromOf[link];
    const list = this.incident[old];
    list.splice(list.indexOf(link), 1);
    const target = this.incident[vertex];
    let at = target.length;
    while (at > 0 && target[at - 1] > link) at--;
    target.splice(at, 0, link);
    this.toOf[link] = vertex;
    this.ends[link] = from ^ vertex;
    // The old end's trees may have reached `from` through it: relabelling `from` (endpoint-only) fixes them.
    this.invalidate(link);
  }

  /** The current ends of a link (after moves). */
  endsOf(link: number): { from: number; to: number } {
    return { from: this.fromOf[link], to: this.toOf[link] };
  }

  /** Number of cached trees (one per source asked since the last change that dropped them). */
  get cachedTrees(): number {
    return this.trees.size;
  }

  /** The shortest route from `from` to `to`, or undefined when `to` cannot be reached. */
  route(from: number, to: number): Route | undefined {
    const tree = this.tree(from);
    if (from !== to && tree.via[to] < 0) return undefined;
    const links: number[] = [];
    const forward: boolean[] = [];
    for (let v = to; v !== from; ) {
      const l = tree.via[v];
      links.push(l);
      // Walking back from the target: the link was crossed towards v.
      forward.push(this.toOf[l] === v);
      v = this.ends[l] ^ v;
    }
    links.reverse();
    forward.reverse();
    return { links, forward, nominalLatencyMs: this.nominalLatencyMs(from, to) };
  }

  /** The shortest route's nominal latency (ms) without building it; Infinity when unreachable. */
  nominalLatencyMs(from: number, to: number, start = 0): number {
    const tree = this.tree(from);
    if (from !== to && tree.via[to] < 0) return Infinity;
    // Summed from the target back, the one order every caller gets; `start`: what was summed before `to` (a host's last link, see Network.nominalLatencyMs).
    let nominal = start;
    for (let v = to; v !== from; v = this.ends[tree.via[v]] ^ v) nominal += this.links[tree.via[v]].nominalLatencyMs;
    return nominal;
  }

  /** Takes a link out of (false) or back into (true) service. */
  setLinkUp(link: number, up: boolean): void {
    if ((this.up[link] === 1) === up) return;
    this.up[link] = up ? 1 : 0;
    this.invalidate(link);
  }

  /** Changes a link's nominal latency (a degradation the routes should see). */
  setLinkNominalLatency(link: number, nominalLatencyMs: number): void {
    const weight = Math.round(nominalLatencyMs * NS_PER_MS);
    if (weight === this.weightNs[link]) return;
    this.weightNs[link] = weight;
    this.invalidate(link);
  }

  /**
   * Brings the cached trees up to date after `link` changed; without a link, drops them all.
   * An endpoint-only end (not the tree's source) is relabelled in place; else the tree is dropped.
   */
  invalidate(link?: number): void {
    if (link === undefined) {
      this.trees.clear();
      return;
    }
    const from = this.fromOf[link];
    const to = this.toOf[link];
    for (const [source, tree] of [...this.trees]) {
      if (this.relays[from] === 1 && this.relays[to] === 1) this.trees.delete(source);
      else if (this.relays[from] === 0 && from !== source && (this.relays[to] === 1 || to === source)) this.relabel(tree, source, from);
      else if (this.relays[to] === 0 && to !== source && (this.relays[from] === 1 || from === source)) this.relabel(tree, source, to);
      else if (from === source || to === source) this.trees.delete(source);
      // Else both ends are endpoint-only and neither is the source: no route of this tree can use the link.
    }
  }

  /** An endpoint-only vertex's label from its neighbours' (it forwards nothing, so nothing else changes). */
  private relabel(tree: Tree, source: number, v: number): void {
    tree.dist[v] = Infinity;
    tree.hops[v] = 0;
    tree.via[v] = -1;
    const incident = this.incident[v];
    for (let k = 0; k < incident.length; k++) {
      const l = incident[k];
      if (this.up[l] === 0) continue;
      const u = this.ends[l] ^ v;
      if (u !== source && this.relays[u] === 0) continue;
      this.offer(tree, u, v, l);
    }
  }

  /** Relaxes v through u over link l; true when v's label improved. Labels: (distance, hops, rank of predecessor). */
  private offer(tree: Tree, u: number, v: number, l: number): boolean {
    const d = tree.dist[u] + this.weightNs[l];
    const h = tree.hops[u] + 1;
    const current = tree.dist[v];
    if (d < current || (d === current && (h < tree.hops[v] || (h === tree.hops[v] && this.rank[u] < this.rank[this.other(tree.via[v], v)])))) {
      tree.dist[v] = d;
      tree.hops[v] = h;
      tree.via[v] = l;
      return true;
    }
    return false;
  }

  private other(link: number, v: number): number {
    return this.ends[link] ^ v;
  }

  private tree(source: number): Tree {
    const cached = this.trees.get(source);
    if (cached !== undefined) return cached;
    const n = this.vertexCount;
    const tree: Tree = { dist: new Float64Array(n).fill(Infinity), hops: new Int32Array(n), via: new Int32Array(n).fill(-1) };
    tree.dist[source] = 0;
    const done = new Uint8Array(n);
    const heap = new LabelHeap();
    heap.push(0, 0, this.rank[source], source);
    while (heap.size > 0) {
      const u = heap.pop();
      if (done[u] === 1) continue;
      done[u] = 1;
      if (u !== source && this.relays[u] === 0) continue;
      const incident = this.incident[u];
      for (let k = 0; k < incident.length; k++) {
        const l = incident[k];
        if (this.up[l] === 0) continue;
        const v = this.ends[l] ^ u;
        if (done[v] === 1 || v === source) continue;
        // Every candidate predecessor of v has a smaller (distance, hops) label, so it is settled before v.
        if (this.offer(tree, u, v, l)) heap.push(tree.dist[v], tree.hops[v], this.rank[v], v);
      }
    }
    this.trees.set(source, tree);
    return tree;
  }
}

/** A binary heap of vertices ordered by (distance, hops, rank); stale entries are skipped by the caller. */
class LabelHeap {
  private dist: number[] = [];
  private hops: number[] = [];
  private rank: number[] = [];
  private vertex: number[] = [];

  get size(): number {
    return this.vertex.length;
  }

  push(d: number, h: number, r: number, v: number): void {
    let i = this.vertex.length;
    this.dist.push(d);
    this.hops.push(h);
    this.rank.push(r);
    this.vertex.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): number {
    const top = this.vertex[0];
    const last = this.vertex.length - 1;
    this.swap(0, last);
    this.dist.pop();
    this.hops.pop();
    this.rank.pop();
    this.vertex.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < last && this.less(l, m)) m = l;
      if (r < last && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    if (this.dist[a] !== this.dist[b]) return this.dist[a] < this.dist[b];
    if (this.hops[a] !== this.hops[b]) return this.hops[a] < this.hops[b];
    return this.rank[a] < this.rank[b];
  }

  private swap(a: number, b: number): void {
    const { dist, hops, rank, vertex } = this;
    const d = dist[a];
    dist[a] = dist[b];
    dist[b] = d;
    const h = hops[a];
    hops[a] = hops[b];
    hops[b] = h;
    const r = rank[a];
    rank[a] = rank[b];
    rank[b] = r;
    const v = vertex[a];
    vertex[a] = vertex[b];
    vertex[b] = v;
  }
}
