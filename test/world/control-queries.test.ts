import { describe, expect, it } from "vitest";
import type { QueryRouter } from "../../src/llm/routers/types.js";
import type { QueryRecord } from "../../src/world/queries/query-traffic.js";
import { World } from "../../src/world/world.js";
import { boardAndCloud, llmScenario } from "../llm/llm-helpers.js";
import { FakeControl, withControl } from "./control-fake.js";

/**
 * One user with two boards on its local route (test-board: prefill 2 s, decode 5 s for a query
 * alone), a query every 10 s from 10 s to 140 s: each is done before the next, so every query
 * is served alone.
 */
function scenario(absentAtStart: readonly string[] = []) {
  return withControl(
    llmScenario(
      boardAndCloud({
        devices: [{ id: "user", localNodes: ["board", "board2"], workload: { type: "queries", interarrival: "10 s", promptTokens: 200, outputTokens: 50, complexity: 0.3 } }],
        nodes: [
          { id: "board", profile: "test-board", serve: { model: "llama-3.2-1b", quantization: "Q4_0" } },
          { id: "board2", profile: "test-board", serve: { model: "llama-3.2-1b", quantization: "Q4_0" } },
          { id: "cloud", profile: "test-cloud", serve: { model: "big", quantization: "served" } },
        ],
      }),
    ),
    absentAtStart,
  );
}

function run(setup: (fake: FakeControl) => void, s = scenario()) {
  const fake = new FakeControl(s.nodes.length);
  setup(fake);
  const records: QueryRecord[] = [];
  const router: QueryRouter = { name: "local-only", route: () => "local" };
  const world = new World(s, { frames: undefined, queries: router }, { queries: { querySink: (record) => records.push({ ...record }) }, controlPlane: fake.build });
  world.run();
  const queries = world.queries;
  if (queries === undefined) throw new Error("no query traffic");
  return { fake, world, records, servers: queries.servers, section: queries.results().section };
}

describe("query traffic under a control plane (a fake one)", () => {
  it("the local route skips a node the device does not see listed", () => {
    const viewers = new Set<number>();
    const { servers, section } = run((fake) => {
      fake.listed = (viewer, node) => {
        viewers.add(viewer);
        return node !== 0;
      };
    });
    expect(section.jobs.completed).toBe(14);
    expect(servers[0]?.served).toBe(0);
    expect(servers[1]?.served).toBe(14);
    expect(viewers.has(0)).toBe(true);
  });

  it("without the catalog the two boards share the queries (the test above can fail)", () => {
    const { servers } = run(() => undefined);
    expect(servers[0]?.served).toBe(7);
    expect(servers[1]?.served).toBe(7);
  });

  it("a query reaching a node whose model takes no jobs is lost, and the control plane told", () => {
    const { fake, section, servers } = run((fake) => {
      fake.accepting.llm[0] = 0;
      fake.accepting.llm[1] = 0;
    });
    expect(section.jobs.lost).toBe(14);
    expect(section.jobs.completed).toBe(0);
    expect(fake.rejections).toHaveLength(14);
    expect(fake.rejections.every((r) => r.family === "llm" && (r.node === 0 || r.node === 1))).toBe(true);
    expect((servers[0]?.lost ?? 0) + (servers[1]?.lost ?? 0)).toBe(14);
  });

  it("a held query (scale to zero) and a discovery wait both count in its latency, as queueing", () => {
    let discoveries = 0;
    const { records, fake } = run((fake) => {
      // The query of 10 s is held until 17 s; the one of 20 s waits 5 ms for its discovery answer.
      fake.holding = () => (fake.world as World).sim.now < 15_000;
      fake.discoverWait = () => (discoveries++ === 1 ? 5 : 0);
      fake.onStart = () => fake.at(17_000, () => fake.releaseAll());
    });
    expect(fake.discovered.map((d) => d.family)).toEqual(Array(14).fill("llm"));
    const [held, waited, plain] = records;
    expect([held.createdAt, waited.createdAt, plain.createdAt]).toEqual([10_000, 20_000, 30_000]);
    expect(held.total - plain.total).toBeCloseTo(7_000, 6);
    expect(held.queueing - plain.queueing).toBeCloseTo(7_000, 6);
    expect(waited.total - plain.total).toBeCloseTo(5, 6);
    expect(waited.queueing - plain.queueing).toBeCloseTo(5, 6);
  });

  it("queries held to the end of the run (no replica ever ready) are generated and unfinished, not forgotten", () => {
    const { section, fake } = run((fake) => {
      fake.holding = () => true;
    });
    expect(fake.held).toHaveLength(14);
    expect(section.jobs.generated).toBe(14);
    expect(section.jobs.unfinished).toBe(14);
    expect(section.jobs.completed).toBe(0);
  });

  it("boards absent at start (their first timeline event a join) take no query: one absent, the other takes all; both absent, every query is lost", () => {
    const one = run(() => undefined, scenario(["board"]));
    expect(one.servers[0]?.served).toBe(0);
    expect(one.servers[1]?.served).toBe(14);
    const both = run(() => undefined, scenario(["board", "board2"]));
    expect(both.section.jobs.lost).toBe(14);
    // With no board listed the route falls back to a board anyway (QueryRoutes.localAnyHealth): it is out of the
    // cluster, so each query is rejected there (counted by the catalog), where a crashed board's would only be lost.
    expect(both.fake.rejections).toHaveLength(14);
    expect(both.fake.rejections.every((r) => r.family === "llm")).toBe(true);
  });

  it("a query its device's own model answers asks no catalog and is never held", () => {
    const phone = withControl(
      llmScenario(
        boardAndCloud({
          devices: [
            {
              id: "phone",
              profile: "test-board",
              localModel: { model: "llama-3.2-1b", quantization: "Q4_0" },
              workload: { type: "queries", interarrival: "10 s", promptTokens: 200, outputTokens: 50 },
            },
          ],
          nodes: [{ id: "cloud", profile: "test-cloud", serve: { model: "big", quantization: "served" } }],
        }),
      ),
    );
    const { fake, section } = run((fake) => {
      fake.holding = () => true;
    }, phone);
    expect(fake.discovered).toEqual([]);
    expect(fake.held).toEqual([]);
    expect(section.jobs.completed).toBe(14);
  });

  it("the llm jobs metric is the server's outstanding queries, and its busy integral the batch's busy time", () => {
    let during = Number.NaN;
    let before = Number.NaN;
    const { fake } = run((fake) => {
      fake.listed = (_viewer, node) => node !== 0;
      fake.onStart = () => {
        fake.at(9_000, () => {
          before = (fake.host as NonNullable<FakeControl["host"]>).jobsAt(1, "llm");
        });
        fake.at(12_000, () => {
          during = (fake.host as NonNullable<FakeControl["host"]>).jobsAt(1, "llm");
        });
      };
    });
    expect(before).toBe(0);
    expect(during).toBe(1);
    // 14 queries served alone on board2, each 2 s of prefill and 5 s of decode (the overhead and the network are not the batch's).
    const host = fake.host as NonNullable<FakeControl["host"]>;
    expect(host.busyIntegralMs(1, "llm")).toBeCloseTo(14 * 7_000, 6);
    expect(host.busyIntegralMs(0, "llm")).toBe(0);
  });
});
