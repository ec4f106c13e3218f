import type { RandomStreams, StreamTable } from "../engine/rng.js";
import type { Sampler } from "../random/distributions.js";
import type { ResolvedLink, ResolvedNetwork } from "../scenario/resolved.js";

export interface LinkSampler {
  latency: Sampler;
  jitter: Sampler | undefined;
  bytesPerMs: number;
  /** A link with constant zero latency, no jitter and no bandwidth limit delivers at once. */
  instantaneous: boolean;
  /** A latency that takes no draw (`fixedValue`) and no jitter: its delay is `constantMs` (+ propagation) and consumes no random number, so it needs no stream. */
  constant: boolean;
  constantMs: number;
}

/**
 * The latency + jitter + propagation draws of the network's links, by the one stream rule
 * (network.ts): the star's direct links crossed alone from their device's stream
 * `link/<device>/<up|down>` (one per device and direction, whatever node the link goes to), a
 * graph link crossed alone from `link/<from>--<to>/<forward|reverse>`, a link of a longer route
 * per device (`<the link's name>/<device>`), a wireless device's access link from
 * `access/<device>/<up|down>`. Streams are created at first use. An index is `(link << 1) | 0`
 * crossed forward (from -> to), `| 1` back.
 */
export class LinkDraws {
  /** Per (link, direction): index into the stream table, or -1 before first use. */
  readonly linkStream: Int32Array;
  readonly linkStreams: StreamTable;
  /** Per link: index into linkModels (links with equal parameters share one compiled sampler). */
  readonly linkModel: Int32Array;
  readonly linkModels: LinkSampler[] = [];
  /** Per link: propagation delay each way, ms (a typed array: the hot path reads no link object). */
  readonly propagationMs: Float64Array;
  /** Per (device, link, direction) of routes of several links: index into the stream table (see deviceLinkDraw). */
  private readonly deviceLinkStream = new Map<number, number>();
  /**
   * The implicit direct links (ResolvedNetwork.direct): per (row, node), the index into linkModels
   * and the propagation delay.
   */
  readonly directModel: Int32Array;
  readonly directPropagationMs: Float64Array;
  /**
   * Per device: the stream of the device's direct links up, `link/<device>/up`, or -1 before first
   * use; `link/<device>/down` is the next one. One stream per device and direction (issue 16), not
   * per (device, node, direction): a device reaching 65 of 100 nodes seeded 130 streams for a draw
   * or two each, and its memory grew with the nodes it reached. The two are created together so
   * that their states share a cache line (a request draws both; a stream's draws depend on its
   * name only, never on when it was created).
   */
  readonly deviceStream: Int32Array;

  constructor(
    private readonly network: ResolvedNetwork,
    private readonly devices: readonly { readonly id: string }[],
    streams: RandomStreams,
  ) {
    const links = network.links;
    this.linkStream = new Int32Array(links.length * 2).fill(-1);
    this.linkStreams = streams.table();
    this.linkModel = new Int32Array(links.length);
    this.propagationMs = Float64Array.from(links, (link) => link.propagationMs);
    this.deviceStream = new Int32Array(devices.length).fill(-1);
    const models = new Map<ResolvedLink, number>();
    const modelOf = (p: ResolvedLink): number => {
      let model = models.get(p);
      if (model === undefined) {
        model = this.linkModels.length;
        models.set(p, model);
        this.linkModels.push({
          latency: p.latency.bind(this.linkStreams.uniform),
          jitter: p.jitter === undefined ? undefined : p.jitter.bind(this.linkStreams.uniform),
          bytesPerMs: p.bytesPerMs,
          // fixedValue, the distributions' one rule for "no draw": a uniform of width 0 is constant but still draws, here as everywhere.
          instantaneous: p.latency.fixedValue === 0 && p.jitter === undefined && p.bytesPerMs === Infinity,
          constant: p.latency.fixedValue !== undefined && p.jitter === undefined,
          constantMs: p.latency.fixedValue ?? Number.NaN,
        });
      }
      return model;
    };
    // Direct rows first: a star's samplers are numbered as when its links were objects (the order does not change a draw anyway).
    const rows = network.direct?.rows ?? [];
    const width = rows.length === 0 ? 0 : rows[0].length;
    this.directModel = new Int32Array(rows.length * width);
    this.directPropagationMs = new Float64Array(rows.length * width);
    rows.forEach((row, r) => {
      row.forEach((link, node) => {
        this.directModel[r * width + node] = modelOf(link.parameters);
        this.directPropagationMs[r * width + node] = link.propagationMs;
      });
    });
    links.forEach((link, i) => {
      this.linkModel[i] = modelOf(link.parameters);
    });
  }

  /**
   * The stream of `device`'s direct links in `direction` (0 up, 1 down), `link/<device>/<up|down>`,
   * created at first use: every direct link of the device draws from it, held per row
   * (ResolvedNetwork.direct) or as link objects alike.
   */
  directStream(device: number, direction: number): number {
    const up = this.deviceStream[device];
    return (up >= 0 ? up : this.addDirectStreams(device)) + direction;
  }

  private addDirectStreams(device: number): number {
    const id = this.devices[device].id;
    const up = this.linkStreams.addPair(`link/${id}/up`, `link/${id}/down`);
    this.deviceStream[device] = up;
    return up;
  }

  /** One link's latency + jitter (+ propagation) draw from the link's own stream; index = (link << 1) | 0 crossed forward (from -> to), | 1 back. */
  linkDraw(index: number): number {
    const model = this.linkModels[this.linkModel[index >> 1]];
    if (model.constant) return model.constantMs + this.propagationMs[index >> 1];
    let stream = this.linkStream[index];
    if (stream < 0) {
      const link = this.network.links[index >> 1];
      // A direct link crossed alone draws from its device's stream (shared by the device's links to every node).
      stream = link.kind === "direct" ? this.directStream(link.from, index & 1) : this.linkStreams.add(this.streamName(index >> 1, (index & 1) === 0));
      this.linkStream[index] = stream;
    }
    return this.draw(stream, index >> 1);
  }

  /**
   * A link of a route of several links, drawn for one device from the stream
   * `<the link's stream name>/<device id>`: a link many devices cross (a backhaul, an access point's
   * uplink) gives each device draws of its own, so adding a device (or moving one) never shifts
   * another device's draws. Costs one stream per device per link it crosses, except on links of
   * constant latency without jitter, which draw nothing (a moving device crosses many of them:
   * 10,000 devices of mobile-10k would otherwise hold streams for every AP uplink they ever used).
   */
  deviceLinkDraw(device: number, index: number): number {
    const model = this.linkModels[this.linkModel[index >> 1]];
    if (model.constant) return model.constantMs + this.propagationMs[index >> 1];
    const key = device * this.linkStream.length + index;
    let stream = this.deviceLinkStream.get(key);
    if (stream === undefined) {
      stream = this.linkStreams.add(`${this.streamName(index >> 1, (index & 1) === 0)}/${this.devices[device].id}`);
      this.deviceLinkStream.set(key, stream);
    }
    return this.draw(stream, index >> 1);
  }

  private draw(stream: number, link: number): number {
    this.linkStreams.select(stream);
    const model = this.linkModels[this.linkModel[link]];
    let delay = model.latency();
    if (model.jitter !== undefined) delay += model.jitter();
    const propagation = this.propagationMs[link];
    if (propagation > 0) delay += propagation;
    return delay;
  }

  private streamName(link: number, forward: boolean): string {
    const l = this.network.links[link];
    const from = this.network.vertices[l.from].id;
    const to = this.network.vertices[l.to].id;
    // A direct link on a route of several links (a star with relays): its per-device stream is named after the link.
    if (l.kind === "direct") return `link/${from}/${to}/${forward ? "up" : "down"}`;
    if (l.kind === "access") return `access/${from}/${forward ? "up" : "down"}`;
    return `link/${from}--${to}/${forward ? "forward" : "reverse"}`;
  }
}
