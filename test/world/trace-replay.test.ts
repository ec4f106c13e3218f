import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { InputError } from "../../src/errors.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { tempDir } from "../cli/helpers.js";
import { runScenario } from "./run-scenario.js";

function scenario(workload: Record<string, unknown>, count = 1) {
  return {
    name: "trace",
    duration: "10 s",
    drain: "1 s",
    qosDeadline: "1 s",
    devices: [{ id: "client", count, workload: { type: "trace", model: "m", ...workload } }],
    nodes: [{ id: "n", slots: 4, inferenceTime: 5 }],
    schedulers: ["round-robin"],
  };
}

describe("trace replay", () => {
  it("replays date-time rows (the Azure LLM trace format) relative to the first, dealt to the devices in turn", () => {
    const dir = tempDir("trace-");
    writeFileSync(
      join(dir, "azure.csv"),
      [
        "TIMESTAMP,ContextTokens,GeneratedTokens",
        "2023-11-16 18:17:03.9799600,4808,10",
        "2023-11-16 18:17:04.0319600,3180,8",
        "2023-11-16 18:17:05.5000000,110,27",
        "2023-11-16 18:17:09.0000000,7,7",
        "2023-11-16 18:17:20.0000000,7,7",
      ].join("\n"),
    );
    const doc = scenario({ file: join(dir, "azure.csv"), timeColumn: "TIMESTAMP" }, 2);
    const { results, records } = runScenario(doc);
    // Five rows; the last, 16 s after the first, falls after the 10 s of arrivals.
    expect(results.runs[0].jobs.generated).toBe(4);
    const created = records["round-robin"].map((r) => [r.device, r.createdAt] as const).sort((a, b) => a[1] - b[1]);
    expect(created.map(([device]) => device)).toEqual(["client-0", "client-1", "client-0", "client-1"]);
    const expected = [0, 52, 1520.04, 5020.04];
    created.forEach(([, at], i) => {
      expect(at).toBeCloseTo(expected[i], 6);
    });
  });

  it("reads numeric times in the given unit, relative to a scenario file's folder", async () => {
    const dir = tempDir("trace-");
    writeFileSync(join(dir, "arrivals.csv"), "t,other\n100,a\n250,b\n1000,c\n");
    const { loadScenarioFile } = await import("../../src/scenario/resolve.js");
    writeFileSync(join(dir, "scenario.json"), JSON.stringify(scenario({ file: "arrivals.csv", timeColumn: "t", timeUnit: "ms" })));
    const resolved = loadScenarioFile(join(dir, "scenario.json"), {});
    const workload = resolved.devices[0].workloads[0];
    expect(Array.from((workload.family === "frames" ? workload.arrivalTimes : undefined) ?? [])).toEqual([0, 150, 900]);
  });

  it("names the problem: a missing file, an unknown column, a bad value, rows out of order", () => {
    const dir = tempDir("trace-");
    writeFileSync(join(dir, "bad.csv"), "t\n1\nsoon\n");
    writeFileSync(join(dir, "unordered.csv"), "t\n5\n3\n");
    const problem = (workload: Record<string, unknown>): string => {
      try {
        resolveScenario(scenario(workload), { baseDir: dir });
      } catch (error) {
        const issue = (error as InputError).issues[0];
        return `${issue.path}: ${issue.expected}`;
      }
      return "no error";
    };
    expect(problem({ file: "nowhere.csv", timeColumn: "t" })).toMatch(/devices\[0\]\.workload\.file: a readable trace file \(ENOENT/);
    expect(problem({ file: "bad.csv", timeColumn: "time" })).toMatch(/devices\[0\]\.workload\.timeColumn: a column of the trace \(known: t\)/);
    expect(problem({ file: "bad.csv", timeColumn: "t" })).toMatch(/devices\[0\]\.workload\.timeColumn: a number or a date-time in every row of column "t" \(row 3 of the file/);
    expect(problem({ file: "unordered.csv", timeColumn: "t" })).toMatch(/rows in time order/);
  });
});
