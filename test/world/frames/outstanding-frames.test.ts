import { describe, expect, it } from "vitest";
import { createLeastLoaded } from "../../../src/schedulers/least-loaded.js";
import type { ClusterView, TaskRequest } from "../../../src/schedulers/types.js";
import { OutstandingFrames } from "../../../src/world/frames/outstanding-frames.js";

/** The oracle: least-loaded's scan, written out (first serving node with strictly fewer). */
function scan(counts: Int32Array, serves: Uint8Array): number {
  let best = -1;
  for (let node = 0; node < counts.length; node++) if (serves[node] === 1 && (best < 0 || counts[node] < counts[best])) best = node;
  return best;
}

describe("OutstandingFrames: least-loaded's minimum without a scan (issue 16)", () => {
  for (const nodes of [1, 2, 3, 100, 130]) {
    it(`agrees with the scan after every one of 20,000 random placements and answers (${nodes} nodes, some without a frame service)`, () => {
      // A fixed LCG: the same sequence every run.
      let x = nodes;
      const next = (n: number): number => {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        return (x >>> 8) % n;
      };
      const serves = Uint8Array.from({ length: nodes }, (_, i) => (nodes > 1 && i % 7 === 3 ? 0 : 1));
      const frames = new OutstandingFrames(nodes, serves);
      const mismatches: number[] = [];
      for (let step = 0; step < 20_000; step++) {
        // Placements outnumber answers early on; ties (equal counts) are frequent with few frames out.
        const node = next(nodes);
        if (serves[node] === 0) continue;
        if (frames.counts[node] > 0 && next(3) === 0) frames.remove(node);
        else frames.add(node);
        if (step === 50 || step > 100) if (frames.least() !== scan(frames.counts, serves)) mismatches.push(step);
      }
      expect(mismatches).toEqual([]);
    });
  }

  it("no serving node: -1", () => {
    expect(new OutstandingFrames(3, new Uint8Array(3)).least()).toBe(-1);
  });

  it("least-loaded takes the view's answer, and scans when the view has none (-1) or no method", () => {
    const outstanding = [3, 1, 1, 2];
    const healthy = [true, false, true, true];
    const view = {
      nodeCount: 4,
      isHealthy: (node: number) => healthy[node],
      outstanding: (node: number) => outstanding[node],
    } as unknown as ClusterView;
    const policy = createLeastLoaded();
    const request = {} as TaskRequest;
    // Scan: node 1 is unhealthy, so node 2 (1 outstanding) wins over node 3.
    expect(policy.place(request, view)).toBe(2);
    expect(policy.place(request, { ...view, leastOutstanding: () => -1 } as ClusterView)).toBe(2);
    expect(policy.place(request, { ...view, leastOutstanding: () => 3 } as ClusterView)).toBe(3);
  });
});
