import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { loadScenarioFile, resolveScenario } from "../../src/scenario/resolve.js";
import type { ResolvedScenario } from "../../src/scenario/resolved-scenario.js";
import { REPO } from "../cli/helpers.js";
import { hpaSpec } from "../control/hpa-spec.js";

type Doc = Record<string, any>;

/**
 * Five nodes: coral (coral-dev-board: 4 cores, 1024 MiB, a TPU), jetson (jetson-orin-nano: 6
 * cores, 8192 MiB, a GPU; slots and a language model), pi (raspberry-pi-5: 4 cores, 8192 MiB,
 * accelerator "none"), box (no profile: an abstract server) and cloud (cloud-llm-endpoint: 1
 * core, 1 MiB, "none"; a language model). `edit` changes the document under test.
 */
function doc(edit: (d: Doc) => void = () => {}): Doc {
  const d: Doc = {
    name: "control",
    duration: "10 min",
    qos: { frames: "200 ms", queries: { ttft: "2 s" } },
    devices: [
      { id: "cam", count: 2, workloads: [{ type: "video", model: "mobilenet-ssd-v1", fps: 5, frameSizePx: 300 }] },
      { id: "phone", workloads: [{ type: "queries", interarrival: { dist: "exponential", mean: "30 s" }, promptTokens: 200, outputTokens: 50 }] },
    ],
    nodes: [
      { id: "coral", profile: "coral-dev-board" },
      { id: "jetson", profile: "jetson-orin-nano", services: [{ type: "slots" }, { type: "llm", model: "llama-3.2-1b", quantization: "Q4_K_M", maxBatch: 2 }] },
      { id: "pi", profile: "raspberry-pi-5" },
      { id: "box", inferenceTime: "5 ms" },
      { id: "cloud", profile: "cloud-llm-endpoint", services: [{ type: "llm", model: "gpt-4o-mini", quantization: "served" }] },
    ],
    network: { default: { latency: "5 ms", bandwidth: "50 Mbit/s" } },
    policies: [{ frames: "round-robin", queries: { name: "edge-first", options: { maxOutstanding: 2 } } }],
    control: {
      images: [
        {
          id: "detector-tflite",
          layers: [
            { digest: "debian-12-slim", size: "29 MB" },
            { digest: "tflite-2.14", size: "12 MiB" },
          ],
        },
        {
          id: "llama-server",
          layers: [
            { digest: "debian-12-slim", size: 29_000_000 },
            { digest: "llama-cpp", size: "0.5 GB" },
          ],
        },
      ],
      deployments: [{ id: "detector", family: "frames", nodes: ["coral", "jetson", "pi"], image: "detector-tflite" }],
    },
  };
  edit(d);
  return d;
}

function problems(document: Doc): { path: string; expected: string }[] {
  try {
    resolveScenario(document);
  } catch (error) {
    if (error instanceof InputError) return error.issues.map((i) => ({ path: i.path, expected: i.expected }));
    throw error;
  }
  return [];
}

const MiB = 2 ** 20;

describe("the control section resolves", () => {
  it("a full section to the hand-computed ResolvedControl: bytes, ms, indices, defaults and the estimate label", () => {
    const s = resolveScenario(
      doc((d) => {
        Object.assign(d.control, {
          registry: "cloud",
          pullRate: "200 Mbit/s",
          maxConcurrentPulls: 2,
          nodes: { pi: { cpuCores: 2, memory: "4 GiB", cachedImages: ["detector-tflite"] }, jetson: { accelerators: 2 } },
          deployments: [
            {
              id: "detector",
              family: "frames",
              nodes: ["coral", "jetson", "pi"],
              image: "detector-tflite",
              modelSize: "6 MB",
              loadTime: { default: "2 s", jetson: "9 s" },
              requests: { cpu: 0.5, memory: "512 MiB", accelerator: 1 },
              replicas: 2,
              scoring: "accelerator-aware",
              autoscaler: { target: 0.5, minReplicas: 0, maxReplicas: 3, scaleToZeroAfter: "45 s" },
            },
            { id: "boxed", family: "frames", image: "detector-tflite", modelSize: "6 MB" },
            { id: "chat", family: "llm", image: "llama-server", modelSize: "0.8 GB", loadTime: "3 s", startTime: "500 ms", readyAtStart: false, autoscaler: { metric: "jobs", target: 4 } },
          ],
          catalog: { propagationDelay: "100 ms", deregisterCriticalAfter: "2 min" },
          timeline: [
            { at: "7 min", node: "jetson", event: "join" },
            { at: "5 min", node: "jetson", event: "leave" },
            { at: "1 min", node: "box", event: "join" },
          ],
        });
      }),
    );
    const c = s.control;
    expect(c).toBeDefined();
    if (c === undefined) return;
    expect(c.registryNode).toBe(4);
    // 200 Mbit/s = 2e8 / 8 bytes/s = 25,000 bytes/ms; the default model read rate 90 MB/s = 90,000 bytes/ms.
    expect(c.pullBytesPerMs).toBe(25_000);
    expect(c.maxConcurrentPulls).toBe(2);
    expect(c.modelReadBytesPerMs).toBe(90_000);
    // The Debian layer is shared by digest: three layers, 29 MB = 29e6, 12 MiB = 12 x 2^20, 0.5 GB = 5e8.
    expect(c.layers).toEqual([
      { digest: "debian-12-slim", bytes: 29_000_000 },
      { digest: "tflite-2.14", bytes: 12_582_912 },
      { digest: "llama-cpp", bytes: 500_000_000 },
    ]);
    expect(c.images).toEqual([
      { id: "detector-tflite", layers: [0, 1] },
      { id: "llama-server", layers: [0, 2] },
    ]);
    expect(c.nodes).toEqual([
      { cpuCores: 4, memoryBytes: 1024 * MiB, accelerators: 1, cachedLayers: [], presentAtStart: true },
      { cpuCores: 6, memoryBytes: 8192 * MiB, accelerators: 2, cachedLayers: [], presentAtStart: true },
      { cpuCores: 2, memoryBytes: 4 * 1024 * MiB, accelerators: 0, cachedLayers: [0, 1], presentAtStart: true },
      { cpuCores: 1, memoryBytes: Infinity, accelerators: 0, cachedLayers: [], presentAtStart: false },
      { cpuCores: 1, memoryBytes: 1 * MiB, accelerators: 0, cachedLayers: [], presentAtStart: true },
    ]);
    const [detector, boxed, chat] = c.deployments;
    expect(detector).toMatchObject({
      id: "detector",
      index: 0,
      family: "frames",
      candidates: [0, 1, 2],
      image: 0,
      modelBytes: 6_000_000,
      loadSource: ["scenario", "scenario", "scenario", "none", "none"],
      startMs: 1000,
      requests: { cpuCores: 0.5, memoryBytes: 512 * MiB, accelerators: 1 },
      replicas: 2,
      minReplicas: 0,
      maxReplicas: 3,
      readyAtStart: true,
      scoring: "accelerator-aware",
      // The HPA's defaults written out (not read from src/control/defaults.ts), with the scenario's grace.
      autoscaler: hpaSpec({ scaleToZeroAfterMs: 45_000 }),
    });
    expect(Array.from(detector.loadMs)).toEqual([2000, 9000, 2000, Number.NaN, Number.NaN]);
    // The one frames node no deployment lists; 6 MB at 90 MB/s = 1/15 s = 66.67 ms, an estimate.
    expect(boxed).toMatchObject({ candidates: [3], replicas: 1, minReplicas: 1, maxReplicas: 1, scoring: "least-allocated", autoscaler: undefined, readyAtStart: true });
    expect(boxed.loadMs[3]).toBeCloseTo(200 / 3, 12);
    expect(boxed.loadSource[3]).toBe("estimate");
    // Default candidates: every node with a language model; maxReplicas defaults to them, replicas to 1.
    expect(chat).toMatchObject({ candidates: [1, 4], image: 1, modelBytes: 800_000_000, startMs: 500, readyAtStart: false, replicas: 1, minReplicas: 1, maxReplicas: 2 });
    expect(Array.from(chat.loadMs)).toEqual([Number.NaN, 3000, Number.NaN, Number.NaN, 3000]);
    expect(chat.autoscaler).toMatchObject({ metric: "jobs", target: 4, scaleToZeroAfterMs: Infinity });
    expect(c.catalog).toEqual({ propagationDelayMs: 100, deregisterCriticalAfterMs: 120_000, reapIntervalMs: 30_000, discoveryQueryMs: 0, discoveryTtlMs: 0 });
    // Sorted by time; box's first event is a join, so it is absent at start.
    expect(c.timeline).toEqual([
      { atMs: 60_000, node: 3, kind: "join" },
      { atMs: 300_000, node: 1, kind: "leave" },
      { atMs: 420_000, node: 1, kind: "join" },
    ]);
  });

  it("a minimal section with the stated defaults", () => {
    const c = resolveScenario(doc()).control;
    expect(c).toMatchObject({
      registryNode: undefined,
      pullBytesPerMs: 12_500, // 100 Mbit/s
      maxConcurrentPulls: 3,
      catalog: { propagationDelayMs: 50, deregisterCriticalAfterMs: Infinity, reapIntervalMs: 30_000, discoveryQueryMs: 0, discoveryTtlMs: 0 },
      timeline: [],
    });
    // No loadTime and no modelSize: 0 bytes read, an estimate of 0 ms.
    expect(c?.deployments[0]).toMatchObject({ modelBytes: 0, startMs: 1000, requests: { cpuCores: 0, memoryBytes: 0, accelerators: 0 }, replicas: 1, readyAtStart: true });
    expect(c?.deployments[0].loadSource.slice(0, 3)).toEqual(["estimate", "estimate", "estimate"]);
    expect(Array.from(c?.deployments[0].loadMs ?? []).slice(0, 3)).toEqual([0, 0, 0]);
  });

  it("a per-node load time without a default: the other candidates get the estimate", () => {
    const c = resolveScenario(
      doc((d) => {
        Object.assign(d.control.deployments[0], { modelSize: "45 MB", loadTime: { jetson: "9 s" } });
      }),
    ).control;
    // 45 MB at 90 MB/s = 500 ms.
    expect(Array.from(c?.deployments[0].loadMs ?? []).slice(0, 3)).toEqual([500, 9000, 500]);
    expect(c?.deployments[0].loadSource.slice(0, 3)).toEqual(["estimate", "scenario", "estimate"]);
  });

  it("accepts a request no candidate can hold (the replica stays pending; the results say why)", () => {
    const d = doc((x) => {
      x.control.deployments[0].requests = { cpu: 64, memory: "1 TiB", accelerator: 4 };
    });
    expect(problems(d)).toEqual([]);
    expect(resolveScenario(d).control?.deployments[0].requests).toEqual({ cpuCores: 64, memoryBytes: 2 ** 40, accelerators: 4 });
  });

  it("an autoscaler with minReplicas 0 starts at one replica and scales to zero after 30 s by default", () => {
    const c = resolveScenario(
      doc((d) => {
        d.control.deployments[0].autoscaler = { target: 0.6, minReplicas: 0 };
      }),
    ).control;
    expect(c?.deployments[0]).toMatchObject({ replicas: 1, minReplicas: 0, maxReplicas: 3, autoscaler: { scaleToZeroAfterMs: 30_000 } });
  });
});

describe("docs/scenario-format.md", () => {
  it("its control example resolves on the fixture's nodes: the shared layer once, the given and estimated load times", () => {
    const text = readFileSync(join(REPO, "docs", "scenario-format.md"), "utf8");
    const block = /## Control plane[\s\S]*?```json\n([\s\S]*?)```/.exec(text);
    expect(block).not.toBeNull();
    const c = resolveScenario(
      doc((d) => {
        d.control = JSON.parse((block as RegExpExecArray)[1]);
      }),
    ).control;
    expect(c?.layers.map((l) => l.digest)).toEqual(["debian-12-slim", "tflite-runtime-2.14", "llama-cpp-r36.4"]);
    expect(c?.nodes[0].cachedLayers).toEqual([0, 1]);
    // 0.8 GB at the default 90 MB/s: 8e8 / 9e4 bytes per ms = 8,888.9 ms, an estimate.
    expect(c?.deployments[1].loadMs[1]).toBeCloseTo(8e8 / 9e4, 9);
    expect(c?.deployments[1]).toMatchObject({ replicas: 1, minReplicas: 0, maxReplicas: 1, readyAtStart: false });
    expect(c?.timeline.map((e) => e.kind)).toEqual(["leave", "join"]);
  });
});

describe("each rule of the control section: one message at its JSON path", () => {
  const cases: [string, (d: Doc) => void, { path: string; expected: string }][] = [
    [
      "an unknown image, with the near miss suggested",
      (d) => {
        d.control.deployments[0].image = "detector-tflit";
      },
      { path: "control.deployments[0].image", expected: 'an image id of control.images: did you mean "detector-tflite"? known: detector-tflite, llama-server' },
    ],
    [
      "a node managed by two deployments of one family",
      (d) => {
        d.control.deployments.push({ id: "second", family: "frames", nodes: ["box", "jetson"], image: "detector-tflite" });
      },
      { path: "control.deployments[1].nodes[1]", expected: 'a node no other frames deployment manages: "jetson" is managed by "detector" (control.deployments[0])' },
    ],
    [
      "a second deployment of a family taking the default candidates",
      (d) => {
        delete d.control.deployments[0].nodes;
        d.control.deployments.push({ id: "second", family: "frames", image: "detector-tflite" });
      },
      { path: "control.deployments[1].nodes", expected: 'a list of candidate nodes: "detector" (control.deployments[0]) already takes every frames node no deployment lists' },
    ],
    [
      "a candidate without the family's service",
      (d) => {
        d.control.deployments[0].nodes = ["coral", "cloud"];
      },
      { path: "control.deployments[0].nodes[1]", expected: "a node with a slot service (frames): known: coral, jetson, pi, box" },
    ],
    [
      "an unknown candidate",
      (d) => {
        d.control.deployments[0].nodes = ["corall"];
      },
      { path: "control.deployments[0].nodes[0]", expected: 'a node id with a slot service (frames): did you mean "coral"? known: coral, jetson, pi, box' },
    ],
    [
      "minReplicas above maxReplicas",
      (d) => {
        d.control.deployments[0].autoscaler = { target: 0.5, minReplicas: 3, maxReplicas: 2 };
      },
      { path: "control.deployments[0].autoscaler.minReplicas", expected: "at most 2 (maxReplicas)" },
    ],
    [
      "maxReplicas above the candidates",
      (d) => {
        d.control.deployments[0].autoscaler = { target: 0.5, maxReplicas: 4 };
      },
      { path: "control.deployments[0].autoscaler.maxReplicas", expected: "at most 3, the candidate nodes (one replica per node: coral, jetson, pi)" },
    ],
    [
      "replicas outside the autoscaler's bounds",
      (d) => {
        d.control.deployments[0].replicas = 3;
        d.control.deployments[0].autoscaler = { target: 0.5, maxReplicas: 2 };
      },
      { path: "control.deployments[0].replicas", expected: "a count within the autoscaler's bounds [1, 2]" },
    ],
    [
      "scaleToZeroAfter without minReplicas 0",
      (d) => {
        d.control.deployments[0].autoscaler = { target: 0.5, scaleToZeroAfter: "1 min" };
      },
      { path: "control.deployments[0].autoscaler.scaleToZeroAfter", expected: "no scaleToZeroAfter: it applies only with minReplicas 0 (here 1)" },
    ],
    [
      "a utilisation target above 1",
      (d) => {
        d.control.deployments[0].autoscaler = { target: 2 };
      },
      { path: "control.deployments[0].autoscaler.target", expected: "a utilisation in (0, 1] (metric utilisation)" },
    ],
    [
      "a timeline that does not alternate",
      (d) => {
        d.control.timeline = [
          { at: "1 min", node: "pi", event: "leave" },
          { at: "2 min", node: "pi", event: "leave" },
        ];
      },
      { path: "control.timeline[1].event", expected: '"join": node "pi" already did "leave" at 1 min (control.timeline[0]); a node\'s events alternate' },
    ],
    [
      "two events of one node at one time",
      (d) => {
        d.control.timeline = [
          { at: "1 min", node: "pi", event: "leave" },
          { at: "1 min", node: "pi", event: "join" },
        ];
      },
      { path: "control.timeline[1].at", expected: 'a time after 1 min, when control.timeline[0] already has node "pi" leave' },
    ],
    [
      "a registry that is not a node",
      (d) => {
        d.control.registry = "clod";
      },
      { path: "control.registry", expected: 'a node id: did you mean "cloud"? known: coral, jetson, pi, box, cloud' },
    ],
    [
      "a bad size",
      (d) => {
        d.control.images[0].layers[1].size = "12 XB";
      },
      {
        path: "control.images[0].layers[1].size",
        expected: 'a size: a number of bytes, or a string with a unit, decimal (B, kB, MB, GB, TB) or binary (KiB, MiB, GiB, TiB), e.g. "29 MB", "512 MiB", "6.3 GB"',
      },
    ],
    [
      "one digest with two sizes",
      (d) => {
        d.control.images[1].layers[0].size = "30 MB";
      },
      { path: "control.images[1].layers[0].size", expected: '29000000 bytes, the size control.images[0].layers[0] gives layer "debian-12-slim": one digest, one layer' },
    ],
    [
      "a layer twice in one image",
      (d) => {
        d.control.images[0].layers.push({ digest: "tflite-2.14", size: "12 MiB" });
      },
      { path: "control.images[0].layers[2].digest", expected: "a layer not already in this image" },
    ],
    [
      "an unknown node in control.nodes",
      (d) => {
        d.control.nodes = { jetsn: { cpuCores: 2 } };
      },
      { path: "control.nodes.jetsn", expected: 'a node id: did you mean "jetson"? known: coral, jetson, pi, box, cloud' },
    ],
    [
      "an unknown cached image",
      (d) => {
        d.control.nodes = { pi: { cachedImages: ["llama-servr"] } };
      },
      { path: "control.nodes.pi.cachedImages[0]", expected: 'an image id of control.images: did you mean "llama-server"? known: detector-tflite, llama-server' },
    ],
    [
      "a per-node load time for a node that is not a candidate",
      (d) => {
        d.control.deployments[0].loadTime = { default: "2 s", box: "1 s" };
      },
      { path: "control.deployments[0].loadTime.box", expected: 'a candidate node id or "default": known: default, coral, jetson, pi' },
    ],
    [
      "deregisterCriticalAfter under Consul's minimum",
      (d) => {
        d.control.catalog = { deregisterCriticalAfter: "30 s" };
      },
      { path: "control.catalog.deregisterCriticalAfter", expected: "a duration of at least 1 min (Consul's minimum)" },
    ],
  ];
  for (const [name, edit, issue] of cases) {
    it(name, () => {
      expect(problems(doc(edit))).toEqual([issue]);
    });
  }

  it("three mistakes in one file: three messages", () => {
    const found = problems(
      doc((d) => {
        d.control.deployments[0].image = "nope";
        d.control.registry = "nowhere";
        d.control.timeline = [{ at: "-1 s", node: "pi", event: "leave" }];
      }),
    );
    expect(found.map((f) => f.path).sort()).toEqual(["control.deployments[0].image", "control.registry", "control.timeline[0].at"]);
  });
});

describe("a scenario without control", () => {
  // Main's resolver gave these scenario hashes (the contract commit e2fddb4 and main at 9182496,
  // before the control section existed): the hash covers the document and the profiles used.
  const MAIN_HASH = {
    "llm-routing": "28767f2318a6987abb171b0c3301e15b67f1c9c27c13df5eaa04ce6d6e29450b",
    "rpi5-k3s-cluster": "bd870d7818d79c946b3b004a12a00980de59f4027825a53d2c5395ed3f4ff97f",
  } as const;
  for (const [name, hash] of Object.entries(MAIN_HASH)) {
    it(`${name}: control undefined and the hash unchanged`, () => {
      const s: ResolvedScenario = loadScenarioFile(join(REPO, "scenarios", `${name}.json`));
      expect(s.control).toBeUndefined();
      expect(s.hash).toBe(hash);
    });
  }
});
