/**
 * Cluster job files for a sharded sweep. Both run the same container image and the same command,
 * `simulate sweep <file> --shard K/N --out <results>/shard-K`, with K from the scheduler's 0-based
 * index; `simulate merge <results>/shard-*` then writes the summary (printed as the last step).
 */
export interface ClusterJobOptions {
  /** Sweep name: names the job and the results folder. */
  name: string;
  /** The sweep file's path as the container sees it (relative to the image's /app, or absolute). */
  sweepPath: string;
  shards: number;
  image: string;
  /** Worker threads per shard (= CPUs requested per pod / array task). */
  jobs: number;
  /** Where results go inside the container: a mounted volume (k8s) or a shared file system (Slurm). */
  resultsDir: string;
  /** The sweep starts external agents and the user allowed it (--allow-exec): the job passes the flag on. */
  allowExec?: boolean;
  /** --max-events as the user gave it to --emit: each shard must run under the same limit. */
  maxEvents?: number;
}

/** The options of the emitting command that each shard's command must repeat. */
const passedOn = (options: ClusterJobOptions): string => `${options.allowExec === true ? " --allow-exec" : ""}${options.maxEvents === undefined ? "" : ` --max-events ${options.maxEvents}`}`;

/** sh single-quoting: the path and name reach the shell verbatim. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A DNS-1123 name for the Job (lower case, digits, '-', at most 63 characters). */
function kubernetesName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `sweep-${cleaned || "run"}`.slice(0, 63).replace(/-+$/, "");
}

/** A JSON string is a valid YAML scalar, so every user-supplied value goes through JSON.stringify. */
const yamlString = (text: string): string => JSON.stringify(text);

export function kubernetesIndexedJob(options: ClusterJobOptions): string {
  const jobName = kubernetesName(options.name);
  const out = `${options.resultsDir}/shard-$JOB_COMPLETION_INDEX`;
  const command =
    `exec node /app/dist/cli/bin.js sweep ${shellQuote(options.sweepPath)} ` +
    `--shard "$JOB_COMPLETION_INDEX/${options.shards}" --jobs ${options.jobs} --out "${out}" --no-charts${passedOn(options)}`;
  return `# Kubernetes Indexed Job for sweep "${options.name}": ${options.shards} shards, one pod per completion index.
# The Job controller sets JOB_COMPLETION_INDEX (0..${options.shards - 1}) in every pod; it is the shard.
# Apply:   kubectl apply -f this-file.yaml
# Results: one folder per shard on the "${jobName}-results" volume claim (create it first, ReadWriteMany).
# Merge when the Job is complete (any pod or machine that mounts the volume):
#   node /app/dist/cli/bin.js merge ${options.resultsDir}/shard-* --out ${options.resultsDir}/merged
apiVersion: batch/v1
kind: Job
metadata:
  name: ${jobName}
spec:
  completionMode: Indexed
  completions: ${options.shards}
  parallelism: ${options.shards}
  # A failed pod is retried; its shard resumes, skipping the runs it had finished.
  backoffLimit: ${options.shards * 2}
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: sweep
          image: ${yamlString(options.image)}
          workingDir: /app
          command: ["sh", "-c"]
          args:
            - ${yamlString(command)}
          resources:
            requests:
              cpu: "${options.jobs}"
            limits:
              cpu: "${options.jobs}"
          volumeMounts:
            - name: results
              mountPath: ${yamlString(options.resultsDir)}
      volumes:
        - name: results
          persistentVolumeClaim:
            claimName: ${jobName}-results
`;
}

export function slurmArrayScript(options: ClusterJobOptions): string {
  const name = options.name.replace(/[^A-Za-z0-9._-]/g, "-");
  return `#!/bin/bash
# Slurm job array for sweep "${options.name}": ${options.shards} shards, SLURM_ARRAY_TASK_ID (0..${options.shards - 1}) is the shard.
# Submit:  sbatch this-file.sh
# Merge when every task has finished (for example as a dependent job):
#   sbatch --dependency=afterany:<array job id> --wrap "$SIMULATE merge ${options.resultsDir}/shard-* --out ${options.resultsDir}/merged"
# A task that is killed or times out can simply be resubmitted: finished runs are kept and skipped.
#SBATCH --job-name=sweep-${name}
#SBATCH --array=0-${options.shards - 1}
#SBATCH --cpus-per-task=${options.jobs}
#SBATCH --output=sweep-${name}-%a.log
set -euo pipefail
# The same image as the Kubernetes path, through Apptainer; on nodes with a checkout of this
# repository and Node.js 20, SIMULATE="npx simulate" works as well.
SIMULATE=\${SIMULATE:-"apptainer exec --pwd /app --bind ${options.resultsDir} docker://${options.image} node /app/dist/cli/bin.js"}
mkdir -p ${shellQuote(options.resultsDir)}
$SIMULATE sweep ${shellQuote(options.sweepPath)} --shard "$SLURM_ARRAY_TASK_ID/${options.shards}" --jobs "\${SLURM_CPUS_PER_TASK:-${options.jobs}}" --out "${options.resultsDir}/shard-$SLURM_ARRAY_TASK_ID" --no-charts${passedOn(options)}
`;
}
