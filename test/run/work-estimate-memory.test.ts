import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { scaleModel } from "../../src/bench/scale-model.js";
import { simulate } from "../../src/run/simulate.js";
import { BYTES_PER_LINK, estimateWork } from "../../src/run/work-estimate.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * The memory the work estimate charges against what a run holds: the live bytes (heap and typed
 * arrays, after a full collection) at the end of a run, while its world is still alive, in two
 * sizes of one model, so what does not grow with the devices or links cancels. The estimate is
 * taken from peak RSS, which also holds the garbage collector's headroom, so it should lie at or
 * above the live cost, and within FACTOR of it: far above, it refuses runs that fit.
 */
const FACTOR = 2;

function liveBytesAtEnd(doc: ScenarioInput): { bytes: number; scenario: ReturnType<typeof resolveScenario> } {
  const scenario = resolveScenario(doc, {});
  let bytes = 0;
  simulate(scenario, {
    onRunDone: () => {
      // Three collections: the previous run's typed arrays are counted in `external` until a collection after the one that found them dead.
      for (let i = 0; i < 3; i++) gc();
      const memory = process.memoryUsage();
      bytes = memory.heapUsed + memory.external;
    },
  });
  return { bytes, scenario };
}

/** The scale model (src/bench/scale-model.ts) for one simulated second: about 10,500 requests whatever the device count. */
function shortScale(devices: number, capacity: boolean): ScenarioInput {
  const doc = { ...scaleModel(devices), duration: "1 s" };
  // A capacity on one link entry makes every (device, node) pair a link object of the graph.
  if (capacity) doc.network = { ...doc.network, links: [{ between: ["device", "edge-0"], capacity: "100 Mbit/s" }] };
  return doc;
}

describe("the work estimate's memory against a run's live memory", () => {
  it(`frames: bytes per device within a factor ${FACTOR} above the live cost (20,000 and 60,000 devices of the scale model)`, () => {
    // At 20,000 devices the task pool has reached its presize cap (65,536): both sizes hold the same pool.
    const small = liveBytesAtEnd(shortScale(20_000, false));
    const large = liveBytesAtEnd(shortScale(60_000, false));
    const measured = (large.bytes - small.bytes) / 40_000;
    const estimated = estimateWork(large.scenario).bytesPerDevice;
    expect(measured).toBeGreaterThan(0);
    expect(estimated / measured).toBeGreaterThanOrEqual(1);
    expect(estimated / measured).toBeLessThan(FACTOR);
  });

  it(`links: bytes per link object within a factor ${FACTOR} above the live cost (200 and 1,200 devices x 100 nodes, a link per pair)`, () => {
    const small = liveBytesAtEnd(shortScale(200, true));
    const large = liveBytesAtEnd(shortScale(1_200, true));
    const links = large.scenario.network.links.length - small.scenario.network.links.length;
    expect(links).toBe(100_000);
    // The devices' own cost (1,000 more of them) is charged to the links here: about 2% of it.
    const measured = (large.bytes - small.bytes) / links;
    expect(BYTES_PER_LINK / measured).toBeGreaterThanOrEqual(1);
    expect(BYTES_PER_LINK / measured).toBeLessThan(FACTOR);
  });
});
