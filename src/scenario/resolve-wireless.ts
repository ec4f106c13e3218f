import { RandomStreams } from "../engine/rng.js";
import { InputError } from "../errors.js";
import { createTrajectory, type MobilitySettings, mobilityStreamName, type TraceSample } from "../network/mobility/models.js";
import { type MobilitySpec, resolveAccess, resolveMobility } from "../network/mobility/schema.js";
import { readMobilityTrace } from "../network/mobility/trace.js";
import { type AccessPoint, WirelessAccess } from "../network/wireless/access.js";
import { suggestName } from "../text/nearest-name.js";
import { capacityBytesPerMs } from "./bandwidth.js";
import type { ResolveContext } from "./resolve-context.js";
import type { DeviceAt } from "./resolve-shorthands.js";
import type { ResolvedLink, ResolvedNetworkLink, ResolvedVertex, ResolvedWireless } from "./resolved.js";
import type { ResolvedDevice } from "./resolved-scenario.js";
import type { ScenarioDocument } from "./schema.js";

type NetworkDocument = NonNullable<ScenarioDocument["network"]>;
type VertexDocument = NonNullable<NetworkDocument["vertices"]>[number];

/** Vertex kinds a moving device may attach to. */
export const ACCESS_KINDS: ReadonlySet<string> = new Set(["access-point", "base-station"]);

export interface WirelessInput {
  readonly groups: readonly DeviceAt[];
  readonly devices: readonly ResolvedDevice[];
  readonly vertices: readonly ResolvedVertex[];
  /** Per vertex index: its entry in network.vertices, or -1 (devices and nodes). */
  readonly vertexEntry: readonly number[];
  /** The master seed: the initial access point is found from each device's own mobility stream, as the world will draw it. */
  readonly seed: number | string;
  /** The wireless hop's latency, jitter and bandwidth (network.wireless's, else network.default's). */
  readonly hop: ResolvedLink;
  /** A link that shares nothing (the hop's air interface is the access point's capacity). */
  readonly noCapacity: readonly [number, number];
}

/**
 * Wireless access (docs/mobility.md): each device of a group with `mobility` gets its mobility
 * settings (a trace read through the one trace reader, relative to the scenario's folder) and one
 * "access" link appended to `links`, to the access point nearest its position at t = 0 in range
 * (else the first: the world attaches it at t = 0 anyway). Access points are the
 * access-point and base-station vertices; each needs a position and a range. Undefined when no
 * group moves.
 */
export function resolveWireless(network: NetworkDocument, input: WirelessInput, links: ResolvedNetworkLink[], ctx: ResolveContext): ResolvedWireless | undefined {
  const { groups, devices, vertices, vertexEntry } = input;
  const moving = groups.filter((group) => group.doc.mobility !== undefined);
  if (moving.length === 0) return undefined;
  const docs = network.vertices ?? [];
  const accessPoints = vertices.flatMap((v, index) => (ACCESS_KINDS.has(v.kind) ? [index] : []));
  if (accessPoints.length === 0) {
    ctx.fail(`${moving[0].path}.mobility`, moving[0].doc.mobility?.model, "an access point to attach to: a network.vertices entry of kind access-point or base-station, with position and range");
    return undefined;
  }
  const issuesBefore = ctx.issues.length;
  for (const ap of accessPoints) {
    const entry = vertexEntry[ap];
    if (vertices[ap].position === undefined)
      ctx.fail(`network.vertices[${entry}].position`, undefined, `a position { x, y } in metres: devices move (${moving[0].path}.mobility) and attach by distance`);
    if (vertices[ap].rangeM === undefined) ctx.fail(`network.vertices[${entry}].range`, undefined, `a radio range in metres: devices move (${moving[0].path}.mobility) and attach within it`);
  }
  const airCapacityBytesPerMs = accessPoints.map((ap) => airCapacity(docs[vertexEntry[ap]], vertexEntry[ap], ctx));
  const settings = resolveAccess(network.wireless ?? {});
  const mobility = resolveDeviceMobility(groups, devices, ctx);
  if (ctx.issues.length > issuesBefore) return undefined;

  // The initial access point, by the access model itself, from the streams the world will use.
  const points: AccessPoint[] = accessPoints.map((ap) => ({
    id: vertices[ap].id,
    position: vertices[ap].position as { x: number; y: number },
    rangeM: vertices[ap].rangeM as number,
    capacityBps: Infinity,
  }));
  const access = new WirelessAccess(points, settings, 0);
  const streams = new RandomStreams(input.seed);
  const apIndex = new Map(points.map((point, k) => [point.id, k]));
  const accessLink = devices.map((device) => {
    const settingsOf = mobility[device.index];
    if (settingsOf === undefined) return -1;
    access.addDevice(device.id, createTrajectory(settingsOf, streams.stream(mobilityStreamName(device.id))));
    const first = access.attachment(device.id, 0).ap;
    const to = accessPoints[first === null ? 0 : (apIndex.get(first) as number)];
    links.push({ kind: "access", from: device.index, to, parameters: input.hop, propagationMs: 0, capacityBytesPerMs: input.noCapacity, nominalLatencyMs: input.hop.nominalLatencyMs });
    return links.length - 1;
  });
  return { mobility, settings, accessPoints, airCapacityBytesPerMs, accessLink };
}

/** An access point's air capacity, bytes/ms [up, down]; Infinity when not given. */
function airCapacity(doc: VertexDocument | undefined, entry: number, ctx: ResolveContext): readonly [number, number] {
  const capacity = doc?.capacity;
  const path = `network.vertices[${entry}].capacity`;
  if (capacity === undefined) return [Infinity, Infinity];
  if (typeof capacity === "object") return [capacityBytesPerMs(capacity.up, `${path}.up`, ctx), capacityBytesPerMs(capacity.down, `${path}.down`, ctx)];
  const both = capacityBytesPerMs(capacity, path, ctx);
  return [both, both];
}

/** Per device index, its group's mobility with defaults applied (a trace: the device's own samples); undefined for wired devices. */
function resolveDeviceMobility(groups: readonly DeviceAt[], devices: readonly ResolvedDevice[], ctx: ResolveContext): (MobilitySettings | undefined)[] {
  const specs = new Map<string, { spec: MobilitySpec; path: string }>();
  for (const group of groups) if (group.doc.mobility !== undefined) specs.set(group.doc.id, { spec: group.doc.mobility, path: `${group.path}.mobility` });
  // One read per file, however many groups replay it.
  const traces = new Map<string, Map<string, TraceSample[]> | undefined>();
  const readTrace = (file: string, path: string): Map<string, TraceSample[]> | undefined => {
    if (!traces.has(file)) {
      try {
        traces.set(file, readMobilityTrace(file, ctx.baseDir, path));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        for (const issue of error.issues) ctx.fail(issue.path, issue.value, `${issue.expected} (${error.source})`);
        traces.set(file, undefined);
      }
    }
    return traces.get(file);
  };
  const reported = new Set<string>();
  return devices.map((device) => {
    const entry = specs.get(device.group);
    if (entry === undefined) return undefined;
    const { spec, path } = entry;
    if (spec.model !== "trace") return resolveMobility(spec);
    const samples = readTrace(spec.file, `${path}.file`);
    if (samples === undefined) return undefined;
    const id = spec.device ?? device.id;
    const own = samples.get(id);
    if (own === undefined) {
      // Once per group: its other members miss for the same reason.
      if (!reported.has(device.group)) {
        reported.add(device.group);
        const where = spec.device === undefined ? path : `${path}.device`;
        const why = spec.device === undefined ? ` (the default: the device's own id; set mobility.device to follow another)` : "";
        ctx.fail(where, id, `a device id of trace ${spec.file}${why}: ${suggestName(id, [...samples.keys()])}`);
      }
      return undefined;
    }
    return resolveMobility(spec, own);
  });
}
