import type { Simulator } from "../engine/simulator.js";
import type { LinkResult, LinkResults } from "../metrics/network-results.js";
import type { FlowNetwork } from "./flows/flow-network.js";

/** A capacity-limited link direction as results name it, and its FlowNetwork link. */
export interface MeteredLink {
  readonly id: string;
  readonly direction: "forward" | "reverse";
  readonly flowLink: number;
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
    for (let k = 1; warmupMs + k * binWidthMs < durationMs; k++) this.boundaries.push(warmupMs + k * binWidthMs);
    this.boundaries.push(durationMs);
    const kind = sim.registerKind((k) => this.sample(k));
    this.boundaries.forEach((time, k) => sim.scheduleKindAt(time, kind, k));
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
