import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { type MaxMinProblem, solveMaxMin, UNLIMITED } from "../../src/network/flows/max-min.js";

/** A random problem: `links` links of capacity 1..100, `flows` flows over 1..4 distinct links, some bounded. */
function randomProblem(seed: string, links: number, flows: number): MaxMinProblem {
  const u = new RandomStreams(seed).stream("problem");
  const capacities = Array.from({ length: links }, () => (u() < 0.1 ? UNLIMITED : 1 + Math.floor(u() * 100)));
  const flowLinks: number[][] = [];
  const bounds: number[] = [];
  for (let f = 0; f < flows; f++) {
    const path = new Set<number>();
    const hops = Math.min(links, 1 + Math.floor(u() * 4));
    while (path.size < hops) path.add(Math.floor(u() * links));
    flowLinks.push([...path]);
    bounds.push(u() < 0.2 ? 1 + u() * 30 : UNLIMITED);
  }
  return { capacities, flowLinks, bounds };
}

/**
 * Bertsekas & Gallager, Data Networks §6.5.2: a feasible allocation is max-min fair if and only
 * if every flow either sits at its own bound or has a bottleneck link: one that is saturated and
 * on which no flow gets more than it does. Checked directly from the definition, not from the solver.
 */
function expectMaxMinFair(problem: MaxMinProblem, rates: Float64Array): void {
  const { capacities, flowLinks, bounds } = problem;
  const load = new Float64Array(capacities.length);
  const top = new Float64Array(capacities.length);
  flowLinks.forEach((links, f) => {
    for (let k = 0; k < links.length; k++) {
      load[links[k]] += rates[f];
      top[links[k]] = Math.max(top[links[k]], rates[f]);
    }
  });
  const tolerance = 1e-9;
  for (let l = 0; l < capacities.length; l++) expect(load[l]).toBeLessThanOrEqual(capacities[l] * (1 + tolerance));
  flowLinks.forEach((links, f) => {
    const bound = bounds?.[f] ?? UNLIMITED;
    expect(rates[f]).toBeLessThanOrEqual(bound);
    if (rates[f] === UNLIMITED) {
      // Only a flow on no limited link and with no bound may go at an unlimited rate.
      expect(bound).toBe(UNLIMITED);
      for (let k = 0; k < links.length; k++) expect(capacities[links[k]]).toBe(UNLIMITED);
      return;
    }
    if (bound !== UNLIMITED && Math.abs(rates[f] - bound) <= tolerance * bound) return;
    let bottleneck = false;
    for (let k = 0; k < links.length; k++) {
      const l = links[k];
      if (capacities[l] === UNLIMITED) continue;
      if (load[l] >= capacities[l] * (1 - tolerance) && rates[f] >= top[l] * (1 - tolerance)) bottleneck = true;
    }
    expect(bottleneck, `flow ${f} at ${rates[f]} has no bottleneck`).toBe(true);
  });
}

describe("solveMaxMin", () => {
  it("gives the hand-worked rates 5, 5, 15, 25 on three links and four flows (Bertsekas & Gallager §6.5.2)", () => {
    // L1 = 10, L2 = 20, L3 = 30; f0 crosses all three, f1 L1, f2 L2, f3 L3. L1 fills first at 5 each.
    const rates = solveMaxMin({ capacities: [10, 20, 30], flowLinks: [[0, 1, 2], [0], [1], [2]] });
    expect([...rates]).toEqual([5, 5, 15, 25]);
  });

  it("freezes a flow at its own bound and gives the rest to the others", () => {
    const rates = solveMaxMin({ capacities: [10], flowLinks: [[0], [0], [0]], bounds: [2, UNLIMITED, UNLIMITED] });
    expect([...rates]).toEqual([2, 4, 4]);
  });

  it("lets a link with no capacity constrain nothing", () => {
    const rates = solveMaxMin({ capacities: [UNLIMITED, 12], flowLinks: [[0], [0, 1], [1], [0]], bounds: [UNLIMITED, UNLIMITED, UNLIMITED, 7] });
    expect([...rates]).toEqual([UNLIMITED, 6, 6, 7]);
  });

  it("counts at most one round per link plus one per bounded flow", () => {
    const cost = { rounds: 0 };
    solveMaxMin({ capacities: [10, 20, 30], flowLinks: [[0, 1, 2], [0], [1], [2]] }, cost);
    expect(cost.rounds).toBe(3);
  });

  it("is max-min fair by the bottleneck definition on 200 random problems", () => {
    for (let i = 0; i < 200; i++) {
      const problem = randomProblem(`fair-${i}`, 2 + (i % 30), 1 + ((i * 7) % 60));
      expectMaxMinFair(problem, solveMaxMin(problem));
    }
  });

  it("would catch an allocation that is feasible but not max-min fair", () => {
    const problem = { capacities: [10, 20, 30], flowLinks: [[0, 1, 2], [0], [1], [2]] };
    // Feasible and saturating L1, but f2 could take L2's spare 5: not max-min fair.
    expect(() => expectMaxMinFair(problem, Float64Array.from([5, 5, 10, 25]))).toThrow();
  });
});
