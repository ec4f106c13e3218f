import type { ResolvedNode, UnitSharing } from "../scenario/resolved-scenario.js";
import type { ComputeUnit } from "./traffic-context.js";

/**
 * A node's compute unit (accelerator or CPU) shared by the services whose inference runs on it
 * (docs/accelerator-sharing.md).
 *
 * - "time-slicing": with k services busy, each runs at 1/k of the unit's speed. This is the fluid
 *   limit of round-robin time slices between GPU contexts (about 1 ms on Tegra, far shorter than an
 *   inference), context-switch time neglected.
 * - "isolated": every service always runs at full speed, as if it had the unit to itself (an
 *   optimistic bound: MPS, or separate engines).
 *
 * `speedOf` a busy service is its share now; of an idle one, the share it would get were it to
 * become busy now (so a service may read it before or after its own `setBusy(true)`: same value).
 * Hence a service's own `setBusy` never changes its own share, and it is never called back for
 * it. When a service's `setBusy` changes the number of busy services, the OTHER busy services are
 * called back, in registration order, after the unit's state is updated (an idle service is not:
 * it has nothing in progress whose pace depends on its share). A callback means "your share may
 * have changed: read `speedOf`".
 */
/**
 * Whether a node's services can slow each other: a frame service and a language model on the same
 * unit, time-sliced. Otherwise every service runs at full speed always, and services skip the
 * unit's bookkeeping on their hot path.
 */
export function servicesContend(node: ResolvedNode): boolean {
  return node.sharing === "time-slicing" && node.frames !== undefined && node.llm !== undefined && node.units.frames === node.units.llm;
}

export function createComputeUnit(sharing: UnitSharing): ComputeUnit {
  return new SharedUnit(sharing === "time-slicing");
}

class SharedUnit implements ComputeUnit {
  private readonly callbacks: (() => void)[] = [];
  private readonly busy: boolean[] = [];
  private busyCount = 0;
  constructor(private readonly slicing: boolean) {}

  speedOf(service: number): number {
    if (!this.slicing) return 1;
    return 1 / (this.busy[service] ? this.busyCount : this.busyCount + 1);
  }

  register(onSpeedChange: () => void): number {
    this.callbacks.push(onSpeedChange);
    this.busy.push(false);
    return this.callbacks.length - 1;
  }

  setBusy(service: number, busy: boolean): void {
    if (this.busy[service] === busy) return;
    this.busy[service] = busy;
    this.busyCount += busy ? 1 : -1;
    if (!this.slicing) return;
    for (let other = 0; other < this.callbacks.length; other++) {
      if (other !== service && this.busy[other]) this.callbacks[other]();
    }
  }
}
