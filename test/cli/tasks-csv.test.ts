import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/io/csv.js";
import { runCli, tempDir } from "./helpers.js";

describe("simulate --tasks (frames)", () => {
  it("a scheduler label with a comma and quotes gives rows with the header's 12 columns, the label read back intact", () => {
    const dir = tempDir();
    const label = 'rr, "fast"';
    const scenario = {
      name: "tasks-csv",
      duration: "2 s",
      drain: "1 s",
      qosDeadline: "100 ms",
      devices: [{ id: "cam", workload: { type: "arrivals", model: "m", interarrival: 100, startOffset: 0 } }],
      nodes: [{ id: "n", inferenceTime: 10 }],
      schedulers: [{ name: "round-robin", label }],
    };
    const file = join(dir, "scenario.json");
    writeFileSync(file, JSON.stringify(scenario));
    const tasks = join(dir, "tasks.csv");
    const result = runCli([file, "--out", join(dir, "out"), "--tasks", tasks, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    const [header, ...rows] = parseCsv(readFileSync(tasks, "utf8"));
    expect(header).toHaveLength(12);
    // One request every 100 ms from 0 to 1.9 s, each done within the drain: 20 rows (no warm-up).
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row).toHaveLength(12);
    expect(new Set(rows.map((row) => row[header.indexOf("label")]))).toEqual(new Set([label]));
  });
});
