/**
 * The `--emit slurm` file as text: what it runs and where it writes, for both runners. It runs for
 * real in test/sweep/cluster.test.ts (tasks by hand) and test/sweep/slurm-roundtrip.test.ts (Slurm).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { slurmArrayScript, slurmResultsDir } from "../../src/sweep/emit-slurm.js";
import { tempDir } from "../cli/helpers.js";

const BASE = {
  name: "tiny",
  sweepPath: "/home/user/sims/sweeps/my sweep.json",
  shards: 3,
  jobs: 2,
  resultsDir: slurmResultsDir("tiny"),
  charts: true,
};
const DIRECT = { ...BASE, runner: { node: "/opt/node-20/bin/node", bin: "/home/user/continuum-sim/dist/cli/bin.cjs" } };

/** bash's own parse of the file (bash -n): a quoting mistake fails here. */
function parses(script: string): boolean {
  const file = join(tempDir("continuum-slurm-text-"), "sweep.sh");
  writeFileSync(file, script);
  return spawnSync("bash", ["-n", file]).status === 0;
}

describe("--emit slurm file", () => {
  it("runs the installed CLI by absolute path: no npx, no container, no $SIMULATE in a printed command", () => {
    const script = slurmArrayScript(DIRECT);
    expect(parses(script)).toBe(true);
    expect(script).toContain("#SBATCH --array=0-2\n");
    expect(script).toContain("#SBATCH --cpus-per-task=2\n");
    expect(script).toContain(`'/opt/node-20/bin/node' '/home/user/continuum-sim/dist/cli/bin.cjs' sweep '/home/user/sims/sweeps/my sweep.json' --shard "$SLURM_ARRAY_TASK_ID/3"`);
    for (const absent of ["npx", "apptainer", "singularity", "SIMULATE", "/results"]) expect(script, absent).not.toContain(absent);
  });

  it("writes under the submit folder by default and submits the merge with afterany on the array", () => {
    const script = slurmArrayScript(DIRECT);
    expect(BASE.resultsDir).toBe("sweep-results/tiny");
    expect(script).toContain(`--out 'sweep-results/tiny'/shard-"$SLURM_ARRAY_TASK_ID"`);
    expect(script).toContain('array=$(sbatch --parsable "$0")');
    expect(script).toMatch(/merge=\$\(sbatch --parsable --job-name=sweep-tiny-merge --dependency=afterany:"\$array" .*--wrap "/);
  });

  it("prints a merge command with the real paths that names every shard folder (cluster.test.ts runs it)", () => {
    const lines = slurmArrayScript(DIRECT).split("\n");
    const hint = lines[lines.findIndex((line) => line.includes("merge afterwards")) + 1];
    expect(hint).toBe(
      "#     '/opt/node-20/bin/node' '/home/user/continuum-sim/dist/cli/bin.cjs' merge 'sweep-results/tiny/shard-0' 'sweep-results/tiny/shard-1' 'sweep-results/tiny/shard-2' --out 'sweep-results/tiny/merged'",
    );
    expect(slurmArrayScript({ ...DIRECT, charts: false })).toMatch(/--out 'sweep-results\/tiny\/merged' --no-charts\n/);
  });

  it("--container: the image through apptainer exec, the submit folder bound, the sweep at the image's path", () => {
    const script = slurmArrayScript({ ...BASE, sweepPath: "/app/sweeps/x.json", runner: { container: "apptainer", image: "registry.example.org/continuum-sim:0.1.0" } });
    expect(parses(script)).toBe(true);
    expect(script).toContain(`apptainer exec --bind "$PWD" 'docker://registry.example.org/continuum-sim:0.1.0' node /app/dist/cli/bin.cjs sweep '/app/sweeps/x.json'`);
    // In the merge job's --wrap the $ is escaped: $PWD is the merge job's folder (the submit folder).
    expect(script).toContain(`--wrap "apptainer exec --bind \\"\\$PWD\\"`);
    const sif = slurmArrayScript({ ...BASE, resultsDir: "/scratch/me/out", runner: { container: "singularity", image: "/images/continuum-sim.sif" } });
    expect(parses(sif)).toBe(true);
    expect(sif).toContain(`singularity exec --bind "$PWD" --bind '/scratch/me/out' '/images/continuum-sim.sif' node`);
  });

  it("quotes a name or path with spaces and quotes so that bash still parses it", () => {
    const script = slurmArrayScript({ ...DIRECT, name: "it's a test", resultsDir: "out dir/it's", sweepPath: "/x/it's.json" });
    expect(parses(script)).toBe(true);
    expect(script).toContain("#SBATCH --job-name=sweep-it-s-a-test\n");
  });
});
