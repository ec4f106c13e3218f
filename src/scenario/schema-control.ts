import * as z from "zod";
import * as C from "../control/defaults.js";
import { durationSchema } from "../random/distribution-spec.js";
import { bandwidthSchema, idSchema } from "./schema-common.js";
import { builtOnUse } from "./schema-on-use.js";
import { sizeSchema } from "./size.js";

/**
 * `control` (issue 17, docs/control-plane.md): images, deployments, the catalog's settings and
 * the node timeline. Every default is read from src/control/defaults.ts (the resolver reads the
 * same constants, with their sources). Descriptions name the source of each default, for editors.
 */

const mbit = (bitsPerS: number): string => `${bitsPerS / 1e6} Mbit/s`;
const seconds = (ms: number): string => `${ms / 1000} s`;

/** The control plane's schemas, built on first use: most scenarios have no `control`. */
function buildControlSchema() {
  const layer = z
    .strictObject({
      digest: z.string().min(1).meta({ description: 'The layer\'s name (e.g. "sha256:..." or "debian-12-slim"): images naming the same digest share the layer, pulled once per node.' }),
      size: sizeSchema,
    })
    .meta({ description: "One layer of a container image (EdgeSimPy's ContainerLayer)." });

  const image = z
    .strictObject({
      id: idSchema,
      layers: z.array(layer).min(1).meta({ description: "In pull order. A layer already on the node (cached, or pulled for another image) is not pulled again." }),
    })
    .meta({ description: "A container image: the layers a node must hold before a replica starts." });

  const controlNode = z
    .strictObject({
      cpuCores: z
        .number()
        .positive()
        .optional()
        .meta({ description: `CPU cores replicas' requests are fitted against. Default: the profile's cpu.cores; a node without profile ${C.DEFAULT_NODE_WITHOUT_PROFILE.cpuCores}.` }),
      memory: sizeSchema.optional().meta({ description: "Memory replicas' requests are fitted against. Default: the profile's memoryMiB; a node without profile: not limiting." }),
      accelerators: z
        .number()
        .int()
        .nonnegative()
        .optional()
        .meta({
          description: `Accelerators replicas' requests are fitted against. Default ${C.PROFILE_ACCELERATORS} unless the profile's accelerator kind is "none" (then 0); a node without profile ${C.DEFAULT_NODE_WITHOUT_PROFILE.accelerators}.`,
        }),
      cachedImages: z.array(idSchema).optional().meta({ description: "Image ids whose layers are on the node at time 0 (not pulled). Default none." }),
    })
    .meta({ description: "What the orchestrator sees of one node, overriding its hardware profile." });

  const autoscaler = z
    .strictObject({
      metric: z
        .enum(["utilisation", "jobs"])
        .optional()
        .meta({
          description: `utilisation: busy slots / slots (a language model: batch non-empty), averaged over the sync period and the ready replicas (HPA's resource metric); jobs: jobs waiting or in service per ready replica (Knative's concurrency). Default ${C.DEFAULT_AUTOSCALER_METRIC}.`,
        }),
      target: z.number().positive().meta({ description: "The metric's target: a utilisation in (0, 1], or jobs per replica > 0. Required." }),
      minReplicas: z
        .number()
        .int()
        .nonnegative()
        .optional()
        .meta({ description: `Fewest replicas. Default ${C.DEFAULT_MIN_REPLICAS} (HPA's); 0: scale to zero (jobs wait for a cold start, Knative).` }),
      maxReplicas: z.number().int().positive().optional().meta({ description: "Most replicas, at most the number of candidates (one per node). Default: the number of candidates." }),
      syncPeriod: durationSchema.optional().meta({ description: `Time between decisions. Default ${seconds(C.DEFAULT_HPA.syncPeriodMs)} (HPA's --horizontal-pod-autoscaler-sync-period).` }),
      tolerance: z
        .number()
        .nonnegative()
        .lt(1)
        .optional()
        .meta({ description: `No change while |metric / target - 1| is at most this. Default ${C.DEFAULT_HPA.tolerance} (HPA's).` }),
      scaleUpWindow: durationSchema.optional().meta({ description: `Scale-up uses the smallest recommendation of this window. Default ${seconds(C.DEFAULT_HPA.scaleUpWindowMs)} (HPA's).` }),
      scaleDownWindow: durationSchema.optional().meta({ description: `Scale-down uses the largest recommendation of this window. Default ${seconds(C.DEFAULT_HPA.scaleDownWindowMs)} (HPA's).` }),
      scaleUpPods: z
        .number()
        .int()
        .positive()
        .optional()
        .meta({ description: `Scale-up limit per decision: the larger of this many pods and scaleUpPercent of the current count. Default ${C.DEFAULT_HPA.scaleUpPods} (HPA's).` }),
      scaleUpPercent: z
        .number()
        .positive()
        .optional()
        .meta({ description: `Scale-up limit per decision, percent of the current count. Default ${C.DEFAULT_HPA.scaleUpPercent} (HPA's).` }),
      scaleDownPercent: z
        .number()
        .positive()
        .optional()
        .meta({ description: `Scale-down limit per decision, percent of the current count. Default ${C.DEFAULT_HPA.scaleDownPercent} (HPA's).` }),
      scaleToZeroAfter: durationSchema.optional().meta({
        description: `Only with minReplicas 0: idle this long (no job waiting or in service) -> 0 replicas. Default ${seconds(C.DEFAULT_SCALE_TO_ZERO_AFTER_MS)} (Knative's scale-to-zero-grace-period).`,
      }),
    })
    .meta({ description: "Scales the deployment at run time: the Kubernetes HPA rule, plus Knative's scale to zero with minReplicas 0." });

  const loadTime = z.union([durationSchema, z.record(z.string(), durationSchema)]).meta({
    description:
      'Model load time once the image is on the node and the container started: one duration, or per node id with an optional "default" key ({ "default": "2 s", "jetson": "9 s" }). A candidate without a time: modelSize / modelReadRate (an estimate, labelled so in the results).',
  });

  const deployment = z
    .strictObject({
      id: idSchema,
      family: z.enum(["frames", "llm"]).meta({ description: "The service it manages on its nodes: frames (the node's slot service) or llm (its language model)." }),
      nodes: z.array(idSchema).min(1).optional().meta({
        description:
          "Candidate node ids, each with a service of `family`; a node's service of a family is managed by one deployment at most. Default: every node with such a service that no other deployment of the family lists.",
      }),
      image: idSchema.meta({ description: "The id of an entry of control.images." }),
      modelSize: sizeSchema.optional().meta({ description: `Bytes of the model loaded at start (the load-time estimate's numerator). Default ${C.DEFAULT_MODEL_BYTES}.` }),
      loadTime: loadTime.optional(),
      startTime: durationSchema.optional().meta({
        description: `Container start (sandbox, runtime init) before the model load. Default ${seconds(C.DEFAULT_START_MS)}: an estimate (no source measured it).`,
      }),
      requests: z
        .strictObject({
          cpu: z
            .number()
            .nonnegative()
            .optional()
            .meta({ description: `CPU cores, fractional allowed (0.5). Default ${C.DEFAULT_REQUESTS.cpuCores}.` }),
          memory: sizeSchema.optional().meta({ description: `Default ${C.DEFAULT_REQUESTS.memoryBytes}.` }),
          accelerator: z
            .number()
            .int()
            .nonnegative()
            .optional()
            .meta({ description: `Whole accelerators. Default ${C.DEFAULT_REQUESTS.accelerators}.` }),
        })
        .optional()
        .meta({
          description:
            "What a replica asks of its node (Kubernetes resource requests), fitted against the node's free capacity; defaults 0 (a pod without requests fits anywhere). A request no candidate can hold is accepted: the replica stays pending, and the results say why.",
        }),
      replicas: z
        .number()
        .int()
        .nonnegative()
        .optional()
        .meta({
          description: `Replicas wanted at time 0, at most one per candidate node (more stay pending). With an autoscaler, within [minReplicas, maxReplicas]. Default ${C.DEFAULT_REPLICAS}.`,
        }),
      readyAtStart: z
        .boolean()
        .optional()
        .meta({
          description: `true: the replicas wanted at time 0 run at time 0 (provisioned before the run); false: they are provisioned from time 0 (pull, start, load). Default ${C.DEFAULT_READY_AT_START}.`,
        }),
      scoring: z
        .enum(["least-allocated", "most-allocated", "accelerator-aware"])
        .optional()
        .meta({
          description: `How the scheduler ranks the nodes that fit: least-allocated (spread), most-allocated (bin packing), accelerator-aware. Default ${C.DEFAULT_SCORING} (kube-scheduler's NodeResourcesFit default).`,
        }),
      autoscaler: autoscaler.optional(),
    })
    .meta({ description: "A service of one family deployed as replicas on candidate nodes: a node's service runs only while a replica runs there." });

  const catalog = z
    .strictObject({
      propagationDelay: durationSchema.optional().meta({
        description: `A catalog change reaches the views (policies, devices' discovery answers) this much later. Default ${C.DEFAULT_PROPAGATION_DELAY_MS} ms (Consul stale reads are "generally within 50 ms" of the leader).`,
      }),
      deregisterCriticalAfter: durationSchema.optional().meta({
        description: `A service critical this long is deregistered, at least ${seconds(C.MIN_DEREGISTER_CRITICAL_AFTER_MS)} (Consul's minimum; its reaper runs every ${seconds(C.REAP_INTERVAL_MS)}). Default: never (Consul has no default).`,
      }),
      discoveryQueryTime: durationSchema.optional().meta({ description: `Time a device's discovery query takes. Default ${C.DEFAULT_DISCOVERY_QUERY_MS} ms.` }),
      discoveryTtl: durationSchema.optional().meta({
        description: `How long a device caches a discovery answer. Default ${C.DEFAULT_DISCOVERY_TTL_MS} ms (Consul's DNS TTL: every job asks).`,
      }),
    })
    .meta({ description: "The service catalog (Consul): how late views see it, when critical services leave it, what discovery costs." });

  const timelineEvent = z
    .strictObject({
      at: durationSchema.meta({ description: "Time of the event (>= 0)." }),
      node: idSchema,
      event: z.enum(["join", "leave"]).meta({
        description:
          "leave: the node leaves gracefully (deregistered, its jobs lost, its replicas rescheduled); join: it registers and can receive replicas. Per node the events alternate; a node whose first event is join is absent until then.",
      }),
    })
    .meta({ description: "A node joining or leaving the cluster (a K3s agent)." });

  return z
    .strictObject({
      registry: idSchema.optional().meta({
        description: "The node images are pulled from, over the network graph when a node-to-node route joins it to the target. Omitted: every pull at pullRate.",
      }),
      pullRate: bandwidthSchema.optional().meta({
        description: `A node's pull rate without a route from the registry (or with no registry). Default ${mbit(C.DEFAULT_PULL_RATE_BITS_PER_S)} (an assumption: no source gives a registry's bandwidth).`,
      }),
      maxConcurrentPulls: z
        .number()
        .int()
        .positive()
        .optional()
        .meta({ description: `Layers one node downloads at once; more wait. Default ${C.DEFAULT_MAX_CONCURRENT_PULLS} (EdgeSimPy's max_concurrent_layer_downloads).` }),
      modelReadRate: bandwidthSchema.optional().meta({
        description: `Model load-time estimate = modelSize / this, for a deployment without loadTime. Default ${C.DEFAULT_MODEL_READ_RATE_BITS_PER_S / 8e6} MB/s ("about 90 MB/s" reported for a Raspberry Pi SD card at SDR104; an estimate).`,
      }),
      images: z.array(image).optional().meta({ description: "Container images the deployments run." }),
      nodes: z.record(idSchema, controlNode).optional().meta({ description: "Per node id: CPU cores, memory, accelerators and cached images, overriding its profile." }),
      deployments: z.array(deployment).optional(),
      catalog: catalog.optional(),
      timeline: z.array(timelineEvent).optional().meta({ description: "Nodes joining and leaving during the run." }),
    })
    .meta({
      description: "The control plane: services deployed as replicas by an orchestrator, discovered through a catalog (docs/control-plane.md). Omitted: every service runs from time 0.",
    });
}

export const controlSchema = builtOnUse(buildControlSchema);

export type ControlDocument = z.output<typeof controlSchema>;
export type DeploymentDocument = NonNullable<ControlDocument["deployments"]>[number];
export type AutoscalerDocument = NonNullable<DeploymentDocument["autoscaler"]>;
