import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { createTrajectory } from "../../src/network/mobility/models.js";
import { readMobilityTrace } from "../../src/network/mobility/trace.js";

const REPO = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "continuum-sim-mobility-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function traceFile(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

describe("trace replay", () => {
  it("interpolates linearly between samples, holds before the first and after the last; devices may interleave", () => {
    const file = traceFile("walk.csv", "time,device,x,y\n2,cam-1,0,0\n0,cam-2,5,5\n12,cam-1,100,0\n22,cam-1,100,50\n10,cam-2,15,5\n");
    const samples = readMobilityTrace(file, dir, "devices[0].mobility.file");
    expect([...samples.keys()]).toEqual(["cam-1", "cam-2"]);
    const cam1 = createTrajectory({ model: "trace", samples: samples.get("cam-1") ?? [] }, () => 0);
    expect(cam1.positionAt(0)).toEqual({ x: 0, y: 0 });
    expect(cam1.positionAt(2000)).toEqual({ x: 0, y: 0 });
    expect(cam1.positionAt(7000)).toEqual({ x: 50, y: 0 });
    expect(cam1.positionAt(12_000)).toEqual({ x: 100, y: 0 });
    expect(cam1.positionAt(17_000)).toEqual({ x: 100, y: 25 });
    expect(cam1.positionAt(3_600_000)).toEqual({ x: 100, y: 50 });
    const cam2 = createTrajectory({ model: "trace", samples: samples.get("cam-2") ?? [] }, () => 0);
    expect(cam2.positionAt(2500)).toEqual({ x: 7.5, y: 5 });
  });

  it("a device with one sample stays there", () => {
    const samples = readMobilityTrace(traceFile("one.csv", "time,device,x,y\n3,pole,7,9\n"), dir, "p");
    const pole = createTrajectory({ model: "trace", samples: samples.get("pole") ?? [] }, () => 0);
    expect(pole.positionAt(0)).toEqual({ x: 7, y: 9 });
    expect(pole.positionAt(1e9)).toEqual({ x: 7, y: 9 });
  });

  it("refuses a missing column, a bad number and two samples at one time, at the scenario path, without echoing cells", () => {
    const path = "devices[3].mobility.file";
    const issuesOf = (text: string) => {
      try {
        readMobilityTrace(traceFile("bad.csv", text), dir, path);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).issues;
      }
      throw new Error("no error");
    };
    expect(issuesOf("time,device,x,z\n0,a,1,2\n")[0]).toMatchObject({ path, value: "y" });
    expect(issuesOf("time,device,x,y\n0,a,1,2\n1,a,secret,2\n")[0]).toMatchObject({ path, value: "row 3" });
    expect(issuesOf("time,device,x,y\n1,a,1,2\n1,a,3,4\n")[0]).toMatchObject({ path, value: "a" });
    expect(JSON.stringify(issuesOf("time,device,x,y\n0,a,1,2\n1,a,secret,2\n"))).not.toContain("secret");
  });

  it("the shipped trace is what scripts/make-mobility-trace.mjs writes, byte for byte, and reads back", () => {
    const out = join(dir, "vehicles.csv");
    execFileSync(process.execPath, [join(REPO, "scripts", "make-mobility-trace.mjs"), out]);
    expect(readFileSync(out)).toEqual(readFileSync(join(REPO, "traces", "mobility-vehicles.csv")));
    const samples = readMobilityTrace("mobility-vehicles.csv", join(REPO, "traces"), "file");
    expect([...samples.keys()]).toEqual(["vehicle-1", "vehicle-2", "vehicle-3", "vehicle-4"]);
    for (const list of samples.values()) {
      for (let i = 1; i < list.length; i++) expect(list[i].x).toBeGreaterThanOrEqual(list[i - 1].x);
    }
  });
});
