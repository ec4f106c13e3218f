import * as z from "zod";
import { accessSettingsShape } from "../network/mobility/schema.js";
import { distributionSpecSchema, durationSchema } from "../random/distribution-spec.js";
import {
  DEFAULT_BYTES_PER_TOKEN,
  DEFAULT_HEALTH_CHECK_INTERVAL_MS,
  DEFAULT_HEALTH_CHECK_TIMEOUT_MS,
  DEFAULT_LINK_DEGRADATION,
  DEFAULT_MODEL_LOAD_MS,
  DEFAULT_MONITOR,
  DEFAULT_REQUEST_OVERHEAD_BYTES,
  DEFAULT_TOPOLOGY,
  PROPAGATION_MS_PER_KM,
} from "./defaults.js";
import { builtOnce, builtOnUse } from "./schema-on-use.js";

/**
 * The parts of the scenario format every workload family shares: ids, the network, health checks,
 * faults, monitoring. Those a scenario may leave out (vertices, links, wireless access, faults,
 * health checks, monitoring, migration, metrics) are built on first use (schema-on-use.ts).
 */

export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "expected an id of letters, digits, '.', '_' or '-'" })
  .meta({ description: "An identifier: letters, digits, '.', '_' and '-'." });

/** Bits per second as a number, or a string such as "100 Mbit/s", "54 Mbps", "1 Gbit/s". */
export const bandwidthSchema = z.union([z.number().positive(), z.string()]).meta({ description: 'Link bandwidth: bits per second, or a string such as "100 Mbit/s" or "1 Gbps".' });

const linkParameters = {
  latency: distributionSpecSchema.optional().meta({ description: "Base one-way latency (never negative). Default 0." }),
  jitter: distributionSpecSchema.optional().meta({ description: "Added to the base latency on every transfer." }),
  bandwidth: z.union([bandwidthSchema, z.null()]).optional().meta({ description: "null: no transfer-time term." }),
};

/** Capacity shared by the transfers crossing a link in one direction (N2's fluid model shares it; today a lone transfer gets all of it). */
const capacity = builtOnce(() =>
  z.union([bandwidthSchema, z.strictObject({ forward: bandwidthSchema, reverse: bandwidthSchema })]).meta({
    description: "Capacity per direction, shared by concurrent transfers: one bandwidth for both directions, or { forward, reverse } (forward: from between[0] to between[1]). Absent: no contention.",
  }),
);

const link = builtOnUse(() =>
  z.strictObject({
    between: z.tuple([idSchema, idSchema]).meta({
      description:
        "Two vertex ids: a device (or device group), a node, or an entry of `vertices`. A device (group) and a node: the direct link of that pair (overriding the matrix and the default). Any other pair: a graph link, both directions with independent draws.",
    }),
    ...linkParameters,
    distanceKm: z
      .number()
      .nonnegative()
      .optional()
      .meta({ description: `Length of the link: adds ${PROPAGATION_MS_PER_KM * 1000} us/km of propagation delay each way (light in fibre, ITU-T G.114). Default 0.` }),
    capacity: capacity().optional(),
  }),
);

const vertex = builtOnUse(() =>
  z
    .strictObject({
      id: idSchema,
      kind: z.enum(["access-point", "base-station", "switch", "router", "interface"]).meta({
        description:
          "access-point, base-station, switch and router forward traffic; an interface (e.g. a node's second network interface, a host of a measured latency matrix) is an endpoint only, like devices and nodes.",
      }),
      position: z.strictObject({ x: z.number(), y: z.number() }).optional().meta({ description: "Position in metres (access points and base stations: where devices attach)." }),
      range: z.number().positive().optional().meta({ description: "Radio range in metres (access points and base stations)." }),
      capacity: z
        .union([bandwidthSchema, z.strictObject({ up: bandwidthSchema, down: bandwidthSchema })])
        .optional()
        .meta({
          description:
            "Access points and base stations: the air interface's capacity, shared by the devices attached to it: one bandwidth for both directions, or { up (device to AP), down }. Absent: no contention.",
        }),
    })
    .meta({ description: "A vertex of the network graph besides the devices and nodes." }),
);

const latencyMatrix = z
  .strictObject({
    rows: z.array(idSchema).min(1).meta({ description: "Device (or group) ids." }),
    columns: z.array(idSchema).min(1).meta({ description: "Node ids." }),
    values: z.array(z.array(durationSchema)).meta({ description: "Base one-way latency rows x columns." }),
  })
  .meta({ description: "A base-latency matrix: a direct link per (device, node) cell; jitter and bandwidth come from `default`." });

export const networkSchema = z
  .strictObject({
    topology: z
      .enum(["star", "graph"])
      .optional()
      .meta({
        description: `star: a direct link between every device and every node (parameters from links, the matrix, the default), plus any graph links listed. graph: only the links listed and the matrix cells; transfers follow the shortest route by nominal latency. Default ${DEFAULT_TOPOLOGY}.`,
      }),
    vertices: z.array(vertex).optional().meta({ description: "Access points, base stations, switches, routers and interfaces; devices and nodes are vertices already." }),
    default: z.strictObject(linkParameters).optional().meta({ description: "Parameters of every link that does not state them." }),
    latencyMatrix: latencyMatrix.optional(),
    links: z.array(link).optional().meta({ description: "Direct device-node links (overriding the matrix and the default) and graph links between any two vertices." }),
    wireless: builtOnUse(() => z.strictObject({ ...linkParameters, ...accessSettingsShape() }))
      .optional()
      .meta({
        description:
          "Devices with `mobility` attach by radio to the nearest access point or base station in range (network.vertices with position and range) and hand over as they move. latency, jitter and bandwidth are the wireless hop's, as a link's (default: network.default's).",
      }),
    bytesPerToken: z
      .number()
      .positive()
      .optional()
      .meta({ description: `Queries: bytes on the wire per token of prompt or output. Default ${DEFAULT_BYTES_PER_TOKEN} (UTF-8 text, about 4 characters per token).` }),
    requestOverheadBytes: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .meta({ description: `Queries: bytes added to every request (headers, JSON). Default ${DEFAULT_REQUEST_OVERHEAD_BYTES}.` }),
  })
  .meta({
    description:
      "One network for every workload: a graph of devices, nodes and other vertices joined by links with latency, jitter, bandwidth, length and capacity; a transfer follows the shortest route by nominal latency (docs/network.md).",
  });

export const healthCheckSchema = builtOnUse(() =>
  z
    .strictObject({
      interval: durationSchema.optional().meta({ description: `Time between checks of each node. Default ${DEFAULT_HEALTH_CHECK_INTERVAL_MS} ms (Consul's default).` }),
      timeout: durationSchema.optional().meta({
        description: `A check of a down node fails after this long; only then is the node known to be down. Default ${DEFAULT_HEALTH_CHECK_TIMEOUT_MS} ms.`,
      }),
    })
    .meta({ description: "How the orchestrator learns node health: policies see only what the checks have found." }),
);

const crashAt = builtOnce(() =>
  z.strictObject({
    type: z.literal("crash"),
    node: idSchema,
    at: durationSchema.meta({ description: "Crash time." }),
    recoverAfter: durationSchema.optional().meta({ description: "Down time; omitted: the node stays down." }),
  }),
);

const crashRandom = builtOnce(() =>
  z.strictObject({
    type: z.literal("crashes"),
    node: idSchema,
    mtbf: distributionSpecSchema.meta({ description: "Up time before each crash (mean time between failures)." }),
    mttr: distributionSpecSchema.meta({ description: "Down time of each crash (mean time to repair)." }),
  }),
);

const linkDegradation = builtOnce(() =>
  z.strictObject({
    type: z.literal("link-degradation"),
    node: idSchema.meta({ description: "The node whose links degrade." }),
    devices: z.array(idSchema).optional().meta({ description: "Device (or group) ids whose link to the node degrades; default all." }),
    from: durationSchema,
    to: durationSchema,
    latencyMultiplier: z
      .number()
      .positive()
      .optional()
      .meta({ description: `Multiplies base latency + jitter. Default ${DEFAULT_LINK_DEGRADATION.latencyMultiplier}.` }),
    addedLatency: durationSchema.optional().meta({ description: `Added to every one-way transfer. Default ${DEFAULT_LINK_DEGRADATION.addedLatencyMs} ms.` }),
    bandwidthFactor: z
      .number()
      .gt(0)
      .lte(1)
      .optional()
      .meta({ description: `Multiplies the bandwidth (0.5 halves it). Default ${DEFAULT_LINK_DEGRADATION.bandwidthFactor}.` }),
  }),
);

export const faultSchema = builtOnUse(() =>
  z
    .discriminatedUnion("type", [crashAt(), crashRandom(), linkDegradation()])
    .meta({ description: "A node crash at a time, repeated crashes from MTBF/MTTR distributions, or a link degradation over an interval." }),
);

export const monitorSchema = builtOnUse(() =>
  z
    .strictObject({
      interval: durationSchema.optional().meta({ description: `Time between QoS checks. Default ${DEFAULT_MONITOR.intervalMs} ms.` }),
      window: durationSchema.optional().meta({ description: `Recent completions considered per node. Default ${DEFAULT_MONITOR.windowMs} ms.` }),
      percentile: z
        .number()
        .gt(0)
        .lt(1)
        .optional()
        .meta({ description: `Total-latency percentile compared with the deadline. Default ${DEFAULT_MONITOR.percentile}.` }),
      minSamples: z
        .number()
        .int()
        .positive()
        .optional()
        .meta({ description: `Completions a window needs before it can trigger. Default ${DEFAULT_MONITOR.minSamples}.` }),
      cooldown: durationSchema.optional().meta({
        description: `How long a node that failed the QoS check stays unreachable for new placements, and the minimum time between migrations of one session. Default ${DEFAULT_MONITOR.cooldownMs} ms.`,
      }),
    })
    .meta({
      description:
        "QoS monitoring for schedulers that migrate sessions (Algorithm 1): every interval, a node whose recent p95 total latency exceeds the deadline, or that is known unhealthy, is made temporarily unreachable and its sessions migrate.",
    }),
);

export const migrationSchema = builtOnUse(() =>
  z
    .strictObject({
      modelLoadTime: durationSchema.optional().meta({ description: `Time to load the model on the target node. Default ${DEFAULT_MODEL_LOAD_MS} ms (estimate).` }),
      preloaded: z.boolean().optional().meta({ description: "Models are already loaded everywhere: no load time. Default false." }),
      stateBytes: z.number().int().nonnegative().optional().meta({
        description: "Session state sent to the target: over the node-to-node route when the graph has one (shared with other transfers there), else over the device's route to the target. Default 0.",
      }),
    })
    .meta({ description: "Cost of a session migration; during the switch the old node keeps serving the session (make-before-break)." }),
);

export const metricsSchema = builtOnUse(() =>
  z.strictObject({
    binWidth: durationSchema.optional().meta({
      description: "Width of the time-series bins. Default: the measurement window [warmup, duration) / 60, rounded down to 1, 2 or 5 x 10^k ms.",
    }),
  }),
);
