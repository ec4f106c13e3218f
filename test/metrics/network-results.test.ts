import { describe, expect, it, vi } from "vitest";
import { InputError } from "../../src/errors.js";
import { RESULTS_SCHEMA } from "../../src/metrics/results-schema.js";
import { parseReportResults } from "../../src/report/results-input.js";
import { hasSharedCapacity, type JobsWaited, networkSections, sumWaited } from "../../src/run/network-sections.js";
import type { ResolvedNetwork, ResolvedNetworkLink } from "../../src/scenario/resolved.js";
import { isMetricPath } from "../../src/sweep/metric-paths.js";
import { compactResults } from "../../src/sweep/run-record.js";
import type { World } from "../../src/world/world.js";
import { fixture } from "../report/fixtures.js";
import { handLinks, handMobility, withNetworkSections } from "../report/network-fixtures.js";

/** The results as a file holds them: plain JSON, through the one reader. */
const reRead = (results: unknown): ReturnType<typeof fixture> => parseReportResults(JSON.parse(JSON.stringify(results)), "results.json");

describe("runs[].links and runs[].mobility in results@2", () => {
  it("a results@2 file written before issue 15 (neither key) still reads, both as null: the version stays @2", () => {
    const file = JSON.parse(JSON.stringify(fixture())) as { schema: string; runs: Record<string, unknown>[] };
    expect(file.schema).toBe(RESULTS_SCHEMA);
    for (const run of file.runs) {
      delete run.links;
      delete run.mobility;
      expect("links" in run).toBe(false);
    }
    const read = parseReportResults(file, "old.json");
    expect(read.runs.map((run) => [run.links, run.mobility])).toEqual(file.runs.map(() => [null, null]));
  });

  it("files converted from results@1 and llm-results@1 have neither section", () => {
    expect(fixture().runs.every((run) => run.links === null && run.mobility === null)).toBe(true);
  });

  it("both sections read back as written", () => {
    const results = withNetworkSections();
    const read = reRead(results);
    expect(read.runs[1].links).toEqual(handLinks(0.9));
    expect(read.runs[0].mobility).toEqual(handMobility());
  });

  it("a wrong field is an input error at its JSON path", () => {
    const bad = JSON.parse(JSON.stringify(withNetworkSections())) as { runs: { links: { links: Record<string, unknown>[] }; mobility: { tracks: { points: Record<string, unknown>[] }[] } }[] };
    bad.runs[1].links.links[2].direction = "up";
    bad.runs[0].mobility.tracks[1].points[3].ap = 7;
    try {
      parseReportResults(bad, "bad.json");
      expect.unreachable("the file should not read");
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const paths = (error as InputError).issues.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(["runs[1].links.links[2].direction", "runs[0].mobility.tracks[1].points[3].ap"]));
    }
  });

  it("a sweep keeps them without the per-bin series and the tracks; their figures are sweep metrics, the series are not", () => {
    const compact = compactResults(withNetworkSections());
    const run = compact.runs[0];
    expect(run.links?.links.every((link) => !("series" in link))).toBe(true);
    expect(run.links?.links[0].utilisation).toBe(0.5);
    expect(run.mobility !== null && "tracks" in run.mobility).toBe(false);
    expect(run.mobility?.groups[0].handoversPerDeviceHour).toBe(144);
    for (const path of ["links.meanFlowsInFlight", "links.links.0.utilisation", "links.links.3.bytes", "mobility.groups.0.handoversPerDeviceHour", "mobility.devices.1.waitMs", "mobility.devices"]) {
      expect(isMetricPath(path), path).toBe(true);
    }
    for (const path of ["links.links.0.series", "mobility.tracks", "links.links.0.id"]) expect(isMetricPath(path), path).toBe(false);
  });
});

describe("assembling the sections of a run (src/run/network-sections.ts)", () => {
  it("sums the families' waits per group, in scenario order, leaving out groups no family lists", () => {
    const frames: JobsWaited[] = [
      { group: "cars", jobsDelayed: 3, jobsLateAfterWait: 1 },
      { group: "drones", jobsDelayed: 2, jobsLateAfterWait: 2 },
    ];
    const queries: JobsWaited[] = [
      { group: "phones", jobsDelayed: 5, jobsLateAfterWait: 0 },
      { group: "cars", jobsDelayed: 4, jobsLateAfterWait: 3 },
    ];
    expect(sumWaited([frames, queries], ["phones", "static", "cars", "drones"])).toEqual([
      { group: "phones", jobsDelayed: 5, jobsLateAfterWait: 0 },
      { group: "cars", jobsDelayed: 7, jobsLateAfterWait: 4 },
      { group: "drones", jobsDelayed: 2, jobsLateAfterWait: 2 },
    ]);
  });

  const link = (capacity: [number, number]): ResolvedNetworkLink => ({ capacityBytesPerMs: capacity }) as unknown as ResolvedNetworkLink;
  const network = (links: ResolvedNetworkLink[], wireless = false): ResolvedNetwork => ({ links, wireless: wireless ? {} : undefined }) as unknown as ResolvedNetwork;

  it("a run has links when some link direction has a capacity, or devices attach by radio", () => {
    expect(hasSharedCapacity(network([link([Infinity, Infinity]), link([Infinity, Infinity])]))).toBe(false);
    expect(hasSharedCapacity(network([link([Infinity, Infinity]), link([Infinity, 1250])]))).toBe(true);
    expect(hasSharedCapacity(network([link([Infinity, Infinity])], true))).toBe(true);
  });

  /** A finished world as simulate sees it: the clock at the run's end, the network's and the mobility driver's results. */
  function fakeWorld(shared: boolean, moving: boolean) {
    const linkResults = vi.fn(() => handLinks());
    const mobilityResults = vi.fn((_end: number, _waited: readonly JobsWaited[]) => handMobility());
    const world = {
      sim: { now: 65_000 },
      scenario: { network: network([link(shared ? [12_500, 12_500] : [Infinity, Infinity])]) },
      network: { linkResults },
      ...(moving ? { mobility: { results: mobilityResults } } : {}),
    } as unknown as World;
    return { world, linkResults, mobilityResults };
  }

  it("a star run asks the network nothing (its linkResults is a stub until the network is merged) and has neither section", () => {
    const { world, linkResults } = fakeWorld(false, false);
    expect(networkSections(world, [], ["cameras"])).toEqual({ links: null, mobility: null });
    expect(linkResults).not.toHaveBeenCalled();
  });

  it("a run with a capacity asks the network at the run's end; with a mobility driver, asks it with the summed waits", () => {
    const { world, linkResults, mobilityResults } = fakeWorld(true, true);
    const waited = [[{ group: "cars", jobsDelayed: 1, jobsLateAfterWait: 1 }], [{ group: "cars", jobsDelayed: 2, jobsLateAfterWait: 0 }]];
    const sections = networkSections(world, waited, ["cars"]);
    expect(linkResults).toHaveBeenCalledWith(65_000);
    expect(mobilityResults).toHaveBeenCalledWith(65_000, [{ group: "cars", jobsDelayed: 3, jobsLateAfterWait: 1 }]);
    expect(sections).toEqual({ links: handLinks(), mobility: handMobility() });
  });
});
