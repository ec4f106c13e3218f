import type { ResolvedNetwork } from "../scenario/resolved.js";
import { DOWN, UP } from "./direction.js";
import type { LinkDraws } from "./link-draws.js";
import type { Route } from "./topology/routes.js";

/** A device-node route as transfers use it: links from the device to the node. */
export interface PairRoute {
  readonly links: readonly number[];
  /** 1 where the link is crossed from its `from` end going device -> node. */
  readonly forward: readonly number[];
  readonly nominalLatencyMs: number;
  /** Smallest per-transfer bandwidth (and capacity, which a lone transfer has to itself) on the route, bytes/ms, up and down. */
  readonly bottleneckUp: number;
  readonly bottleneckDown: number;
  /** A one-link route (the star's): its (link << 1) | direction-bit index for UP; -1 for longer routes. */
  readonly singleUp: number;
  readonly instantaneous: boolean;
  /** Per direction (UP, DOWN): the FlowNetwork links crossed (capacity-limited link directions, the AP's air interface). */
  readonly flowLinks: readonly [readonly number[], readonly number[]];
  /** The smallest per-transfer bandwidth on the route, bytes/ms (a flow's rate bound; capacities not included). */
  readonly perTransfer: number;
}

/**
 * A device's view of its route to a node, from the routing tree's node -> device route: links in
 * the order an upload crosses them, the bottlenecks of a fixed-time transfer, and the flow links a
 * shared one crosses (`flowLink` per link direction, `air`: the device's AP's air interface up and
 * down, -1 when none).
 */
export function pairRouteOf(route: Route, network: ResolvedNetwork, draws: LinkDraws, flowLink: Int32Array, air: readonly [number, number]): PairRoute {
  const count = route.links.length;
  // Plain arrays of small integers: far smaller than typed arrays at a handful of entries, and there is one route per pair.
  const links: number[] = new Array<number>(count);
  const forward: number[] = new Array<number>(count);
  const bottleneck: [number, number] = [Infinity, Infinity];
  let perTransfer = Infinity;
  const flowLinks: [number[], number[]] = [[], []];
  let instantaneous = true;
  for (let k = 0; k < count; k++) {
    // The route runs node -> device: reverse it, and its directions.
    const i = count - 1 - k;
    const link = network.links[route.links[i]];
    links[k] = route.links[i];
    forward[k] = route.forward[i] ? 0 : 1;
    const model = draws.linkModels[draws.linkModel[links[k]]];
    instantaneous &&= model.instantaneous && link.propagationMs === 0;
    const [upCapacity, downCapacity] = forward[k] === 1 ? link.capacityBytesPerMs : [link.capacityBytesPerMs[1], link.capacityBytesPerMs[0]];
    bottleneck[UP] = Math.min(bottleneck[UP], model.bytesPerMs, upCapacity);
    bottleneck[DOWN] = Math.min(bottleneck[DOWN], model.bytesPerMs, downCapacity);
    perTransfer = Math.min(perTransfer, model.bytesPerMs);
    const upIndex = (links[k] << 1) | (forward[k] === 1 ? 0 : 1);
    if (flowLink[upIndex] >= 0) flowLinks[UP].push(flowLink[upIndex]);
    if (flowLink[upIndex ^ 1] >= 0) flowLinks[DOWN].push(flowLink[upIndex ^ 1]);
  }
  if (air[UP] >= 0) flowLinks[UP].push(air[UP]);
  if (air[DOWN] >= 0) flowLinks[DOWN].push(air[DOWN]);
  return {
    links,
    forward,
    nominalLatencyMs: route.nominalLatencyMs,
    bottleneckUp: bottleneck[UP],
    bottleneckDown: bottleneck[DOWN],
    singleUp: count === 1 ? (links[0] << 1) | (forward[0] === 1 ? 0 : 1) : -1,
    instantaneous,
    flowLinks,
    perTransfer,
  };
}
