import type { ChartDefinition } from "../chart.js";
import { latencyCdfChart } from "./latency-cdf.js";
import { latencyOverTimeChart } from "./latency-over-time.js";
import { learningCurveChart } from "./learning-curve.js";
import { networkHeatmapChart } from "./network-heatmap.js";
import { nodeLoadOverTimeChart } from "./node-load-over-time.js";
import { stageBreakdownChart } from "./stage-breakdown.js";
import { violationRateChart } from "./violation-rate.js";

/** Every chart of the report, in report order; `id` names the files in <out>/charts/. */
export const CHARTS: readonly ChartDefinition[] = [
  { id: "latency-cdf", title: "Latency distribution", build: (r) => latencyCdfChart(r) },
  { id: "stage-breakdown", title: "Where the time goes: latency by stage", build: stageBreakdownChart },
  { id: "latency-over-time", title: "Latency over time", build: latencyOverTimeChart },
  { id: "violation-rate", title: "QoS violation rate", build: violationRateChart },
  { id: "network-latency", title: "Network latency between devices and nodes", build: networkHeatmapChart },
  { id: "node-load", title: "Node utilisation and queue length over time", build: nodeLoadOverTimeChart },
  { id: "learning-curve", title: "Learning curve", build: learningCurveChart },
];
