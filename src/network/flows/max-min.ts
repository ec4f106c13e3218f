/**
 * Max-min fair rates by progressive filling (Bertsekas & Gallager, Data Networks, 2nd ed.,
 * §6.5.2): every unfrozen flow's rate rises at the same pace until a link saturates or a flow
 * reaches its own bound; the flows held there are frozen and the rest go on. This is SimGrid's
 * CM02 model (plain max-min: no latency or bandwidth factor, no RTT weighting), solved as
 * SimGrid's MaxMin::maxmin_solve does: at each round the link with the smallest fair share
 * remaining/unfrozen-count is the next to saturate, so there are at most
 * (#links + #bounded flows) rounds.
 *
 * Determinism: links are scanned in index order and the smallest share wins with a strict `<`
 * (the lowest index among equal shares); a link's flows are frozen in the order given (the
 * caller passes them by flow id); bounded flows are taken by (bound, position). The result is a
 * function of the input arrays alone, so solving one connected component or the whole network
 * gives the same rates, bit for bit (the subtractions on a link happen in the same order).
 */

/** A link's capacity when it has none: it constrains nothing (no contention). */
export const UNLIMITED = Number.POSITIVE_INFINITY;

/** One max-min problem on local indices: links 0..capacities.length-1, flows 0..flowLinks.length-1. */
export interface MaxMinProblem {
  /** Capacity of each link (bytes/ms); UNLIMITED for a link that constrains nothing. */
  readonly capacities: ArrayLike<number>;
  /** The links each flow crosses (each link at most once). */
  readonly flowLinks: ReadonlyArray<ArrayLike<number>>;
  /** Each flow's own rate bound (bytes/ms); UNLIMITED or absent = none. */
  readonly bounds?: ArrayLike<number>;
}

/** Work done by one solve, for the cost measurements. */
export interface SolveCost {
  /** Rounds of progressive filling (links saturated plus flows frozen at their bound). */
  rounds: number;
}

/**
 * The max-min fair rate of every flow (bytes/ms). A flow that crosses no capacity-limited link
 * and has no bound gets UNLIMITED (it finishes at once). `cost`, when given, receives the rounds.
 */
export function solveMaxMin(problem: MaxMinProblem, cost?: SolveCost): Float64Array {
  const { flowLinks } = problem;
  const flowCount = flowLinks.length;
  const flowStart = new Int32Array(flowCount + 1);
  for (let f = 0; f < flowCount; f++) flowStart[f + 1] = flowStart[f] + flowLinks[f].length;
  const flowLink = new Int32Array(flowStart[flowCount]);
  const bounds = new Float64Array(flowCount).fill(UNLIMITED);
  for (let f = 0; f < flowCount; f++) {
    flowLink.set(flowLinks[f], flowStart[f]);
    const bound = problem.bounds?.[f];
    if (bound !== undefined) bounds[f] = bound;
  }
  return solveMaxMinPacked({ capacities: problem.capacities, flowCount, flowStart, flowLink, bounds }, cost);
}

/** The same problem packed: flow f crosses links flowLink[flowStart[f] .. flowStart[f + 1]). */
export interface PackedMaxMinProblem {
  readonly capacities: ArrayLike<number>;
  readonly flowCount: number;
  readonly flowStart: ArrayLike<number>;
  readonly flowLink: ArrayLike<number>;
  /** Each flow's bound (UNLIMITED = none). */
  readonly bounds: ArrayLike<number>;
}

/** solveMaxMin on the packed form: what FlowNetwork calls, without an array per flow. */
export function solveMaxMinPacked(problem: PackedMaxMinProblem, cost?: SolveCost): Float64Array {
  const { capacities, flowCount, flowStart, flowLink, bounds } = problem;
  const linkCount = capacities.length;
  const rates = new Float64Array(flowCount);
  const remaining = new Float64Array(linkCount);
  const unfrozenOnLink = new Int32Array(linkCount);
  const frozen = new Uint8Array(flowCount);
  // Flows per link as a CSR array (offsets into one index list), built in flow order.
  const linkStart = new Int32Array(linkCount + 1);
  for (let i = 0; i < flowStart[flowCount]; i++) linkStart[flowLink[i] + 1]++;
  for (let l = 0; l < linkCount; l++) {
    linkStart[l + 1] += linkStart[l];
    remaining[l] = capacities[l];
  }
  const linkFlows = new Int32Array(linkStart[linkCount]);
  const fill = linkStart.slice(0, linkCount);
  let unfrozen = flowCount;
  for (let f = 0; f < flowCount; f++) {
    let constrained = false;
    for (let i = flowStart[f]; i < flowStart[f + 1]; i++) {
      const l = flowLink[i];
      linkFlows[fill[l]++] = f;
      if (capacities[l] !== UNLIMITED) {
        unfrozenOnLink[l]++;
        constrained = true;
      }
    }
    if (!constrained && bounds[f] === UNLIMITED) {
      rates[f] = UNLIMITED;
      frozen[f] = 1;
      unfrozen--;
    }
  }
  // Bounded flows by (bound, position): the next one to reach its bound is always the first unfrozen.
  const bounded: number[] = [];
  for (let f = 0; f < flowCount; f++) if (frozen[f] === 0 && bounds[f] !== UNLIMITED) bounded.push(f);
  bounded.sort((a, b) => bounds[a] - bounds[b] || a - b);
  let nextBounded = 0;

  const freeze = (f: number, rate: number): void => {
    rates[f] = rate;
    frozen[f] = 1;
    unfrozen--;
    for (let i = flowStart[f]; i < flowStart[f + 1]; i++) {
      const l = flowLink[i];
      if (capacities[l] === UNLIMITED) continue;
      remaining[l] -= rate;
      unfrozenOnLink[l]--;
    }
  };

  let rounds = 0;
  while (unfrozen > 0) {
    rounds++;
    let bestLink = -1;
    let bestShare = UNLIMITED;
    for (let l = 0; l < linkCount; l++) {
      const n = unfrozenOnLink[l];
      if (n === 0) continue;
      // Rounding can leave a saturated link a hair below zero; a share is never negative.
      const share = remaining[l] > 0 ? remaining[l] / n : 0;
      if (share < bestShare) {
        bestShare = share;
        bestLink = l;
      }
    }
    while (nextBounded < bounded.length && frozen[bounded[nextBounded]] === 1) nextBounded++;
    const boundFlow = nextBounded < bounded.length ? bounded[nextBounded] : -1;
    if (boundFlow >= 0 && bounds[boundFlow] <= bestShare) {
      freeze(boundFlow, bounds[boundFlow]);
      continue;
    }
    // Every unfrozen flow crosses a limited link or has a bound, so one of the two exists.
    for (let i = linkStart[bestLink]; i < linkStart[bestLink + 1]; i++) {
      const f = linkFlows[i];
      if (frozen[f] === 0) freeze(f, bestShare);
    }
  }
  if (cost !== undefined) cost.rounds += rounds;
  return rates;
}
