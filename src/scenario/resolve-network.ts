import { RandomStreams } from "../engine/rng.js";
import type { DistributionSpec } from "../random/distribution-spec.js";
import { compileDistribution, meanOf, type CompiledDistribution } from "../random/distributions.js";
import { suggestName } from "../text/nearest-name.js";
import { parseBandwidth } from "./bandwidth.js";
import type { ResolveContext } from "./resolve-context.js";
import type { ResolvedLink } from "./resolved.js";
import type { ScenarioDocument } from "./schema.js";

type NetworkDocument = NonNullable<ScenarioDocument["network"]>;
type Params = NonNullable<NetworkDocument["default"]>;

/**
 * links[device][node] of the one network, for every workload family: a link's parameters come
 * from its `links` entry, else the latency matrix (base latency only), else `default`. A
 * constant negative latency or jitter is refused here, at its path (a run would throw at the
 * first transfer; it is never clamped). Links with equal parameters share one object.
 */
export function resolveLinks(
  network: NetworkDocument,
  devices: readonly { id: string; group: string; index: number }[],
  nodes: readonly { id: string; index: number }[],
  ctx: ResolveContext,
): ResolvedLink[][] {
  const nodeIndex = new Map(nodes.map((node) => [node.id, node.index]));
  const groupMembers = new Map<string, number[]>();
  for (const device of devices) {
    for (const key of new Set([device.id, device.group])) {
      const members = groupMembers.get(key) ?? [];
      members.push(device.index);
      groupMembers.set(key, members);
    }
  }
  const knownDevices = (typed: string): string => suggestName(typed, [...new Set(devices.map((d) => d.group))]);
  const knownNodes = (typed: string): string =>
    suggestName(
      typed,
      nodes.map((n) => n.id),
    );
  const links = network.links ?? [];
  const defaults: Params = network.default ?? {};
  const perLink: (number | undefined)[][] = devices.map(() => nodes.map(() => undefined));
  const baseLatency: (number | undefined)[][] = devices.map(() => nodes.map(() => undefined));

  const matrix = network.latencyMatrix;
  if (matrix !== undefined) {
    if (matrix.values.length !== matrix.rows.length) {
      ctx.fail("network.latencyMatrix.values", `${matrix.values.length} rows`, `${matrix.rows.length} rows, one per entry of rows`);
    }
    matrix.rows.forEach((row, r) => {
      const members = groupMembers.get(row);
      if (members === undefined) ctx.fail(`network.latencyMatrix.rows[${r}]`, row, `a device id: ${knownDevices(row)}`);
      const values = matrix.values[r] ?? [];
      if (values.length !== matrix.columns.length) ctx.fail(`network.latencyMatrix.values[${r}]`, values, `${matrix.columns.length} values, one per column`);
      matrix.columns.forEach((column, c) => {
        const n = nodeIndex.get(column);
        if (n === undefined) {
          if (r === 0) ctx.fail(`network.latencyMatrix.columns[${c}]`, column, `a node id: ${knownNodes(column)}`);
          return;
        }
        if (values[c] !== undefined && values[c] < 0) ctx.fail(`network.latencyMatrix.values[${r}][${c}]`, values[c], "a non-negative latency");
        for (const d of members ?? []) baseLatency[d][n] = values[c];
      });
    });
  }

  links.forEach((link, index) => {
    const path = `network.links[${index}].between`;
    const [deviceId, nodeId] = link.between;
    const members = groupMembers.get(deviceId);
    const n = nodeIndex.get(nodeId);
    if (members === undefined) ctx.fail(`${path}[0]`, deviceId, `a device id: ${knownDevices(deviceId)}`);
    if (n === undefined) ctx.fail(`${path}[1]`, nodeId, `a node id: ${knownNodes(nodeId)}`);
    if (members === undefined || n === undefined) return;
    for (const d of members) perLink[d][n] = index;
  });

  const estimateStreams = new RandomStreams("nominal-latency");
  const cache = new Map<string, ResolvedLink>();
  const byOrigin = new Map<string, ResolvedLink>();
  // A spec is checked once, where it is written, however many links use it.
  const checked = new Set<string>();
  return devices.map((device) =>
    nodes.map((node) => {
      const linkIndex = perLink[device.index][node.index];
      const specific = linkIndex === undefined ? undefined : links[linkIndex];
      const pathOf = (key: keyof Params): string => (specific?.[key] !== undefined ? `network.links[${linkIndex}].${key}` : `network.default.${key}`);
      // Most pairs share their parameters: look them up by where they come from before hashing the specs.
      const origin = `${linkIndex ?? -1}|${baseLatency[device.index][node.index] ?? ""}`;
      const known = byOrigin.get(origin);
      if (known !== undefined) return known;
      const latencySpec: DistributionSpec = specific?.latency ?? baseLatency[device.index][node.index] ?? defaults.latency ?? 0;
      const jitterSpec = specific?.jitter ?? defaults.jitter;
      const bandwidthSpec = specific?.bandwidth !== undefined ? specific.bandwidth : defaults.bandwidth;
      const key = JSON.stringify([latencySpec, jitterSpec ?? null, bandwidthSpec ?? null]);
      const cached = cache.get(key);
      if (cached !== undefined) {
        byOrigin.set(origin, cached);
        return cached;
      }
      const latency = checkedDelay(latencySpec, pathOf("latency"), ctx, checked) ?? compileDistribution(0, "");
      const jitter = jitterSpec === undefined ? undefined : checkedDelay(jitterSpec, pathOf("jitter"), ctx, checked);
      let bytesPerMs = Infinity;
      if (bandwidthSpec !== undefined && bandwidthSpec !== null) {
        const bitsPerSecond = parseBandwidth(bandwidthSpec);
        if (bitsPerSecond === undefined) ctx.fail(pathOf("bandwidth"), bandwidthSpec, 'a bandwidth: bits per second, or a string such as "100 Mbit/s"');
        else bytesPerMs = bitsPerSecond / 8 / 1000;
      }
      const nominalLatencyMs = meanOf(latency, estimateStreams.stream(`latency/${key}`)) + (jitter === undefined ? 0 : meanOf(jitter, estimateStreams.stream(`jitter/${key}`)));
      const resolved: ResolvedLink = {
        latency,
        jitter,
        bytesPerMs,
        nominalLatencyMs,
        description: `${latency.description}${jitter ? ` + ${jitter.description}` : ""}${bytesPerMs === Infinity ? "" : `, ${(bytesPerMs * 8) / 1000} Mbit/s`}`,
      };
      cache.set(key, resolved);
      byOrigin.set(origin, resolved);
      return resolved;
    }),
  );
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
