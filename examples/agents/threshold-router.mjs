// An example Node agent for language-model routing over the JSON-lines bridge (protocol
// continuum-sim/router@1, docs/llm.md): it answers as the built-in complexity-threshold router
// would, with the threshold from its agentOptions (default 0.5). Optional argv[2] is a fault to
// commit at the 3rd decision (exit, garbage, bad-route), for the tests.
import { createInterface } from "node:readline";

const fault = process.argv[2];
let threshold = 0.5;
const out = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
createInterface({ input: process.stdin }).on("line", (line) => {
  const message = JSON.parse(line);
  if (message.type === "hello") {
    if (typeof message.options.threshold === "number") threshold = message.options.threshold;
    return out({ type: "ready" });
  }
  if (message.type === "end") return;
  if (message.decision === 3 && fault !== undefined) {
    if (fault === "exit") process.exit(3);
    if (fault === "garbage") return process.stdout.write("this is not JSON\n");
    if (fault === "bad-route") return out({ type: "action", decision: message.decision, route: "moon" });
  }
  out({ type: "action", decision: message.decision, route: message.query.complexity < threshold ? "local" : "cloud" });
});
