/**
 * The control-plane world tests' scenario: one camera, a frame every 100 ms from t = 0; `near`
 * and `far` slot services of one slot taking exactly 10 ms; a zero-latency network to near, 1 ms
 * to far; nearest-healthy. `extra` adds or replaces top-level keys (a `control` section, faults).
 */
export function twoBoardsDoc(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "control-frames",
    seed: 1,
    duration: "2 s",
    drain: "1 s",
    qosDeadline: "1 s",
    devices: [{ id: "cam", workload: { type: "video", model: "m", fps: 10, frameSizePx: 300, startOffset: 0 } }],
    nodes: [
      { id: "near", slots: 1, inferenceTime: 10, preprocessingTime: 0 },
      { id: "far", slots: 1, inferenceTime: 10, preprocessingTime: 0 },
    ],
    network: { default: { latency: "0 ms" }, links: [{ between: ["cam", "far"], latency: "1 ms" }] },
    schedulers: ["nearest-healthy"],
    ...extra,
  };
}
