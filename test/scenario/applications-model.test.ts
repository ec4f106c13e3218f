import { describe, expect, it } from "vitest";
import { InputError, type InputIssue } from "../../src/errors.js";
import { loadScenarioFile } from "../../src/scenario/resolve.js";

/** A stage's service time from the place's hardware profile (`model`), as a slot service's inference. */

const SCENARIO = new URL("../../scenarios/dag-video-analytics.json", import.meta.url);

function issuesOf(edit: (d: Record<string, unknown>) => void): readonly InputIssue[] {
  try {
    loadScenarioFile(SCENARIO, {}, edit);
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error("resolved without a problem");
}

type Doc = { applications: { stages: { hosts: Record<string, unknown>[] }[] }[]; devices: Record<string, unknown>[] };

describe("model in place of serviceTime", () => {
  it("detect's means are the profiles' figures: Pi 4 CPU 82.7, Coral 15.7, Jetson Nano 61.6, T4 0.54 ms (hardware-profiles/*.json, mobilenet-ssd-v1 at 300 px)", () => {
    const app = (loadScenarioFile(SCENARIO).applications ?? [])[0];
    const detect = app.stages[1];
    expect(detect.hosts.map((h) => h.meanServiceMs)).toEqual([82.7, 15.7, 61.6, 0.54].map((x) => expect.closeTo(x, 9)));
  });

  it("an unknown model, with the nearest one the profile knows", () => {
    const issues = issuesOf((d) => {
      (d as unknown as Doc).applications[0].stages[1].hosts[1].model = "mobilenet-ssd-v2";
    });
    expect(issues[0].path).toBe("applications[0].stages[1].hosts[1].model");
    expect(issues[0].expected).toContain('did you mean "mobilenet-ssd-v1"');
  });

  it("model and serviceTime together; neither", () => {
    const issues = issuesOf((d) => {
      const hosts = (d as unknown as Doc).applications[0].stages[1].hosts;
      hosts[0].serviceTime = "5 ms";
      delete hosts[1].model;
    });
    expect(issues.map((i) => i.path).sort()).toEqual(["applications[0].stages[1].hosts[0].model", "applications[0].stages[1].hosts[1].frameSizePx", "applications[0].stages[1].hosts[1].serviceTime"]);
  });

  it("on the device: the devices sending the application must share one profile", () => {
    const issues = issuesOf((d) => {
      const devices = (d as unknown as Doc).devices;
      devices.push({ ...devices[0], id: "cam5", count: 1, profile: "raspberry-pi-5" });
      (d as unknown as { network: { links: unknown[] } }).network.links.push({ between: ["cam5", "gnb"] });
    });
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe("applications[0].stages[1].hosts[0].model");
    expect(issues[0].expected).toContain("raspberry-pi-4, raspberry-pi-5");
  });
});
