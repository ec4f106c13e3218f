import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, type CliResult, mountReadOnly, mountTmpfs, NO_MOUNT, REPO, runCli, tempDir, unmountAll } from "./helpers.js";

/**
 * Issue 12, files: an output is written whole or not at all (the previous file intact, one
 * sentence on failure, exit 1), refused before the work when it cannot or must not be written
 * (exit 2, nothing written), and no temp file outlives the run, however it ends.
 */

const EDGE = join(REPO, "scenarios", "edge-ai-testbed.json");
const LLM = join(REPO, "scenarios", "llm-routing.json");
const TINY = join(REPO, "test", "sweep", "fixtures", "tiny-sweep.json");

/** The CLI under `ulimit -f blocks` (1 KiB blocks in bash): a file size limit, as on a quota'd account. */
function runLimited(blocks: number, args: string[]): CliResult {
  const result = spawnSync("bash", ["-c", 'ulimit -f "$1"; shift; exec "$@"', "bash", String(blocks), process.execPath, BIN, ...args], { cwd: REPO, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Temp files anywhere under `dir`. */
function temporaries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((name) => name.includes(".tmp-"));
}

/** One sentence on stderr, no stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.trim().split("\n"), stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain("internal error");
}

// Small tmpfs mounts (a real full disk) need root and a kernel that allows it; tests needing one are skipped otherwise.
afterAll(unmountAll);

describe("a write that fails leaves the previous file intact and says so in one sentence (exit 1)", () => {
  it("results.json over the file size limit (ulimit -f): exit 1, previous results.json intact, no temp file", () => {
    const out = join(tempDir(), "out");
    const first = runCli([EDGE, "--duration", "1 min", "--out", out, "--quiet"]);
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(join(out, "results.json"));
    // results.json of a 1 min run is about 300 kB: a 100 kB limit cuts it short.
    const limited = runLimited(100, [EDGE, "--duration", "1 min", "--seed", "2", "--out", out, "--quiet"]);
    expect(limited.code).toBe(1);
    expect(limited.stdout).toBe("");
    expect(limited.stderr).toContain(`could not write ${join(out, "results.json")}: the file size limit was reached`);
    expect(limited.stderr).toContain("EFBIG");
    expectOneLine(limited.stderr);
    expect(readFileSync(join(out, "results.json")).equals(before)).toBe(true);
    expect(temporaries(out)).toEqual([]);
  });

  it("--tasks over the file size limit: exit 1, the previous tasks file intact", () => {
    const dir = tempDir();
    const tasks = join(dir, "tasks.csv");
    writeFileSync(tasks, "previous tasks\n");
    // 10 min of the testbed: results.json ~330 kB fits in 1000 kB, the tasks CSV (~2.8 MB) does not.
    const limited = runLimited(1000, [EDGE, "--out", join(dir, "out"), "--tasks", tasks, "--quiet"]);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toContain(`could not write ${tasks}: the file size limit was reached`);
    expectOneLine(limited.stderr);
    expect(readFileSync(tasks, "utf8")).toBe("previous tasks\n");
    expect(temporaries(dir)).toEqual([]);
  });

  it("results.json on a full disk (a 512 kB tmpfs): exit 1 naming ENOSPC, previous results.json intact", (ctx) => {
    const disk = join(tempDir(), "disk");
    if (!mountTmpfs(disk, "512k")) return ctx.skip(NO_MOUNT);
    const first = runCli([EDGE, "--out", disk, "--quiet"]);
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(join(disk, "results.json"));
    // The new file (~330 kB) does not fit beside the old one.
    const full = runCli([EDGE, "--seed", "2", "--out", disk, "--quiet"]);
    expect(full.code).toBe(1);
    expect(full.stdout).toBe("");
    expect(full.stderr).toContain(`could not write ${join(disk, "results.json")}: no space left on the device (ENOSPC)`);
    expectOneLine(full.stderr);
    expect(readFileSync(join(disk, "results.json")).equals(before)).toBe(true);
    expect(temporaries(disk)).toEqual([]);
  });
});

/** A character device like /dev/null, made in a temp folder so that a regression cannot replace the machine's own. */
function deviceNode(dir: string): string {
  const file = join(dir, "null-device");
  if (spawnSync("mknod", [file, "c", "1", "3"]).status !== 0) spawnSync("mkfifo", [file]);
  return file;
}

describe("--tasks never lands on the scenario, another output of the run, or anything not a regular file (exit 2, nothing written)", () => {
  for (const [kind, source] of [
    ["edge", EDGE],
    ["language-model", LLM],
  ] as const) {
    it(`${kind} scenario`, () => {
      const dir = tempDir();
      const scenario = join(dir, "scenario.json");
      copyFileSync(source, scenario);
      const out = join(dir, "out");
      mkdirSync(join(out, "charts"), { recursive: true });
      writeFileSync(join(out, "results.json"), "previous results\n");
      writeFileSync(join(out, "index.html"), "previous report\n");
      const device = deviceNode(dir);
      const folder = join(dir, "a-folder");
      mkdirSync(folder);
      const cases: Array<{ tasks: string; report?: boolean; says: string }> = [
        { tasks: join(out, "results.json"), says: "it is the results.json of this run" },
        { tasks: scenario, says: "it is the scenario file this run reads" },
        { tasks: device, says: `it exists and is a ${lstatSync(device).isFIFO() ? "named pipe" : "character device"}, not a regular file` },
        { tasks: folder, says: "it exists and is a folder, not a regular file" },
        { tasks: join(out, "index.html"), report: true, says: "it is the index.html of this run" },
        { tasks: join(out, "charts", "tasks.csv"), report: true, says: `it is inside ${join(out, "charts")}, which this run writes` },
      ];
      for (const c of cases) {
        const run = runCli([scenario, "--out", out, "--tasks", c.tasks, ...(c.report ? ["--report"] : [])]);
        expect(run.code, `${c.tasks}: ${run.stderr}`).toBe(2);
        expect(run.stdout).toBe("");
        expect(run.stderr).toContain(`--tasks ${c.tasks}: refused: ${c.says}; nothing was written`);
        expectOneLine(run.stderr);
      }
      expect(readFileSync(scenario).equals(readFileSync(source))).toBe(true);
      expect(readFileSync(join(out, "results.json"), "utf8")).toBe("previous results\n");
      expect(readFileSync(join(out, "index.html"), "utf8")).toBe("previous report\n");
      expect(readdirSync(join(out, "charts"))).toEqual([]);
      expect(lstatSync(device).isFile()).toBe(false);
      expect(statSync(folder).isDirectory()).toBe(true);
      expect(readdirSync(folder)).toEqual([]);
    });
  }
});

describe("outputs are checked before the work (exit 2, one sentence, nothing written)", () => {
  let dir: string;
  let file: string;
  let results: string;
  let shard: string;
  let samples: string;

  beforeAll(() => {
    dir = tempDir();
    file = join(dir, "a-file");
    writeFileSync(file, "keep me\n");
    results = join(dir, "run", "results.json");
    const run = runCli([EDGE, "--duration", "1 min", "--out", join(dir, "run"), "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    shard = join(dir, "shard");
    const sweep = runCli(["sweep", TINY, "--shard", "0/6", "--jobs", "1", "--out", shard]);
    expect(sweep.code, sweep.stderr).toBe(0);
    samples = join(dir, "samples.csv");
    writeFileSync(samples, `x\n${Array.from({ length: 60 }, (_, i) => 10 + ((i * 7) % 13)).join("\n")}\n`);
  });

  /** Every command that writes, with its output folder at `out`. */
  const commands = (out: string): Array<[string, string[]]> => [
    ["simulate (edge)", [EDGE, "--out", out]],
    ["simulate (language model)", [LLM, "--duration", "10 min", "--out", out]],
    ["sweep", ["sweep", TINY, "--jobs", "1", "--out", out]],
    ["merge", ["merge", shard, "--out", out]],
    ["report", ["report", results, "--out", out]],
    ["fit", ["fit", samples, "--column", "x", "--out", out]],
  ];

  it("--out naming an existing file (EEXIST) and --out under a file (ENOTDIR), for every command", () => {
    for (const [name, args] of commands(file)) {
      const run = runCli(args);
      expect(run.code, `${name}: ${run.stderr}`).toBe(2);
      expect(run.stdout, name).toBe("");
      expect(run.stderr, name).toContain(`--out ${file}: refused: it is a regular file, not a folder (EEXIST); nothing was written`);
      expectOneLine(run.stderr);
    }
    for (const [name, args] of commands(join(file, "sub"))) {
      const run = runCli(args);
      expect(run.code, `${name}: ${run.stderr}`).toBe(2);
      expect(run.stdout, name).toBe("");
      expect(run.stderr, name).toContain(`--out ${join(file, "sub")}: cannot write there: a part of the path is a file, not a folder (ENOTDIR); nothing was written`);
      expectOneLine(run.stderr);
    }
    expect(readFileSync(file, "utf8")).toBe("keep me\n");
  });

  it("an output folder on a read-only file system (EROFS), for every command", (ctx) => {
    const readOnly = join(dir, "read-only");
    if (!mountReadOnly(readOnly)) return ctx.skip(NO_MOUNT);
    for (const [name, args] of commands(join(readOnly, "new", "out"))) {
      const run = runCli(args);
      expect(run.code, `${name}: ${run.stderr}`).toBe(2);
      expect(run.stderr, name).toContain(`--out ${join(readOnly, "new", "out")}: cannot write there: the file system is read-only (EROFS); nothing was written`);
      expectOneLine(run.stderr);
    }
  });

  it("a run that fails after the checks leaves no folder behind (neither the output folder nor the --tasks folder)", () => {
    // The check creates a missing folder to try it and removes it again; the writers remove the folders they made when they fail.
    const fresh = join(dir, "fresh");
    const failing = join(dir, "failing.json");
    writeFileSync(
      failing,
      JSON.stringify({
        name: "failing",
        seed: 1,
        duration: "2 s",
        qosDeadline: 1000,
        // sd 100 makes a negative interarrival draw: a simulation error after the checks.
        devices: [{ id: "s", workload: { type: "arrivals", model: "job", interarrival: { dist: "normal", mean: 10, sd: 100 } } }],
        nodes: [{ id: "n", inferenceTime: { dist: "exponential", mean: 1 } }],
        schedulers: ["least-loaded"],
      }),
    );
    const run = runCli([failing, "--out", join(fresh, "a", "b"), "--tasks", join(fresh, "t", "tasks.csv")]);
    expect(run.code, run.stderr).toBe(1);
    expect(existsSync(fresh)).toBe(false);
  });

  it("an output folder on a disk that is already full (ENOSPC), found before the simulation", (ctx) => {
    const disk = join(dir, "full-disk");
    if (!mountTmpfs(disk, "64k")) return ctx.skip(NO_MOUNT);
    spawnSync("bash", ["-c", `head -c 200000 /dev/zero > ${join(disk, "filler")}`]);
    const run = runCli([EDGE, "--out", join(disk, "out")]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`--out ${join(disk, "out")}: cannot write there: no space left on the device (ENOSPC); nothing was written`);
    expectOneLine(run.stderr);
  });

  it("a folder without write permission (EACCES)", (ctx) => {
    if (process.getuid?.() === 0) return ctx.skip("root writes into a mode 0555 folder: EACCES cannot happen (the read-only test covers the check)");
    const locked = join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    for (const [name, args] of commands(locked)) {
      const run = runCli(args);
      expect(run.code, `${name}: ${run.stderr}`).toBe(2);
      expect(run.stderr, name).toContain(`--out ${locked}: cannot write there: permission denied (EACCES)`);
      expectOneLine(run.stderr);
    }
  });
});

describe("no temp file outlives the run", () => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGKILL"] as const) {
    it(`${signal} during a long run with --tasks: the temp file goes, the previous tasks file is intact`, async () => {
      const dir = tempDir();
      const tasks = join(dir, "tasks.csv");
      writeFileSync(tasks, "previous tasks\n");
      const child = spawn(process.execPath, [BIN, EDGE, "--duration", "2 h", "--out", join(dir, "out"), "--tasks", tasks, "--quiet"], { cwd: REPO, stdio: "ignore" });
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      // Wait until the tasks file's temp exists and has grown (the first 1 MB piece is written); the check's probe file comes and goes before.
      const grown = (): boolean => temporaries(dir).some((name) => name.startsWith("tasks.csv.tmp-") && (statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0) > 0);
      while (!grown()) await new Promise((r) => setTimeout(r, 20));
      child.kill(signal);
      await exited;
      for (let i = 0; i < 100 && temporaries(dir).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(temporaries(dir)).toEqual([]);
      expect(readFileSync(tasks, "utf8")).toBe("previous tasks\n");
    });
  }

  it("a run removes the temp files of dead writers from its folders, and leaves a live writer's and the user's own files alone", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    mkdirSync(out);
    const gone = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((resolve) => gone.on("exit", () => resolve(gone.pid as number)));
    const stale = [join(out, `results.json.tmp-${deadPid}-0`), join(dir, `tasks.csv.tmp-${deadPid}`)];
    const live = join(out, `results.json.tmp-${process.pid}-0`);
    // Not a temp of this program's files: the user's, whatever its name looks like.
    const users = join(dir, `notes.tmp-${deadPid}`);
    for (const name of [...stale, live, users]) writeFileSync(name, "half a file");
    const run = runCli([EDGE, "--duration", "1 min", "--out", out, "--tasks", join(dir, "tasks.csv"), "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    for (const name of stale) expect(existsSync(name), name).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(users)).toBe(true);
  });
});
