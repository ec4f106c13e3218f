import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FrameNodeResults, FrameResults, Results } from "../../src/metrics/results-schema.js";
import { loadScenarioFile } from "../../src/scenario/resolve.js";

import { simulate } from "../../src/run/simulate.js";
import { REPO } from "../cli/helpers.js";

/**
 * The published edge-AI testbed figures (issue 4), reproduced by the shipped scenarios. Every
 * tolerance is stated and argued in docs/published-figures.md; the short version is next to each
 * assertion. All runs use the scenarios' fixed seeds (or the seeds listed), so the numbers are
 * deterministic; the tolerances are there because the published figures are approximate ("about",
 * "~") and the model's means are drawn, not because the test is noisy.
 */

const scenarioFile = (name: string): string => join(REPO, "scenarios", name);

function run(name: string, edit?: (document: Record<string, unknown>) => void): Results {
  return simulate(loadScenarioFile(scenarioFile(name), {}, edit));
}

type StageName = "networkUp" | "queueing" | "preprocessing" | "inference" | "networkDown" | "total";
type Summary = { mean: number | null };

/** The stage means (ms); a stage with no sample fails the test instead of reading as 0. */
function means(latency: Record<StageName, Summary>): Record<StageName, { mean: number }> {
  const out = {} as Record<StageName, { mean: number }>;
  for (const stage of ["networkUp", "queueing", "preprocessing", "inference", "networkDown", "total"] as const) {
    const mean = latency[stage].mean;
    if (mean === null) throw new Error(`no samples for ${stage}`);
    out[stage] = { mean };
  }
  return out;
}

function nodeLatency(results: Results, id: string): Record<StageName, { mean: number }> {
  return means(nodeFrames(results, id).latency);
}

function nodeFrames(results: Results, id: string): FrameNodeResults {
  const node = results.runs[0].nodes.find((n) => n.id === id)?.frames;
  if (node == null) throw new Error(`no frame service on node ${id}`);
  return node;
}

const relativeError = (measured: number, published: number): number => Math.abs(measured - published) / published;

describe("observation 1 (scenarios/frame-size.json): larger frames inflate total latency by 45-60%, the CPU path more", () => {
  const results = run("frame-size.json");
  const total = (id: string): number => nodeLatency(results, id).total.mean;
  const inflation = (path: "gpu" | "cpu"): number => total(`jetson-${path}-600`) / total(`jetson-${path}-300`) - 1;

  it("each camera is served only by its own board (the pinning the scenario relies on)", () => {
    const run0 = results.runs[0];
    expect(run0.jobs.completed).toBeGreaterThan(11_000);
    for (const node of run0.nodes) expect((node.frames as FrameNodeResults).completed, node.id).toBe(run0.jobs.completed / 4);
  });

  it("both paths inflate by 45-60% from 300 px to 600 px, and the CPU path by at least 5 points more", () => {
    const gpu = inflation("gpu");
    const cpu = inflation("cpu");
    // Tolerance: the published range itself, per path (the published work does not say whether
    // 45-60% is per path; requiring it of both is the stricter reading).
    for (const value of [gpu, cpu]) {
      expect(value).toBeGreaterThanOrEqual(0.45);
      expect(value).toBeLessThanOrEqual(0.6);
    }
    // Measured 49.0% vs 58.1% (48.6% vs 58.4% before the star links drew per device, issue 16). The sampling error of each ratio is about 0.2 points (2950 frames
    // per cell), so a 5-point margin cannot be a sampling artefact.
    expect(cpu - gpu).toBeGreaterThan(0.05);
  });

  it("the mechanism: the CPU path's single slot absorbs the larger preprocessing, the accelerator's bottleneck does not change", () => {
    const util = (id: string): number => nodeFrames(results, id).utilisation;
    // CPU path: one slot serves preprocessing + inference, 96.7 -> 126.7 ms per frame at 5 fps: 0.48 -> 0.63.
    expect(util("jetson-cpu-600") / util("jetson-cpu-300")).toBeGreaterThan(1.25);
    // Accelerator path: utilisation is the GPU's, whose 115.6 ms inference does not depend on the frame size.
    expect(Math.abs(util("jetson-gpu-600") / util("jetson-gpu-300") - 1)).toBeLessThan(0.02);
    // Both paths' inference stays where it was; the inflation is preprocessing and the upload.
    for (const path of ["gpu", "cpu"]) {
      const small = nodeLatency(results, `jetson-${path}-300`);
      const large = nodeLatency(results, `jetson-${path}-600`);
      expect(relativeError(large.inference.mean, small.inference.mean)).toBeLessThan(0.01);
      expect(large.preprocessing.mean / small.preprocessing.mean).toBeCloseTo(4, 0);
    }
  });

  it("the result holds for other seeds too (not a lucky seed)", () => {
    for (const seed of [2, 3]) {
      const other = run("frame-size.json", (doc) => {
        doc.seed = seed;
        doc.duration = "3 min";
      });
      const ratio = (path: string): number => nodeLatency(other, `jetson-${path}-600`).total.mean / nodeLatency(other, `jetson-${path}-300`).total.mean - 1;
      expect(ratio("gpu"), `seed ${seed}`).toBeGreaterThanOrEqual(0.45);
      expect(ratio("cpu"), `seed ${seed}`).toBeLessThanOrEqual(0.6);
      expect(ratio("cpu") - ratio("gpu"), `seed ${seed}`).toBeGreaterThan(0.05);
    }
  });
});

describe("observation 2 (scenarios/frame-size.json, 300 px GPU cell): the Jetson Nano 2 GB testbed, total ~181.5 ms", () => {
  const results = run("frame-size.json");
  const stages = nodeLatency(results, "jetson-gpu-300");
  // Reconciliation (docs/published-figures.md): the published inference and network figures each
  // include the 10 ms preprocessing, since 10 + 125.6 + 65.9 - 181.5 = 20.0 = 2 x 10.
  const published = { total: 181.5, preprocessing: 10, inference: 125.6, network: 65.9 };
  const asPublished = {
    total: stages.total.mean,
    preprocessing: stages.preprocessing.mean,
    // published "inference" = the node's preprocessing + inference
    inference: stages.preprocessing.mean + stages.inference.mean,
    // published "network" = total - pure inference = up + queueing + preprocessing + down
    network: stages.total.mean - stages.inference.mean,
  };

  it("total provisioning time within 1% of 181.5 ms", () => {
    // The model's stage means are set to the reconciled figures; 1% (1.8 ms) is about 9 standard
    // errors of a 2950-frame mean, and well inside the published "about".
    expect(relativeError(asPublished.total, published.total)).toBeLessThan(0.01);
  });

  it("preprocessing within 0.5 ms of ~10 ms, inference within 1% of ~125.6 ms, network within 2% of ~65.9 ms", () => {
    // Preprocessing: 5% of 10 ms; lognormal cv 0.15 gives a standard error of 0.03 ms.
    expect(Math.abs(asPublished.preprocessing - published.preprocessing)).toBeLessThan(0.5);
    // Inference: cv 0.05 on the GPU and 0.15 on preprocessing, standard error about 0.12 ms.
    expect(relativeError(asPublished.inference, published.inference)).toBeLessThan(0.01);
    // Network: 2%, wider because the exponential Wi-Fi jitter (mean 5 ms each way) is the noisiest stage.
    expect(relativeError(asPublished.network, published.network)).toBeLessThan(0.02);
  });

  it("what the simulator cannot do: its stages are sequential, so the raw published stages cannot all hold with the total", () => {
    // The simulator's own stage means add up to its total (no overlap between stages) ...
    const sum = stages.networkUp.mean + stages.queueing.mean + stages.preprocessing.mean + stages.inference.mean + stages.networkDown.mean;
    expect(Math.abs(sum - stages.total.mean)).toBeLessThan(1e-6 * stages.total.mean);
    // ... so with the total at 181.5 the pure stages are 10 / 115.6 / 55.9, not the raw 10 / 125.6 / 65.9.
    expect(relativeError(stages.inference.mean, 115.6)).toBeLessThan(0.01);
    expect(relativeError(stages.networkUp.mean + stages.queueing.mean + stages.networkDown.mean, 55.9)).toBeLessThan(0.02);
    expect(stages.queueing.mean).toBeLessThan(0.5);
  });
});

describe("observation 3 (scenarios/edge-ai-testbed-heatmap.json): the published latency heat map", () => {
  const results = run("edge-ai-testbed-heatmap.json", (doc) => {
    doc.duration = "1 min";
  });

  it("every device-to-node entry of network.nominalLatencyMs is about 80 ms (within 2 ms)", () => {
    // Tolerance 2 ms (2.5%): the published figure is read off a heat map as "about 80 ms"; the
    // nominal value is the 66.4 ms base plus the simulator's estimate of the 5G jitter's mean.
    const { devices, nodes, nominalLatencyMs } = results.network;
    expect(devices).toEqual(["rpi3-0", "rpi3-1", "rpi3-2", "rpi3-3"]);
    expect(nodes).toEqual(["coral", "jetson-nano", "up-squared"]);
    expect(nominalLatencyMs).toHaveLength(4);
    for (const row of nominalLatencyMs) {
      expect(row).toHaveLength(3);
      for (const ms of row) expect(Math.abs(ms - 80)).toBeLessThan(2);
    }
  });

  it("the matrix drives the simulation: the measured uplink is about 80 ms plus the 27 kB transfer", () => {
    // 27000 B at 50 Mbit/s = 4.32 ms. 3 ms tolerance: the heavy-tailed 5G jitter over a 1-minute run.
    for (const runResult of results.runs) {
      expect(Math.abs(means((runResult.frames as FrameResults).latency).networkUp.mean - (results.network.nominalLatencyMs[0][0] + 4.32)), runResult.label).toBeLessThan(3);
    }
  });

  it("differs from the base testbed, whose nearest links are the 5G jitter alone", () => {
    const base = run("edge-ai-testbed.json", (doc) => {
      doc.duration = "15 s";
    });
    expect(Math.min(...base.network.nominalLatencyMs.flat())).toBeLessThan(20);
  });
});
