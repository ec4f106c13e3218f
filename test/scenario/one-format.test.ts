import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { BUILTIN_PROFILE_DIR } from "../../src/scenario/profiles.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { type ResolvedScenario, streamPrefix } from "../../src/scenario/resolved-scenario.js";
import { REPO } from "../cli/helpers.js";

/**
 * The one scenario format: frame and query workloads on one device list, slot and language-model
 * services on one node, one policy list, and the older shorthands compiled into it.
 */

const PROFILES = [join(REPO, "test", "fixtures", "scenario-profiles"), join(REPO, "test", "fixtures", "llm-profiles"), BUILTIN_PROFILE_DIR];

function resolve(document: Record<string, unknown>): ResolvedScenario {
  return resolveScenario(document, { profileDirs: PROFILES });
}

/** The problems of a refused document, one "path: message" per line (the first line names the source). */
function problems(document: Record<string, unknown>): string[] {
  try {
    resolve(document);
  } catch (error) {
    if (error instanceof InputError) return error.message.split("\n").slice(1);
    throw error;
  }
  throw new Error("expected the scenario to be refused");
}

/** A Jetson-like board hosting a detector and a 1B model for four cameras and two phones, and a cloud endpoint. */
function mixed(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "mixed",
    duration: "60 s",
    qos: { frames: "200 ms", queries: { ttft: "2 s", total: "20 s" } },
    devices: [
      { id: "cam", count: 4, workloads: [{ type: "video", model: "det", fps: 5, frameSizePx: 300 }] },
      { id: "phone", count: 2, workloads: [{ type: "queries", interarrival: "10 s", promptTokens: 100, outputTokens: 20 }] },
    ],
    nodes: [
      { id: "board", profile: "test-detector-board", services: [{ type: "slots" }, { type: "llm", model: "llama-3.2-1b", quantization: "Q4_0" }] },
      { id: "cloud", profile: "test-cloud", services: [{ type: "llm", model: "big", quantization: "served" }] },
    ],
    policies: [{ frames: "nearest-healthy", queries: "cloud-only" }],
    ...overrides,
  };
}

describe("a mixed scenario resolves to one scenario of both families", () => {
  it("families, workloads with stream prefixes, services and units, policy members", () => {
    const s = resolve(mixed());
    expect(s.families).toEqual({ frames: true, queries: true });
    expect(s.devices.map((d) => d.id)).toEqual(["cam-0", "cam-1", "cam-2", "cam-3", "phone-0", "phone-1"]);
    expect(s.devices[0].workloads.map((w, k) => [w.family, w.type, streamPrefix(s.devices[0].id, k)])).toEqual([["frames", "video", "device/cam-0"]]);
    expect(s.devices[5].workloads.map((w, k) => [w.family, w.type, streamPrefix(s.devices[5].id, k)])).toEqual([["queries", "queries", "device/phone-1"]]);
    const [board, cloud] = s.nodes;
    // 5 fps: 200 ms frames; the detector's 20 ms on the accelerator, the model's rates per ms.
    expect(s.devices[0].workloads[0]).toMatchObject({ periodMs: 200, serviceClass: 0 });
    expect(board.frames).toMatchObject({ type: "slots", path: "accelerator", slots: 1, cpuSlots: 4, queueCapacity: Infinity });
    expect(board.frames?.service[0].inference.exactMean).toBe(20);
    expect(board.llm).toMatchObject({ model: "llama-3.2-1b", path: "gpu", prefillTokensPerMs: 1, decodeTokensPerMs: 0.05, maxBatch: 2 });
    // Both on the GPU: one unit, shared by time-slicing (the default).
    expect(board.units).toEqual({ frames: "accelerator", llm: "accelerator" });
    expect(board.sharing).toBe("time-slicing");
    // A cloud endpoint never contends, and a node given only an llm service has no slot service.
    expect(cloud).toMatchObject({ role: "cloud", frames: undefined, sharing: "isolated", units: { frames: undefined, llm: "accelerator" } });
    expect(s.llm.cloudNode).toBe(1);
    expect(s.devices[4].localNodes).toEqual([0]);
    expect(s.qos).toEqual({ frameDeadlineMs: 200, ttftDeadlineMs: 2000, totalDeadlineMs: 20_000 });
    expect(s.policies).toEqual([
      {
        label: "nearest-healthy+cloud-only",
        frames: { name: "nearest-healthy", label: "nearest-healthy", options: {} },
        queries: { name: "cloud-only", label: "cloud-only", options: {}, pipelineMaxAttempts: undefined },
      },
    ]);
  });

  it("a model on the CPU path and a detector on the GPU are on different units; isolated sharing is kept; a cloud node cannot time-slice", () => {
    const nodes = [
      { id: "board", profile: "test-detector-board", sharing: "isolated", services: [{ type: "slots" }, { type: "llm", model: "llama-3.2-1b", quantization: "Q4_0", path: "cpu" }] },
      (mixed().nodes as object[])[1],
    ];
    const board = resolve(mixed({ nodes })).nodes[0];
    expect(board.units).toEqual({ frames: "accelerator", llm: "cpu" });
    expect(board.sharing).toBe("isolated");
    const cloud = { id: "cloud", profile: "test-cloud", sharing: "time-slicing", services: [{ type: "llm", model: "big", quantization: "served" }] };
    expect(problems(mixed({ nodes: [(mixed().nodes as object[])[0], cloud] }))).toEqual([expect.stringMatching(/^ {2}nodes\[1\]\.sharing: /)]);
  });

  it("a device with two workloads: the first keeps the device's streams, the second gets workload-1", () => {
    const devices = [
      {
        id: "phone",
        workloads: [
          { type: "arrivals", model: "det", interarrival: "1 s" },
          { type: "queries", interarrival: "10 s", promptTokens: 100, outputTokens: 20 },
        ],
      },
    ];
    const s = resolve(mixed({ devices }));
    expect(s.devices[0].workloads.map((_, k) => streamPrefix(s.devices[0].id, k))).toEqual(["device/phone", "device/phone/workload-1"]);
  });

  it("a single name fills every family it serves: local-only and cloud-only are both a scheduler and a router", () => {
    const s = resolve(
      mixed({
        policies: ["cloud-only"],
        nodes: [
          ...(mixed().nodes as object[]).slice(0, 1),
          {
            id: "cloud",
            profile: "test-cloud",
            role: "cloud",
            services: [
              { type: "slots", inferenceTime: "5 ms" },
              { type: "llm", model: "big", quantization: "served" },
            ],
          },
        ],
      }),
    );
    expect(s.policies[0]).toMatchObject({ label: "cloud-only", frames: { name: "cloud-only" }, queries: { name: "cloud-only" } });
  });

  it("the old one-workload, node-level and serve shorthands give the same resolved scenario as the long form", () => {
    const long = resolve(
      mixed({
        nodes: [{ id: "board", profile: "test-detector-board", services: [{ type: "slots", slots: 2, queueCapacity: 5 }] }],
        devices: [(mixed().devices as object[])[0]],
        policies: ["round-robin"],
        qos: { frames: "200 ms" },
      }),
    );
    const short = resolve({
      name: "mixed",
      duration: "60 s",
      qosDeadline: "200 ms",
      devices: [{ id: "cam", count: 4, workload: { type: "video", model: "det", fps: 5, frameSizePx: 300 } }],
      nodes: [{ id: "board", profile: "test-detector-board", slots: 2, queueCapacity: 5 }],
      schedulers: ["round-robin"],
    });
    const strip = (s: ResolvedScenario) => JSON.stringify({ ...s, hash: undefined });
    expect(strip(short)).toBe(strip(long));
  });
});

describe("drain and link latency are checked alike for every family", () => {
  const queriesOnly = (overrides: Record<string, unknown> = {}) => mixed({ devices: [(mixed().devices as object[])[1]], qos: { queries: { total: "20 s" } }, policies: ["local-only"], ...overrides });

  it('"drain": "-30 s" on a query scenario: refused at drain (it was accepted before)', () => {
    expect(problems(queriesOnly({ drain: "-30 s" }))).toEqual([expect.stringMatching(/^ {2}drain: /)]);
    expect(problems({ kind: "llm", ...queriesOnly({ drain: "-30 s" }) })[0]).toMatch(/^ {2}drain: /);
  });

  it("a negative constant latency on a query scenario: refused at its path (it was clamped to 0 before)", () => {
    const lines = problems(queriesOnly({ network: { default: { latency: "5 ms" }, links: [{ between: ["phone", "board"], latency: "-10 ms" }] } }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}network\.links\[0\]\.latency: .*non-negative/);
    expect(problems(queriesOnly({ network: { default: { jitter: -1 } } }))[0]).toMatch(/^ {2}network\.default\.jitter: /);
  });
});

describe("the memory check covers every service a node hosts", () => {
  // llama-3.2-1b at Q4_0 (4.54 bits) with maxBatch 2 x 4096 tokens of F16 KV cache: weights
  // 1.24e9 x 4.54 / 8 B = 671.1 MiB, KV 2 x 16 layers x 8 heads x 64 x 2 B = 32 KiB per token x 8192 = 256 MiB,
  // runtime 300 MiB: 1227.1 MiB of the 2048 usable. The detector "det" (800 MiB) fits beside it (2027.1);
  // "big-det" (850 MiB) does not (2077.1).
  it("a detector and a 1B model that fit together resolve; a larger detector is refused at the llm service", () => {
    expect(() => resolve(mixed())).not.toThrow();
    const bigger = mixed();
    (bigger.devices as { workloads: { model?: string }[] }[])[0].workloads[0].model = "big-det";
    const lines = problems(bigger);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("nodes[0].services[1]");
    expect(lines[0]).toContain("2048 MiB usable on test-detector-board");
    expect(lines[0]).toContain("big-det 850 MiB");
    expect(lines[0]).toContain("= 2077 MiB");
  });
});

describe("policies: one list for both families", () => {
  it("a name that cannot serve a family present: one message naming the family and the names that can", () => {
    const lines = problems(mixed({ policies: ["edge-first"] }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}policies\[0\]: /);
    expect(lines[0]).toContain("places frames");
    expect(lines[0]).toContain('"nearest-healthy"');
  });

  it("a typo suggests the nearest policy name", () => {
    const lines = problems(mixed({ policies: [{ frames: "nearest-healty", queries: "cloud-only" }] }));
    expect(lines).toEqual([expect.stringMatching(/policies\[0\]\.frames: .*nearest-healthy/)]);
  });

  it("a bad scheduler option is a path-named message with no option schemas passed by the caller", () => {
    const lines = problems(mixed({ policies: [{ frames: { name: "weighted", options: { weigths: {} } }, queries: "cloud-only" }] }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ {2}policies\[0\]\.frames\.options\.weigths: /);
  });

  it("pipelineMaxAttempts on a policy that places frames only: refused, not ignored", () => {
    const lines = problems(mixed({ policies: [{ frames: { name: "round-robin", pipelineMaxAttempts: 2 }, queries: "cloud-only" }] }));
    expect(lines).toEqual([expect.stringMatching(/^ {2}policies\[0\]\.frames\.pipelineMaxAttempts: /)]);
  });

  it("the old names schedulers and routers are the same list; both with policies: one message", () => {
    const lines = problems(mixed({ routers: ["cloud-only"] }));
    expect(lines).toEqual([expect.stringMatching(/^ {2}routers: .*one list of policies/)]);
  });
});

describe("a shorthand and its long form together: one message at the shorthand", () => {
  it("workload with workloads, slot keys with services, qosDeadline with qos.frames", () => {
    const devices = [{ id: "cam", workload: { type: "video", model: "det", fps: 5, frameSizePx: 300 }, workloads: [{ type: "video", model: "det", fps: 5, frameSizePx: 300 }] }];
    expect(problems(mixed({ devices, qos: { frames: "200 ms" }, policies: ["round-robin"] }))).toEqual([expect.stringMatching(/^ {2}devices\[0\]\.workload: .*not both/)]);
    const nodes = [{ id: "board", profile: "test-detector-board", slots: 2, services: [{ type: "slots" }] }];
    const cams = [(mixed().devices as object[])[0]];
    expect(problems(mixed({ nodes, devices: cams, qos: { frames: "200 ms" }, policies: ["round-robin"] }))).toEqual([expect.stringMatching(/^ {2}nodes\[0\]\.slots: .*services/)]);
    expect(problems(mixed({ devices: cams, qosDeadline: "100 ms", qos: { frames: "200 ms" }, policies: ["round-robin"] }))).toEqual([expect.stringMatching(/^ {2}qosDeadline: /)]);
  });

  it("two services of one type on a node: one message at the second", () => {
    const nodes = [{ id: "board", profile: "test-detector-board", services: [{ type: "slots" }, { type: "slots" }] }];
    const lines = problems(mixed({ nodes, devices: [(mixed().devices as object[])[0]], qos: { frames: "200 ms" }, policies: ["round-robin"] }));
    expect(lines).toEqual([expect.stringMatching(/^ {2}nodes\[0\]\.services\[1\]\.type: .*at most one/)]);
  });

  it("a deadline is required for each family present", () => {
    expect(problems(mixed({ qos: { frames: "200 ms" } }))).toEqual([expect.stringMatching(/^ {2}qos\.queries: /)]);
  });
});
