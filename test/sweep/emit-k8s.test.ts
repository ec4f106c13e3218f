/**
 * `--emit k8s` manifests, checked against the Kubernetes API schemas that kubernetes-models ships
 * (the OpenAPI definitions compiled to validators): every emitted object must validate, and a
 * wrong field must not. The pod scripts themselves run in test/sweep/cluster.test.ts.
 */
import { Job } from "kubernetes-models/batch/v1/Job";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { JOB_TTL_SECONDS, kubernetesManifests, MEMORY_PER_WORKER_MIB, RESULTS_MOUNT, RETRIES_PER_SHARD } from "../../src/sweep/emit-k8s.js";

const OPTIONS = {
  name: "devices vs Scheduler!",
  sweepPath: "/app/sweeps/devices-vs-scheduler.json",
  shards: 5,
  jobs: 2,
  resultsDir: `${RESULTS_MOUNT}/sweep-devices-vs-scheduler`,
  charts: true,
  image: "registry.example.org/continuum-sim:0.1.0",
};

type Manifest = Record<string, unknown> & { kind: string; metadata: { name: string } };

function manifests(options = OPTIONS): Manifest[] {
  const documents = parseAllDocuments(kubernetesManifests(options));
  if (!Array.isArray(documents)) throw new Error("not a YAML stream");
  for (const document of documents) expect(document.errors).toEqual([]);
  return documents.map((document) => document.toJS() as Manifest);
}

/** The Kubernetes schema's verdict: the model class validates on validate() and throws on the first mismatch. */
function validate(manifest: Manifest): void {
  if (manifest.kind === "Job") new Job(manifest as unknown as IJob).validate();
  else if (manifest.kind === "PersistentVolumeClaim") new PersistentVolumeClaim(manifest as never).validate();
  else throw new Error(`unexpected kind ${manifest.kind}`);
}

const byName = (all: Manifest[], name: string): Manifest => {
  const found = all.find((manifest) => manifest.metadata.name === name);
  if (found === undefined) throw new Error(`no manifest ${name} among ${all.map((m) => m.metadata.name).join(", ")}`);
  return found;
};

describe("--emit k8s manifests", () => {
  it("are a claim, the shard Job and the merge Job, each valid against the Kubernetes schemas", () => {
    const all = manifests();
    expect(all.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      "PersistentVolumeClaim/sweep-devices-vs-scheduler-results",
      "Job/sweep-devices-vs-scheduler",
      "Job/sweep-devices-vs-scheduler-merge",
    ]);
    for (const manifest of all) expect(() => validate(manifest), manifest.metadata.name).not.toThrow();
  });

  it("a wrong field fails the schema check (the check can fail)", () => {
    const job = byName(manifests(), "sweep-devices-vs-scheduler") as unknown as IJob;
    const wrong: Array<[string, (copy: IJob) => void]> = [
      ["completions as a string", (copy) => Object.assign(copy.spec ?? {}, { completions: "5" })],
      ["an unknown completion mode", (copy) => Object.assign(copy.spec ?? {}, { completionMode: "Indexd" })],
      ["a container without its name", (copy) => Reflect.deleteProperty(copy.spec?.template.spec?.containers[0] ?? {}, "name")],
      ["an unknown restart policy", (copy) => Object.assign(copy.spec?.template.spec ?? {}, { restartPolicy: "Sometimes" })],
    ];
    for (const [what, spoil] of wrong) {
      const copy = structuredClone(job);
      spoil(copy);
      expect(() => new Job(copy).validate(), what).toThrow();
    }
    // An unknown key passes the OpenAPI schema (it allows extra properties; the API server drops or
    // refuses them), so the emitter builds the objects typed as IJob, where a misspelt key does not compile:
    const misspelt: IJob = {
      apiVersion: "batch/v1",
      kind: "Job",
      // @ts-expect-error backoffLimitPerIndx is not a JobSpec field
      spec: { backoffLimitPerIndx: 1, template: {} },
    };
    expect(misspelt.kind).toBe("Job");
  });

  it("the shard Job: indexed, each index retried on its own, no Job-wide limit, memory requested, cleaned up", () => {
    const all = manifests();
    const job = byName(all, "sweep-devices-vs-scheduler") as unknown as IJob;
    const spec = job.spec;
    expect(spec).toMatchObject({ completionMode: "Indexed", completions: 5, parallelism: 5, backoffLimitPerIndex: RETRIES_PER_SHARD, ttlSecondsAfterFinished: JOB_TTL_SECONDS });
    // With backoffLimitPerIndex, a Job-wide backoffLimit or maxFailedIndexes would stop the other shards early.
    expect(spec?.backoffLimit).toBeUndefined();
    expect(spec?.maxFailedIndexes).toBeUndefined();
    expect(spec?.podFailurePolicy?.rules).toEqual([{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }]);
    const pod = spec?.template.spec;
    // backoffLimitPerIndex requires restartPolicy Never.
    expect(pod?.restartPolicy).toBe("Never");
    const container = pod?.containers[0];
    expect(container?.image).toBe(OPTIONS.image);
    expect(container?.resources).toEqual({
      requests: { cpu: "2", memory: `${2 * MEMORY_PER_WORKER_MIB}Mi` },
      limits: { cpu: "2", memory: `${2 * MEMORY_PER_WORKER_MIB}Mi` },
    });
    expect(container?.command?.[2]).toContain(`sweep '${OPTIONS.sweepPath}' --shard "$JOB_COMPLETION_INDEX/5" --jobs 2`);
    // Every pod mounts the claim emitted beside it.
    const claim = byName(all, "sweep-devices-vs-scheduler-results");
    expect(pod?.volumes?.[0].persistentVolumeClaim?.claimName).toBe(claim.metadata.name);
    expect(claim).toMatchObject({ spec: { accessModes: ["ReadWriteMany"] } });
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true });
  });

  it("the merge Job: waits for all N done-markers, merges every shard folder by name, is not retried", () => {
    const merge = byName(manifests(), "sweep-devices-vs-scheduler-merge") as unknown as IJob;
    expect(merge.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: JOB_TTL_SECONDS });
    const pod = merge.spec?.template.spec;
    expect(pod?.initContainers?.[0].command?.[2]).toMatch(/done' 2>\/dev\/null \| wc -l\)" -ge 5 \]/);
    const command = pod?.containers[0].command?.[2] ?? "";
    for (let k = 0; k < 5; k++) expect(command).toContain(`'${OPTIONS.resultsDir}/shard-${k}'`);
    expect(command).toContain(`--out '${OPTIONS.resultsDir}/merged'`);
    expect(command).not.toContain("--no-charts");
    expect(manifests({ ...OPTIONS, charts: false }).at(-1)?.spec).toMatchObject({ template: { spec: { containers: [{ command: ["sh", "-c", expect.stringMatching(/--no-charts$/)] }] } } });
  });

  it("names stay DNS-1123 labels (lower case, at most 63 characters with the -results and -merge suffixes)", () => {
    for (const manifest of manifests({ ...OPTIONS, name: `A_${"very-long-".repeat(10)}name` })) {
      expect(manifest.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(manifest.metadata.name.length).toBeLessThanOrEqual(63);
      validate(manifest);
    }
  });
});
