import type { LlmChartDefinition } from "./llm-chart.js";
import { llmLatencyChart } from "./llm-latency.js";
import { llmLearningChart } from "./llm-learning.js";
import { llmOverTimeChart } from "./llm-over-time.js";
import { llmPipelinesChart } from "./llm-pipelines.js";
import { llmPrivacyCostChart } from "./llm-privacy-cost.js";
import { llmTradeoffsChart } from "./llm-tradeoffs.js";

/** Every chart of the language-model report, in report order; `id` names the files in <out>/charts/. */
export const LLM_CHARTS: readonly LlmChartDefinition[] = [
  { id: "llm-latency", title: "Time to first token and total latency", build: (r) => llmLatencyChart(r) },
  { id: "llm-tradeoffs", title: "Cost, quality and privacy trade-off", build: llmTradeoffsChart },
  { id: "llm-privacy-cost", title: "Queries off the device, to the cloud, and QoS violations", build: llmPrivacyCostChart },
  { id: "llm-over-time", title: "TTFT, violations and cloud share over the run", build: llmOverTimeChart },
  { id: "llm-pipelines", title: "Multi-stage pipelines: success, tokens and stage pass rates", build: llmPipelinesChart },
  { id: "llm-learning", title: "Learned routing threshold", build: llmLearningChart },
];
