import type { AccessSettings } from "../../src/network/wireless/access.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";

/**
 * A resolved scenario whose device 0 is made wireless by hand: its first link (to the first access
 * point) becomes its access link, and no device moves, so the world builds no mobility driver and a
 * test decides when the device attaches, hands over or loses coverage (Network.attach). Air
 * capacities per access point, bytes/ms [up, down]; no distance law.
 */
export function withHandAttachedDevice(s: ResolvedScenario, accessPointIds: readonly string[], airBytesPerMs: readonly (readonly [number, number])[], handoverDelayMs: number): ResolvedScenario {
  const settings = { hysteresis: { unit: "m", value: 0 }, handoverDelayMs, pathLoss: { exponent: 3, referenceDb: 40 }, rate: null } as unknown as AccessSettings;
  return {
    ...s,
    network: {
      ...s.network,
      links: s.network.links.map((link, i) => (i === 0 ? { ...link, kind: "access" as const } : link)),
      wireless: {
        mobility: [undefined],
        settings,
        accessPoints: accessPointIds.map((id) => s.network.vertices.findIndex((v) => v.id === id)),
        airCapacityBytesPerMs: airBytesPerMs,
        accessLink: [0],
      },
    },
  };
}
