// A router as an ES module, for query workloads ({"policy": "module", ...} in "policies", under "queries" when the scenario also has frames).
// On-device prefill is slow, so a long prompt is sent to the cloud whatever its complexity;
// a short one stays local unless it is hard. Options: maxLocalPromptTokens, maxLocalComplexity.
//
// The factory gets { random, options, deviceCount, qos } and returns { name, route(query, view),
// observe?(outcome), statistics?() }. route() returns "local", "cloud" or "collaborative".

/** @type {import("continuum-sim").RouterFactory} */
export default function createRouter(context) {
  const maxPrompt = context.options.maxLocalPromptTokens ?? 300;
  const maxComplexity = context.options.maxLocalComplexity ?? 0.5;
  let long = 0;
  return {
    name: "prompt-length",
    route(query) {
      if (query.promptTokens > maxPrompt) {
        long++;
        return "cloud";
      }
      return query.complexity < maxComplexity ? "local" : "cloud";
    },
    statistics: () => ({ longPrompts: long }),
  };
}
