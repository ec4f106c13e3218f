import type { ComputeUnit } from "./traffic-context.js";

/** TEMPORARY (replaced by src/world/compute-unit.ts at integration): every service always at full speed. */
export function createIsolatedUnitStub(): ComputeUnit {
  let services = 0;
  return {
    speedOf: () => 1,
    register: () => services++,
    setBusy: () => undefined,
    busyShare: () => 0,
  };
}
