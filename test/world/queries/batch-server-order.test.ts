import { describe, expect, it } from "vitest";
import { Simulator } from "../../../src/engine/simulator.js";
import { BatchServer, type ServerJob } from "../../../src/world/queries/batch-server.js";
import { servingSpec } from "./serving-spec.js";

/** Plain processor sharing: 100 prompt tokens/s and 10 output tokens/s in all, split evenly over a batch of up to 3. */
const SPEC = servingSpec({ maxBatch: 3, decodeSpeedup: [1, 1, 1], prefillSpeedup: [1, 1, 1] });

type Log = Array<[string, number]>;

function job(sim: Simulator, name: string, promptTokens: number, outputTokens: number, log: Log, onDone?: () => void): ServerJob {
  return {
    promptTokens,
    outputTokens,
    startedAt: Number.NaN,
    prefillEndedAt: Number.NaN,
    firstToken: () => log.push([`${name} first`, sim.now]),
    done: () => {
      log.push([`${name} done`, sim.now]);
      onDone?.();
    },
    crashed: () => log.push([`${name} lost`, sim.now]),
  };
}

describe("the batched server's phase ends", () => {
  it("tells simultaneous ends in batch order, keeps the batch's order as queries leave, and takes a query submitted from a callback", () => {
    // Hand-worked (processor sharing, rates per query 0.1/b and 0.01/b tokens per ms):
    //   0 s: A (100 prompt, 10 out), B (100, 40), C (300, 10) prefill at 1/30 token/ms each.
    //   3 s: A and B have prefilled; C has 200 left. A decodes its 10 at 1/300: done at 6 s.
    //   6 s: A leaves (B has 30 left, C 100 to prefill); its done() submits D (50, 5), which
    //        joins the batch after B and C. D prefills 50 at 1/30: first token at 7.5 s.
    //   7.5 s: B 25 left, C 50 to prefill, D 5 to decode: C's 50 at 1/30 and D's 5 at 1/300
    //        both take 1.5 s, so C's first token and D's end fall together at 9 s (told in
    //        batch order: C, then D).
    //   9 s: B (20 left) and C (10) decode at 1/200: C done at 11 s, B (10 left) alone at
    //        1/100: done at 12 s.
    const sim = new Simulator();
    const server = new BatchServer(sim, SPEC, 0, 60_000, undefined);
    const log: Log = [];
    sim.schedule(0, () => {
      server.submit(job(sim, "A", 100, 10, log, () => server.submit(job(sim, "D", 50, 5, log))));
      server.submit(job(sim, "B", 100, 40, log));
      server.submit(job(sim, "C", 300, 10, log));
    });
    sim.run({ until: 60_000 });
    expect(log.map(([what]) => what)).toEqual(["A first", "B first", "A done", "D first", "C first", "D done", "C done", "B done"]);
    const expected = [3_000, 3_000, 6_000, 7_500, 9_000, 9_000, 11_000, 12_000];
    for (const [i, [, time]] of log.entries()) expect(time).toBeCloseTo(expected[i], 6);
    // The submissions' closure and one phase end at each of 3, 6, 7.5, 9, 11 and 12 s: two
    // queries' phases ending together take one event.
    expect(sim.eventsExecuted).toBe(7);
    expect(server.batchSize).toBe(0);
    expect(sim.pendingEvents).toBe(0);
  });
});
