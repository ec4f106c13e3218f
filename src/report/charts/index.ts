import type { ChartDefinition } from "../chart.js";
import { llmLatencyChart } from "../llm/llm-latency.js";
import { llmLearningChart } from "../llm/llm-learning.js";
import { llmOverTimeChart } from "../llm/llm-over-time.js";
import { llmPipelinesChart } from "../llm/llm-pipelines.js";
import { llmPrivacyCostChart } from "../llm/llm-privacy-cost.js";
import { llmTradeoffsChart } from "../llm/llm-tradeoffs.js";
import { latencyCdfChart } from "./latency-cdf.js";
import { latencyOverTimeChart } from "./latency-over-time.js";
import { deviceTracksChart } from "./device-tracks.js";
import { learningCurveChart } from "./learning-curve.js";
import { linkUtilisationChart } from "./link-utilisation.js";
import { migrationsChart } from "./migrations.js";
import { networkHeatmapChart } from "./network-heatmap.js";
import { nodeLoadOverTimeChart } from "./node-load-over-time.js";
import { applicationStagesChart } from "./application-stages.js";
import { provisioningTimelineChart } from "./provisioning-timeline.js";
import { replicasOverTimeChart } from "./replicas-over-time.js";
import { stageBreakdownChart } from "./stage-breakdown.js";
import { violationRateChart } from "./violation-rate.js";

/**
 * Every chart of the report, in report order: the frame charts (from `runs[].frames`), then the
 * query charts (from `runs[].queries`); a report draws the charts of the families its runs have
 * (both for a mixed scenario), the network charts of the run sections it has (links, mobility) and
 * the control-plane charts of a scenario with `control`, the applications' chart of one with applications.
 * `id` names the files in <out>/charts/.
 */
export const CHARTS: readonly ChartDefinition[] = [
  { id: "latency-cdf", title: "Latency distribution", family: "frames", build: (r, width) => latencyCdfChart(r, { width }) },
  { id: "stage-breakdown", title: "Where the time goes: latency by stage", family: "frames", build: stageBreakdownChart },
  { id: "latency-over-time", title: "Latency over time", family: "frames", build: latencyOverTimeChart },
  { id: "violation-rate", title: "QoS violation rate", family: "frames", build: violationRateChart },
  { id: "network-latency", title: "Network latency between devices and nodes", build: networkHeatmapChart },
  { id: "node-load", title: "Node utilisation and queue length over time", family: "frames", build: nodeLoadOverTimeChart },
  { id: "migrations", title: "Migrations over time", family: "frames", build: migrationsChart },
  { id: "learning-curve", title: "Learning curve", family: "frames", build: learningCurveChart },
  { id: "link-utilisation", title: "Shared link utilisation over time", section: "links", build: linkUtilisationChart },
  { id: "device-tracks", title: "Device tracks over the access point map", section: "mobility", build: deviceTracksChart },
  { id: "replicas-over-time", title: "Replicas of each deployment over time", section: "control", build: replicasOverTimeChart },
  { id: "provisioning-timeline", title: "Replica provisioning: pending, pull, start, load", section: "control", build: provisioningTimelineChart },
  { id: "application-stages", title: "Applications: time per stage and edge", section: "applications", build: applicationStagesChart },
  { id: "llm-latency", title: "Time to first token and total latency", family: "queries", build: (r, w) => llmLatencyChart(r, w) },
  { id: "llm-tradeoffs", title: "Cost, quality and privacy trade-off", family: "queries", build: llmTradeoffsChart },
  { id: "llm-privacy-cost", title: "Privacy and cost per router", family: "queries", build: llmPrivacyCostChart },
  { id: "llm-over-time", title: "TTFT, violations and cloud share over the run", family: "queries", build: llmOverTimeChart },
  { id: "llm-pipelines", title: "Multi-stage pipelines: success, tokens and stage pass rates", family: "queries", build: llmPipelinesChart },
  { id: "llm-learning", title: "Learned routing threshold", family: "queries", build: llmLearningChart },
];
