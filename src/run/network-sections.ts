import type { JobsWaited, LinkResults, MobilityResults } from "../metrics/network-results.js";
import type { ResolvedNetwork } from "../scenario/resolved.js";
import type { World } from "../world/world.js";

/*
 * A run's `links` and `mobility` sections (issue 15), assembled by simulate (src/run/simulate.ts)
 * from the network and the world's mobility driver, with the traffics' `waited`
 * arrays (FrameFamilyResults / QueryFamilyResults) summed per group.
 */

export type { JobsWaited };

/** The families' per-group waits summed per group, groups in `order` (scenario order); groups no family lists are left out. */
export function sumWaited(parts: readonly (readonly JobsWaited[])[], order: readonly string[]): JobsWaited[] {
  const sums = new Map<string, JobsWaited>();
  for (const part of parts) {
    for (const entry of part) {
      const sum = sums.get(entry.group) ?? { group: entry.group, jobsDelayed: 0, jobsLateAfterWait: 0 };
      sum.jobsDelayed += entry.jobsDelayed;
      sum.jobsLateAfterWait += entry.jobsLateAfterWait;
      sums.set(entry.group, sum);
    }
  }
  // Output order from the scenario, never from the Map.
  return order.flatMap((group) => {
    const sum = sums.get(group);
    return sum === undefined ? [] : [sum];
  });
}

/** A link with a capacity in either direction, or wireless access: the scenarios whose runs have a `links` section. */
export function hasSharedCapacity(network: ResolvedNetwork): boolean {
  return network.wireless !== undefined || network.links.some((link) => Number.isFinite(link.capacityBytesPerMs[0]) || Number.isFinite(link.capacityBytesPerMs[1]));
}

/** `links` and `mobility` of a finished run: null for a scenario without shared capacity / without moving devices. */
export function networkSections(world: World, waited: readonly (readonly JobsWaited[])[], groupOrder: readonly string[]): { links: LinkResults | null; mobility: MobilityResults | null } {
  // The run's end: World.run leaves the clock at durationMs + drainMs (or later, past a last event).
  const end = world.sim.now;
  const links = hasSharedCapacity(world.scenario.network) ? world.network.linkResults(end) : null;
  const mobility = world.mobility?.results(end, sumWaited(waited, groupOrder)) ?? null;
  return { links, mobility };
}
