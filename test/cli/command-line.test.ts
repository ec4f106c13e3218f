import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli, tempDir } from "./helpers.js";

const TESTBED = join(REPO, "scenarios", "edge-ai-testbed.json");

/** Each misspelt option is refused before any work: exit 2, the nearest option named, nothing written. */
const MISSPELT: { name: string; args: (out: string) => string[]; typed: string; meant: string }[] = [
  { name: "run --seeed", args: (out) => [TESTBED, "--seeed", "7", "--out", out], typed: "--seeed", meant: "--seed" },
  { name: "run --seeed=7", args: (out) => [TESTBED, "--seeed=7", "--out", out], typed: "--seeed", meant: "--seed" },
  { name: "llm run --sed", args: (out) => [join(REPO, "scenarios", "llm-routing.json"), "--sed", "3", "--out", out], typed: "--sed", meant: "--seed" },
  { name: "sweep --jbos", args: (out) => ["sweep", join(REPO, "sweeps", "devices-vs-scheduler.json"), "--jbos", "2", "--out", out], typed: "--jbos", meant: "--jobs" },
  { name: "fit --dsit", args: (out) => ["fit", join(REPO, "test", "fixtures", "llm-decode-measurements.csv"), "--column", "x", "--dsit", "gamma", "--out", out], typed: "--dsit", meant: "--dist" },
  { name: "report --fromat", args: (out) => ["report", join(REPO, "test", "report", "fixtures", "missing.json"), "--fromat", "svg", "--out", out], typed: "--fromat", meant: "--format" },
];

describe("the command line is checked whole before any work", () => {
  it.each(MISSPELT)("$name: exit 2, suggests $meant, writes nothing", ({ args, typed, meant }) => {
    const dir = tempDir();
    const out = join(dir, "out");
    const run = runCli(args(out), dir);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`unknown option ${typed}; did you mean ${meant}?`);
    expect(run.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a misspelt hyphenated option is one message (yargs also lists it camel-cased, as an argument)", () => {
    const run = runCli([TESTBED, "--dry-run", "--out", join(tempDir(), "out")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option --dry-run;");
    expect(run.stderr).not.toContain("dryRun");
    expect(run.stderr.split("\n").filter((line) => line.startsWith("simulate:") || line.startsWith("unexpected"))).toHaveLength(1);
  });

  it("an unexpected extra argument is named as an argument, not an option", () => {
    const run = runCli([TESTBED, "extra", "--out", join(tempDir(), "out")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unexpected argument "extra"');
    expect(run.stdout).toBe("");
  });

  it("no arguments: a usage message, not an error about 'undefined'", () => {
    const run = runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no scenario given");
    expect(run.stderr).not.toContain("undefined");
    expect(run.stderr).not.toContain("ERR_INVALID_ARG_TYPE");
  });

  it("a misspelt command is an unknown command with the nearest one, not a missing scenario file", () => {
    const run = runCli(["sweeep", "sweeps/devices-vs-scheduler.json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "sweeep"; did you mean "sweep"?');
    expect(run.stderr).not.toContain("readable scenario file");
  });

  it("a scenario file whose name looks like a word still runs as a scenario", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "testbed"), "{}");
    const run = runCli(["validate", "testbed"], dir);
    expect(run.stderr).not.toContain("unknown command");
    const direct = runCli(["testbed", "--out", join(dir, "out")], dir);
    expect(direct.stderr).not.toContain("unknown command");
    expect(direct.code).toBe(2);
  });

  it("--duration that makes the file's warm-up too long names --duration", () => {
    const out = join(tempDir(), "out");
    const run = runCli([TESTBED, "--duration", "5 s", "--out", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('with --duration "5 s" in place of the file\'s value');
    expect(run.stderr).toContain("warmup");
    expect(existsSync(out)).toBe(false);
  });

  it("a misspelt key in a sample spec suggests the nearest key", () => {
    const run = runCli(["sample", '{"dist":"exponential","maen":"20 ms"}']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('maen: no such key; did you mean "mean"?');
    expect(run.stdout).toBe("");
  });
});
