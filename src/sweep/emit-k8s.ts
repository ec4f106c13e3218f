/**
 * `simulate sweep --emit k8s`: three manifests in one file, applied together.
 * - a PersistentVolumeClaim (ReadWriteMany) that every pod mounts for the shard folders;
 * - an Indexed Job, one pod per shard (JOB_COMPLETION_INDEX), each index retried on its own
 *   (backoffLimitPerIndex), so one failing shard neither stops nor cancels the others;
 * - a merge Job whose init container waits until every shard has left a done-marker (after a
 *   success, or after the failure that used up its index's retries), then merges; the merge names
 *   the shards with no output and the failed runs, and fails when there are any.
 * The objects are typed with the kubernetes-models interfaces, so a misspelt field does not compile;
 * test/sweep/emit-k8s.test.ts validates the emitted YAML against the Kubernetes schemas.
 */
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { IIoK8sApiCoreV1PodSpec } from "kubernetes-models/v1/PodSpec";
import { stringify } from "yaml";
import { CLI_BIN, type ClusterJobOptions, IMAGE_ROOT, mergeArguments, shardArguments, shellQuote } from "./emit-cluster.js";

export interface KubernetesOptions extends ClusterJobOptions {
  /** The image built from the Dockerfile; required (there is no published default to fall back on). */
  image: string;
}

/** Where the results volume is mounted in every pod; the default results folder is <this>/<sweep name>. */
export const RESULTS_MOUNT = "/results";
/** Retries of each shard index after its first failure (a resumed shard skips its finished runs). */
export const RETRIES_PER_SHARD = 1;
/** Seconds a finished Job (and its pods' logs) stays before Kubernetes deletes it; the volume stays. */
export const JOB_TTL_SECONDS = 7 * 24 * 3600;
/** Memory per worker thread, requested and the limit: a shard of one worker running the largest cell of sweeps/devices-vs-scheduler.json (256 cameras) peaked at 143 MB resident; the rest is headroom for larger scenarios. */
export const MEMORY_PER_WORKER_MIB = 1024;
/** Size of the results volume claim (each run's record is a few kB; charts a few MB). */
export const RESULTS_VOLUME_SIZE = "1Gi";
/** Seconds between the merge's looks for done-markers. */
const WAIT_POLL_SECONDS = 30;
/** The merge's init container only lists a folder every WAIT_POLL_SECONDS. */
const WAIT_RESOURCES = { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "32Mi" } };
/** The image's non-root user (the node image's `node`, uid and gid 1000); fsGroup makes the volume writable for it. */
const IMAGE_USER = 1000;
/** The pod annotation Kubernetes (1.29+) sets to the number of earlier failed pods of the same index. */
const INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";

/** A DNS-1123 name (lower case, digits, '-', at most 63 characters, room left for a suffix). */
export function kubernetesName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `sweep-${cleaned || "run"}`.slice(0, 52).replace(/-+$/, "");
}

export const kubernetesResultsDir = (jobName: string): string => `${RESULTS_MOUNT}/${jobName}`;

/** Pod settings both Jobs share: the image's user, the volume, no restarts in place (the Job retries). */
function podSpec(claimName: string, containers: IIoK8sApiCoreV1PodSpec["containers"], initContainers?: IIoK8sApiCoreV1PodSpec["initContainers"]): IIoK8sApiCoreV1PodSpec {
  return {
    restartPolicy: "Never",
    securityContext: { runAsNonRoot: true, runAsUser: IMAGE_USER, runAsGroup: IMAGE_USER, fsGroup: IMAGE_USER },
    ...(initContainers === undefined ? {} : { initContainers }),
    containers,
    volumes: [{ name: "results", persistentVolumeClaim: { claimName } }],
  };
}

const volumeMounts = [{ name: "results", mountPath: RESULTS_MOUNT }];

function resources(cpus: number): { requests: Record<string, string>; limits: Record<string, string> } {
  const memory = `${cpus * MEMORY_PER_WORKER_MIB}Mi`;
  return { requests: { cpu: `${cpus}`, memory }, limits: { cpu: `${cpus}`, memory } };
}

export function kubernetesManifests(options: KubernetesOptions): string {
  const jobName = kubernetesName(options.name);
  const claimName = `${jobName}-results`;
  const done = `${options.resultsDir}/done`;
  const labels = { "app.kubernetes.io/name": "continuum-sim", "continuum-sim/sweep": jobName };
  const simulate = `node ${IMAGE_ROOT}/${CLI_BIN}`;

  const claim: IPersistentVolumeClaim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: claimName, labels },
    spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: RESULTS_VOLUME_SIZE } } },
  };

  // The marker is written after a success, or after a failure once the index has no retry left, so
  // the merge neither starts while a retry is pending nor waits for a shard that will not run again.
  const shardScript = [
    `mkdir -p ${shellQuote(done)}`,
    `${simulate} ${shardArguments(options, "$JOB_COMPLETION_INDEX", `${options.jobs}`)} && status=0 || status=$?`,
    `if [ "$status" -eq 0 ] || [ "\${INDEX_FAILURES:-0}" -ge ${RETRIES_PER_SHARD} ]; then echo "$status" > ${shellQuote(done)}/shard-"$JOB_COMPLETION_INDEX"; fi`,
    `exit "$status"`,
  ].join("\n");
  const shards: IJob = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: jobName, labels },
    spec: {
      completionMode: "Indexed",
      completions: options.shards,
      parallelism: options.shards,
      backoffLimitPerIndex: RETRIES_PER_SHARD,
      // maxFailedIndexes is left unset: however many shards fail, the others run to the end.
      // A pod evicted or preempted (DisruptionTarget) is replaced without using up its index's retry.
      podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] },
      ttlSecondsAfterFinished: JOB_TTL_SECONDS,
      template: {
        metadata: { labels },
        spec: podSpec(claimName, [
          {
            name: "shard",
            image: options.image,
            workingDir: IMAGE_ROOT,
            command: ["sh", "-c", shardScript],
            env: [{ name: "INDEX_FAILURES", valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${INDEX_FAILURE_COUNT}']` } } }],
            resources: resources(options.jobs),
            volumeMounts,
          },
        ]),
      },
    },
  };

  const waitScript = `until [ "$(ls ${shellQuote(done)} 2>/dev/null | wc -l)" -ge ${options.shards} ]; do sleep ${WAIT_POLL_SECONDS}; done`;
  const merge: IJob = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: `${jobName}-merge`, labels },
    spec: {
      // A failed merge reports missing shards or failed runs: running it again would say the same.
      backoffLimit: 0,
      ttlSecondsAfterFinished: JOB_TTL_SECONDS,
      template: {
        metadata: { labels },
        spec: podSpec(
          claimName,
          [{ name: "merge", image: options.image, workingDir: IMAGE_ROOT, command: ["sh", "-c", `exec ${simulate} ${mergeArguments(options)}`], resources: resources(1), volumeMounts }],
          [{ name: "wait-for-shards", image: options.image, command: ["sh", "-c", waitScript], resources: WAIT_RESOURCES, volumeMounts }],
        ),
      },
    },
  };

  const header = `# Kubernetes (1.29 or later: backoffLimitPerIndex) manifests for sweep "${options.name}": ${options.shards} shards.
# Apply:   kubectl apply -f THIS-FILE
#   ${claimName}: the results volume (ReadWriteMany; set storageClassName if the cluster's default is not RWX)
#   ${jobName}: an Indexed Job, pod K runs shard K (JOB_COMPLETION_INDEX) into ${options.resultsDir}/shard-K,
#     each shard retried ${RETRIES_PER_SHARD}x on its own; one failing shard does not stop the others
#   ${jobName}-merge: waits for every shard's marker in ${done}/, then writes ${options.resultsDir}/merged/summary.json
# Watch:   kubectl logs -f job/${jobName}-merge   (it names any shard with no output and every failed run)
# Finished Jobs are deleted after ${JOB_TTL_SECONDS / 3600} h; the volume and its results stay until you delete the claim.
`;
  return `${header}${[claim, shards, merge].map((document) => stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n")}`;
}
