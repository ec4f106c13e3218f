import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, REPO, runCli, tempDir } from "./helpers.js";

/** A CLI that fits in scripts (issue 14): --version, a closed or slow pipe, --json, --quiet. */

const TESTBED = join(REPO, "scenarios", "edge-ai-testbed.json");
const EXPONENTIAL = '{"dist":"exponential","mean":"20 ms"}';
const HANG_MS = 120_000;

/** Runs `simulate ARGS | READER` in bash; returns the simulator's exit status (PIPESTATUS[0]), its stderr and the reader's stdout. */
function pipeline(args: string[], reader: string, cwd = REPO): { code: number; stderr: string; stdout: string } {
  const quoted = args.map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(" ");
  const script = `node '${BIN}' ${quoted} 2>"$ERR" | ${reader}; echo "status=\${PIPESTATUS[0]}"`;
  const errFile = join(tempDir("continuum-pipe-"), "stderr");
  const run = spawnSync("bash", ["-c", script], { cwd, encoding: "utf8", env: { ...process.env, ERR: errFile }, timeout: HANG_MS, maxBuffer: 64 * 1024 * 1024 });
  const status = /status=(\d+)\s*$/.exec(run.stdout);
  if (status === null) throw new Error(`pipeline did not finish: ${run.stdout} ${run.stderr}`);
  return { code: Number(status[1]), stderr: readFileSync(errFile, "utf8"), stdout: run.stdout.slice(0, status.index) };
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
}

describe("--version", () => {
  it("prints continuum-sim <package.json version>, exit 0, and is listed in --help", () => {
    const run = runCli(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`continuum-sim ${packageVersion()}\n`);
    expect(run.stderr).toBe("");
    expect(runCli(["--help"]).stdout).toMatch(/--version\s/);
  });

  it("-V is not an alias (only --version)", () => {
    expect(runCli(["-V"]).code).toBe(2);
  });
});

describe("a closed pipe is not an error", () => {
  it("profiles into a reader that has gone: exit 0, nothing on stderr", () => {
    const run = pipeline(["profiles"], "true");
    expect(run).toMatchObject({ code: 0, stderr: "" });
  });

  it("sample -n 1000000 | head -1: one line, exit 0, no stack trace", () => {
    const run = pipeline(["sample", EXPONENTIAL, "-n", "1000000"], "head -1");
    expect(run.stdout.split("\n").filter((line) => line !== "")).toHaveLength(1);
    expect(run).toMatchObject({ code: 0, stderr: "" });
  });

  it("a run whose summary meets a closed pipe exits 0 with results.json written and no temp file left", () => {
    const dir = tempDir("continuum-pipe-run-");
    const run = pipeline([TESTBED, "--duration", "20 s", "--out", dir], "true");
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { schema: string };
    expect(results.schema).toBe("continuum-sim/results@2");
    expect(readdirSync(dir).filter((name) => name.includes(".tmp"))).toEqual([]);
  });
});

describe("stdout back-pressure", () => {
  /**
   * `sample -n N` into a reader that sleeps 2 s before reading: the writer's resident memory while the
   * reader sleeps, and the lines the reader then counts. Writing without waiting queues all N lines in
   * memory (at least 1 byte per character; 40M lines overflowed Node's write queue, ENOBUFS); with
   * back-pressure the writer stops at a pipe buffer plus one chunk, whatever N.
   */
  function stalledWriter(n: number): { code: number; stderr: string; lines: number; rssKiB: number } {
    const dir = tempDir("continuum-pressure-");
    const pidFile = join(dir, "pid");
    const rssFile = join(dir, "rss");
    const writer = `bash -c 'echo $$ > "${pidFile}"; exec node "${BIN}" sample '"'"'${EXPONENTIAL}'"'"' -n ${n} 2>"${join(dir, "stderr")}"'`;
    const reader = `(sleep 2; grep VmRSS "/proc/$(cat "${pidFile}")/status" | tr -dc 0-9 > "${rssFile}"; wc -l)`;
    const run = spawnSync("bash", ["-c", `${writer} | ${reader}; echo "status=\${PIPESTATUS[0]}"`], { cwd: REPO, encoding: "utf8", timeout: HANG_MS });
    const status = /status=(\d+)\s*$/.exec(run.stdout);
    if (status === null) throw new Error(`pipeline did not finish: ${run.stdout} ${run.stderr}`);
    return { code: Number(status[1]), stderr: readFileSync(join(dir, "stderr"), "utf8"), lines: Number(run.stdout.slice(0, status.index).trim()), rssKiB: Number(readFileSync(rssFile, "utf8")) };
  }

  it("a slow reader gets every line, and the waiting writer holds one chunk, not the lines it has yet to deliver", () => {
    const small = stalledWriter(300_000);
    const large = stalledWriter(3_000_000);
    for (const [run, n] of [
      [small, 300_000],
      [large, 3_000_000],
    ] as const) {
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.lines).toBe(n);
    }
    // 2.7M more lines of ~17 characters queued would be >= 45 MB more; with back-pressure the two writers wait at the same point.
    const queuedKiB = ((3_000_000 - 300_000) * 17) / 1024;
    expect(large.rssKiB - small.rssKiB).toBeLessThan(queuedKiB / 3);
  });
});

describe("--json", () => {
  const scenario = JSON.parse(readFileSync(TESTBED, "utf8")) as { name: string; devices: { count?: number }[]; nodes: unknown[] };

  it("validate --json on a good file: ok, counts from the scenario file", () => {
    const run = runCli(["validate", TESTBED, "--json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      ok: true,
      file: TESTBED,
      devices: scenario.devices.reduce((sum, group) => sum + (group.count ?? 1), 0),
      nodes: scenario.nodes.length,
      families: ["frames"],
      runsCode: [],
    });
    expect((json.policies as string[]).length).toBeGreaterThan(1);
  });

  it("validate --json on a bad file: exit 2, the text on stderr and ok:false with each problem's path on stdout", () => {
    const dir = tempDir("continuum-json-");
    const file = join(dir, "typo.json");
    const { duration, ...rest } = JSON.parse(readFileSync(TESTBED, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...rest, durration: duration }));
    const run = runCli(["validate", file, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("durration");
    const json = JSON.parse(run.stdout) as { ok: boolean; problems: { path: string; expected: string }[] };
    expect(json.ok).toBe(false);
    expect(json.problems.map((problem) => problem.path)).toContain("durration");
  });

  it("profiles --json lists every shipped profile file, ids as --quiet prints them", () => {
    const files = readdirSync(join(REPO, "hardware-profiles"))
      .filter((name) => name.endsWith(".json"))
      .map((name) => name.replace(/\.json$/, ""));
    const list = JSON.parse(runCli(["profiles", "--json"]).stdout) as { id: string; role: string; models: string[] }[];
    expect(list.map((profile) => profile.id).sort()).toEqual(files.sort());
    expect(runCli(["profiles", "--quiet"]).stdout).toBe(`${list.map((profile) => profile.id).join("\n")}\n`);
  });

  it("a run with --json prints one object that agrees with the results.json it names", () => {
    const dir = tempDir("continuum-json-run-");
    const run = runCli([TESTBED, "--duration", "20 s", "--seed", "4", "--out", dir, "--json"]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      scenario: string;
      hash: string;
      seed: number;
      results: string;
      runs: { label: string; policies: unknown; jobs: unknown; frames: { throughput: number; latencyMs: { p95: number | null } } | null; queries: unknown }[];
    };
    expect(summary.results).toBe(join(dir, "results.json"));
    const results = JSON.parse(readFileSync(summary.results, "utf8")) as {
      scenario: { name: string; hash: string };
      seed: number;
      runs: { label: string; policies: unknown; jobs: unknown; frames: { throughput: number; latency: { total: { p95: number | null } } } }[];
    };
    expect(summary).toMatchObject({ scenario: scenario.name, hash: results.scenario.hash, seed: 4 });
    expect(summary.runs.map((r) => r.label)).toEqual(results.runs.map((r) => r.label));
    summary.runs.forEach((r, i) => {
      expect(r.policies).toEqual(results.runs[i].policies);
      expect(r.jobs).toEqual(results.runs[i].jobs);
      expect(r.frames?.throughput).toBe(results.runs[i].frames.throughput);
      expect(r.frames?.latencyMs.p95).toBe(results.runs[i].frames.latency.total.p95);
      expect(r.queries).toBeNull();
    });
  });
});

describe("--quiet", () => {
  it("validate --quiet prints nothing on success; sample accepts it", () => {
    expect(runCli(["validate", TESTBED, "--quiet"])).toMatchObject({ code: 0, stdout: "" });
    expect(runCli(["sample", "13 ms", "-n", "2", "--quiet"])).toMatchObject({ code: 0, stdout: "13\n13\n" });
  });

  it("fit --quiet prints only the files it wrote, each of which exists", () => {
    const dir = tempDir("continuum-quiet-fit-");
    const csv = join(dir, "delays.csv");
    writeFileSync(csv, `x\n${Array.from({ length: 200 }, (_, i) => 5 + ((i * 37) % 101) / 10).join("\n")}\n`);
    const run = runCli(["fit", csv, "--column", "x", "--dist", "exponential", "--out", join(dir, "out"), "--quiet"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(join(dir, "out", "fit.json"));
    for (const line of lines) expect(existsSync(line)).toBe(true);
  });

  it("sweep --quiet prints only the summary files", () => {
    const dir = tempDir("continuum-quiet-sweep-");
    const file = join(dir, "sweep.json");
    writeFileSync(file, JSON.stringify({ name: "tiny", base: TESTBED, set: { "/duration": "20 s" }, axes: [{ name: "seed", path: "/seed", values: [1, 2] }] }));
    const out = join(dir, "out");
    const run = runCli(["sweep", file, "--out", out, "--jobs", "1", "--no-charts", "--quiet"], REPO, HANG_MS);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${join(out, "summary.json")}\n${join(out, "summary.csv")}\n`);
  });

  it("a run with --report --quiet prints results.json, then only the report's files", () => {
    const dir = tempDir("continuum-quiet-run-report-");
    const run = runCli([TESTBED, "--duration", "20 s", "--out", dir, "--report", "--quiet"], REPO, HANG_MS);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(join(dir, "results.json"));
    expect(lines).toContain(join(dir, "index.html"));
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(existsSync(line), line).toBe(true);
  });

  it("report --quiet prints only the files it wrote", () => {
    const dir = tempDir("continuum-quiet-report-");
    expect(runCli([TESTBED, "--duration", "20 s", "--out", dir, "--quiet"]).stdout).toBe(`${join(dir, "results.json")}\n`);
    const run = runCli(["report", join(dir, "results.json"), "--format", "svg", "--quiet"], REPO, HANG_MS);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(existsSync(line)).toBe(true);
  });
});
