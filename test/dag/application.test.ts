import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/rng.js";
import { InputError } from "../../src/errors.js";
import { defineApplication } from "../../src/dag/application.js";
import { type ApplicationSpec, DEVICE_END, ON_DEVICE, type StageHostSpec } from "../../src/dag/types.js";

const NODES = ["edge", "cloud"];
const host = (place: string, serviceTime: StageHostSpec["serviceTime"] = 1, slots = 1) => ({ place, serviceTime, slots });
const stage = (id: string, ...places: string[]) => ({ id, service: id.toUpperCase(), hosts: places.map((p) => host(p)) });
const edge = (from: string, to: string, bytes = 0) => ({ from, to, bytes });

function issuesOf(spec: ApplicationSpec): { path: string; text: string }[] {
  try {
    defineApplication(spec, NODES, new RandomStreams(1));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.issues.map((issue) => ({ path: issue.path, text: `${issue.problem ?? ""} ${issue.expected}` }));
  }
  throw new Error("expected an InputError");
}

describe("defining an application", () => {
  it("resolves names to places and stage indices, orders the stages topologically (ties by declaration), sorts hosts by place", () => {
    const app = defineApplication(
      {
        id: "diamond",
        stages: [stage("d", "cloud"), stage("b", "cloud", "device", "edge"), stage("c", "edge"), stage("a", "edge")],
        edges: [edge("device", "a", 10), edge("a", "c"), edge("a", "b"), edge("b", "d"), edge("c", "d"), edge("d", "device", 5)],
      },
      NODES,
      new RandomStreams(1),
    );
    // a (3) first; then b (1) and c (2) both ready: b first, the lower index; d (0) last.
    expect(app.order).toEqual([3, 1, 2, 0]);
    expect(app.stages[1].hosts.map((h) => h.place)).toEqual([ON_DEVICE, 0, 1]);
    expect(app.edges[0]).toEqual({ from: DEVICE_END, to: 3, bytes: 10 });
    expect(app.sourceEdges).toEqual([0]);
    expect(app.sinkEdges).toEqual([5]);
    expect(app.stages[0].inputs).toEqual([3, 4]);
    expect(app.stages[3].outputs).toEqual([1, 2]);
  });

  it("spells out a cycle, stage by stage", () => {
    // c -> b and b -> c: the walk back from b (the first stage left unordered) meets b again through c.
    const issues = issuesOf({
      id: "loop",
      stages: [stage("a", "edge"), stage("b", "edge"), stage("c", "edge")],
      edges: [edge("device", "a"), edge("a", "b"), edge("b", "c"), edge("c", "b"), edge("c", "device")],
    });
    expect(issues).toEqual([{ path: "edges", text: "a cycle c -> b -> c: a job must not come back to a stage it left" }]);
  });

  it("a self-loop is a cycle of one stage", () => {
    const issues = issuesOf({ id: "self", stages: [stage("a", "edge")], edges: [edge("device", "a"), edge("a", "a"), edge("a", "device")] });
    expect(issues.map((i) => i.text)).toEqual(["a cycle a -> a: a job must not come back to a stage it left"]);
  });

  it("needs a source edge, a sink edge, and an edge into and out of every stage", () => {
    const issues = issuesOf({ id: "open", stages: [stage("a", "edge"), stage("b", "edge")], edges: [edge("a", "b")] });
    expect(issues.map((i) => i.path)).toEqual(["edges", "edges", "stages[0]", "stages[1]"]);
    expect(issues[0].text).toContain("no source edge");
    expect(issues[1].text).toContain("no sink edge");
    expect(issues[2].text).toContain("no edge into the stage");
    expect(issues[3].text).toContain("no edge out of the stage");
  });

  it("reports every naming problem at once, each at its path, with suggestions", () => {
    const issues = issuesOf({
      id: "typos",
      stages: [stage("a", "egde"), stage("a", "edge"), stage("device", "edge")],
      edges: [edge("device", "a"), edge("a", "devise"), edge("device", "device"), edge("device", "a"), edge("a", "zzz", -1)],
    });
    expect(issues).toEqual([
      { path: "stages[1].id", text: "duplicate stage id first used by stages[0]" },
      { path: "stages[2].id", text: ' a stage id other than "device" (it names the device in edges)' },
      { path: "stages[0].hosts[0].place", text: 'no such node did you mean "edge"? known: device, edge, cloud' },
      { path: "edges[1].to", text: 'no such stage did you mean "device"? known: device, a' },
      { path: "edges[2]", text: " an edge with a stage at one end at least" },
      { path: "edges[3]", text: "duplicate edge edges[0] already joins device to a" },
      { path: "edges[4].to", text: "no such stage known: device, a" },
      { path: "edges[4].bytes", text: " a finite number of bytes, 0 or more" },
    ]);
  });

  it("one station per service and place: two stages of a service there must agree on its slots", () => {
    const issues = issuesOf({
      id: "slots",
      stages: [
        { id: "a", service: "S", hosts: [host("edge", 1, 2)] },
        { id: "b", service: "S", hosts: [host("edge", 1, 3), host("cloud", 1, 0)] },
      ],
      edges: [edge("device", "a"), edge("a", "b"), edge("b", "device")],
    });
    expect(issues).toEqual([
      { path: "stages[1].hosts[0].slots", text: " 2, as stages[0].hosts[0].slots (one station per service and place: its stages share its slots)" },
      { path: "stages[1].hosts[1].slots", text: " a whole number of slots, 1 or more" },
    ]);
  });

  it("a node named like the device is refused: a host there would be ambiguous", () => {
    expect(() => defineApplication({ id: "x", stages: [stage("a", "edge")], edges: [edge("device", "a"), edge("a", "device")] }, ["edge", "device"], new RandomStreams(1))).toThrow(
      'a node is named "device"',
    );
  });

  it("a bad service time is reported at its path", () => {
    const issues = issuesOf({ id: "dist", stages: [{ id: "a", service: "A", hosts: [host("edge", { dist: "normal", mean: 5, sd: -1 })] }], edges: [edge("device", "a"), edge("a", "device")] });
    expect(issues.map((i) => i.path)).toEqual(["stages[0].hosts[0].serviceTime.sd"]);
  });
});
