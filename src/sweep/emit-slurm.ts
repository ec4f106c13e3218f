/**
 * `simulate sweep --emit slurm`: one bash file that is both the job array and its submitter.
 * `bash FILE` on a login node submits FILE as the array (one task per shard) and the merge as a
 * second job with `--dependency=afterany:<array>`, which runs once every task has ended, failed or
 * not, so the merge names the shards that wrote nothing. `sbatch FILE` submits the array alone.
 */
import { CLI_BIN, type ClusterJobOptions, IMAGE_ROOT, mergeArguments, mergedFolder, safeName, shardArguments, shellQuote } from "./emit-cluster.js";

/** Container runtimes whose `exec IMAGE COMMAND` runs a shard (Apptainer, and SingularityCE that it forked from). */
export const SLURM_CONTAINERS = ["apptainer", "singularity"] as const;
export type SlurmContainer = (typeof SLURM_CONTAINERS)[number];

export interface SlurmOptions extends ClusterJobOptions {
  /**
   * What runs `simulate`: the Node.js and CLI_BIN this file was emitted with (absolute
   * paths; the compute nodes see them on the shared file system), or a container of the image.
   */
  runner: { node: string; bin: string } | { container: SlurmContainer; image: string };
}

/** sh double-quoting: the words inside keep their single quotes; $ is escaped, so it expands when the merge job runs. */
const doubleQuote = (text: string): string => `"${text.replace(/[\\"$`]/g, "\\$&")}"`;

/** The default results folder: relative, so it lands under the folder the job is submitted from. */
export const slurmResultsDir = (name: string): string => `sweep-results/${safeName(name)}`;

/** The command words before `sweep …` / `merge …`, as one shell line. */
function simulateCommand(options: SlurmOptions): string {
  const runner = options.runner;
  if ("node" in runner) return `${shellQuote(runner.node)} ${shellQuote(runner.bin)}`;
  // A plain name is a registry image; a .sif file or a URI (docker://, oras://, library://) is given as is.
  const image = /^[a-z]+:\/\//.test(runner.image) || runner.image.endsWith(".sif") ? runner.image : `docker://${runner.image}`;
  // The submit folder (and an absolute results folder) is bound at the same path and stays the working
  // folder, so the results path means the same folder inside; the sweep file is the image's /app copy.
  const binds = ['"$PWD"', ...(options.resultsDir.startsWith("/") ? [shellQuote(options.resultsDir)] : [])];
  return `${runner.container} exec ${binds.map((bind) => `--bind ${bind}`).join(" ")} ${shellQuote(image)} node ${IMAGE_ROOT}/${CLI_BIN}`;
}

export function slurmArrayScript(options: SlurmOptions): string {
  const name = safeName(options.name);
  const simulate = simulateCommand(options);
  const merge = `${simulate} ${mergeArguments(options)}`;
  const last = options.shards - 1;
  return `#!/bin/bash
# Slurm job array for sweep "${options.name}": ${options.shards} shards; SLURM_ARRAY_TASK_ID (0..${last}) is the shard.
#
# Submit from the folder the results should go under (a shared file system):
#   bash THIS-FILE      submits the array, then the merge as a job that starts when every shard has
#                       ended (--dependency=afterany), and prints both job ids.
#   sbatch THIS-FILE    submits the array alone; merge afterwards, from the same folder, with
#     ${merge}
# Results: ${options.resultsDir}/shard-K per shard, the summary in ${mergedFolder(options)}/ (relative paths are
# under the submit folder). Logs: ${name}-shard-K.log and ${name}-merge.log there.
# The merge exits 1 and names every shard with no output and every failed run. A task that was killed
# or timed out can simply be resubmitted (sbatch --array=K THIS-FILE): its finished runs are skipped.
#SBATCH --job-name=sweep-${name}
#SBATCH --array=0-${last}
#SBATCH --cpus-per-task=${options.jobs}
#SBATCH --output=${name}-shard-%a.log
set -euo pipefail
if [ -z "\${SLURM_ARRAY_TASK_ID:-}" ]; then
  # Not a task of the array: submit the array and the merge that depends on it.
  command -v sbatch >/dev/null || { echo "sbatch not found: run this on a Slurm login node (or run each shard by hand with SLURM_ARRAY_TASK_ID=K)" >&2; exit 2; }
  array=$(sbatch --parsable "$0")
  array=\${array%%;*}
  merge=$(sbatch --parsable --job-name=sweep-${name}-merge --dependency=afterany:"$array" --output=${name}-merge.log --wrap ${doubleQuote(merge)})
  merge=\${merge%%;*}
  echo "submitted shards as job array $array and the merge as job $merge (after every shard); summary: ${mergedFolder(options)}/summary.json, log: ${name}-merge.log"
  exit 0
fi
mkdir -p ${shellQuote(options.resultsDir)}
${simulate} ${shardArguments(options, "$SLURM_ARRAY_TASK_ID", `"\${SLURM_CPUS_PER_TASK:-${options.jobs}}"`)}
`;
}
