import type { InputIssue } from "../errors.js";
import { MAX_DRAW_MS, NEGLIGIBLE_PROBABILITY } from "../random/finite-range.js";
import type { BackgroundLoad, ResolvedFault, ResolvedLink } from "../scenario/resolved.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";

/**
 * Times the world computes from finite inputs, checked before a run like the distributions
 * themselves (finite-range.ts): a service time times a background slowdown, a transfer over a
 * link's bandwidth (degraded by a fault). Each must stay within MAX_DRAW_MS; beyond it the time
 * is a mistake in the numbers and, further, an overflow to Infinity in the middle of the run.
 */

/**
 * Problems with a scenario's derived times, at the JSON path of the factor: a slot service's
 * longest service time slowed by the node's peak background load, and over every link the
 * largest frame message (request, reply or session state) and the smallest query message.
 */
export function modelTimeIssues(scenario: ResolvedScenario): InputIssue[] {
  const issues: InputIssue[] = [];
  scenario.nodes.forEach((node, i) => {
    if (node.backgroundLoad.length === 0 || node.frames === undefined) return;
    const slowdown = peakSlowdown(node.backgroundLoad);
    const service = node.frames.service.reduce((worst, s) => Math.max(worst, s.preprocessing.reach(NEGLIGIBLE_PROBABILITY)[1], s.inference.reach(NEGLIGIBLE_PROBABILITY)[1]), 0);
    if (!(slowdown * service <= MAX_DRAW_MS)) {
      issues.push({
        path: `nodes[${i}].backgroundLoad`,
        value: `a peak slowdown of ${format(slowdown)}`,
        expected: `slowdowns that keep service times within ${MAX_DRAW_MS} ms: ${format(service)} ms of service (once in ${(1 / NEGLIGIBLE_PROBABILITY).toExponential()} draws) slowed ${format(slowdown)} times takes ${format(slowdown * service)} ms`,
      });
    }
  });
  let bytes = scenario.families.queries ? scenario.llm.requestOverheadBytes + scenario.llm.bytesPerToken : 0;
  if (scenario.families.frames) {
    bytes = Math.max(bytes, 1, scenario.migration.stateBytes);
    for (const device of groupFirsts(scenario.devices)) for (const w of device.workloads) if (w.family === "frames") bytes = Math.max(bytes, w.requestBytes, w.resultBytes);
  }
  issues.push(
    ...linkIssues(
      // A star of direct links only keeps them per row (ResolvedNetwork.direct), not in links.
      [...scenario.network.links, ...(scenario.network.direct?.rows.flat() ?? [])].map((link) => link.parameters),
      bytes,
      scenario.faults,
    ),
  );
  return issues;
}

/** Transfers of `bytes` over every link (and every degradation of it) must take at most MAX_DRAW_MS. */
function linkIssues(links: readonly ResolvedLink[], bytes: number, faults: readonly ResolvedFault[]): InputIssue[] {
  const issues: InputIssue[] = [];
  // Links are shared objects (one per distinct parameter set): each is looked at once.
  const distinct = [...new Set(links)];
  if (distinct.length === 0) return issues;
  const slowest = distinct.reduce((a, b) => (b.bytesPerMs < a.bytesPerMs ? b : a));
  const transferMs = bytes / slowest.bytesPerMs;
  if (!(transferMs <= MAX_DRAW_MS)) {
    issues.push({ path: "network", value: slowest.description, expected: `bandwidths that move a message within ${MAX_DRAW_MS} ms: ${bytes} bytes over this link take ${format(transferMs)} ms` });
  }
  const latency = distinct.reduce((worst, link) => Math.max(worst, link.latency.reach(NEGLIGIBLE_PROBABILITY)[1] + (link.jitter?.reach(NEGLIGIBLE_PROBABILITY)[1] ?? 0)), 0);
  faults.forEach((fault, i) => {
    if (fault.kind !== "link-degradation") return;
    const degraded = bytes / (slowest.bytesPerMs * fault.bandwidthFactor);
    if (transferMs <= MAX_DRAW_MS && !(degraded <= MAX_DRAW_MS)) {
      issues.push({
        path: `faults[${i}].bandwidthFactor`,
        value: fault.bandwidthFactor,
        expected: `a factor that moves a message within ${MAX_DRAW_MS} ms: ${bytes} bytes over ${slowest.description} take ${format(degraded)} ms`,
      });
    }
    if (!(latency * fault.latencyMultiplier <= MAX_DRAW_MS)) {
      issues.push({
        path: `faults[${i}].latencyMultiplier`,
        value: fault.latencyMultiplier,
        expected: `a multiplier that keeps latencies within ${MAX_DRAW_MS} ms: ${format(latency)} ms times it is ${format(latency * fault.latencyMultiplier)} ms`,
      });
    }
  });
  return issues;
}

/** The largest product of the slowdowns in force at one time (overlapping loads multiply; a ramp counted at its larger end). */
function peakSlowdown(loads: readonly BackgroundLoad[]): number {
  // A sweep over the load boundaries in log space: +log at a start, -log at an end.
  const steps = loads.flatMap((load) => {
    const log = Math.log(Math.max(load.slowdown, load.rampTo ?? load.slowdown));
    return [
      { at: load.fromMs, log },
      { at: load.toMs, log: -log },
    ];
  });
  steps.sort((a, b) => a.at - b.at || a.log - b.log);
  let sum = 0;
  let peak = 0;
  for (const step of steps) {
    sum += step.log;
    peak = Math.max(peak, sum);
  }
  return Math.exp(peak);
}

function groupFirsts<D extends { group: string }>(devices: readonly D[]): D[] {
  return devices.filter((device, i) => i === 0 || devices[i - 1].group !== device.group);
}

function format(value: number): string {
  return String(Number(value.toPrecision(3)));
}
