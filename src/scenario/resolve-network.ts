import { RandomStreams } from "../engine/rng.js";
import { RELAY_KINDS, Routes } from "../network/topology/routes.js";
import type { DistributionSpec } from "../random/distribution-spec.js";
import { type CompiledDistribution, compileDistribution, estimateMean, type Sampler } from "../random/distributions.js";
import { suggestName } from "../text/nearest-name.js";
import { capacityBytesPerMs, parseBandwidth } from "./bandwidth.js";
import { DEFAULT_TOPOLOGY, PROPAGATION_MS_PER_KM } from "./defaults.js";
import type { ResolveContext } from "./resolve-context.js";
import type { DeviceAt } from "./resolve-shorthands.js";
import { resolveWireless } from "./resolve-wireless.js";
import type { DirectLink, ResolvedLink, ResolvedNetwork, ResolvedNetworkLink, ResolvedVertex } from "./resolved.js";
import type { ResolvedDevice, ResolvedNode } from "./resolved-scenario.js";
import type { ScenarioDocument } from "./schema.js";

type NetworkDocument = NonNullable<ScenarioDocument["network"]>;
type Params = NonNullable<NetworkDocument["default"]>;
type LinkEntry = NonNullable<NetworkDocument["links"]>[number];

/**
 * A device's vertex: its id only, the rest read from the class (a device has no position or
 * range of its own). 32 bytes a device instead of 56: a million devices' vertices were 56 MB
 * (issue 16: <= 500 B a device).
 */
class DeviceVertex implements ResolvedVertex {
  constructor(readonly id: string) {}
  get kind(): "device" {
    return "device";
  }
  get position(): undefined {
    return undefined;
  }
  get rangeM(): undefined {
    return undefined;
  }
}

/**
 * The one network graph of every workload family (docs/network.md). Direct links (the star
 * shorthand): in a star topology one per (device, node) pair, in a graph only the matrix cells and
 * the device-node entries of `links`; their parameters come from the `links` entry, else the
 * matrix (base latency only), else `default`. Graph links: the other `links` entries, between any
 * two vertices (a device group expands to a link per member). A constant negative latency or
 * jitter is refused at its path (never clamped); links with equal parameters share one object.
 * Devices of groups with `mobility` have no link of their own: one "access" link each, to their
 * access point (resolve-wireless.ts).
 */
export function resolveNetwork(
  network: NetworkDocument,
  devices: readonly ResolvedDevice[],
  nodes: readonly ResolvedNode[],
  ctx: ResolveContext,
  /** The device groups as written (their `mobility`) and the master seed: for wireless access. */
  mobile: { readonly groups: readonly DeviceAt[]; readonly seed: number | string },
): ResolvedNetwork {
  const issuesBefore = ctx.issues.length;
  const vertices: ResolvedVertex[] = devices.map((d): ResolvedVertex => new DeviceVertex(d.id));
  for (const n of nodes) vertices.push({ id: n.id, kind: "node", position: undefined, rangeM: undefined });
  const nodeVertex = (node: number): number => devices.length + node;
  // Which vertices an id names: a device or a device group's members, a node, another vertex.
  // A node id equal to a device id is refused with the nodes; the lookups stay apart so that
  // mistake is reported once, there, and not again here.
  // A name of one device holds its index, of several a list: no Set, list or array per device, which
  // at a million devices were a few hundred MB of garbage and drove the resolver's peak RSS (issue 16).
  // Built at its first use: the star shorthand names no device, and at a million devices the map
  // alone was 50 MB of garbage at the resolver's peak (issue 16).
  let deviceNamedMap: Map<string, number | number[]> | undefined;
  const deviceNamed = (): Map<string, number | number[]> => {
    if (deviceNamedMap !== undefined) return deviceNamedMap;
    const named = new Map<string, number | number[]>();
    const name = (key: string, device: number): void => {
      const found = named.get(key);
      if (found === undefined) named.set(key, device);
      else if (typeof found === "number") named.set(key, [found, device]);
      else found.push(device);
    };
    for (let i = 0; i < devices.length; i++) {
      const d = devices[i];
      name(d.id, d.index);
      if (d.group !== d.id) name(d.group, d.index);
    }
    deviceNamedMap = named;
    return named;
  };
  const devicesNamed = (id: string): number[] | undefined => {
    const named = deviceNamed().get(id);
    return typeof named === "number" ? [named] : named;
  };
  const nodeNamed = new Map(nodes.map((n) => [n.id, nodeVertex(n.index)]));
  const otherNamed = new Map<string, number>();
  const vertexEntry: number[] = vertices.map(() => -1);
  (network.vertices ?? []).forEach((v, i) => {
    if (deviceNamed().has(v.id) || nodeNamed.has(v.id) || otherNamed.has(v.id)) {
      ctx.fail(`network.vertices[${i}].id`, v.id, "an id no device, device group, node or other vertex has");
      return;
    }
    otherNamed.set(v.id, vertices.length);
    vertexEntry.push(i);
    vertices.push({ id: v.id, kind: v.kind, position: v.position, rangeM: v.range });
  });
  // Devices that move reach the graph by radio only (their access link follows their access point).
  const movingGroups = new Set(mobile.groups.filter((g) => g.doc.mobility !== undefined).map((g) => g.doc.id));
  const moving = (deviceIndex: number): boolean => movingGroups.has(devices[deviceIndex].group);
  // Listed only for a message: two arrays of every device otherwise (issue 16).
  const wiredGroups = (): string[] => {
    const groups = new Set<string>();
    for (let i = 0; i < devices.length; i++) if (!moving(devices[i].index)) groups.add(devices[i].group);
    return [...groups];
  };
  const byRadio = (id: string): string => {
    const wired = wiredGroups();
    return `a wired device (group) here: ${id} moves (mobility) and reaches the network by radio, through the access point it is attached to${wired.length > 0 ? `; ${suggestName(id, wired)}` : ""}`;
  };
  /** The vertices of a link end; `between: [device, node]` is read in that order first, as the star did. */
  const lookup = (id: string, k: number): number[] | undefined => {
    const node = nodeNamed.get(id);
    const device = devicesNamed(id);
    if (k === 1 && node !== undefined) return [node];
    if (device !== undefined) return device;
    if (node !== undefined) return [node];
    const other = otherNamed.get(id);
    return other === undefined ? undefined : [other];
  };
  const isDevice = (v: number): boolean => v < devices.length;
  const isNode = (v: number): boolean => v >= devices.length && v < devices.length + nodes.length;
  // Every name listed only when a suggestion is needed (a million devices' ids otherwise).
  const known = (typed: string): string => suggestName(typed, [...deviceNamed().keys(), ...nodeNamed.keys(), ...otherNamed.keys()]);

  const params = new LinkParameters(network.default ?? {}, ctx);
  const links: ResolvedNetworkLink[] = [];
  const entries = network.links ?? [];
  // What names each device's direct links, in the order written (a later entry or matrix row wins a
  // cell): devices named alike share one row of cells, so nothing here is per (device, node).
  const naming: string[] = devices.map(() => "");
  const directEntries: { index: number; devices: readonly number[]; node: number }[] = [];
  const graphEntries: { index: number; from: number[]; to: number[] }[] = [];
  entries.forEach((entry, index) => {
    const ends = entry.between.map((id, k) => {
      const members = lookup(id, k);
      if (members === undefined) ctx.fail(`network.links[${index}].between[${k}]`, id, `a device, device group, node or vertex id: ${known(id)}`);
      else if (isDevice(members[0]) && moving(members[0])) {
        ctx.fail(`network.links[${index}].between[${k}]`, id, byRadio(id));
        return undefined;
      }
      return members;
    });
    const [a, b] = ends;
    if (a === undefined || b === undefined) return;
    const flip = isNode(a[0]) && isDevice(b[0]);
    const [deviceEnd, nodeEnd] = flip ? [b, a] : [a, b];
    if (isDevice(deviceEnd[0]) && isNode(nodeEnd[0])) {
      directEntries.push({ index, devices: deviceEnd, node: nodeEnd[0] - devices.length });
      for (const d of deviceEnd) naming[d] += `e${directEntries.length - 1},`;
    } else graphEntries.push({ index, from: a, to: b });
  });

  const matrix = network.latencyMatrix;
  /** Per matrix row: its members (undefined when refused) and its base latency per node. */
  const matrixRows: { members: readonly number[] | undefined; base: (number | undefined)[] }[] = [];
  if (matrix !== undefined) {
    if (matrix.values.length !== matrix.rows.length) ctx.fail("network.latencyMatrix.values", `${matrix.values.length} rows`, `${matrix.rows.length} rows, one per entry of rows`);
    matrix.rows.forEach((row, r) => {
      let members = devicesNamed(row);
      if (members === undefined) ctx.fail(`network.latencyMatrix.rows[${r}]`, row, `a device id: ${suggestName(row, [...new Set(devices.map((d) => d.group))])}`);
      else if (moving(members[0])) {
        ctx.fail(`network.latencyMatrix.rows[${r}]`, row, byRadio(row));
        members = undefined;
      }
      const values = matrix.values[r] ?? [];
      const base: (number | undefined)[] = nodes.map(() => undefined);
      matrixRows.push({ members, base });
      if (members !== undefined) for (const d of members) naming[d] += `m${r},`;
      if (values.length !== matrix.columns.length) ctx.fail(`network.latencyMatrix.values[${r}]`, values, `${matrix.columns.length} values, one per column`);
      matrix.columns.forEach((column, c) => {
        const n = nodeNamed.get(column);
        if (n === undefined) {
          if (r === 0)
            ctx.fail(
              `network.latencyMatrix.columns[${c}]`,
              column,
              `a node id: ${suggestName(
                column,
                nodes.map((x) => x.id),
              )}`,
            );
          return;
        }
        if (values[c] !== undefined && values[c] < 0) ctx.fail(`network.latencyMatrix.values[${r}][${c}]`, values[c], "a non-negative latency");
        base[n - devices.length] = values[c];
      });
    });
  }

  const star = (network.topology ?? DEFAULT_TOPOLOGY) === "star";
  // One row of cells per distinct naming, in the order of its first device (the order the cells
  // were resolved in when they were per device, so issues come in the same order).
  const rowOfNaming = new Map<string, number>();
  const rowOf = new Int32Array(devices.length);
  const cells: { entryIndex: number | undefined; base: number | undefined }[][] = [];
  for (const device of devices) {
    let row = rowOfNaming.get(naming[device.index]);
    if (row === undefined) {
      row = cells.length;
      rowOfNaming.set(naming[device.index], row);
      const rowCells = nodes.map(() => ({ entryIndex: undefined as number | undefined, base: undefined as number | undefined }));
      for (const write of naming[device.index].split(",")) {
        if (write.startsWith("e")) {
          const direct = directEntries[Number(write.slice(1))];
          rowCells[direct.node].entryIndex = direct.index;
        } else if (write.startsWith("m"))
          matrixRows[Number(write.slice(1))].base.forEach((base, n) => {
            if (base !== undefined) rowCells[n].base = base;
          });
      }
      cells.push(rowCells);
    }
    rowOf[device.index] = row;
  }
  naming.length = 0;
  const cellParameters = (cell: { entryIndex: number | undefined; base: number | undefined }): ResolvedLink =>
    params.resolve(cell.entryIndex === undefined ? undefined : entries[cell.entryIndex], cell.entryIndex === undefined ? undefined : `network.links[${cell.entryIndex}]`, cell.base);
  // A star of direct links only (no relay could offer another route, no capacity to share): every
  // route is its direct link, held per row (ResolvedNetwork.direct) instead of per pair.
  const directOnly = star && graphEntries.length === 0 && otherNamed.size === 0 && movingGroups.size === 0 && directEntries.every(({ index }) => entries[index].capacity === undefined);
  if (directOnly) {
    const rows = cells.map((rowCells) =>
      rowCells.map((cell): DirectLink => {
        const { parameters, propagationMs, nominalLatencyMs } = graphLink(
          "direct",
          -1,
          -1,
          cellParameters(cell),
          cell.entryIndex === undefined ? undefined : entries[cell.entryIndex],
          cell.entryIndex,
          ctx,
        );
        return { parameters, propagationMs, nominalLatencyMs };
      }),
    );
    const nominalRows = rows.map((row) => row.map((link) => link.nominalLatencyMs));
    return { vertices, links, direct: { rowOf, rows }, nominalLatencyMs: devices.map((device) => nominalRows[rowOf[device.index]]), wireless: undefined };
  }
  for (const device of devices) {
    if (moving(device.index)) continue;
    for (const node of nodes) {
      const cell = cells[rowOf[device.index]][node.index];
      if (!star && cell.entryIndex === undefined && cell.base === undefined) continue;
      const entry = cell.entryIndex === undefined ? undefined : entries[cell.entryIndex];
      links.push(graphLink("direct", device.index, nodeVertex(node.index), cellParameters(cell), entry, cell.entryIndex, ctx));
    }
  }
  const pairs = new Set<string>();
  for (const { index, from, to } of graphEntries) {
    const entry = entries[index];
    const parameters = params.resolve(entry, `network.links[${index}]`, undefined);
    for (const a of from) {
      for (const b of to) {
        const pair = a < b ? `${a}/${b}` : `${b}/${a}`;
        if (a === b || pairs.has(pair)) {
          ctx.fail(
            `network.links[${index}].between`,
            entry.between,
            a === b ? "two different vertices" : `one link per pair of vertices: ${vertices[a].id} and ${vertices[b].id} are joined by an earlier entry`,
          );
          continue;
        }
        pairs.add(pair);
        links.push(graphLink("graph", a, b, parameters, entry, index, ctx));
      }
    }
  }

  const wireless =
    movingGroups.size === 0
      ? undefined
      : resolveWireless(
          network,
          { groups: mobile.groups, devices, vertices, vertexEntry, seed: mobile.seed, hop: params.resolve(network.wireless, "network.wireless", undefined), noCapacity: NO_CAPACITY },
          links,
          ctx,
        );
  const routes = new Routes(
    vertices.map((v) => v.id),
    Uint8Array.from(vertices, (v) => (RELAY_KINDS.has(v.kind) ? 1 : 0)),
    links,
  );
  const unreachable = new Set<string>();
  // A moving device may attach to any access point: every access point must reach every node.
  for (const ap of wireless?.accessPoints ?? []) {
    for (const node of nodes) {
      if (routes.nominalLatencyMs(nodeVertex(node.index), ap) < Infinity || ctx.issues.length > issuesBefore + unreachable.size) continue;
      unreachable.add(`${vertices[ap].id}/${node.id}`);
      ctx.fail(
        "network",
        `${vertices[ap].id} -> ${node.id}`,
        `a route from access point ${vertices[ap].id} to node ${node.id} (moving devices may attach to any access point, and schedulers may send their work to any node): add links joining them`,
      );
    }
  }
  const nominalLatencyMs = devices.map((device) =>
    nodes.map((node) => {
      // Asked from the node's side: one routing tree per node serves every device (routes.ts).
      const nominal = routes.nominalLatencyMs(nodeVertex(node.index), device.index);
      // A mistake already reported (an unknown vertex...) is the cause: one mistake, one message.
      if (nominal === Infinity && !moving(device.index) && ctx.issues.length === issuesBefore + unreachable.size && !unreachable.has(`${device.group}/${node.id}`)) {
        // Once per device group and node, not once per member.
        unreachable.add(`${device.group}/${node.id}`);
        ctx.fail(
          "network",
          `${device.id} -> ${node.id}`,
          `a route from device ${device.group} to node ${node.id} (schedulers may send work to any node, and the results' latency table has every pair): add links joining them`,
        );
      }
      return nominal;
    }),
  );
  return { vertices, links, direct: undefined, nominalLatencyMs, wireless };
}

/** Shared by every link without a capacity (a star has one link per device and node). */
export const NO_CAPACITY: readonly [number, number] = Object.freeze([Infinity, Infinity] as [number, number]);

function graphLink(kind: "direct" | "graph", from: number, to: number, parameters: ResolvedLink, entry: LinkEntry | undefined, index: number | undefined, ctx: ResolveContext): ResolvedNetworkLink {
  const propagationMs = (entry?.distanceKm ?? 0) * PROPAGATION_MS_PER_KM;
  const capacity = entry?.capacity;
  const path = `network.links[${index}].capacity`;
  let perDirection: readonly [number, number] = NO_CAPACITY;
  if (typeof capacity === "object") perDirection = [capacityBytesPerMs(capacity.forward, `${path}.forward`, ctx), capacityBytesPerMs(capacity.reverse, `${path}.reverse`, ctx)];
  else if (capacity !== undefined) {
    // Read once: a bad value is one problem, not one per direction.
    const both = capacityBytesPerMs(capacity, path, ctx);
    perDirection = [both, both];
  }
  return { kind, from, to, parameters, propagationMs, capacityBytesPerMs: perDirection, nominalLatencyMs: parameters.nominalLatencyMs + propagationMs };
}

/** Latency, jitter and bandwidth of links, compiled once per distinct set (what the star did, unchanged, so its draws and nominal values stay). */
class LinkParameters {
  /** The nominal-latency streams, one per distinct parameter set and term, named `latency/<key>` and `jitter/<key>`. */
  private readonly estimateStreams = new RandomStreams("nominal-latency").table();
  /** A law written at one place and sampled for several keys (the 5G jitter of every latency) is bound once, to the table's uniform. */
  private readonly estimateSamplers = new Map<string, Sampler>();
  private readonly cache = new Map<string, ResolvedLink>();
  private readonly byOrigin = new Map<string, ResolvedLink>();
  // A spec is checked once, where it is written, however many links use it.
  private readonly checked = new Set<string>();

  constructor(
    private readonly defaults: Params,
    private readonly ctx: ResolveContext,
  ) {}

  /** `specific`: a link's own parameters (a `links` entry, `network.wireless`) written at `specificPath`; what it leaves out comes from the default. */
  resolve(specific: Params | undefined, specificPath: string | undefined, baseLatency: number | undefined): ResolvedLink {
    const { defaults, ctx } = this;
    const pathOf = (key: keyof Params): string => (specific?.[key] !== undefined ? `${specificPath}.${key}` : `network.default.${key}`);
    // Most pairs share their parameters: look them up by where they come from before hashing the specs.
    const origin = `${specificPath ?? ""}|${baseLatency ?? ""}`;
    const known = this.byOrigin.get(origin);
    if (known !== undefined) return known;
    const latencySpec: DistributionSpec = specific?.latency ?? baseLatency ?? defaults.latency ?? 0;
    const jitterSpec = specific?.jitter ?? defaults.jitter;
    const bandwidthSpec = specific?.bandwidth !== undefined ? specific.bandwidth : defaults.bandwidth;
    const key = JSON.stringify([latencySpec, jitterSpec ?? null, bandwidthSpec ?? null]);
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.byOrigin.set(origin, cached);
      return cached;
    }
    const latency = checkedDelay(latencySpec, pathOf("latency"), ctx, this.checked) ?? compileDistribution(0, "");
    const jitter = jitterSpec === undefined ? undefined : checkedDelay(jitterSpec, pathOf("jitter"), ctx, this.checked);
    let bytesPerMs = Infinity;
    if (bandwidthSpec !== undefined && bandwidthSpec !== null) {
      const bitsPerSecond = parseBandwidth(bandwidthSpec);
      if (bitsPerSecond === undefined) ctx.fail(pathOf("bandwidth"), bandwidthSpec, 'a bandwidth: bits per second, or a string such as "100 Mbit/s"');
      else bytesPerMs = bitsPerSecond / 8 / 1000;
    }
    const nominalLatencyMs = this.meanOf(latency, pathOf("latency"), `latency/${key}`) + (jitter === undefined ? 0 : this.meanOf(jitter, pathOf("jitter"), `jitter/${key}`));
    const resolved: ResolvedLink = {
      latency,
      jitter,
      bytesPerMs,
      nominalLatencyMs,
      description: `${latency.description}${jitter ? ` + ${jitter.description}` : ""}${bytesPerMs === Infinity ? "" : `, ${(bytesPerMs * 8) / 1000} Mbit/s`}`,
    };
    this.cache.set(key, resolved);
    this.byOrigin.set(origin, resolved);
    return resolved;
  }

  /**
   * meanOf on the stream `name`. A stateless law's sampler is bound once per place it is written
   * (its error, a truncation that redraws in vain, names that place) and serves each stream in
   * turn with that stream's own draws; a law with state between draws (Box–Muller's spare normal)
   * is bound afresh, as meanOf does.
   */
  private meanOf(law: CompiledDistribution, path: string, name: string): number {
    if (law.exactMean !== undefined) return law.exactMean;
    const where = `${path}|${law.description}`;
    let sampler = law.stateless ? this.estimateSamplers.get(where) : undefined;
    if (sampler === undefined) {
      sampler = law.bind(this.estimateStreams.uniform);
      if (law.stateless) this.estimateSamplers.set(where, sampler);
    }
    this.estimateStreams.select(this.estimateStreams.add(name));
    return estimateMean(sampler);
  }
}

/** A latency or jitter: a constant must not be negative (a one-way delay below zero is a mistake in the file). */
function checkedDelay(spec: DistributionSpec, path: string, ctx: ResolveContext, checked: Set<string>): CompiledDistribution | undefined {
  const compiled = ctx.compile(spec, path);
  const value = compiled?.isConstant === true ? (compiled.exactMean ?? 0) : 0;
  if (value < 0) {
    if (!checked.has(path)) ctx.fail(path, spec, "a non-negative one-way delay (a negative one is never clamped)");
    checked.add(path);
    return undefined;
  }
  return compiled;
}
