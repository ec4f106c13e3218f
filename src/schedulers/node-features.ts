import type { ClusterView, DeviceIndex, NodeIndex } from "./types.js";

/**
 * What the weighted and learned schedulers know about a node for a device: the performance
 * profiler's CPU (preprocessing) and accelerator (inference) time estimates, inflated by the
 * node's load, and the network latency.
 *
 * The profiler starts from the hardware profile's means and follows observed service times with
 * an exponentially weighted moving average (weight 0.1 per observation), so it tracks background
 * load. Load inflation: a request arriving at a node with `outstanding` requests over `slots`
 * slots waits, on average, about outstanding / slots service times, so each time estimate is
 * multiplied by (1 + outstanding / slots).
 */
export class PerformanceProfiler {
  private readonly preprocessing: Float64Array;
  private readonly inference: Float64Array;
  private readonly seen: Uint8Array;

  constructor(
    private readonly nodeCount: number,
    deviceCount: number,
    private readonly smoothing = 0.1,
  ) {
    this.preprocessing = new Float64Array(nodeCount * deviceCount);
    this.inference = new Float64Array(nodeCount * deviceCount);
    this.seen = new Uint8Array(nodeCount * deviceCount);
  }

  private index(device: DeviceIndex, node: NodeIndex): number {
    return device * this.nodeCount + node;
  }

  /** Records an observed service (load-free times: slowdown from background load shows up here). */
  observe(device: DeviceIndex, node: NodeIndex, preprocessingMs: number, inferenceMs: number): void {
    const i = this.index(device, node);
    if (this.seen[i] === 0) {
      this.seen[i] = 1;
      this.preprocessing[i] = preprocessingMs;
      this.inference[i] = inferenceMs;
      return;
    }
    this.preprocessing[i] += this.smoothing * (preprocessingMs - this.preprocessing[i]);
    this.inference[i] += this.smoothing * (inferenceMs - this.inference[i]);
  }

  preprocessingMs(device: DeviceIndex, node: NodeIndex, view: ClusterView): number {
    const i = this.index(device, node);
    return this.seen[i] === 1 ? this.preprocessing[i] : view.profilePreprocessingMs(device, node);
  }

  inferenceMs(device: DeviceIndex, node: NodeIndex, view: ClusterView): number {
    const i = this.index(device, node);
    return this.seen[i] === 1 ? this.inference[i] : view.profileInferenceMs(device, node);
  }
}

/** The three raw features of (device, node), in ms: CPU, accelerator, network (round trip). */
export function rawFeatures(profiler: PerformanceProfiler, device: DeviceIndex, node: NodeIndex, view: ClusterView, out: Float64Array): void {
  const load = 1 + view.outstanding(node) / view.slots(node);
  out[0] = profiler.preprocessingMs(device, node, view) * load;
  out[1] = profiler.inferenceMs(device, node, view) * load;
  out[2] = 2 * view.latency(device, node);
}
