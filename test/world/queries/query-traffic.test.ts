import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../src/engine/rng.js";
import { SimulationError } from "../../../src/errors.js";
import { resolveScenario } from "../../../src/scenario/resolve.js";
import { simulate } from "../../../src/run/simulate.js";
import type { FrameWorkload, QueryWorkload, ResolvedScenario } from "../../../src/scenario/resolved-scenario.js";
import type { QueryRecord } from "../../../src/world/queries/query-traffic.js";
import { REPO, tempDir } from "../../cli/helpers.js";
import { boardAndCloud, llmScenario, q, simulateQueries } from "../../llm/llm-helpers.js";

describe("query traffic on the one network", () => {
  it("a negative one-way delay draw raises the network's SimulationError (the old llm world clamped it to 0), as frames do", () => {
    // Latency normal(1 ms, 10 ms) without "min": about 46% of the draws are negative.
    const doc = boardAndCloud({ network: { default: { latency: { dist: "normal", mean: "1 ms", sd: "10 ms" } }, requestOverheadBytes: 0 } });
    (doc.devices as Array<{ workload: Record<string, unknown> }>)[0].workload.interarrival = "1 s";
    const run = () => simulateQueries(llmScenario(doc));
    expect(run).toThrow(SimulationError);
    // The message frames' links give (src/world/edge-world.ts), now the one network's.
    expect(run).toThrow(/^link user <-> board: one-way delay draw -[\d.e-]+ ms is negative; truncate latency or jitter with "min"$/);
  });

  it("a link's draws come from the device's stream link/<device>/<up|down> (latency and jitter alike)", () => {
    const doc = boardAndCloud({ network: { default: { latency: "5 ms", jitter: { dist: "uniform", low: 0, high: 2 } }, requestOverheadBytes: 0 } });
    const scenario = llmScenario(doc);
    const run = simulateQueries(scenario).runs[0];
    // One query: the uplink draws once from .../up; the first and the last token draw from .../down, in that order.
    const streams = new RandomStreams(scenario.seed);
    const up = 5 + 2 * streams.stream("link/user/up")();
    const down = streams.stream("link/user/down");
    const firstDown = 5 + 2 * down();
    const lastDown = 5 + 2 * down();
    expect(q(run).latency.ttft.mean).toBeCloseTo(up + 2000 + firstDown, 9);
    // The network stage counts the uplink and the last token's downlink (the first's overlaps decoding).
    expect(q(run).latency.network.mean).toBeCloseTo(up + lastDown, 9);
    expect(q(run).latency.total.mean).toBeCloseTo(up + 7000 + lastDown, 9);
  });
});

describe("the measurement window [warmup, duration)", () => {
  it("decodeTokensPerSPerQuery counts only queries created after the warm-up", () => {
    // Two queries at 0 s (warm-up) share the batch and decode at 7.5 tok/s each; one at 100 s
    // decodes alone at 10 tok/s. Counting warm-up queries would give 3 samples of mean 8.33.
    const dir = tempDir();
    writeFileSync(join(dir, "trace.csv"), "TIMESTAMP,ContextTokens,GeneratedTokens\n0,200,50\n0,200,50\n100,200,50\n");
    const doc = boardAndCloud({
      warmup: "50 s",
      devices: [{ id: "user", localNodes: ["board"], workload: { type: "query-trace", file: "trace.csv", timeUnit: "s" } }],
    });
    const run = simulateQueries(llmScenario(doc, dir)).runs[0];
    expect(run.jobs.generated).toBe(1);
    expect(run.jobs.completed).toBe(1);
    const rate = run.nodes[0].llm!.decodeTokensPerSPerQuery;
    expect(rate.count).toBe(1);
    expect(rate.mean).toBeCloseTo(10, 9);
    // The node's counters are the measured queries' too.
    expect(run.nodes[0].llm!.served).toBe(1);
    expect(run.nodes[0].llm!.outputTokens).toBe(50);
  });

  it("same seed, same results: byte-identical on the one world (every router of llm-routing, collaborative routes included)", () => {
    const file = join(REPO, "scenarios", "llm-routing.json");
    const resolve = () => {
      const doc = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      doc.duration = "10 min";
      doc.warmup = "1 min";
      return resolveScenario(doc, { baseDir: join(REPO, "scenarios") }, "llm-routing");
    };
    const a = JSON.stringify(simulateQueries(resolve()));
    const b = JSON.stringify(simulateQueries(resolve()));
    expect(a).toBe(b);
  });
});

describe("several query workloads on one device", () => {
  /** The bridged scenario with each device's workload given twice; the second's streams are `<device>/workload-1/...`. */
  function doubled(scenario: ResolvedScenario): ResolvedScenario {
    return {
      ...scenario,
      devices: scenario.devices.map((device) => {
        const first = device.workloads[0] as QueryWorkload;
        return { ...device, workloads: [first, { ...first }] };
      }),
    };
  }

  it("each workload arrives on its own streams: the first workload's queries are unchanged, the second adds as many again", () => {
    const doc = boardAndCloud({ duration: "2 h", routers: ["cloud-only"] });
    (doc.devices as Array<{ workload: Record<string, unknown> }>)[0].workload.interarrival = { dist: "exponential", mean: "30 s" };
    const scenario = llmScenario(doc);
    const records = (s: ResolvedScenario): QueryRecord[] => {
      const out: QueryRecord[] = [];
      simulate(s, { querySink: () => (record) => out.push(record) });
      return out;
    };
    const one = records(scenario);
    const two = records(doubled(scenario));
    const times = new Set(two.map((r) => r.createdAt));
    // 2 h at one per 30 s: 240 expected per workload (Poisson, 4 SE = 62).
    expect(Math.abs(one.length - 240)).toBeLessThan(62);
    for (const r of one) expect(times.has(r.createdAt)).toBe(true);
    expect(Math.abs(two.length - one.length - 240)).toBeLessThan(62);
  });

  it("frame workloads are not the query traffic's: a device's query workload after a frame one, and a camera-only group", () => {
    const doc = boardAndCloud({ duration: "2 h", routers: ["cloud-only"] });
    (doc.devices as Array<{ workload: Record<string, unknown> }>)[0].workload.interarrival = { dist: "exponential", mean: "30 s" };
    const scenario = llmScenario(doc);
    const frames: FrameWorkload = {
      family: "frames",
      type: "video",
      model: "detector",
      frameSizePx: 640,
      serviceClass: 0,
      periodMs: 200,
      jitter: undefined,
      interarrival: undefined,
      startOffset: undefined,
      requestBytes: 0,
      resultBytes: 0,
      arrivalTimes: undefined,
    };
    const user = scenario.devices[0];
    const query = user.workloads[0] as QueryWorkload;
    const mixed: ResolvedScenario = {
      ...scenario,
      devices: [
        { ...user, workloads: [frames, query] },
        { ...user, id: "camera", group: "camera", index: 1, workloads: [frames] },
      ],
      network: {
        // The camera enters the graph as vertex 1, with the same direct links as the user.
        vertices: [scenario.network.vertices[0], { ...scenario.network.vertices[0], id: "camera" }, ...scenario.network.vertices.slice(1)],
        links: [...scenario.network.links.map((l) => ({ ...l, to: l.to + 1 })), ...scenario.network.links.map((l) => ({ ...l, from: 1, to: l.to + 1 }))],
        nominalLatencyMs: [scenario.network.nominalLatencyMs[0], scenario.network.nominalLatencyMs[0]],
        // A star of direct links only keeps them per row (links is then empty): the camera takes the user's row.
        direct: scenario.network.direct === undefined ? undefined : { ...scenario.network.direct, rowOf: Int32Array.of(scenario.network.direct.rowOf[0], scenario.network.direct.rowOf[0]) },
        wireless: undefined,
      },
    };
    const run = simulate(mixed).runs[0];
    expect(Math.abs(run.jobs.generated - 240)).toBeLessThan(62);
    expect(run.groups.map((g) => [g.group, g.devices, g.queries === null])).toEqual([
      ["user", 1, false],
      ["camera", 1, true],
    ]);
    expect(run.groups[1].jobs.generated).toBe(0);
  });
});
