// An example Node agent for the JSON-lines policy bridge (docs/policy-protocol.md): it answers as the
// built-in nearest-healthy would. The tests also use it to misbehave on purpose: optional argv[2]
// is a fault to commit at the 5th decision (exit, hang, garbage, unknown-node).
import { createInterface } from "node:readline";

const fault = process.argv[2];
const out = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
createInterface({ input: process.stdin }).on("line", (line) => {
  const message = JSON.parse(line);
  if (message.type === "hello") return out({ type: "ready" });
  if (message.type === "end") return;
  if (message.type === "monitor") return out({ type: "migrations", decision: message.decision, migrations: [] });
  if (message.decision === 5 && fault !== undefined) {
    if (fault === "exit") process.exit(3);
    if (fault === "hang") return;
    if (fault === "garbage") return process.stdout.write("this is not JSON\n");
    if (fault === "unknown-node") return out({ type: "action", decision: message.decision, node: "atlantis" });
  }
  const { healthy, latency } = message.view;
  let best = -1;
  let nearest = 0;
  for (let node = 0; node < latency.length; node++) {
    if (latency[node] < latency[nearest]) nearest = node;
    if (healthy[node] && (best < 0 || latency[node] < latency[best])) best = node;
  }
  out({ type: "action", decision: message.decision, node: best >= 0 ? best : nearest });
});
