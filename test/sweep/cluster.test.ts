import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, REPO, runCli, tempDir } from "../cli/helpers.js";

const TINY = "test/sweep/fixtures/tiny-sweep.json";

/** Parses YAML with PyYAML when the machine has it (no YAML parser among the npm dependencies). */
function parseYaml(file: string): unknown {
  const run = spawnSync("python3", ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", file], { encoding: "utf8" });
  if (run.status !== 0) return undefined;
  return JSON.parse(run.stdout) as unknown;
}

describe("cluster jobs", () => {
  it("--emit k8s: an Indexed Job whose pods run shard $JOB_COMPLETION_INDEX of N, and the command works", () => {
    const emitted = runCli(["sweep", TINY, "--emit", "k8s", "--shards", "3", "--image", "registry.example/continuum-sim:1", "--results-dir", "/results/tiny"]);
    expect(emitted.code, emitted.stderr).toBe(0);
    const yaml = emitted.stdout;
    expect(yaml).toContain("completionMode: Indexed");
    expect(yaml).toContain("completions: 3");
    expect(yaml).toContain("merge /results/tiny/shard-*");
    const dir = tempDir("continuum-k8s-");
    writeFileSync(join(dir, "job.yaml"), yaml);
    const parsed = parseYaml(join(dir, "job.yaml")) as
      | { kind: string; spec: { completionMode: string; completions: number; template: { spec: { containers: Array<{ image: string; command: string[]; args: string[] }> } } } }
      | undefined;
    if (parsed !== undefined) {
      expect(parsed.kind).toBe("Job");
      expect(parsed.spec).toMatchObject({ completionMode: "Indexed", completions: 3 });
      expect(parsed.spec.template.spec.containers[0].image).toBe("registry.example/continuum-sim:1");
      expect(parsed.spec.template.spec.containers[0].command).toEqual(["sh", "-c"]);
    }
    // Run the container's command here, as pod 1 would (the image's /app path replaced by this checkout).
    const argLine = /args:\n\s+- (".*")\n/.exec(yaml);
    expect(argLine).not.toBeNull();
    const command = (JSON.parse((argLine as RegExpExecArray)[1]) as string).replace("/app/dist/cli/bin.js", BIN).replaceAll("/results/tiny", dir);
    const pod = spawnSync("sh", ["-c", command], { cwd: REPO, encoding: "utf8", env: { ...process.env, JOB_COMPLETION_INDEX: "1" } });
    expect(pod.status, pod.stderr).toBe(0);
    expect(pod.stdout).toContain("shard 1/3 written");
    expect(existsSync(join(dir, "shard-1", "sweep.json"))).toBe(true);
  });

  it("--emit slurm: a job array over SLURM_ARRAY_TASK_ID that runs as a shell script", () => {
    const dir = tempDir("continuum-slurm-");
    const emitted = runCli(["sweep", TINY, "--emit", "slurm", "--shards", "3", "--jobs", "2", "--results-dir", dir]);
    expect(emitted.code, emitted.stderr).toBe(0);
    expect(emitted.stdout).toContain("#SBATCH --array=0-2");
    expect(emitted.stdout).toContain("#SBATCH --cpus-per-task=2");
    const script = join(dir, "sweep.sh");
    writeFileSync(script, emitted.stdout);
    expect(spawnSync("bash", ["-n", script]).status).toBe(0);
    // Each array task on a node with this checkout (SIMULATE overrides the container), then the merge.
    for (const task of ["0", "1", "2"]) {
      const run = spawnSync("bash", [script], { cwd: REPO, encoding: "utf8", env: { ...process.env, SIMULATE: `${process.execPath} ${BIN}`, SLURM_ARRAY_TASK_ID: task } });
      expect(run.status, run.stderr).toBe(0);
    }
    const merged = runCli(["merge", join(dir, "shard-0"), join(dir, "shard-1"), join(dir, "shard-2"), "--no-charts"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain("12 of 12 runs, 0 failed, 0 missing");
  });

  it("--emit passes --max-events on to every shard, and refuses a bad one before emitting", () => {
    for (const target of ["k8s", "slurm"]) {
      const emitted = runCli(["sweep", TINY, "--emit", target, "--max-events", "5000000"]);
      expect(emitted.code, emitted.stderr).toBe(0);
      expect(emitted.stdout).toContain("--no-charts --max-events 5000000");
      const refused = runCli(["sweep", TINY, "--emit", target, "--max-events", "0"]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe("");
    }
  });

  it("--emit rejects an unknown target (exit 2)", () => {
    expect(runCli(["sweep", TINY, "--emit", "nomad"]).code).toBe(2);
  });

  it(".github/workflows/sweep.yml: shard matrix, then a merge job that uploads the summary and charts", (context) => {
    const file = join(REPO, ".github", "workflows", "sweep.yml");
    const text = readFileSync(file, "utf8");
    const workflow = parseYaml(file) as
      | { jobs: { shard: { strategy: { matrix: { shard: number[] } }; steps: Array<{ run?: string }> }; merge: { needs: string; steps: Array<{ run?: string; with?: { path?: string } }> } } }
      | undefined;
    if (workflow === undefined) {
      context.skip("python3 with PyYAML is not available to parse the workflow");
      return;
    }
    const shards = workflow.jobs.shard.strategy.matrix.shard;
    expect(shards).toEqual([0, 1, 2]);
    expect(text).toContain(`SHARDS: ${shards.length}`);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, literally as the workflow must hold it
    expect(workflow.jobs.shard.steps.some((s) => s.run?.includes('--shard "${{ matrix.shard }}/$SHARDS"'))).toBe(true);
    expect(workflow.jobs.merge.needs).toBe("shard");
    expect(workflow.jobs.merge.steps.some((s) => s.run?.startsWith("npx simulate merge shards/sweep-shard-*"))).toBe(true);
    const upload = workflow.jobs.merge.steps.find((s) => s.with?.path?.includes("summary.json"));
    expect(upload?.with?.path).toContain("merged/charts/");
  });
});
