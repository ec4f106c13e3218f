import type { Simulator } from "../engine/simulator.js";
import type { LinkResult, LinkResults } from "../metrics/network-results.js";
import type { ResolvedNetwork } from "../scenario/resolved.js";
import type { FlowNetwork } from "./flows/flow-network.js";

/** A capacity-limited link direction as results name it, and its FlowNetwork link. */
export interface MeteredLink {
  readonly id: string;
  readonly direction: "forward" | "reverse";
  readonly flowLink: number;
}

/**
 * The link directions the flow model meters, in results order: graph links in link order,
 * forward before reverse, then the access points' air interfaces (forward = up); each a
 * FlowNetwork link. `flowLink[(link << 1) | direction-bit]` and `airFlowLink[(ap << 1) | up 0 / down 1]`:
 * its FlowNetwork link, -1 where the capacity is Infinity (no contention: not a flow link).
 */
export function meteredLinks(network: ResolvedNetwork): { capacities: number[]; metered: MeteredLink[]; flowLink: Int32Array; airFlowLink: Int32Array } {
  const capacities: number[] = [];
  const metered: MeteredLink[] = [];
  const meter = (id: string, direction: "forward" | "reverse", capacity: number): number => {
    if (capacity === Infinity) return -1;
    capacities.push(capacity);
    metered.push({ id, direction, flowLink: capacities.length - 1 });
    return capacities.length - 1;
  };
  const vertexId = (v: number): string => network.vertices[v].id;
  const flowLink = new Int32Array(network.links.length * 2);
  network.links.forEach((link, i) => {
    flowLink[i << 1] = meter(`${vertexId(link.from)}--${vertexId(link.to)}`, "forward", link.capacityBytesPerMs[0]);
    flowLink[(i << 1) | 1] = meter(`${vertexId(link.from)}--${vertexId(link.to)}`, "reverse", link.capacityBytesPerMs[1]);
  });
  const wireless = network.wireless;
  const aps = wireless?.accessPoints ?? [];
  const airFlowLink = new Int32Array(aps.length * 2);
  aps.forEach((ap, a) => {
    const [up, down] = (wireless as NonNullable<typeof wireless>).airCapacityBytesPerMs[a];
    airFlowLink[a << 1] = meter(`${vertexId(ap)}/air`, "forward", up);
    airFlowLink[(a << 1) | 1] = meter(`${vertexId(ap)}/air`, "reverse", down);
  });
  return { capacities, metered, flowLink, airFlowLink };
}

/** bytes/ms to Mbit/s (8 bits, 1,000 ms, 10^6 bits). */
const MBPS_PER_BYTES_PER_MS = 8e-3;

/**
 * Per-link results of the shared links (Network.linkResults): every metered link direction's
 * figures over the measurement window [warmupMs, durationMs), read from the FlowNetwork's exact
 * integrals at the window's bin boundaries (one engine event per boundary, scheduled only when a
 * link is metered), so a drain after durationMs is not counted.
 */
export class LinkMeter {
  /** Per bin boundary k (warmup + k bins, the last at durationMs): each metered link's window bytes, flow area, and the mean flows in flight. */
  private readonly bytesAt: Float64Array[] = [];
  private readonly flowsAt: Float64Array[] = [];
  private readonly busyPeak: number[];
  private inFlightAtEnd: number | undefined;
  private readonly boundaries: number[] = [];

  constructor(
    sim: Simulator,
    private readonly flows: FlowNetwork,
    private readonly links: readonly MeteredLink[],
    private readonly window: { readonly warmupMs: number; readonly durationMs: number; readonly binWidthMs: number },
  ) {
    this.busyPeak = links.map(() => 0);
    const { warmupMs, durationMs, binWidthMs } = window;
    if (links.length === 0 || !(durationMs > warmupMs) || !(binWidthMs > 0)) return;
    // The bins of the run's other series (TimeSeriesRecorder): ceil(window / width), the last one cut at durationMs.
    const bins = Math.max(1, Math.ceil((durationMs - warmupMs) / binWidthMs));
    for (let k = 1; k < bins; k++) this.boundaries.push(warmupMs + k * binWidthMs);
    this.boundaries.push(durationMs);
    const kind = sim.registerKind((k) => this.sample(k));
    for (let k = 0; k < this.boundaries.length; k++) sim.scheduleKindAt(this.boundaries[k], kind, k);
  }

  /** The results over the window (what has been sampled when the run ended before durationMs); null with no metered link. */
  results(endMs: number): LinkResults | null {
    if (this.links.length === 0) return null;
    const { warmupMs, durationMs, binWidthMs } = this.window;
    const end = Math.min(endMs, durationMs);
    const length = end - warmupMs;
    const sampled = this.bytesAt.length;
    const lastBytes = (i: number): number => (sampled > 0 ? this.bytesAt[sampled - 1][i] : 0);
    const lastFlows = (i: number): number => (sampled > 0 ? this.flowsAt[sampled - 1][i] : 0);
    const links: LinkResult[] = this.links.map((link, i) => {
      const capacity = this.flows.capacityOf(link.flowLink);
      const series: number[] = [];
      for (let k = 0; k < sampled; k++) {
        const from = k === 0 ? warmupMs : this.boundaries[k - 1];
        const bytes = this.bytesAt[k][i] - (k === 0 ? 0 : this.bytesAt[k - 1][i]);
        series.push(bytes / (capacity * (this.boundaries[k] - from)));
      }
      return {
        id: link.id,
        direction: link.direction,
        capacityMbps: capacity * MBPS_PER_BYTES_PER_MS,
        bytes: lastBytes(i),
        utilisation: length > 0 ? lastBytes(i) / (capacity * length) : 0,
        meanFlows: length > 0 ? lastFlows(i) / length : 0,
        peakFlows: this.busyPeak[i],
        series,
      };
    });
    return { binWidthMs, links, meanFlowsInFlight: this.inFlightAtEnd ?? this.flows.meanInFlight() ?? 0 };
  }

  private sample(k: number): void {
    const bytes = new Float64Array(this.links.length);
    const flowArea = new Float64Array(this.links.length);
    this.links.forEach((link, i) => {
      const usage = this.flows.linkUsage(link.flowLink);
      bytes[i] = usage.windowBytes;
      flowArea[i] = usage.windowFlowArea;
      this.busyPeak[i] = Math.max(this.busyPeak[i], usage.windowPeakFlows);
    });
    this.bytesAt.push(bytes);
    this.flowsAt.push(flowArea);
    if (k === this.boundaries.length - 1) this.inFlightAtEnd = this.flows.meanInFlight();
  }
}
