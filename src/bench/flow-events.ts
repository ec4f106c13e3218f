import { RandomStreams } from "../engine/rng.js";
import { Simulator } from "../engine/simulator.js";
import { FlowNetwork } from "../network/flows/flow-network.js";

/**
 * `node dist/bench/flow-events.js`: the cost of one flow event (a start or a completion) of the
 * shared-link model as links get crowded. Closed loop: each link keeps `perLink` flows (a finished
 * flow is replaced at once), so the crowding is fixed. Two layouts: "separate" (each flow on one
 * link: a component is one link) and "chained" (each flow on links i and i+1 of a ring: one
 * component holds every flow, the worst case of the component rule). A last series keeps 10
 * flows per link and grows the number of separate links: the cost must not grow with it.
 */
const LINKS = 10;
const CAPACITY = 100; // bytes/ms
const MEAN_SIZE = 1000; // bytes
const COMPLETIONS = 20_000;

interface Line {
  layout: "separate" | "chained";
  links: number;
  flowsPerLink: number;
  flowEvents: number;
  microsecondsPerFlowEvent: number;
  flowsVisitedPerEvent: number;
  roundsPerEvent: number;
}

function measure(layout: Line["layout"], perLink: number, linkCount = LINKS): Line {
  const sim = new Simulator();
  const net = new FlowNetwork(
    sim,
    Array.from({ length: linkCount }, () => CAPACITY),
  );
  const u = new RandomStreams(`flow-bench/${layout}/${perLink}/${linkCount}`).stream("sizes");
  const completions = Math.min(COMPLETIONS, 200 * perLink * linkCount);
  let done = 0;
  const path = (link: number): number[] => (layout === "separate" ? [link] : [link, (link + 1) % linkCount]);
  const launch = (link: number): void => {
    net.start(path(link), -Math.log(1 - u()) * MEAN_SIZE, () => {
      if (++done < completions) launch(link);
    });
  };
  // In the chained layout each link carries its own flows and its neighbour's: perLink in all.
  const perStart = layout === "separate" ? perLink : perLink / 2;
  for (let link = 0; link < linkCount; link++) for (let i = 0; i < perStart; i++) launch(link);
  const before = { ...net.cost };
  const started = process.hrtime.bigint();
  sim.run({ maxEvents: completions });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const events = net.cost.events - before.events;
  return {
    layout,
    links: linkCount,
    flowsPerLink: perLink,
    flowEvents: events,
    microsecondsPerFlowEvent: Number(((seconds * 1e6) / events).toFixed(2)),
    flowsVisitedPerEvent: Number(((net.cost.flowsVisited - before.flowsVisited) / events).toFixed(1)),
    roundsPerEvent: Number(((net.cost.rounds - before.rounds) / events).toFixed(2)),
  };
}

const lines: Line[] = [];
for (const layout of ["separate", "chained"] as const) for (const perLink of [1, 10, 100, 1000]) lines.push(measure(layout, Math.max(perLink, layout === "chained" ? 2 : 1)));
for (const linkCount of [100, 1000, 10_000]) lines.push(measure("separate", 10, linkCount));
if (process.argv.includes("--json")) process.stdout.write(`${JSON.stringify(lines, null, 2)}\n`);
else {
  process.stdout.write("layout     links  flows/link  flow events  us/event  flows visited/event  rounds/event\n");
  for (const l of lines)
    process.stdout.write(
      `${l.layout.padEnd(9)} ${String(l.links).padStart(6)} ${String(l.flowsPerLink).padStart(10)} ${String(l.flowEvents).padStart(12)} ${l.microsecondsPerFlowEvent.toFixed(2).padStart(9)} ${l.flowsVisitedPerEvent.toFixed(1).padStart(20)} ${l.roundsPerEvent.toFixed(2).padStart(13)}\n`,
    );
}
