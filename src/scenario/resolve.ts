import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../errors.js";
import type { DagApplication, QueryStageSpec } from "../dag/types.js";
import { DEFAULT_QUALITY } from "../llm/quality.js";
import type { PolicyEntry } from "../policies/policy-entry.js";
import { scenarioScaleIssues } from "../run/work-estimate.js";
import { suggestName } from "../text/nearest-name.js";
import * as D from "./defaults.js";
import { checkIds } from "./input-lookups.js";
import { parseJsonText, readJsonFile } from "./json-text.js";
import { BUILTIN_PROFILE_DIR, ProfileLibrary } from "./profiles.js";
import { ResolveContext } from "./resolve-context.js";
import { resolveDevices, resolveWorkloads } from "./resolve-devices.js";
import { checkStageRoutes, resolveApplications } from "./resolve-applications.js";
import { resolveControl } from "./resolve-control.js";
import { resolveFaults } from "./resolve-faults.js";
import { FrameResolver } from "./resolve-frames.js";
import { checkQueryStageReference } from "./resolve-llm.js";
import { resolveNetwork } from "./resolve-network.js";
import { resolveNodes } from "./resolve-nodes.js";
import { resolvePolicies } from "./resolve-policies.js";
import { normaliseScenario, type NormalScenario } from "./resolve-shorthands.js";
import { canonicalJson, checkTimes, deepFreeze } from "./resolve-times.js";
import type { QosDeadlines, ResolvedDevice, ResolvedNode, ResolvedScenario } from "./resolved-scenario.js";
import { scenarioSchema, type ScenarioDocument } from "./schema.js";
import { toInputIssues } from "./zod-issues.js";

// The one JSON reader, exported here too for the callers that load scenarios.
export { parseJsonText };
export { canonicalJson };

export interface LoadOptions {
  /** Folder that relative paths in the scenario (traces) are read from. Default: the working directory; loadScenarioFile uses the file's folder. */
  baseDir?: string;
  /** Extra profile folders searched before the scenario's own `hardware-profiles/` and the built-in one. */
  profileDirs?: readonly string[];
}

/** Reads and parses a scenario file; throws InputError for an unreadable, empty or malformed file. */
export function readScenarioJson(file: string): unknown {
  return readJsonFile(file, "scenario file");
}

/**
 * Reads, validates and resolves a scenario file (a path or a file: URL). `edit` may change the parsed document first
 * (command-line overrides), so the scenario hash describes what actually runs. Profiles are
 * looked up in `profileDirs`, then the scenario's own `hardware-profiles/` folder, then the
 * built-in one. Throws InputError listing every problem.
 */
export function loadScenarioFile(file: string | URL, options: LoadOptions = {}, edit?: (document: Record<string, unknown>) => void): ResolvedScenario {
  // A file: URL too (`new URL("scenarios/x.json", import.meta.url)`), the way ES modules name files.
  const path = file instanceof URL ? fileURLToPath(file) : file;
  const json = readScenarioJson(path);
  if (edit !== undefined && json !== null && typeof json === "object" && !Array.isArray(json)) edit(json as Record<string, unknown>);
  return resolveScenarioFile(path, json, options);
}

/** Resolves the document already read from `file` (see loadScenarioFile): profiles and relative paths as for that file. */
export function resolveScenarioFile(file: string, json: unknown, options: LoadOptions = {}): ResolvedScenario {
  const dirs = [...(options.profileDirs ?? []), join(dirname(file), "hardware-profiles"), BUILTIN_PROFILE_DIR];
  return resolveScenario(json, { ...options, profileDirs: dirs, baseDir: options.baseDir ?? dirname(file) }, file);
}

/**
 * Validates a parsed JSON document of any scenario (every workload family, the long form or the
 * older shorthands) and resolves it against the hardware profiles and the policy registries.
 * Throws InputError listing every problem, each at its JSON path.
 */
export function resolveScenario(json: unknown, options: LoadOptions = {}, source = "scenario"): ResolvedScenario {
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success) throw new InputError(source, toInputIssues(parsed.error, json, scenarioSchema));
  // Before the device groups are expanded: a scenario too large to hold is refused, not allocated.
  const scale = scenarioScaleIssues(parsed.data);
  if (scale.length > 0) throw new InputError(source, scale);
  const ctx = new ResolveContext(new ProfileLibrary(options.profileDirs ?? [BUILTIN_PROFILE_DIR]), options.baseDir ?? process.cwd());
  const resolved = resolveDocument(parsed.data, json, ctx);
  if (ctx.issues.length > 0 || resolved === undefined) throw new InputError(source, ctx.issues);
  return resolved;
}

function resolveDocument(doc: ScenarioDocument, rawJson: unknown, ctx: ResolveContext): ResolvedScenario | undefined {
  const normal = normaliseScenario(doc, ctx);
  const { warmupMs, drainMs, binWidthMs } = checkTimes(doc, ctx.issues);
  const qos = resolveQos(normal, ctx);
  checkIds(doc.devices, doc.nodes, ctx.issues);
  const contextTokens = doc.contextTokens ?? D.DEFAULT_CONTEXT_TOKENS;
  const nodeIds = new Map<string, number>();
  doc.nodes.forEach((node, index) => {
    if (!nodeIds.has(node.id)) nodeIds.set(node.id, index);
  });

  const frames = new FrameResolver(ctx, normal);
  const applicationDocs = doc.applications ?? [];
  const workloads = resolveWorkloads(
    normal.devices,
    frames,
    nodeIds,
    applicationDocs.map((app) => app.id),
    ctx,
  );
  frames.checkDeviceModels();
  const { nodes, roleKnown } = resolveNodes(normal.nodes, frames, contextTokens, ctx, applicationDocs.length > 0);
  const cloudNode = resolveCloudNode(doc, normal, nodes, nodeIds, ctx);
  const policies = resolvePolicies(normal.policies, normal.policiesKey, normal.families, ctx);
  const devices = resolveDevices(
    normal.devices,
    workloads,
    nodes,
    normal.nodes.map((node) => node.llm !== undefined),
    cloudNode,
    contextTokens,
    frames,
    ctx,
  );
  const network = resolveNetwork(doc.network ?? {}, devices, nodes, ctx, { groups: normal.devices, seed: doc.seed ?? D.DEFAULT_SEED });
  checkBaselines(normal, policies, devices, nodes, cloudNode, roleKnown, frames, ctx);

  const healthCheckIntervalMs = doc.healthCheck?.interval ?? D.DEFAULT_HEALTH_CHECK_INTERVAL_MS;
  const healthCheckTimeoutMs = doc.healthCheck?.timeout ?? D.DEFAULT_HEALTH_CHECK_TIMEOUT_MS;
  if (!(healthCheckIntervalMs > 0)) ctx.fail("healthCheck.interval", doc.healthCheck?.interval, "a positive duration");
  if (!(healthCheckTimeoutMs >= 0)) ctx.fail("healthCheck.timeout", doc.healthCheck?.timeout, "a non-negative duration");
  const faults = resolveFaults(doc.faults ?? [], devices, nodes, ctx.issues);
  const monitorDoc = doc.monitor ?? {};
  const monitor = {
    intervalMs: monitorDoc.interval ?? D.DEFAULT_MONITOR.intervalMs,
    windowMs: monitorDoc.window ?? D.DEFAULT_MONITOR.windowMs,
    percentile: monitorDoc.percentile ?? D.DEFAULT_MONITOR.percentile,
    minSamples: monitorDoc.minSamples ?? D.DEFAULT_MONITOR.minSamples,
    cooldownMs: monitorDoc.cooldown ?? D.DEFAULT_MONITOR.cooldownMs,
  };
  if (!(monitor.intervalMs > 0)) ctx.fail("monitor.interval", monitorDoc.interval, "a positive duration");
  if (!(monitor.windowMs > 0)) ctx.fail("monitor.window", monitorDoc.window, "a positive duration");
  if (!(monitor.cooldownMs >= 0)) ctx.fail("monitor.cooldown", monitorDoc.cooldown, "a non-negative duration");
  const migration = { modelLoadMs: doc.migration?.modelLoadTime ?? D.DEFAULT_MODEL_LOAD_MS, preloaded: doc.migration?.preloaded ?? false, stateBytes: doc.migration?.stateBytes ?? 0 };
  if (!(migration.modelLoadMs >= 0)) ctx.fail("migration.modelLoadTime", doc.migration?.modelLoadTime, "a non-negative duration");
  const control = resolveControl(doc.control, nodes, devices, ctx);
  const applications = resolveApplications(
    applicationDocs,
    doc.nodes.map((node) => ({ id: node.id, profile: node.profile })),
    deviceProfilesByApplication(normal),
    doc.seed ?? D.DEFAULT_SEED,
    ctx,
  );
  // After every application resolved (their indices are then the document's).
  if (ctx.issues.length === 0) checkStageRoutes(applications, network, devices.length, ctx);
  if (ctx.issues.length > 0) return undefined;
  checkQueryStages(normal, devices, nodes, network, applications, ctx);

  const collaboration = doc.collaboration ?? {};
  const hash = createHash("sha256")
    .update(canonicalJson({ scenario: rawJson, profiles: ctx.profiles }))
    .digest("hex");
  return deepFreeze({
    name: doc.name,
    description: doc.description ?? "",
    seed: doc.seed ?? D.DEFAULT_SEED,
    hash,
    durationMs: doc.duration,
    warmupMs,
    drainMs,
    binWidthMs,
    loadScale: doc.loadScale ?? D.DEFAULT_LOAD_SCALE,
    qos,
    devices,
    nodes,
    network,
    serviceClasses: frames.serviceClasses,
    policies,
    healthCheckIntervalMs,
    healthCheckTimeoutMs,
    faults,
    monitor,
    migration,
    llm: {
      cloudNode,
      bytesPerToken: doc.network?.bytesPerToken ?? D.DEFAULT_BYTES_PER_TOKEN,
      requestOverheadBytes: doc.network?.requestOverheadBytes ?? D.DEFAULT_REQUEST_OVERHEAD_BYTES,
      collaboration: {
        draftRatio: collaboration.draftRatio ?? D.DEFAULT_COLLABORATION.draftRatio,
        instructionTokens: collaboration.instructionTokens ?? D.DEFAULT_COLLABORATION.instructionTokens,
        qualityFactor: collaboration.qualityFactor ?? D.DEFAULT_COLLABORATION.qualityFactor,
      },
      quality: {
        intercept: doc.quality?.intercept ?? DEFAULT_QUALITY.intercept,
        slope: doc.quality?.slope ?? DEFAULT_QUALITY.slope,
        steepness: doc.quality?.steepness ?? DEFAULT_QUALITY.steepness,
      },
      electricityUsdPerKWh: doc.electricityUsdPerKWh ?? D.DEFAULT_ELECTRICITY_USD_PER_KWH,
    },
    // `applications` only when there are some: every other scenario resolves to the families it always had.
    families: normal.families.applications ? normal.families : { frames: normal.families.frames, queries: normal.families.queries },
    control,
    ...(applicationDocs.length > 0 ? { applications } : {}),
    profiles: ctx.profiles,
  });
}

/** Per application id, the profiles of the device groups whose dag workloads send it (stages on the device given by model read it). */
function deviceProfilesByApplication(normal: NormalScenario): Map<string, (string | undefined)[]> {
  const profiles = new Map<string, (string | undefined)[]>();
  for (const group of normal.devices) {
    for (const { doc } of group.workloads) {
      if (doc.type !== "dag") continue;
      const list = profiles.get(doc.application) ?? [];
      list.push(group.doc.profile);
      profiles.set(doc.application, list);
    }
  }
  return profiles;
}

/** A deadline for each family the scenario has: frames one total deadline, queries a ttft or a total deadline (or both). */
function resolveQos(normal: NormalScenario, ctx: ResolveContext): QosDeadlines {
  const { frames, ttft, total } = normal.qos;
  if (normal.families.frames && frames === undefined)
    ctx.fail("qos.frames", undefined, 'a total-latency deadline for frames here (required: a device has a frame workload), e.g. "qos": {"frames": "200 ms"}');
  if (frames !== undefined && !(frames > 0)) ctx.fail(normal.qos.frames === undefined ? "qos.frames" : "qosDeadline", frames, "a positive duration");
  if (normal.families.queries && ttft === undefined && total === undefined)
    ctx.fail("qos.queries", undefined, "a ttft or a total deadline for queries (or both) here (required: a device has a query workload)");
  for (const [key, value] of [
    ["ttft", ttft],
    ["total", total],
  ] as const) {
    if (value !== undefined && !(value > 0)) ctx.fail(`qos.queries.${key}`, value, "a positive duration");
  }
  return { frameDeadlineMs: frames ?? Infinity, ttftDeadlineMs: ttft ?? Infinity, totalDeadlineMs: total ?? Infinity };
}

/** The node of the queries' cloud route: `cloudNode`, else the only cloud node with a language-model service. */
function resolveCloudNode(doc: ScenarioDocument, normal: NormalScenario, nodes: readonly ResolvedNode[], nodeIds: ReadonlyMap<string, number>, ctx: ResolveContext): number | undefined {
  const serving = (index: number): boolean => normal.nodes[index].llm !== undefined;
  if (doc.cloudNode !== undefined) {
    const index = nodeIds.get(doc.cloudNode);
    const candidates = nodes.filter((node) => serving(node.index)).map((node) => node.id);
    if (index === undefined || !serving(index)) ctx.fail("cloudNode", doc.cloudNode, `a node id with a language-model service: ${suggestName(doc.cloudNode, candidates)}`);
    return index !== undefined && serving(index) ? index : undefined;
  }
  const clouds = nodes.filter((node) => node.role === "cloud" && serving(node.index));
  if (clouds.length > 1) ctx.fail("cloudNode", undefined, `the node the cloud route uses: several nodes have role cloud (${clouds.map((n) => n.id).join(", ")})`);
  return clouds.length === 1 ? clouds[0].index : undefined;
}

/** The fixed policies need somewhere to send jobs: a cloud node, or devices (or edge nodes) that can run them locally. */
function checkBaselines(
  normal: NormalScenario,
  policies: readonly PolicyEntry[],
  devices: readonly ResolvedDevice[],
  nodes: readonly ResolvedNode[],
  cloudNode: number | undefined,
  roleKnown: boolean,
  frames: FrameResolver,
  ctx: ResolveContext,
): void {
  // An entry with a problem is already reported (and left out, which would shift the positions below).
  if (policies.length !== normal.policies.length) return;
  const at = (predicate: (entry: PolicyEntry) => boolean): string => `${normal.policiesKey}[${policies.findIndex(predicate)}]`;
  if (policies.some((p) => p.frames?.name === "cloud-only") && roleKnown && !nodes.some((node) => node.role === "cloud" && node.frames !== undefined)) {
    ctx.fail(
      at((p) => p.frames?.name === "cloud-only"),
      "cloud-only",
      'a scenario with a cloud node serving frames (a profile of role "cloud", or nodes[].role "cloud")',
    );
  }
  const groups = new Map(normal.devices.map((device) => [device.doc.id, device] as const));
  const reported = new Set<string>();
  if (policies.some((p) => p.frames?.name === "local-only")) {
    for (const device of devices) {
      const frame = device.workloads.find((w) => w.family === "frames");
      const group = groups.get(device.group);
      if (frame === undefined || group === undefined || device.localService !== undefined || reported.has(device.group)) continue;
      reported.add(device.group);
      // Not again for a device whose profile or model is already reported.
      if ((device.profile !== undefined && ctx.profiles[device.profile] === undefined) || frames.isUnknownModel(frame.model)) continue;
      ctx.fail(`${group.path}.profile`, device.profile, `a device profile with model "${frame.model}" on its CPU path, for local-only`);
    }
  }
  const needsCloud = policies.find((p) => p.queries !== undefined && p.queries.name !== "local-only");
  if (cloudNode === undefined && needsCloud !== undefined && roleKnown) {
    ctx.fail(
      "nodes",
      nodes.map((n) => n.id),
      `a node with role cloud and a language-model service (or cloudNode): policy "${needsCloud.label}" can send queries to the cloud`,
    );
  }
  const needsLocal = policies.find((p) => p.queries !== undefined && p.queries.name !== "cloud-only");
  if (needsLocal === undefined) return;
  for (const device of devices) {
    const group = groups.get(device.group);
    if (group === undefined || reported.has(`queries/${device.group}`) || !device.workloads.some((w) => w.family === "queries")) continue;
    if (device.localServing !== undefined || device.localNodes.length > 0 || group.doc.localModel !== undefined) continue;
    reported.add(`queries/${device.group}`);
    ctx.fail(group.path, device.group, `a localModel or an edge node with a language-model service for the local route (policy "${needsLocal.label}" can route locally)`);
  }
}

/**
 * Query stages (pipeline workloads' and applications') measured on a reference node: the node must
 * serve a language model, and each measured time must hold its exchange there (over the route of
 * the first device of the group, or of the first device sending the application).
 */
function checkQueryStages(
  normal: NormalScenario,
  devices: readonly ResolvedDevice[],
  nodes: readonly ResolvedNode[],
  network: ResolvedScenario["network"],
  applications: readonly DagApplication[],
  ctx: ResolveContext,
): void {
  const check = (stage: QueryStageSpec, path: string, referencePath: string, device: ResolvedDevice | undefined): boolean => {
    const reference = nodes[stage.referenceNode];
    if (reference.llm === undefined) {
      ctx.fail(referencePath, reference.id, "a node with a language-model service (the stage figures were measured on its model)");
      return false;
    }
    if (device !== undefined) checkQueryStageReference(ctx, stage, path, { id: reference.id, serving: reference.llm }, { nominalLatencyMs: network.nominalLatencyMs[device.index][reference.index] });
    return true;
  };
  const firstOfGroup = new Map<string, ResolvedDevice>();
  for (const device of devices) if (!firstOfGroup.has(device.group)) firstOfGroup.set(device.group, device);
  for (const group of normal.devices) {
    const first = firstOfGroup.get(group.doc.id);
    first?.workloads.forEach((workload, k) => {
      if (workload.family !== "queries" || workload.type !== "pipeline") return;
      const path = group.workloads[k].path;
      // One reference node for the workload: reported once.
      workload.application.stages.every((stage, s) => check(stage.query as QueryStageSpec, `${path}.stages[${s}]`, `${path}.referenceNode`, first));
    });
  }
  applications.forEach((app, a) => {
    const sender = devices.find((device) => device.workloads.some((w) => w.family === "applications" && w.application === a));
    app.stages.forEach((stage, s) => {
      if (stage.query !== undefined) check(stage.query, `applications[${a}].stages[${s}].query`, `applications[${a}].stages[${s}].query.referenceNode`, sender);
    });
  });
}
