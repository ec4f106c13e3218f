/**
 * Results of the shared links and of moving devices (issue 15): what a run adds to results@2 as
 * `runs[].links` and `runs[].mobility` (null when the scenario has no capacity-limited link / no
 * moving device). Network.linkResults and the world's mobility driver build them.
 */
/** One direction of a capacity-limited link (or of an access point's air interface), over the measurement window. */
export interface LinkResult {
  /** `<from>--<to>` (graph link, ids as written) or `<ap>/air` (an access point's air interface). */
  id: string;
  /** forward: from between[0] to between[1]; for an air interface, forward = up (device to AP). */
  direction: "forward" | "reverse";
  capacityMbps: number;
  /** Bytes delivered across the link in the window. */
  bytes: number;
  /** Mean share of the capacity in use over the window, [0, 1]. */
  utilisation: number;
  /** Time-average number of transfers on the link; and the most at any instant. */
  meanFlows: number;
  peakFlows: number;
  /** Utilisation per time bin of the window (binWidthMs as the run's other series). */
  series: number[];
}

export interface LinkResults {
  binWidthMs: number;
  /** In link order, forward before reverse; air interfaces after the graph's links, in vertex order. */
  links: LinkResult[];
  /** Time-average number of transfers sharing any capacity-limited link. */
  meanFlowsInFlight: number;
}

/** One moving device over the run. */
export interface DeviceMobilityResult {
  device: string;
  group: string;
  /** Changes from one access point to another. */
  handovers: number;
  /** Times the device left every access point's range; and the time it spent out of range in the window. */
  coverageLosses: number;
  outOfCoverageMs: number;
  /** Transfers that had to wait for a handover or for coverage, and the total wait. */
  transfersDelayed: number;
  waitMs: number;
}

export interface MobilityResults {
  devices: DeviceMobilityResult[];
  /** Per device group with `mobility`, in scenario order: handovers per device-hour of the window, and jobs whose transfers waited. */
  groups: { group: string; devices: number; handoversPerDeviceHour: number; jobsDelayed: number; jobsLateAfterWait: number }[];
  /**
   * Positions of up to `maxTrackedDevices` devices (the first of each group, then in order) at each attachment change and
   * each time bin boundary: for the device-tracks chart. `ap` null: out of range.
   */
  tracks: { device: string; points: { t: number; x: number; y: number; ap: string | null }[] }[];
  /** Access points for the map: position and range, m. */
  accessPoints: { id: string; x: number; y: number; rangeM: number }[];
}

/** Per device group: jobs with at least one transfer that waited for a handover or coverage, and of those the ones that violated a deadline (each traffic family counts its own; simulate sums them). */
export interface JobsWaited {
  group: string;
  jobsDelayed: number;
  jobsLateAfterWait: number;
}
