import type { ScenarioInput } from "../scenario/schema.js";

/** The mobile benchmark's shape (issue 15): stated once, the description quotes it. */
const DEVICES = 10_000;
/** Access points on a square grid, `AP_SPACING_M` apart; the area is the grid's extent. */
const AP_GRID = 10;
const AP_SPACING_M = 200;
/** Range 150 m > half the diagonal of a 200 m cell (141 m): every point of the area is covered. */
const AP_RANGE_M = 150;
/** Air capacity an AP's devices share: 100 devices x 0.1 requests/s x 20 kB = 1.6 Mbit/s offered up, utilisation about 0.4. */
const AP_CAPACITY = "4 Mbit/s";
const NODES = 20;
const REQUEST_BYTES = 20_000;
const RESULT_BYTES = 1_000;

/**
 * `mobile-10k`: 10,000 devices moving by random waypoint over 100 access points and 20 edge nodes
 * for one simulated hour, every transfer a flow on its AP's shared air interface. Each node has a
 * switch joining five neighbouring APs (a half row of the grid); a core router joins the switches,
 * so every device reaches every node. One request per device every 10 s (exponential gaps), 4
 * slots per node at 20 ms mean service (load 0.25), nearest-healthy (follows the device's route).
 */
export function mobileModel(name: string): ScenarioInput {
  const side = AP_GRID * AP_SPACING_M;
  const aps = Array.from({ length: AP_GRID * AP_GRID }, (_, i) => ({
    id: `ap-${i}`,
    kind: "access-point" as const,
    position: { x: (0.5 + (i % AP_GRID)) * AP_SPACING_M, y: (0.5 + Math.floor(i / AP_GRID)) * AP_SPACING_M },
    range: AP_RANGE_M,
    capacity: AP_CAPACITY,
  }));
  const apsPerNode = (AP_GRID * AP_GRID) / NODES;
  const links = [
    ...aps.map((ap, i) => ({ between: [ap.id, `switch-${Math.floor(i / apsPerNode)}`] as [string, string], latency: "1 ms" })),
    ...Array.from({ length: NODES }, (_, j) => ({ between: [`switch-${j}`, `edge-${j}`] as [string, string], latency: "0.5 ms" })),
    ...Array.from({ length: NODES }, (_, j) => ({ between: [`switch-${j}`, "core"] as [string, string], latency: "5 ms" })),
  ];
  return {
    name,
    seed: 1,
    duration: "1 h",
    qosDeadline: "200 ms",
    devices: [
      {
        id: "device",
        count: DEVICES,
        workload: { type: "arrivals", model: "detector", interarrival: { dist: "exponential", mean: "10 s" }, requestBytes: REQUEST_BYTES, resultBytes: RESULT_BYTES },
        mobility: { model: "random-waypoint", area: { width: side, height: side }, speedMps: [1, 15], pause: ["0 s", "30 s"] },
      },
    ],
    nodes: Array.from({ length: NODES }, (_, j) => ({ id: `edge-${j}`, slots: 4, inferenceTime: { dist: "exponential" as const, mean: 20 } })),
    network: {
      topology: "graph",
      vertices: [...aps, ...Array.from({ length: NODES }, (_, j) => ({ id: `switch-${j}`, kind: "switch" as const })), { id: "core", kind: "router" as const }],
      wireless: { latency: "2 ms", handoverDelay: "27.5 ms" },
      links,
    },
    schedulers: ["nearest-healthy"],
  };
}
