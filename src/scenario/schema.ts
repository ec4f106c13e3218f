import * as z from "zod";
import { distributionSpecSchema, durationSchema } from "../random/distribution-spec.js";

/**
 * The scenario file format. Objects are strict (an unknown key is an error, so typos never pass
 * silently). Parsing converts durations to milliseconds; profile names, scheduler names, link
 * endpoints and distribution parameters are checked afterwards by `resolve.ts`, which knows the
 * profiles on disk.
 */

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "expected an id of letters, digits, '.', '_' or '-'" })
  .meta({ description: "An identifier: letters, digits, '.', '_' and '-'." });

/** Bits per second as a number, or a string such as "100 Mbit/s", "54 Mbps", "1 Gbit/s". */
export const bandwidthSchema = z.union([z.number().positive(), z.string()]).meta({ description: 'Link bandwidth: bits per second, or a string such as "100 Mbit/s" or "1 Gbps".' });

const videoWorkload = z
  .strictObject({
    type: z.literal("video"),
    model: id.meta({ description: "Inference model, a key of the serving node's hardware profile `models`." }),
    fps: z.number().positive().meta({ description: "Frames per second." }),
    frameSizePx: z.number().int().positive().meta({ description: "Frame side in pixels (frames are square)." }),
    frameBytes: z.number().int().nonnegative().optional().meta({
      description: "Bytes sent per frame. Default: frameSizePx^2 x 3 / 10 (an RGB frame JPEG-compressed about 10:1).",
    }),
    resultBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes of the reply (detections). Default 1024." }),
    jitter: distributionSpecSchema.optional().meta({
      description: "Per-frame capture delay added to the nominal frame time k/fps, truncated to [0, 1/fps). Default 0.",
    }),
    startOffset: distributionSpecSchema.optional().meta({
      description: "Time of the first frame. Default uniform over one frame period, so cameras are not in lockstep.",
    }),
  })
  .meta({ description: "A camera streaming frames at a fixed rate." });

const arrivalsWorkload = z
  .strictObject({
    type: z.literal("arrivals"),
    model: id,
    interarrival: distributionSpecSchema.meta({ description: "Time between consecutive requests of this device." }),
    frameSizePx: z.number().int().positive().optional().meta({ description: "Input side in pixels; default 300." }),
    requestBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes sent per request. Default 0." }),
    resultBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes of the reply. Default 0." }),
    startOffset: distributionSpecSchema.optional().meta({ description: "Time of the first request. Default: one interarrival draw." }),
  })
  .meta({ description: "Requests separated by random gaps (e.g. Poisson arrivals with an exponential interarrival)." });

const traceWorkload = z
  .strictObject({
    type: z.literal("trace"),
    model: id,
    file: z.string().min(1).meta({ description: "A CSV file with a header, relative to the scenario file." }),
    timeColumn: z.string().min(1).meta({ description: 'The column of arrival times: numbers (in timeUnit) or date-times such as "2023-11-16 18:17:03.9799600".' }),
    timeUnit: z.enum(["ns", "us", "µs", "ms", "s", "sec", "min", "h"]).optional().meta({ description: "Unit of numeric times. Default s." }),
    frameSizePx: z.number().int().positive().optional().meta({ description: "Input side in pixels; default 300." }),
    requestBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes sent per request. Default 0." }),
    resultBytes: z.number().int().nonnegative().optional().meta({ description: "Bytes of the reply. Default 0." }),
  })
  .meta({
    description: "Arrivals replayed from a trace: times are taken relative to the first row; with count > 1 the rows are dealt to the devices in turn (row i to device i mod count).",
  });

export const workloadSchema = z.discriminatedUnion("type", [videoWorkload, arrivalsWorkload, traceWorkload]);

const device = z.strictObject({
  id,
  count: z.number().int().positive().optional().meta({
    description: "Number of identical devices; with count > 1 their ids are `<id>-0` ... `<id>-<count-1>`.",
  }),
  profile: id.optional().meta({
    description: "Hardware profile of the end device: with it (and the model on its CPU path) the device can run its requests itself (the local-only policy).",
  }),
  workload: workloadSchema,
});

const node = z.strictObject({
  id,
  profile: id.optional().meta({
    description: "A hardware profile id (a file name in hardware-profiles/ without .json). Optional when inferenceTime is given (an abstract server).",
  }),
  role: z.enum(["edge", "cloud"]).optional().meta({ description: "Where the node sits. Default: the profile's role (edge without a profile)." }),
  path: z.enum(["accelerator", "cpu"]).optional().meta({
    description: "Where inference runs. Default: the accelerator when the profile has one, else the CPU.",
  }),
  slots: z.number().int().positive().optional().meta({
    description: "Frames inferred at once. Default: the accelerator's slots, or 1 on the CPU path (a measured CPU inference already uses every core).",
  }),
  cpuSlots: z.number().int().positive().optional().meta({
    description: "On the accelerator path: frames preprocessed at once on the CPU, a stage of its own before the accelerator. Default: the profile's CPU cores.",
  }),
  queueCapacity: z.number().int().nonnegative().optional().meta({
    description: "Requests that may wait; an arrival to a full queue is dropped and counted. Default unbounded.",
  }),
  inferenceTime: distributionSpecSchema.optional().meta({
    description: "Overrides the profile's inference time per request (then the profile is not consulted for it).",
  }),
  preprocessingTime: distributionSpecSchema.optional().meta({
    description: "Overrides the profile's preprocessing time per request. Default with inferenceTime given: 0.",
  }),
  backgroundLoad: z
    .array(
      z.union([
        z.strictObject({
          from: durationSchema,
          to: durationSchema.optional().meta({ description: "End of the load; omitted: to the end of the run." }),
          slowdown: z.number().gte(1).meta({ description: "Service times are multiplied by this (at `from`)." }),
          rampTo: z.number().gte(1).optional().meta({ description: "If given, the slowdown grows linearly to this value at `to` (a ramp)." }),
        }),
        z.strictObject({
          trace: z
            .array(z.tuple([durationSchema, z.number().gte(1)]))
            .min(1)
            .meta({ description: "[time, slowdown] points, e.g. measured load: each slowdown holds until the next point (the last to the end of the run)." }),
        }),
      ]),
    )
    .optional()
    .meta({ description: "Extra load on the node over time: service starting in an interval takes `slowdown` times longer (overlapping loads multiply)." }),
});

const linkParameters = {
  latency: distributionSpecSchema.optional().meta({ description: "Base one-way latency." }),
  jitter: distributionSpecSchema.optional().meta({ description: "Added to the base latency on every transfer." }),
  bandwidth: z.union([bandwidthSchema, z.null()]).optional().meta({ description: "null: no transfer-time term." }),
};

const link = z.strictObject({
  between: z.tuple([id, id]).meta({
    description: "A device (or device group) id and a node id; the link serves both directions with independent draws.",
  }),
  ...linkParameters,
});

const latencyMatrix = z
  .strictObject({
    rows: z.array(id).min(1).meta({ description: "Device (or group) ids." }),
    columns: z.array(id).min(1).meta({ description: "Node ids." }),
    values: z.array(z.array(durationSchema)).meta({ description: "Base one-way latency rows x columns." }),
  })
  .meta({ description: "A base-latency matrix; jitter and bandwidth come from `default`." });

const network = z.strictObject({
  default: z.strictObject(linkParameters).optional().meta({ description: "Parameters of every link not listed." }),
  latencyMatrix: latencyMatrix.optional(),
  links: z.array(link).optional().meta({ description: "Per-link parameters, overriding the matrix and the default." }),
});

export const healthCheckSchema = z
  .strictObject({
    interval: durationSchema.optional().meta({ description: "Time between checks of each node. Default 10 s (Consul's default)." }),
    timeout: durationSchema.optional().meta({
      description: "A check of a down node fails after this long; only then is the node known to be down. Default 1 s.",
    }),
  })
  .meta({ description: "How the orchestrator learns node health: schedulers see only what the checks have found." });

const crashAt = z.strictObject({
  type: z.literal("crash"),
  node: id,
  at: durationSchema.meta({ description: "Crash time." }),
  recoverAfter: durationSchema.optional().meta({ description: "Down time; omitted: the node stays down." }),
});

const crashRandom = z.strictObject({
  type: z.literal("crashes"),
  node: id,
  mtbf: distributionSpecSchema.meta({ description: "Up time before each crash (mean time between failures)." }),
  mttr: distributionSpecSchema.meta({ description: "Down time of each crash (mean time to repair)." }),
});

const linkDegradation = z.strictObject({
  type: z.literal("link-degradation"),
  node: id.meta({ description: "The node whose links degrade." }),
  devices: z.array(id).optional().meta({ description: "Device (or group) ids whose link to the node degrades; default all." }),
  from: durationSchema,
  to: durationSchema,
  latencyMultiplier: z.number().positive().optional().meta({ description: "Multiplies base latency + jitter. Default 1." }),
  addedLatency: durationSchema.optional().meta({ description: "Added to every one-way transfer. Default 0." }),
  bandwidthFactor: z.number().gt(0).lte(1).optional().meta({ description: "Multiplies the bandwidth (0.5 halves it). Default 1." }),
});

export const faultSchema = z
  .discriminatedUnion("type", [crashAt, crashRandom, linkDegradation])
  .meta({ description: "A node crash at a time, repeated crashes from MTBF/MTTR distributions, or a link degradation over an interval." });

const schedulerEntry = z.union([
  id,
  z.strictObject({ name: id, label: z.string().optional(), options: z.record(z.string(), z.unknown()).optional() }),
  z
    .strictObject({
      policy: z.literal("module"),
      path: z.string().min(1).meta({ description: "An ES module exporting a scheduler factory (default export or createScheduler), relative to the scenario file." }),
      label: z.string().optional(),
      options: z.record(z.string(), z.unknown()).optional(),
    })
    .meta({ description: "A policy written as an ES module (docs/policies.md)." }),
  z
    .strictObject({
      policy: z.literal("external"),
      command: z.array(z.string().min(1)).min(1),
      label: z.string().optional(),
      timeoutMs: z.number().positive().optional(),
      monitor: z.boolean().optional(),
      rewardPenalty: z.number().nonnegative().optional(),
      agentOptions: z.record(z.string(), z.unknown()).optional(),
      transport: z.enum(["auto", "fifo", "worker"]).optional(),
    })
    .meta({ description: "A policy in another process, spoken to in JSON lines (docs/policy-protocol.md)." }),
]);

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: id,
    description: z.string().optional(),
    seed: z.union([z.number().int(), z.string()]).optional().meta({ description: "Master seed. Default 1." }),
    duration: durationSchema.meta({ description: "Simulated time during which requests are generated." }),
    warmup: durationSchema.optional().meta({ description: "Requests created before this time are not measured. Default 0." }),
    drain: durationSchema.optional().meta({
      description: "Extra simulated time after `duration` for requests in flight to finish. Default 0; requests still in flight then are counted as unfinished.",
    }),
    qosDeadline: durationSchema.meta({ description: "Total-latency deadline; a slower request is a QoS violation." }),
    devices: z.array(device).min(1),
    nodes: z.array(node).min(1),
    network: network.optional(),
    schedulers: z.array(schedulerEntry).min(1).meta({ description: "Policies compared on the same arrivals." }),
    healthCheck: healthCheckSchema.optional(),
    monitor: z
      .strictObject({
        interval: durationSchema.optional().meta({ description: "Time between QoS checks. Default 1 s." }),
        window: durationSchema.optional().meta({ description: "Recent completions considered per node. Default 5 s." }),
        percentile: z.number().gt(0).lt(1).optional().meta({ description: "Total-latency percentile compared with the deadline. Default 0.95." }),
        minSamples: z.number().int().positive().optional().meta({ description: "Completions a window needs before it can trigger. Default 10." }),
        cooldown: durationSchema.optional().meta({
          description: "How long a node that failed the QoS check stays unreachable for new placements, and the minimum time between migrations of one session. Default 30 s.",
        }),
      })
      .optional()
      .meta({
        description:
          "QoS monitoring for schedulers that migrate sessions (Algorithm 1): every interval, a node whose recent p95 total latency exceeds the deadline, or that is known unhealthy, is made temporarily unreachable and its sessions migrate.",
      }),
    migration: z
      .strictObject({
        modelLoadTime: durationSchema.optional().meta({ description: "Time to load the model on the target node. Default 1 s (estimate)." }),
        preloaded: z.boolean().optional().meta({ description: "Models are already loaded everywhere: no load time. Default false." }),
        stateBytes: z.number().int().nonnegative().optional().meta({ description: "Session state sent to the target over the device's link. Default 0." }),
      })
      .optional()
      .meta({ description: "Cost of a session migration; during the switch the old node keeps serving the session (make-before-break)." }),
    faults: z.array(faultSchema).optional(),
    metrics: z
      .strictObject({
        binWidth: durationSchema.optional().meta({
          description: "Width of the time-series bins. Default: the measurement window / 60, rounded down to 1, 2 or 5 x 10^k ms.",
        }),
      })
      .optional(),
  })
  .meta({ title: "continuum-sim scenario", description: "A deployment of end devices, edge nodes and a network to simulate." });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioDocument = z.output<typeof scenarioSchema>;
export type WorkloadDocument = z.output<typeof workloadSchema>;
