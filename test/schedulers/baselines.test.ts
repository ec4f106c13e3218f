import { describe, expect, it } from "vitest";
import type { InputError } from "../../src/errors.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { SCHEDULER_NAMES } from "../../src/schedulers/registry.js";
import type { FrameResults, RunResults } from "../../src/metrics/results-schema.js";
import { runScenario } from "../world/run-scenario.js";

function scenario(schedulers: string[], extra: Record<string, unknown> = {}) {
  return {
    name: "baselines",
    seed: 3,
    duration: "2 min",
    qosDeadline: "200 ms",
    devices: [{ id: "pi", count: 3, profile: "raspberry-pi-3b", workload: { type: "video", model: "mobilenet-ssd-v1", fps: 1, frameSizePx: 300, frameBytes: 27000 } }],
    nodes: [
      { id: "coral", profile: "coral-dev-board" },
      { id: "cloud", profile: "cloud-gpu-server" },
    ],
    network: {
      default: { latency: "5 ms", bandwidth: "50 Mbit/s" },
      links: [{ between: ["pi", "cloud"], latency: "40 ms" }],
    },
    schedulers,
    ...extra,
  };
}

const run = runScenario;

describe("local-only and cloud-only baselines", () => {
  const { results, records } = run(scenario(["local-only", "cloud-only", "nearest-healthy"]));
  const [local, cloud, nearest] = results.runs;
  const frames = (run: RunResults) => run.frames as FrameResults;

  it("local-only runs every request on its device: no network, the device's CPU path (Raspberry Pi 3 B: ~317 + ~20 ms)", () => {
    expect(frames(local).local?.completed).toBe(local.jobs.completed);
    expect(local.nodes.every((node) => node.frames?.completed === 0)).toBe(true);
    expect(records["local-only"].every((r) => r.node === "(local)" && r.networkUp === 0 && r.networkDown === 0)).toBe(true);
    // Profile means (estimates): CPU inference 316.8 ms, preprocessing 20.2 ms; lognormal cv 0.1 / 0.15 over ~360 frames.
    expect(Math.abs((frames(local).latency.inference.mean as number) / 316.8 - 1)).toBeLessThan(0.03);
    expect(Math.abs((frames(local).latency.preprocessing.mean as number) / 20.2 - 1)).toBeLessThan(0.05);
    // One frame a second against ~337 ms of work: no queueing, and every frame misses the 200 ms deadline.
    expect(frames(local).latency.queueing.max).toBe(0);
    expect(local.jobs.violationRate).toBe(1);
  });

  it("cloud-only sends everything to the cloud node; nearest-healthy keeps it at the edge", () => {
    expect(cloud.nodes.find((n) => n.id === "cloud")?.frames?.completed).toBe(cloud.jobs.completed);
    expect(frames(cloud).local).toBeNull();
    expect(records["cloud-only"].every((r) => r.node === "cloud")).toBe(true);
    expect(nearest.nodes.find((n) => n.id === "coral")?.frames?.completed).toBe(nearest.jobs.completed);
    // Same arrivals for all three policies.
    expect(new Set(results.runs.map((r) => r.jobs.generated)).size).toBe(1);
  });

  it("refuses, at load, cloud-only without a cloud node and local-only for a device that cannot run its model", () => {
    const problems = (doc: Record<string, unknown>) => {
      try {
        resolveScenario(doc, {});
      } catch (error) {
        return (error as InputError).issues.map((issue) => issue.path);
      }
      return [];
    };
    const noCloud = scenario(["nearest-healthy", "cloud-only"]);
    (noCloud as { nodes: unknown[] }).nodes = [{ id: "coral", profile: "coral-dev-board" }];
    (noCloud as { network: unknown }).network = undefined;
    expect(problems(noCloud)).toEqual(["schedulers[1]"]);
    const noProfile = scenario(["local-only"]);
    (noProfile as { devices: { profile?: string }[] }).devices[0].profile = undefined;
    expect(problems(noProfile)).toEqual(["devices[0].profile"]);
    // A node can be declared cloud without a cloud profile.
    const declared = scenario(["cloud-only"]);
    (declared as { nodes: unknown[] }).nodes = [{ id: "far", role: "cloud", inferenceTime: 5 }];
    (declared as { network: unknown }).network = undefined;
    expect(problems(declared)).toEqual([]);
  });
});

describe("model memory", () => {
  it("a node whose profile cannot hold the models its devices use is refused at load, naming the sizes", async () => {
    const { mkdtempSync, writeFileSync, readFileSync, mkdirSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { BUILTIN_PROFILE_DIR } = await import("../../src/scenario/profiles.js");
    const dir = mkdtempSync(join(tmpdir(), "memory-"));
    mkdirSync(join(dir, "profiles"));
    const coral = JSON.parse(readFileSync(join(BUILTIN_PROFILE_DIR, "coral-dev-board.json"), "utf8"));
    coral.id = "tiny-board";
    coral.memoryMiB = 64;
    coral.models["mobilenet-ssd-v1"].memoryMiB = 48;
    coral.models["big-detector"] = { ...coral.models["mobilenet-ssd-v1"], memoryMiB: 32 };
    writeFileSync(join(dir, "profiles", "tiny-board.json"), JSON.stringify(coral));
    const doc = (models: string[]) => ({
      name: "memory",
      duration: "1 s",
      qosDeadline: "1 s",
      devices: models.map((model, i) => ({ id: `d${i}`, workload: { type: "arrivals", model, interarrival: 100 } })),
      nodes: [{ id: "n", profile: "tiny-board" }],
      schedulers: ["round-robin"],
    });
    const options = { knownSchedulers: SCHEDULER_NAMES, profileDirs: [join(dir, "profiles"), BUILTIN_PROFILE_DIR] };
    expect(() => resolveScenario(doc(["mobilenet-ssd-v1"]), options)).not.toThrow();
    let error: InputError | undefined;
    try {
      resolveScenario(doc(["mobilenet-ssd-v1", "big-detector"]), options);
    } catch (caught) {
      error = caught as InputError;
    }
    expect(error?.issues[0].path).toBe("nodes[0].profile");
    expect(error?.issues[0].expected).toContain("48 MiB + big-detector 32 MiB = 80 MiB exceeds the 64 MiB");
  });
});
