/** Parts of the one resolved scenario (src/scenario/resolved-scenario.ts) shared by its sections. */
import type { MobilitySettings } from "../network/mobility/models.js";
import type { AccessSettings } from "../network/wireless/access.js";
import type { CompiledDistribution } from "../random/distributions.js";

export interface ServiceClass {
  readonly model: string;
  readonly frameSizePx: number;
}

export interface NodeService {
  readonly preprocessing: CompiledDistribution;
  readonly inference: CompiledDistribution;
}

export interface ResolvedLink {
  readonly latency: CompiledDistribution;
  readonly jitter: CompiledDistribution | undefined;
  /** Bytes per millisecond; Infinity when transfer time is not modelled. */
  readonly bytesPerMs: number;
  /** Mean one-way latency (base + jitter), what a latency matrix would show. */
  readonly nominalLatencyMs: number;
  readonly description: string;
}

/** What a vertex of the network graph is (devices and nodes come from their own sections). */
export type VertexKind = "device" | "node" | "access-point" | "base-station" | "switch" | "router" | "interface";

export interface ResolvedVertex {
  readonly id: string;
  readonly kind: VertexKind;
  /** Metres; access points and base stations (mobility attaches devices by it). */
  readonly position: { readonly x: number; readonly y: number } | undefined;
  /** Radio range, metres. */
  readonly rangeM: number | undefined;
}

/** A link of the network graph, both directions. */
export interface ResolvedNetworkLink {
  /**
   * direct: the star shorthand's link of a (device, node) pair (crossed alone, it draws from its device's streams
   * `link/<device>/<up|down>`, shared by the device's direct links to every node); graph: streams
   * `link/<from>--<to>/<forward|reverse>`; access: a wireless device's hop to its current access point (from = the device,
   * to = the access point at time 0 as the resolver found it; the world moves it at handovers, Network.attach).
   */
  readonly kind: "direct" | "graph" | "access";
  /** Vertex indices; forward is from -> to (a direct link's from is the device). */
  readonly from: number;
  readonly to: number;
  /** Latency, jitter and per-transfer bandwidth (objects shared between links with equal parameters). */
  readonly parameters: ResolvedLink;
  /** Propagation delay each way, ms (distance x 5 us/km). */
  readonly propagationMs: number;
  /** Capacity shared by concurrent transfers, bytes per ms, [forward, reverse]; Infinity: no contention. */
  readonly capacityBytesPerMs: readonly [number, number];
  /** parameters.nominalLatencyMs + propagationMs: the routing weight. */
  readonly nominalLatencyMs: number;
}

/** A direct link of the star shorthand as `ResolvedNetwork.direct` holds it: one object per distinct cell, shared by every device whose row it is. */
export type DirectLink = Pick<ResolvedNetworkLink, "parameters" | "propagationMs" | "nominalLatencyMs">;

/**
 * The star shorthand's direct links without an object per (device, node) pair (issue 16: a
 * million devices times a hundred nodes would be a hundred million links). Devices that the
 * `links` entries and latency matrix rows name alike share one row of links, so the memory is
 * one int per device plus one link per (row, node). Streams and draws are those of the links the
 * star materialised (a device's `link/<device>/<up|down>`), so results are the same.
 */
export interface DirectLinks {
  /** Per device index: its row in `rows`. */
  readonly rowOf: Int32Array;
  /** Per row, per node index: the direct link of every device of that row to that node. */
  readonly rows: readonly (readonly DirectLink[])[];
}

/**
 * The network graph: vertices are the devices (vertex i = device i), then the nodes (vertex
 * devices.length + j = node j), then the scenario's other vertices in order.
 */
export interface ResolvedNetwork {
  readonly vertices: readonly ResolvedVertex[];
  /** Empty when `direct` is set (the star's links are there). */
  readonly links: readonly ResolvedNetworkLink[];
  /**
   * Set for a star that is only its direct links (no other vertex, no link between other
   * vertices, no moving device, no capacity on a direct link): then every device-node route is
   * its direct link and `links` is empty. Undefined otherwise (the direct links are in `links`).
   */
  readonly direct: DirectLinks | undefined;
  /** Nominal one-way route latency, [device][node] (the shortest route's sum of link nominals); devices with equal rows may share one array. */
  readonly nominalLatencyMs: readonly (readonly number[])[];
  /** Devices that move and attach to access points by radio (docs/mobility.md); undefined when no device group has `mobility`. */
  readonly wireless: ResolvedWireless | undefined;
}

/**
 * Wireless access (issue 15): the devices of groups with `mobility` reach the graph through one
 * access link each, to the access point (or base station) they are attached to now. The access
 * points' air interfaces are shared by the devices attached to them.
 */
export interface ResolvedWireless {
  /** Per device index: how it moves; undefined for a wired device. */
  readonly mobility: readonly (MobilitySettings | undefined)[];
  /** Hysteresis, handover delay, path loss, distance-dependent rate. */
  readonly settings: AccessSettings;
  /** Vertex indices of the access points and base stations devices may attach to, in vertex order. */
  readonly accessPoints: readonly number[];
  /** Per access point (same order): the air capacity its attached devices share, bytes per ms, [up (device to AP), down]; Infinity: no contention. */
  readonly airCapacityBytesPerMs: readonly (readonly [number, number])[];
  /** Per device index: its access link's index in `links` (kind "access"), -1 for a wired device. */
  readonly accessLink: readonly number[];
}

export interface SchedulerEntry {
  readonly name: string;
  /** Distinguishes two entries of the same policy with different options. */
  readonly label: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export type ResolvedFault =
  | { readonly kind: "crash"; readonly node: number; readonly atMs: number; readonly recoverAfterMs: number }
  | {
      readonly kind: "crashes";
      readonly node: number;
      /** Position in the scenario's faults list (names the fault's random stream). */
      readonly index: number;
      readonly mtbf: CompiledDistribution;
      readonly mttr: CompiledDistribution;
    }
  | {
      readonly kind: "link-degradation";
      readonly node: number;
      /** Device indices whose link to the node degrades. */
      readonly devices: readonly number[];
      readonly fromMs: number;
      readonly toMs: number;
      readonly latencyMultiplier: number;
      readonly addedLatencyMs: number;
      readonly bandwidthFactor: number;
    };

/** Service slowdown over [fromMs, toMs): `slowdown`, or a ramp from `slowdown` to `rampTo`. */
export interface BackgroundLoad {
  readonly fromMs: number;
  readonly toMs: number;
  readonly slowdown: number;
  readonly rampTo: number | undefined;
}

export interface MonitorSettings {
  readonly intervalMs: number;
  readonly windowMs: number;
  readonly percentile: number;
  readonly minSamples: number;
  readonly cooldownMs: number;
}

export interface MigrationSettings {
  readonly modelLoadMs: number;
  readonly preloaded: boolean;
  readonly stateBytes: number;
}
