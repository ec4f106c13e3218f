import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_TRACE_BYTES } from "../../src/io/trace-file.js";
import { boardAndCloud } from "../llm/llm-helpers.js";
import { REPO, runCli, tempDir } from "./helpers.js";

/**
 * Trace files named in a scenario are read by one reader (src/io/trace-file.ts) for edge `trace`
 * and language-model `query-trace` workloads: relative to the scenario's folder, only regular
 * files up to a stated size, and an error never shows the file's content beyond a header's names.
 */

/** An edge scenario replaying `file` (column `column`) in a folder of its own, two levels below a temp root (for ../ paths). */
function edgeScenario(file: string, column = "t", dir = join(tempDir("traces-"), "a", "b")): { dir: string; scenario: string } {
  mkdirSync(dir, { recursive: true });
  const scenario = join(dir, "scenario.json");
  writeFileSync(
    scenario,
    JSON.stringify({
      name: "trace",
      duration: "10 s",
      qosDeadline: "1 s",
      devices: [{ id: "client", workload: { type: "trace", model: "m", file, timeColumn: column, timeUnit: "ms" } }],
      nodes: [{ id: "n", slots: 4, inferenceTime: 5 }],
      schedulers: ["round-robin"],
    }),
  );
  return { dir, scenario };
}

/** A language-model scenario replaying the query trace `file`, with the test profiles beside it. */
function llmScenario(file: string, columns: Record<string, string> = {}, dir = tempDir("query-traces-")): { dir: string; scenario: string } {
  mkdirSync(join(dir, "hardware-profiles"), { recursive: true });
  for (const id of ["test-board", "test-cloud"]) {
    writeFileSync(join(dir, "hardware-profiles", `${id}.json`), readFileSync(join(REPO, "test", "fixtures", "llm-profiles", `${id}.json`)));
  }
  const scenario = join(dir, "scenario.json");
  const doc = boardAndCloud({ duration: "10 s", devices: [{ id: "user", localNodes: ["board"], workload: { type: "query-trace", file, ...columns } }], routers: ["cloud-only"] });
  writeFileSync(scenario, JSON.stringify({ kind: "llm", ...doc }));
  return { dir, scenario };
}

describe("a trace file's content is never echoed", () => {
  it.skipIf(!existsSync("/etc/passwd"))("../../../../etc/passwd as an edge trace: no header row, nothing of the file shown, a warning that it is outside", () => {
    const { scenario } = edgeScenario("../../../../../../../../etc/passwd", "TIMESTAMP");
    const run = runCli(["validate", scenario]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("devices[0].workload.timeColumn");
    expect(run.stderr).toContain('no header row with column "TIMESTAMP"');
    expect(run.stderr).not.toMatch(/root:|\/bin\/|nologin/);
    expect(run.stderr).toMatch(/warning: devices\[0\]\.workload\.file reads \/etc\/passwd, outside the scenario's folder/);
  });

  it("a password-file-like query trace (as /etc/shadow): the hash is not shown", () => {
    const dir = tempDir("shadow-");
    const secret = join(dir, "shadow");
    writeFileSync(secret, "root:$6$saltsalt$7hGx0cQWQzX9a1b2c3d4e5f6:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
    const { scenario } = llmScenario(secret);
    const run = runCli([scenario, "--out", join(dir, "out")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("devices[0].workload.timeColumn");
    expect(run.stderr).toContain('no header row with column "TIMESTAMP"');
    expect(run.stderr).not.toMatch(/\$6\$|saltsalt|root|daemon/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("a bad cell or token count is named by row and column, and not shown", () => {
    const { dir, scenario } = llmScenario("q.csv");
    writeFileSync(join(dir, "q.csv"), "TIMESTAMP,ContextTokens,GeneratedTokens\n0,10,5\n1,-3,5\n");
    const negative = runCli(["validate", scenario]);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain("devices[0].workload.promptColumn");
    expect(negative.stderr).toContain('column "ContextTokens" (row 3 of the file');
    writeFileSync(join(dir, "q.csv"), "TIMESTAMP,ContextTokens,GeneratedTokens\n0,10,5\n1,10,2.5\nsecret-words,1,1\n");
    const fraction = runCli(["validate", scenario]);
    expect(fraction.code).toBe(2);
    expect(fraction.stderr).toContain('column "TIMESTAMP" (row 4 of the file');
    expect(fraction.stderr).not.toContain("secret-words");
    writeFileSync(join(dir, "q.csv"), "TIMESTAMP,ContextTokens,GeneratedTokens\n0,10,5\n1,10,2.5\n");
    const output = runCli(["validate", scenario]);
    expect(output.stderr).toContain("devices[0].workload.outputColumn");
    expect(output.stderr).toContain("row 3 of the file");
  });
});

describe("a trace's column error is at the key naming the column", () => {
  it("edge: at workload.timeColumn (not .file), with the header's names and the nearest one", () => {
    const { dir, scenario } = edgeScenario("arrivals.csv", "tme");
    writeFileSync(join(dir, "arrivals.csv"), "time,other\n100,a\n250,b\n");
    const run = runCli(["validate", scenario]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("devices[0].workload.timeColumn");
    expect(run.stderr).not.toContain("workload.file");
    expect(run.stderr).toContain('did you mean "time"? known: time, other');
  });

  it("relative paths resolve from the scenario's folder, whatever the working directory", () => {
    const { dir, scenario } = edgeScenario("arrivals.csv");
    writeFileSync(join(dir, "arrivals.csv"), "t,other\n100,a\n250,b\n");
    const run = runCli(["validate", scenario], tempDir("elsewhere-"));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
  });
});

describe("traces are CSV as RFC 4180 writes it (one parser, csv-parse)", () => {
  it("a quoted cell may hold commas, doubled quotes and a line break", () => {
    const { dir, scenario } = edgeScenario("arrivals.csv");
    writeFileSync(join(dir, "arrivals.csv"), 't,note\n100,"first, with a comma"\n250,"a ""quoted"" word\nand a second line"\n400,plain\n');
    const run = runCli(["validate", scenario]);
    expect(run.code, run.stderr).toBe(0);
  });

  it("a quote never closed: the line and the kind of mistake, not the content", () => {
    const { dir, scenario } = edgeScenario("arrivals.csv");
    writeFileSync(join(dir, "arrivals.csv"), 't,note\n100,"private words\n250,b\n');
    const run = runCli(["validate", scenario]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("devices[0].workload.file");
    expect(run.stderr).toContain("a quoted cell is never closed");
    expect(run.stderr).not.toContain("private");
  });

  it("simulate fit reads the same CSV: a quoted cell with a line break is one cell", () => {
    const dir = tempDir("fit-csv-");
    const file = join(dir, "samples.csv");
    writeFileSync(file, 'delay(ms),note\n10,"a\nb"\n12,c\n11,"d, e"\n13,f\n');
    const run = runCli(["fit", file, "--column", "delay", "--dist", "exponential", "--out", join(dir, "out")]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("column delay(ms): 4 samples");
    expect(run.stdout).not.toContain("skipped");
  });
});

describe("a trace that is not a regular file, or too large, is refused before it is read", () => {
  it.skipIf(!existsSync("/dev/zero"))("/dev/zero: refused as a device (it used to be read until memory ran out)", () => {
    const { scenario } = edgeScenario("/dev/zero");
    const run = runCli(["validate", scenario]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("devices[0].workload.file");
    expect(run.stderr).toContain("a regular file (this is a device)");
  });

  it.skipIf(spawnSync("mkfifo", ["--version"]).status !== 0)("a named pipe with no writer: refused, without waiting for one", () => {
    const { dir, scenario } = llmScenario("pipe.csv");
    expect(spawnSync("mkfifo", [join(dir, "pipe.csv")]).status).toBe(0);
    const run = runCli(["validate", scenario]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("devices[0].workload.file");
    expect(run.stderr).toContain("a regular file (this is a named pipe)");
  });

  it("a folder, and a file over the limit (size and limit stated)", () => {
    const { dir, scenario } = edgeScenario("traces");
    mkdirSync(join(dir, "traces"));
    const folder = runCli(["validate", scenario]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("a regular file (this is a folder)");
    const big = edgeScenario("big.csv", "t", dir);
    writeFileSync(join(dir, "big.csv"), "t\n1\n");
    truncateSync(join(dir, "big.csv"), MAX_TRACE_BYTES + 1); // sparse: no disk used
    const run = runCli(["validate", big.scenario]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`at most ${MAX_TRACE_BYTES} bytes`);
    expect(run.stderr).toContain(`this one has ${MAX_TRACE_BYTES + 1} bytes`);
  });
});

describe("simulate fit on a binary file", () => {
  it("escapes the bytes it shows", () => {
    const dir = tempDir("fit-binary-");
    const file = join(dir, "samples.bin");
    writeFileSync(file, Buffer.concat([Buffer.from("\x1b[2J\x1b]0;owned\x07,\x00\x01delay\n"), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from("1,2\n")]));
    const run = runCli(["fit", file, "--column", "latency", "--out", join(dir, "out")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("\\x1b[2J");
    expect(run.stderr).toContain("\\x00\\x01delay");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is that no control character reaches the terminal
    expect(run.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });
});
