import { describe, expect, it } from "vitest";
import { answerQuality, capability, DEFAULT_QUALITY, qualityAt } from "../../../src/llm/quality.js";
import type { ResolvedScenario } from "../../../src/scenario/resolved-scenario.js";
import type { BatchServer } from "../../../src/world/queries/batch-server.js";
import { QueryRoutes } from "../../../src/world/queries/query-routes.js";

/** A server as the routes read it: its outstanding queries and its model's size. */
function fakeServer(outstanding: number, paramsB: number): BatchServer {
  return { outstanding, spec: { paramsB } } as unknown as BatchServer;
}

/** One device whose local nodes are `localNodes` (indices into `servers`), and a cloud node. */
function routesOver(servers: BatchServer[], localNodes: number[], cloudNode: number, healthy?: number[]): QueryRoutes {
  const scenario = { devices: [{ localNodes }], llm: { cloudNode, quality: DEFAULT_QUALITY } } as unknown as ResolvedScenario;
  const knownHealthy = new Uint8Array(healthy ?? servers.map(() => 1));
  return new QueryRoutes(scenario, servers, [undefined], knownHealthy, () => 0, undefined);
}

describe("the local route's least-busy scan", () => {
  it("breaks ties in turn from a start that advances per query sent, wrapping past the last node", () => {
    // Three idle nodes listed as 2, 0, 1 (the fourth server is the cloud): hand-worked, the
    // tie-break starts at position 0, 1, 2, 0, 1, 2, 0 of the list and the first idle node from there wins.
    const servers = [fakeServer(0, 8), fakeServer(0, 8), fakeServer(0, 8), fakeServer(0, 400)];
    const routes = routesOver(servers, [2, 0, 1], 3);
    const picked: (number | undefined)[] = [];
    for (let k = 0; k < 7; k++) {
      picked.push(routes.local(0)?.node);
      routes.sentLocal(0);
    }
    expect(picked).toEqual([2, 0, 1, 2, 0, 1, 2]);
  });

  it("takes the fewest outstanding whatever the start, skips a node known down, and the first of equals after the start", () => {
    const servers = [fakeServer(3, 8), fakeServer(1, 8), fakeServer(1, 8), fakeServer(0, 400)];
    const routes = routesOver(servers, [0, 1, 2], 3, [1, 1, 0, 1]);
    // Start at position 2 (node 2, known down: skipped), then 0 (3 outstanding), then 1 (1): node 1.
    routes.sentLocal(0);
    routes.sentLocal(0);
    expect(routes.local(0)?.node).toBe(1);
    // Node 1 known down too: node 0 is the only one left.
    const fewer = routesOver(servers, [0, 1, 2], 3, [1, 0, 0, 1]);
    expect(fewer.local(0)?.node).toBe(0);
    expect(fewer.view.localOutstanding(0)).toBe(3);
  });
});

describe("the quality proxy from a target's capability", () => {
  it("each target carries its model's capability, and the quality from it is answerQuality's double", () => {
    const servers = [fakeServer(0, 8), fakeServer(0, 70)];
    const routes = routesOver(servers, [0], 1);
    const local = routes.local(0);
    const cloud = routes.cloud();
    // Closed form: capability = 0.3 + 0.3 log10(paramsB); at complexity = capability the logistic is 1/2.
    expect(cloud?.capability).toBeCloseTo(0.3 + 0.3 * Math.log10(70), 15);
    expect(qualityAt(DEFAULT_QUALITY, cloud?.capability ?? Number.NaN, 0.3 + 0.3 * Math.log10(70))).toBeCloseTo(0.5, 12);
    for (const complexity of [0, 0.1, 0.37, 0.5, 0.9, 1]) {
      expect(qualityAt(DEFAULT_QUALITY, local?.capability ?? Number.NaN, complexity)).toBe(answerQuality(DEFAULT_QUALITY, 8, complexity));
      expect(qualityAt(DEFAULT_QUALITY, capability(DEFAULT_QUALITY, 70), complexity)).toBe(answerQuality(DEFAULT_QUALITY, 70, complexity));
    }
  });
});
