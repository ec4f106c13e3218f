import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { InputError, type InputIssue } from "../errors.js";
import { RandomStreams } from "../engine/rng.js";
import type { DistributionSpec } from "../random/distribution-spec.js";
import { compileDistribution, meanOf, type CompiledDistribution } from "../random/distributions.js";
import { parseBandwidth } from "./bandwidth.js";
import type { HardwareProfile, ServiceCurve } from "./profile-schema.js";
import { BUILTIN_PROFILE_DIR, meanServiceMs, ProfileLibrary } from "./profiles.js";
import type { NodeService, ResolvedFault, ResolvedDevice, ResolvedLink, ResolvedNode, ResolvedScenario, ResolvedWorkload, SchedulerEntry, ServiceClass } from "./resolved.js";
import { scenarioSchema, type ScenarioDocument } from "./schema.js";
import type * as z from "zod";
import { checkIds, compileCollecting, lookupProfile } from "./input-lookups.js";
import { suggestName } from "../text/nearest-name.js";
import { resolveFaults } from "./resolve-faults.js";
import { toInputIssues } from "./zod-issues.js";
import { readTraceTimes } from "./trace.js";
import { parseJsonText, readJsonFile } from "./json-text.js";
import { readTraceTable } from "../io/trace-file.js";

// The one JSON reader, exported here too for the callers that load scenarios.
export { parseJsonText };
import type { TimeUnit } from "../random/duration.js";
import { defaultBinWidthMs, MAX_TIME_BINS } from "./time-bins.js";
import { scenarioScaleIssues } from "../run/work-estimate.js";

export interface LoadOptions {
  /** Scheduler names the run will accept (from the scheduler registry). */
  knownSchedulers: readonly string[];
  /** Folder that relative paths in the scenario (traces) are read from. Default: the working directory; loadScenarioFile uses the file's folder. */
  baseDir?: string;
  /** Option schemas by scheduler name (from the registry); a scheduler not listed accepts no options. */
  schedulerOptions?: Readonly<Record<string, z.ZodType>>;
  /** Extra profile folders searched before the scenario's own `hardware-profiles/` and the built-in one. */
  profileDirs?: readonly string[];
}

/** Reads and parses a scenario file; throws InputError for an unreadable, empty or malformed file. */
export function readScenarioJson(file: string): unknown {
  return readJsonFile(file, "scenario file");
}

/**
 * Reads, validates and resolves a scenario file. `edit` may change the parsed document first
 * (command-line overrides), so the scenario hash describes what actually runs. Profiles are
 * looked up in `profileDirs`, then the scenario's own `hardware-profiles/` folder, then the
 * built-in one. Throws InputError listing every problem.
 */
export function loadScenarioFile(file: string, options: LoadOptions, edit?: (document: Record<string, unknown>) => void): ResolvedScenario {
  const json = readScenarioJson(file);
  if (edit !== undefined && json !== null && typeof json === "object" && !Array.isArray(json)) edit(json as Record<string, unknown>);
  return resolveScenarioFile(file, json, options);
}

/** Resolves the document already read from `file` (see loadScenarioFile): profiles and relative paths as for that file. */
export function resolveScenarioFile(file: string, json: unknown, options: LoadOptions): ResolvedScenario {
  const dirs = [...(options.profileDirs ?? []), join(dirname(file), "hardware-profiles"), BUILTIN_PROFILE_DIR];
  return resolveScenario(json, { ...options, profileDirs: dirs, baseDir: options.baseDir ?? dirname(file) }, file);
}

/** Validates a parsed JSON document and resolves it against the hardware profiles. */
export function resolveScenario(json: unknown, options: LoadOptions, source = "scenario"): ResolvedScenario {
  const kind = kindIssue(json);
  if (kind !== undefined) throw new InputError(source, [kind]);
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success) throw new InputError(source, toInputIssues(parsed.error, json, scenarioSchema));
  // Before the device groups are expanded: a scenario too large to hold is refused, not allocated.
  const scale = scenarioScaleIssues(parsed.data);
  if (scale.length > 0) throw new InputError(source, scale);
  const library = new ProfileLibrary(options.profileDirs ?? [BUILTIN_PROFILE_DIR]);
  const resolver = new Resolver(parsed.data, library, options.knownSchedulers, options.schedulerOptions, options.baseDir ?? process.cwd());
  const resolved = resolver.resolve(json);
  if (resolver.issues.length > 0) throw new InputError(source, resolver.issues);
  return resolved;
}

/** The `kind` of a language-model scenario; an edge (video) scenario has no `kind`. */
export const LLM_SCENARIO_KIND = "llm";

/**
 * A `kind` the loaders do not know (e.g. "LLM"): the one mistake to report, since every other
 * message would come from reading the file as the wrong kind of scenario.
 */
function kindIssue(json: unknown): InputIssue | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  if (!("kind" in json)) {
    // "routers" (and no "schedulers") is what only a language-model scenario has: "kind" was forgotten.
    if ("routers" in json && !("schedulers" in json)) return { path: "kind", value: undefined, expected: `"${LLM_SCENARIO_KIND}": the file has "routers", which only a language-model scenario has` };
    return undefined;
  }
  const kind = (json as Record<string, unknown>).kind;
  return { path: "kind", value: kind, expected: `a known scenario kind: ${suggestName(String(kind), [LLM_SCENARIO_KIND])} (an edge scenario has no "kind")` };
}

const DEFAULT_RESULT_BYTES = 1024;
// Consul's default check interval; the timeout is a short probe deadline.
const DEFAULT_HEALTH_CHECK_INTERVAL_MS = 10_000;
const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 1_000;
// An RGB frame JPEG-compressed about 10:1: a rough, documented default; scenarios should state frameBytes.
const DEFAULT_JPEG_RATIO = 10;

class Resolver {
  readonly issues: InputIssue[] = [];
  private readonly profiles: Record<string, HardwareProfile> = {};
  private readonly serviceClasses: ServiceClass[] = [];
  /** Device models no node's profile knows, reported at the devices (checkDeviceModels). */
  private readonly unknownModels = new Set<string>();

  constructor(
    private readonly doc: ScenarioDocument,
    private readonly library: ProfileLibrary,
    private readonly knownSchedulers: readonly string[],
    private readonly schedulerOptions: Readonly<Record<string, z.ZodType>> | undefined,
    private readonly baseDir: string,
  ) {}

  resolve(rawJson: unknown): ResolvedScenario {
    const doc = this.doc;
    if (!(doc.qosDeadline > 0)) this.fail("qosDeadline", doc.qosDeadline, "a positive duration");
    const { warmupMs, drainMs, binWidthMs } = checkTimes(doc, doc.duration + (doc.drain ?? 0) - (doc.warmup ?? 0), "the measured", this.issues);

    checkIds(doc.devices, doc.nodes, this.issues);
    const devices = this.resolveDevices();
    this.checkDeviceModels();
    const nodes = this.resolveNodes();
    const links = this.resolveLinks(devices, nodes);
    const schedulers = this.resolveSchedulers();
    this.checkBaselines(schedulers, devices, nodes);
    const healthCheckIntervalMs = doc.healthCheck?.interval ?? DEFAULT_HEALTH_CHECK_INTERVAL_MS;
    const healthCheckTimeoutMs = doc.healthCheck?.timeout ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS;
    if (!(healthCheckIntervalMs > 0)) this.fail("healthCheck.interval", doc.healthCheck?.interval, "a positive duration");
    if (!(healthCheckTimeoutMs >= 0)) this.fail("healthCheck.timeout", doc.healthCheck?.timeout, "a non-negative duration");
    const faults = this.resolveFaults(devices, nodes);
    const monitorDoc = doc.monitor ?? {};
    const monitor = {
      intervalMs: monitorDoc.interval ?? 1000,
      windowMs: monitorDoc.window ?? 5000,
      percentile: monitorDoc.percentile ?? 0.95,
      minSamples: monitorDoc.minSamples ?? 10,
      cooldownMs: monitorDoc.cooldown ?? 30_000,
    };
    if (!(monitor.intervalMs > 0)) this.fail("monitor.interval", monitorDoc.interval, "a positive duration");
    if (!(monitor.windowMs > 0)) this.fail("monitor.window", monitorDoc.window, "a positive duration");
    if (!(monitor.cooldownMs >= 0)) this.fail("monitor.cooldown", monitorDoc.cooldown, "a non-negative duration");
    const migration = {
      // No stored measurement of model load times: 1 s is an estimate for a small detector (docs/migration.md).
      modelLoadMs: doc.migration?.modelLoadTime ?? 1000,
      preloaded: doc.migration?.preloaded ?? false,
      stateBytes: doc.migration?.stateBytes ?? 0,
    };
    if (!(migration.modelLoadMs >= 0)) this.fail("migration.modelLoadTime", doc.migration?.modelLoadTime, "a non-negative duration");
    const hash = createHash("sha256")
      .update(canonicalJson({ scenario: rawJson, profiles: this.profiles }))
      .digest("hex");
    return deepFreeze({
      name: doc.name,
      description: doc.description ?? "",
      seed: doc.seed ?? 1,
      durationMs: doc.duration,
      warmupMs,
      drainMs,
      qosDeadlineMs: doc.qosDeadline,
      binWidthMs,
      hash,
      devices,
      nodes,
      links,
      serviceClasses: this.serviceClasses,
      schedulers,
      healthCheckIntervalMs,
      healthCheckTimeoutMs,
      faults,
      monitor,
      migration,
      profiles: this.profiles,
    });
  }

  /**
   * A device's model that no node's hardware profile knows is a typo in the model, not a fault of
   * every node: it is reported once, at the model, with the nearest model the profiles know, and
   * the nodes are not blamed for it.
   */
  private checkDeviceModels(): void {
    const profiled = this.doc.nodes.filter((node) => node.profile !== undefined && node.inferenceTime === undefined);
    const known = new Set<string>();
    for (const node of profiled) {
      const id = node.profile as string;
      if (!this.library.has(id)) continue;
      try {
        for (const model of Object.keys(this.library.get(id).models)) known.add(model);
      } catch (error) {
        // A broken profile is reported where the node uses it.
        if (!(error instanceof InputError)) throw error;
      }
    }
    if (known.size === 0) return;
    this.doc.devices.forEach((device, d) => {
      const model = device.workload.model;
      if (known.has(model)) return;
      this.unknownModels.add(model);
      this.fail(`devices[${d}].workload.model`, model, `a model the nodes' hardware profiles serve: ${suggestName(model, [...known].sort())}`);
    });
  }

  private fail(path: string, value: unknown, expected: string): void {
    this.issues.push({ path, value, expected });
  }

  private compile(spec: DistributionSpec, path: string): CompiledDistribution | undefined {
    return compileCollecting(spec, path, this.issues);
  }

  private profile(id: string, path: string): HardwareProfile | undefined {
    return lookupProfile(this.library, id, path, this.issues, this.profiles);
  }

  private serviceClass(model: string, frameSizePx: number): number {
    let index = this.serviceClasses.findIndex((c) => c.model === model && c.frameSizePx === frameSizePx);
    if (index < 0) {
      this.serviceClasses.push({ model, frameSizePx });
      index = this.serviceClasses.length - 1;
    }
    return index;
  }

  private resolveDevices(): ResolvedDevice[] {
    const devices: ResolvedDevice[] = [];
    this.doc.devices.forEach((device, position) => {
      const path = `devices[${position}]`;
      const deviceProfile = device.profile === undefined ? undefined : this.profile(device.profile, `${path}.profile`);
      const workload = this.resolveWorkload(device.workload, `${path}.workload`);
      const localService = this.localService(deviceProfile, workload, path);
      const count = device.count ?? 1;
      const trace = device.workload.type === "trace" ? this.traceTimes(device.workload, `${path}.workload`) : undefined;
      for (let i = 0; i < count; i++) {
        const id = count === 1 ? device.id : `${device.id}-${i}`;
        // A group shares one trace: its rows are dealt to the devices in turn.
        const arrivalTimes = trace === undefined ? undefined : trace.filter((_, row) => row % count === i);
        devices.push({ id, group: device.id, index: devices.length, profile: device.profile, workload, localService, arrivalTimes });
      }
    });
    return devices;
  }

  private traceTimes(workload: { file: string; timeColumn: string; timeUnit?: TimeUnit }, path: string): Float64Array | undefined {
    try {
      const table = readTraceTable(workload.file, this.baseDir, `${path}.file`);
      return readTraceTimes(table, workload.timeColumn, workload.timeUnit ?? "s", `${path}.timeColumn`);
    } catch (error) {
      if (error instanceof InputError) {
        for (const issue of error.issues) this.fail(issue.path, issue.value, `${issue.expected} (${error.source})`);
        return undefined;
      }
      throw error;
    }
  }

  /** The device's own CPU path for its model, if its profile has one. */
  private localService(profile: HardwareProfile | undefined, workload: ResolvedWorkload, path: string): NodeService | undefined {
    const service = profile?.models[workload.model];
    if (service?.cpu === undefined) return undefined;
    const fromCurve = (curve: ServiceCurve): CompiledDistribution | undefined => {
      const mean = meanServiceMs(curve, workload.frameSizePx);
      return this.compile(curve.cv === 0 ? mean : { dist: "lognormal", mean, cv: curve.cv }, `${path}.profile`);
    };
    const inference = fromCurve(service.cpu);
    const preprocessing = service.preprocessing === undefined ? compileDistribution(0, path) : fromCurve(service.preprocessing);
    if (inference === undefined || preprocessing === undefined) return undefined;
    return { preprocessing, inference };
  }

  private resolveWorkload(workload: ScenarioDocument["devices"][number]["workload"], path: string): ResolvedWorkload {
    if (workload.type === "video") {
      const periodMs = 1000 / workload.fps;
      const frameBytes = workload.frameBytes ?? Math.round((workload.frameSizePx * workload.frameSizePx * 3) / DEFAULT_JPEG_RATIO);
      return {
        type: "video",
        model: workload.model,
        frameSizePx: workload.frameSizePx,
        serviceClass: this.serviceClass(workload.model, workload.frameSizePx),
        periodMs,
        jitter: workload.jitter === undefined ? undefined : this.compile(workload.jitter, `${path}.jitter`),
        interarrival: undefined,
        startOffset: workload.startOffset === undefined ? this.compile({ dist: "uniform", low: 0, high: periodMs }, `${path}.startOffset`) : this.compile(workload.startOffset, `${path}.startOffset`),
        requestBytes: frameBytes,
        resultBytes: workload.resultBytes ?? DEFAULT_RESULT_BYTES,
      };
    }
    const frameSizePx = workload.frameSizePx ?? 300;
    if (workload.type === "trace") {
      return {
        type: "trace",
        model: workload.model,
        frameSizePx,
        serviceClass: this.serviceClass(workload.model, frameSizePx),
        periodMs: undefined,
        jitter: undefined,
        interarrival: undefined,
        startOffset: undefined,
        requestBytes: workload.requestBytes ?? 0,
        resultBytes: workload.resultBytes ?? 0,
      };
    }
    return {
      type: "arrivals",
      model: workload.model,
      frameSizePx,
      serviceClass: this.serviceClass(workload.model, frameSizePx),
      periodMs: undefined,
      jitter: undefined,
      interarrival: this.compile(workload.interarrival, `${path}.interarrival`),
      startOffset: workload.startOffset === undefined ? undefined : this.compile(workload.startOffset, `${path}.startOffset`),
      requestBytes: workload.requestBytes ?? 0,
      resultBytes: workload.resultBytes ?? 0,
    };
  }

  private resolveNodes(): ResolvedNode[] {
    const nodes: ResolvedNode[] = [];
    this.doc.nodes.forEach((node, index) => {
      const path = `nodes[${index}]`;
      let profile: HardwareProfile | undefined;
      if (node.profile !== undefined) profile = this.profile(node.profile, `${path}.profile`);
      else if (node.inferenceTime === undefined) this.fail(`${path}.profile`, undefined, "a hardware profile id, or an inferenceTime distribution for an abstract server");
      const hasAccelerator = profile !== undefined && profile.accelerator.kind !== "none";
      const path_ = node.path ?? (hasAccelerator ? "accelerator" : "cpu");
      if (node.path === "accelerator" && profile !== undefined && !hasAccelerator) {
        this.fail(`${path}.path`, node.path, `"cpu": profile "${node.profile}" has no accelerator`);
      }
      const slots = node.slots ?? (path_ === "accelerator" ? (profile?.accelerator.slots ?? 1) : 1);
      if (node.cpuSlots !== undefined && path_ !== "accelerator") this.fail(`${path}.cpuSlots`, node.cpuSlots, "no cpuSlots on the CPU path (preprocessing and inference share the slot there)");
      const cpuSlots = path_ === "accelerator" ? (node.cpuSlots ?? profile?.cpu.cores ?? 1) : 0;
      const service = this.serviceClasses.map((serviceClass) => this.nodeService(node, profile, path_, serviceClass, path));
      if (profile !== undefined) this.checkModelMemory(profile, path);
      nodes.push({
        id: node.id,
        index,
        profile: node.profile ?? null,
        path: path_,
        slots,
        cpuSlots,
        queueCapacity: node.queueCapacity ?? Infinity,
        backgroundLoad: (node.backgroundLoad ?? []).flatMap((load, l) => {
          if ("trace" in load) {
            // A trace is a staircase: each point's slowdown holds until the next point.
            return load.trace.map(([at, slowdown], k) => {
              const next = load.trace[k + 1]?.[0] ?? Infinity;
              if (!(next > at) || at < 0) this.fail(`${path}.backgroundLoad[${l}].trace[${k + 1}][0]`, next, `a time after ${at} ms (points in increasing time)`);
              return { fromMs: at, toMs: next, slowdown, rampTo: undefined };
            });
          }
          const toMs = load.to ?? Infinity;
          if (!(toMs > load.from) || load.from < 0) this.fail(`${path}.backgroundLoad[${l}].to`, load.to, `a time after from (${load.from} ms)`);
          if (load.rampTo !== undefined && toMs === Infinity) this.fail(`${path}.backgroundLoad[${l}].to`, undefined, "an end time for a ramp");
          return [{ fromMs: load.from, toMs, slowdown: load.slowdown, rampTo: load.rampTo }];
        }),
        power: profile?.power === undefined ? undefined : { idleW: profile.power.idleW, busyW: profile.power.busyW },
        role: node.role ?? (profile?.role === "cloud" ? "cloud" : "edge"),
        service,
      });
    });
    return nodes;
  }

  /** Every model the devices use is loaded on each node that may serve it: their footprints must fit in its memory. */
  private checkModelMemory(profile: HardwareProfile, path: string): void {
    const models = [...new Set(this.serviceClasses.map((serviceClass) => serviceClass.model))];
    const sizes = models.map((model) => [model, profile.models[model]?.memoryMiB] as const).filter(([, size]) => size !== undefined) as [string, number][];
    const total = sizes.reduce((sum, [, size]) => sum + size, 0);
    if (total > profile.memoryMiB) {
      const listed = sizes.map(([model, size]) => `${model} ${size} MiB`).join(" + ");
      this.fail(`${path}.profile`, profile.id, `a node with room for its models: ${listed} = ${total} MiB exceeds the ${profile.memoryMiB} MiB of "${profile.id}"`);
    }
  }

  private nodeService(node: ScenarioDocument["nodes"][number], profile: HardwareProfile | undefined, inferencePath: "accelerator" | "cpu", serviceClass: ServiceClass, path: string): NodeService {
    const zero = compileDistribution(0, path);
    const fromCurve = (curve: ServiceCurve): CompiledDistribution | undefined => {
      const mean = meanServiceMs(curve, serviceClass.frameSizePx);
      return this.compile(curve.cv === 0 ? mean : { dist: "lognormal", mean, cv: curve.cv }, path);
    };
    const modelService = profile?.models[serviceClass.model];
    let inference: CompiledDistribution | undefined;
    if (node.inferenceTime !== undefined) inference = this.compile(node.inferenceTime, `${path}.inferenceTime`);
    else if (profile !== undefined) {
      const curve = modelService?.[inferencePath];
      if (curve === undefined && this.unknownModels.has(serviceClass.model)) {
        // Reported once, at the device's model (checkDeviceModels).
      } else if (curve === undefined) {
        const known = Object.entries(profile.models)
          .filter(([, service]) => service[inferencePath] !== undefined)
          .map(([model]) => model);
        this.fail(
          `${path}.profile`,
          node.profile,
          `a profile with ${inferencePath === "accelerator" ? "an" : "a"} ${inferencePath} service time for model "${serviceClass.model}" (used by a device), or nodes[].inferenceTime; this profile knows: ${known.join(", ") || "none"}`,
        );
      } else inference = fromCurve(curve);
    }
    let preprocessing: CompiledDistribution | undefined;
    if (node.preprocessingTime !== undefined) preprocessing = this.compile(node.preprocessingTime, `${path}.preprocessingTime`);
    else if (node.inferenceTime !== undefined) preprocessing = zero;
    else if (modelService?.preprocessing !== undefined) preprocessing = fromCurve(modelService.preprocessing);
    else preprocessing = zero;
    return { preprocessing: preprocessing ?? zero, inference: inference ?? zero };
  }

  private resolveLinks(devices: ResolvedDevice[], nodes: ResolvedNode[]): ResolvedLink[][] {
    const network = this.doc.network ?? {};
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

    type Params = NonNullable<typeof network.default>;
    const defaults: Params = network.default ?? {};
    const perLink: (Params | undefined)[][] = devices.map(() => nodes.map(() => undefined));
    const baseLatency: (number | undefined)[][] = devices.map(() => nodes.map(() => undefined));

    const matrix = network.latencyMatrix;
    if (matrix !== undefined) {
      if (matrix.values.length !== matrix.rows.length) {
        this.fail("network.latencyMatrix.values", `${matrix.values.length} rows`, `${matrix.rows.length} rows, one per entry of rows`);
      }
      matrix.rows.forEach((row, r) => {
        const members = groupMembers.get(row);
        if (members === undefined) this.fail(`network.latencyMatrix.rows[${r}]`, row, `a device id: ${knownDevices(row)}`);
        const values = matrix.values[r] ?? [];
        if (values.length !== matrix.columns.length) {
          this.fail(`network.latencyMatrix.values[${r}]`, values, `${matrix.columns.length} values, one per column`);
        }
        matrix.columns.forEach((column, c) => {
          const n = nodeIndex.get(column);
          if (n === undefined) {
            if (r === 0) this.fail(`network.latencyMatrix.columns[${c}]`, column, `a node id: ${knownNodes(column)}`);
            return;
          }
          if (values[c] !== undefined && values[c] < 0) this.fail(`network.latencyMatrix.values[${r}][${c}]`, values[c], "a non-negative latency");
          for (const d of members ?? []) baseLatency[d][n] = values[c];
        });
      });
    }

    (network.links ?? []).forEach((link, index) => {
      const path = `network.links[${index}].between`;
      const [deviceId, nodeId] = link.between;
      const members = groupMembers.get(deviceId);
      const n = nodeIndex.get(nodeId);
      if (members === undefined) this.fail(`${path}[0]`, deviceId, `a device id: ${knownDevices(deviceId)}`);
      if (n === undefined) this.fail(`${path}[1]`, nodeId, `a node id: ${knownNodes(nodeId)}`);
      if (members === undefined || n === undefined) return;
      for (const d of members) perLink[d][n] = link;
    });

    const estimateStreams = new RandomStreams("nominal-latency");
    const cache = new Map<string, ResolvedLink>();
    const byOrigin = new Map<string, ResolvedLink>();
    return devices.map((device) =>
      nodes.map((node) => {
        const specific = perLink[device.index][node.index];
        const pathOf = (key: string): string => {
          if (specific?.[key as keyof Params] !== undefined) {
            const linkIndex = (network.links ?? []).indexOf(specific as (typeof network.links & object)[number]);
            return `network.links[${linkIndex}].${key}`;
          }
          return `network.default.${key}`;
        };
        // Most pairs share their parameters: look them up by where they come from before hashing the specs.
        const origin = `${specific === undefined ? -1 : (network.links ?? []).indexOf(specific as (typeof network.links & object)[number])}|${baseLatency[device.index][node.index] ?? ""}`;
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
        const latency = this.compile(latencySpec, pathOf("latency")) ?? compileDistribution(0, "");
        const jitter = jitterSpec === undefined ? undefined : this.compile(jitterSpec, pathOf("jitter"));
        let bytesPerMs = Infinity;
        if (bandwidthSpec !== undefined && bandwidthSpec !== null) {
          const bitsPerSecond = parseBandwidth(bandwidthSpec);
          if (bitsPerSecond === undefined) this.fail(pathOf("bandwidth"), bandwidthSpec, 'a bandwidth: bits per second, or a string such as "100 Mbit/s"');
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

  private resolveFaults(devices: ResolvedDevice[], nodes: ResolvedNode[]): ResolvedFault[] {
    return resolveFaults(this.doc.faults ?? [], devices, nodes, this.issues);
  }

  /** The baselines need something to run on: a cloud node, or devices able to run their model. */
  private checkBaselines(schedulers: SchedulerEntry[], devices: ResolvedDevice[], nodes: ResolvedNode[]): void {
    const index = (name: string) => this.doc.schedulers.findIndex((entry) => normaliseSchedulerEntry(entry).name === name);
    // A node whose profile has a problem may be the cloud node: no second problem about its absence.
    const roleUnknown = this.doc.nodes.some((node) => node.role === undefined && node.profile !== undefined && this.profiles[node.profile] === undefined);
    if (schedulers.some((s) => s.name === "cloud-only") && !roleUnknown && !nodes.some((node) => node.role === "cloud")) {
      this.fail(`schedulers[${index("cloud-only")}]`, "cloud-only", 'a scenario with a cloud node (a profile of role "cloud", or nodes[].role "cloud")');
    }
    if (schedulers.some((s) => s.name === "local-only")) {
      const groups = new Set<string>();
      for (const device of devices) {
        // Not again for a device whose profile or model is already reported.
        const reported = (device.profile !== undefined && this.profiles[device.profile] === undefined) || this.unknownModels.has(device.workload.model);
        if (device.localService !== undefined || groups.has(device.group) || reported) continue;
        groups.add(device.group);
        const position = this.doc.devices.findIndex((d) => d.id === device.group);
        this.fail(`devices[${position}].profile`, device.profile, `a device profile with model "${device.workload.model}" on its CPU path, for local-only`);
      }
    }
  }

  private resolveSchedulers(): SchedulerEntry[] {
    const entries: SchedulerEntry[] = [];
    const labels = new Set<string>();
    this.doc.schedulers.forEach((entry, index) => {
      const normal = normaliseSchedulerEntry(entry);
      const name = normal.name;
      const path = typeof entry === "string" ? `schedulers[${index}]` : "name" in entry ? `schedulers[${index}].name` : `schedulers[${index}].policy`;
      if (!this.knownSchedulers.includes(name)) {
        this.fail(path, name, `a known scheduler: ${suggestName(name, [...this.knownSchedulers].sort())}`);
        return;
      }
      const label = normal.label;
      if (labels.has(label)) this.fail(`schedulers[${index}]`, entry, `a label not used by another entry ("${label}"); add "label"`);
      labels.add(label);
      const raw = normal.options;
      let options: Record<string, unknown> = raw;
      if (this.schedulerOptions !== undefined && name !== "module") {
        const schema = this.schedulerOptions[name];
        const optionsPath = typeof entry !== "string" && "policy" in entry ? `schedulers[${index}]` : `schedulers[${index}].options`;
        if (schema === undefined) {
          for (const key of Object.keys(raw)) this.fail(`${optionsPath}.${key}`, raw[key], `no such option: ${name} takes no options`);
        } else {
          const parsed = schema.safeParse(raw);
          if (parsed.success) options = parsed.data as Record<string, unknown>;
          else for (const issue of toInputIssues(parsed.error, raw, schema)) this.issues.push({ ...issue, path: issue.path === "" ? optionsPath : `${optionsPath}.${issue.path}` });
        }
      }
      entries.push({ name, label, options });
    });
    return entries;
  }
}

type SchedulerDocument = ScenarioDocument["schedulers"][number];

/**
 * One shape for every way a scenario names a policy: "name", {name, label, options},
 * {policy: "module", path, options} (a module policy: name "module", options {path, options}),
 * and {policy: "external", command, ...} (name "external", the other keys as options).
 */
function normaliseSchedulerEntry(entry: SchedulerDocument): { name: string; label: string; options: Record<string, unknown> } {
  if (typeof entry === "string") return { name: entry, label: entry, options: {} };
  if ("name" in entry) return { name: entry.name, label: entry.label ?? entry.name, options: entry.options ?? {} };
  if (entry.policy === "module") {
    const base =
      entry.path
        .split("/")
        .pop()
        ?.replace(/\.[cm]?[jt]s$/, "") ?? "module";
    return { name: "module", label: entry.label ?? base, options: { path: entry.path, options: entry.options ?? {} } };
  }
  const { policy: _policy, label, ...options } = entry;
  return { name: "external", label: label ?? "external", options };
}

/**
 * Warm-up, drain and time-bin width, each checked only when what it depends on is valid: a bad
 * duration is one mistake, not also a bad warm-up and a bad bin width. `windowMs` is the span the
 * bins cover ("the measured" window of an edge run, the arrivals of a language-model run).
 */
export function checkTimes(
  doc: { duration: number; warmup?: number; drain?: number; metrics?: { binWidth?: number } },
  windowMs: number,
  windowName: string,
  issues: InputIssue[],
): { warmupMs: number; drainMs: number; binWidthMs: number } {
  const fail = (path: string, value: unknown, expected: string): void => void issues.push({ path, value, expected });
  const durationOk = doc.duration > 0;
  if (!durationOk) fail("duration", doc.duration, "a positive duration");
  const warmupMs = doc.warmup ?? 0;
  const warmupOk = warmupMs >= 0 && (!durationOk || warmupMs < doc.duration);
  if (!warmupOk) fail("warmup", doc.warmup, durationOk ? `a duration from 0 up to (not including) the duration (${doc.duration} ms)` : "a non-negative duration");
  const drainMs = doc.drain ?? 0;
  const drainOk = drainMs >= 0;
  if (!drainOk) fail("drain", doc.drain, "a non-negative duration");
  const binWidth = doc.metrics?.binWidth;
  const binWidthMs = binWidth ?? (durationOk && warmupOk && drainOk ? defaultBinWidthMs(windowMs) : 1);
  if (binWidth !== undefined && !(binWidth > 0)) fail("metrics.binWidth", binWidth, "a positive duration");
  else if (durationOk && warmupOk && drainOk && windowMs / binWidthMs > MAX_TIME_BINS) {
    fail("metrics.binWidth", binWidth, `a duration giving at most ${MAX_TIME_BINS} bins over ${windowName} ${windowMs} ms`);
  }
  return { warmupMs, drainMs, binWidthMs };
}

/** JSON with object keys sorted, so the hash does not depend on key order in the file. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}

function deepFreeze<T>(value: T): T {
  // Typed arrays (trace arrival times) cannot be frozen; they are never handed out for writing.
  if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
