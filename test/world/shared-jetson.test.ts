import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/run/simulate.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { REPO } from "../cli/helpers.js";

/** scenarios/shared-jetson.json: a detector and a language model on one Jetson GPU, shortened. */
function shippedRun(edit: (doc: Record<string, unknown>) => void = () => undefined): string {
  const doc = JSON.parse(readFileSync(join(REPO, "scenarios", "shared-jetson.json"), "utf8")) as Record<string, unknown>;
  doc.duration = "5 min";
  edit(doc);
  return JSON.stringify(simulate(resolveScenario(doc, { baseDir: join(REPO, "scenarios") }, "shared-jetson")));
}

describe("scenarios/shared-jetson.json: frames and queries on one node", () => {
  const text = shippedRun();
  const results = JSON.parse(text) as ReturnType<typeof simulate>;
  const [edgeFirst, toCloud] = results.runs;

  it("runs both families in every run and is byte-identical for the same seed", () => {
    expect(shippedRun()).toBe(text);
    for (const run of results.runs) {
      expect(run.frames?.jobs.completed).toBeGreaterThan(0);
      expect(run.queries?.jobs.completed).toBeGreaterThan(0);
      expect(run.jobs.completed).toBe((run.frames?.jobs.completed ?? 0) + (run.queries?.jobs.completed ?? 0));
    }
    expect(results.scenario.nodes[0].services.map((service) => service.type)).toEqual(["slots", "llm"]);
  });

  it("time-slicing: the detector's inference stretches by the share of frames that find the language model busy", () => {
    // With the queries in the cloud the GPU is the detector's alone: the profile's 0.91 ms (cv 0.05).
    const alone = toCloud.frames?.latency.inference.mean as number;
    expect(alone).toBeCloseTo(0.91, 2);
    // Under edge-first the SLM's batch is non-empty a share u of the time; its busy periods last
    // seconds, far longer than a 0.91 ms inference, so a frame arriving in one runs wholly at half
    // speed: E[inference] = 0.91 (1 + u). Frames come every 50 ms independently of the queries, so
    // the share of frames that find it busy estimates u; consecutive frames share a busy period
    // (about 50 per period), so the effective sample is ~ n / 50 and SE(u) ~ sqrt(u (1 - u) / (n / 50)).
    const u = edgeFirst.nodes[0].llm?.utilisation as number;
    const n = edgeFirst.frames?.jobs.completed as number;
    const se = Math.sqrt((u * (1 - u)) / (n / 50));
    expect(u).toBeGreaterThan(0.2);
    const shared = edgeFirst.frames?.latency.inference.mean as number;
    expect(Math.abs(shared / alone - (1 + u))).toBeLessThan(4 * se);
  });

  it("isolated: the same deployment without contention keeps the detector's 0.91 ms", () => {
    const isolated = JSON.parse(shippedRun((doc) => ((doc.nodes as Array<Record<string, unknown>>)[0].sharing = "isolated"))) as ReturnType<typeof simulate>;
    expect(isolated.runs[0].frames?.latency.inference.mean).toBeCloseTo(0.91, 2);
  });
});
