import { createHash } from "node:crypto";
import { InputError, type InputIssue } from "../errors.js";
import { RandomStreams } from "../engine/rng.js";
import type { DistributionSpec } from "../random/distribution-spec.js";
import { compileDistribution, meanOf, type CompiledDistribution } from "../random/distributions.js";
import { parseBandwidth } from "../scenario/bandwidth.js";
import { BUILTIN_PROFILE_DIR, ProfileLibrary } from "../scenario/profiles.js";
import { LLM_PATHS, type HardwareProfile, type LlmPathName } from "../scenario/profile-schema.js";
import type { ResolvedLink } from "../scenario/resolved.js";
import { canonicalJson, checkTimes, LLM_SCENARIO_KIND } from "../scenario/resolve.js";
import { checkIds, compileCollecting, lookupProfile } from "../scenario/input-lookups.js";
import { suggestName } from "../text/nearest-name.js";
import { resolveFaults } from "../scenario/resolve-faults.js";
import { toInputIssues } from "../scenario/zod-issues.js";
import { LLM_MODELS, QUANTIZATIONS, RUNTIME_OVERHEAD_MIB, kvBytesPerToken, servingMemoryMiB, weightBytes, type Quantization } from "./model-catalog.js";
import { DEFAULT_QUALITY } from "./quality.js";
import { type QueryTrace, readQueryTrace } from "./query-trace.js";
import { scenarioScaleIssues } from "../run/work-estimate.js";
import type { LlmDevice, LlmNode, LlmRouterEntry, LlmWorkload, PipelineStageSpec, ResolvedLlmScenario, ServingSpec } from "./resolved.js";
import { ROUTER_OPTIONS, ROUTERS } from "./routers/registry.js";
import { llmScenarioSchema, type LlmScenarioDocument } from "./scenario-schema.js";

export interface LlmLoadOptions {
  /** Folder relative trace paths are read from. */
  baseDir?: string;
  profileDirs?: readonly string[];
}

/** True when a parsed JSON document is a language-model scenario. */
export function isLlmScenario(json: unknown): boolean {
  return json !== null && typeof json === "object" && !Array.isArray(json) && (json as Record<string, unknown>).kind === LLM_SCENARIO_KIND;
}

/** Validates an llm scenario and resolves it against the hardware profiles; throws InputError listing every problem. */
export function resolveLlmScenario(json: unknown, options: LlmLoadOptions, source = "scenario"): ResolvedLlmScenario {
  const parsed = llmScenarioSchema.safeParse(json);
  if (!parsed.success) throw new InputError(source, toInputIssues(parsed.error, json, llmScenarioSchema));
  // Before the device groups are expanded: a scenario too large to hold is refused, not allocated.
  const scale = scenarioScaleIssues(parsed.data);
  if (scale.length > 0) throw new InputError(source, scale);
  const resolver = new LlmResolver(parsed.data, new ProfileLibrary(options.profileDirs ?? [BUILTIN_PROFILE_DIR]), options.baseDir ?? process.cwd());
  const resolved = resolver.resolve(json);
  if (resolver.issues.length > 0) throw new InputError(source, resolver.issues);
  return resolved;
}

const DEFAULT_CONTEXT_TOKENS = 4096;
// As in video scenarios: Consul's default check interval, a short probe deadline.
const DEFAULT_HEALTH_CHECK_INTERVAL_MS = 10_000;
const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 1_000;
const DEFAULT_BYTES_PER_TOKEN = 4;
const DEFAULT_REQUEST_OVERHEAD_BYTES = 500;
const DEFAULT_REQUESTS_PER_USER_PER_DAY = 15;
const DEFAULT_OUTPUT_SHARE = 0.1;
const DEFAULT_STAGE_COMPLEXITY = 0.5;
const DAY_MS = 86_400_000;
/** Preference when a model is on several paths of one profile. */
const PATH_PREFERENCE: readonly LlmPathName[] = ["gpu", "npu", "cloud", "cpu"];

class LlmResolver {
  readonly issues: InputIssue[] = [];
  private readonly profiles: Record<string, HardwareProfile> = {};

  constructor(
    private readonly doc: LlmScenarioDocument,
    private readonly library: ProfileLibrary,
    private readonly baseDir: string,
  ) {}

  private fail(path: string, value: unknown, expected: string): void {
    this.issues.push({ path, value, expected });
  }

  resolve(rawJson: unknown): ResolvedLlmScenario {
    const doc = this.doc;
    const { warmupMs, drainMs, binWidthMs } = checkTimes(doc, doc.duration - (doc.warmup ?? 0), "the measured arrivals'", this.issues);
    if (doc.qos.ttft === undefined && doc.qos.total === undefined) this.fail("qos", doc.qos, "a ttft or a total deadline (or both)");
    for (const key of ["ttft", "total"] as const) {
      const value = doc.qos[key];
      if (value !== undefined && !(value > 0)) this.fail(`qos.${key}`, value, "a positive duration");
    }
    const contextTokens = doc.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
    checkIds(doc.devices, doc.nodes, this.issues);

    // A node's role is known from its profile even when its model has a problem; undefined: its profile has one.
    const roles: ("edge" | "cloud" | undefined)[] = [];
    const nodes = doc.nodes.map((node, index): LlmNode | undefined => {
      const profile = this.profile(node.profile, `nodes[${index}].profile`);
      roles[index] = node.role ?? (profile === undefined ? undefined : profile.role === "cloud" ? "cloud" : "edge");
      if (profile === undefined) return undefined;
      const role = roles[index] as "edge" | "cloud";
      const serving = this.serving(profile, node.serve, `nodes[${index}]`, {
        maxBatch: node.maxBatch,
        queueCapacity: node.queueCapacity,
        contextTokens: node.contextTokens ?? contextTokens,
        explicitContext: node.contextTokens !== undefined,
      });
      if (serving === undefined) return undefined;
      return { id: node.id, index, profile: node.profile, role, serving, costUsdPerHour: node.costUsdPerHour ?? 0 };
    });
    const nodeIds = new Map<string, number>();
    doc.nodes.forEach((node, index) => {
      if (!nodeIds.has(node.id)) nodeIds.set(node.id, index);
    });
    const roleOf = (index: number): string | undefined => roles[index];

    let cloudNode: number | undefined;
    if (doc.cloudNode !== undefined) {
      cloudNode = nodeIds.get(doc.cloudNode);
      if (cloudNode === undefined) this.fail("cloudNode", doc.cloudNode, `a node id: ${suggestName(doc.cloudNode, [...nodeIds.keys()])}`);
    } else {
      const clouds = doc.nodes.map((_, i) => i).filter((i) => roleOf(i) === "cloud");
      if (clouds.length === 1) cloudNode = clouds[0];
      else if (clouds.length > 1) this.fail("cloudNode", undefined, `the node the cloud route uses: several nodes have role cloud (${clouds.map((i) => doc.nodes[i].id).join(", ")})`);
    }
    const edgeNodes = doc.nodes.map((_, i) => i).filter((i) => i !== cloudNode && roleOf(i) !== "cloud");

    const routers = this.routers();
    const needsLocal = routers.find((r) => r.name !== "cloud-only");
    const needsCloud = routers.find((r) => r.name !== "local-only");
    // A node whose profile has a problem may be the cloud node: no second problem about its absence.
    if (cloudNode === undefined && needsCloud !== undefined && !roles.includes(undefined)) {
      this.fail(
        "nodes",
        doc.nodes.map((n) => n.id),
        `a node with role cloud (or cloudNode): router "${needsCloud.label}" can send queries to the cloud`,
      );
    }

    const devices: LlmDevice[] = [];
    doc.devices.forEach((device, d) => {
      const path = `devices[${d}]`;
      const count = device.count ?? 1;
      let localServing: ServingSpec | undefined;
      if (device.localModel !== undefined) {
        if (device.profile === undefined) this.fail(`${path}.profile`, undefined, "a hardware profile: the device has a localModel");
        else {
          const profile = this.profile(device.profile, `${path}.profile`);
          if (profile !== undefined) localServing = this.serving(profile, device.localModel, path, { contextTokens, serveKey: "localModel" });
        }
        if (device.localNodes !== undefined) this.fail(`${path}.localNodes`, device.localNodes, "no localNodes with a localModel (the local route is the device itself)");
      }
      let localNodes: number[] = [];
      if (device.localModel === undefined) {
        if (device.localNodes !== undefined) {
          device.localNodes.forEach((id, i) => {
            const index = nodeIds.get(id);
            if (index === undefined) this.fail(`${path}.localNodes[${i}]`, id, `a node id: ${suggestName(id, [...nodeIds.keys()])}`);
            else if (index === cloudNode) this.fail(`${path}.localNodes[${i}]`, id, "an edge node, not the cloud node");
            else localNodes.push(index);
          });
        } else localNodes = edgeNodes;
        if (localNodes.length === 0 && needsLocal !== undefined) {
          this.fail(`${path}`, device.id, `a localModel or an edge node for the local route (router "${needsLocal.label}" can route locally)`);
        }
      }
      const workloads = this.workloads(device.workload, `${path}.workload`, count, nodeIds);
      for (let k = 0; k < count; k++) {
        const id = count === 1 ? device.id : `${device.id}-${k}`;
        const workload = workloads?.[k];
        if (workload === undefined) continue;
        devices.push({ id, group: device.id, index: devices.length, profile: device.profile, localServing, localNodes, workload });
      }
    });

    const links = this.links(
      devices,
      doc.nodes.map((n) => n.id),
    );
    const healthCheckIntervalMs = doc.healthCheck?.interval ?? DEFAULT_HEALTH_CHECK_INTERVAL_MS;
    const healthCheckTimeoutMs = doc.healthCheck?.timeout ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS;
    if (!(healthCheckIntervalMs > 0)) this.fail("healthCheck.interval", doc.healthCheck?.interval, "a positive duration");
    if (!(healthCheckTimeoutMs >= 0)) this.fail("healthCheck.timeout", doc.healthCheck?.timeout, "a non-negative duration");
    const faults = resolveFaults(
      doc.faults ?? [],
      devices,
      doc.nodes.map((node, index) => ({ id: node.id, index })),
      this.issues,
    );
    const resolvedNodes = nodes.filter((n): n is LlmNode => n !== undefined);
    if (this.issues.length > 0) return undefined as unknown as ResolvedLlmScenario;

    // A group's devices share their workload and their links: one check per group, on its first device.
    const firstOfGroup = new Map<string, LlmDevice>();
    for (const device of devices) if (!firstOfGroup.has(device.group)) firstOfGroup.set(device.group, device);
    doc.devices.forEach((entry, d) => {
      const first = firstOfGroup.get(entry.id);
      if (first !== undefined) this.checkPipelineReference(first, d, resolvedNodes, links);
    });

    const collaboration = doc.collaboration ?? {};
    const hash = createHash("sha256")
      .update(canonicalJson({ scenario: rawJson, profiles: this.profiles }))
      .digest("hex");
    return {
      kind: "llm",
      name: doc.name,
      description: doc.description ?? "",
      seed: doc.seed ?? 1,
      durationMs: doc.duration,
      warmupMs,
      drainMs,
      loadScale: doc.loadScale ?? 1,
      binWidthMs,
      ttftDeadlineMs: doc.qos.ttft ?? Infinity,
      totalDeadlineMs: doc.qos.total ?? Infinity,
      hash,
      devices,
      nodes: resolvedNodes,
      links,
      cloudNode,
      bytesPerToken: doc.network?.bytesPerToken ?? DEFAULT_BYTES_PER_TOKEN,
      requestOverheadBytes: doc.network?.requestOverheadBytes ?? DEFAULT_REQUEST_OVERHEAD_BYTES,
      collaboration: {
        draftRatio: collaboration.draftRatio ?? 0.25,
        instructionTokens: collaboration.instructionTokens ?? 50,
        qualityFactor: collaboration.qualityFactor ?? 0.95,
      },
      quality: {
        intercept: doc.quality?.intercept ?? DEFAULT_QUALITY.intercept,
        slope: doc.quality?.slope ?? DEFAULT_QUALITY.slope,
        steepness: doc.quality?.steepness ?? DEFAULT_QUALITY.steepness,
      },
      electricityUsdPerKWh: doc.electricityUsdPerKWh ?? 0,
      faults,
      healthCheckIntervalMs,
      healthCheckTimeoutMs,
      routers,
    };
  }

  private profile(id: string, path: string): HardwareProfile | undefined {
    return lookupProfile(this.library, id, path, this.issues, this.profiles);
  }

  /** The serving spec of a model on a profile, with the memory check: a model that does not fit is refused here, not slowed down. */
  private serving(
    profile: HardwareProfile,
    ref: { model: string; quantization: string; path?: LlmPathName },
    path: string,
    settings: { maxBatch?: number; queueCapacity?: number; contextTokens: number; explicitContext?: boolean; serveKey?: string },
  ): ServingSpec | undefined {
    const key = `${path}.${settings.serveKey ?? "serve"}`;
    const llm = profile.llm;
    if (llm === undefined) {
      this.fail(key, ref, `a profile that serves language models (profile "${profile.id}" has no llm section)`);
      return undefined;
    }
    const withModel = LLM_PATHS.filter((p) => llm[p]?.models[ref.model] !== undefined);
    let pathName = ref.path;
    if (pathName === undefined) pathName = PATH_PREFERENCE.find((p) => withModel.includes(p));
    const pathProfile = pathName === undefined ? undefined : llm[pathName];
    const modelRates = pathProfile?.models[ref.model];
    if (pathName === undefined || pathProfile === undefined || modelRates === undefined) {
      const onPath = ref.path === undefined ? LLM_PATHS : [ref.path];
      const known = [...new Set(onPath.flatMap((p) => Object.keys(llm[p]?.models ?? {})))];
      this.fail(`${key}.model`, ref.model, `a model of profile "${profile.id}"${ref.path ? ` on its ${ref.path} path` : ""}: ${suggestName(ref.model, known)}`);
      return undefined;
    }
    const rate = modelRates[ref.quantization];
    if (rate === undefined) {
      this.fail(`${key}.quantization`, ref.quantization, `a quantization profile "${profile.id}" gives for ${ref.model} on ${pathName}: ${suggestName(ref.quantization, Object.keys(modelRates))}`);
      return undefined;
    }
    const catalogue = LLM_MODELS[ref.model];
    const paramsB = catalogue?.paramsB ?? rate.paramsB;
    if (paramsB === undefined) {
      this.fail(`${key}.model`, ref.model, `a model of the catalogue (src/llm/model-catalog.ts) or a profile rate with paramsB`);
      return undefined;
    }
    const maxBatch = settings.maxBatch ?? pathProfile.maxBatch;
    let memoryMiB = 0;
    if (pathProfile.usableMemoryMiB !== undefined) {
      if (catalogue === undefined || !(ref.quantization in QUANTIZATIONS)) {
        this.fail(`${key}.model`, ref.model, "a catalogue model with a known quantization: its memory must be checked on this path");
        return undefined;
      }
      const quantization = ref.quantization as Quantization;
      memoryMiB = servingMemoryMiB(catalogue, quantization, settings.contextTokens, maxBatch);
      if (memoryMiB > pathProfile.usableMemoryMiB) {
        const weights = weightBytes(catalogue, quantization) / 1024 ** 2;
        const kv = (kvBytesPerToken(catalogue) * settings.contextTokens * maxBatch) / 1024 ** 2;
        this.fail(
          key,
          ref,
          `a model that fits in the ${pathProfile.usableMemoryMiB} MiB usable on ${profile.id} (${pathName}): ${ref.model} ${ref.quantization} needs ${Math.round(memoryMiB)} MiB ` +
            `(weights ${Math.round(weights)} + KV cache ${Math.round(kv)} for ${maxBatch} x ${settings.contextTokens} tokens + runtime ${RUNTIME_OVERHEAD_MIB}); ` +
            "use a smaller model or quantization, a smaller maxBatch or contextTokens",
        );
        return undefined;
      }
    }
    const independentStreams = pathName === "cloud";
    return {
      model: ref.model,
      quantization: ref.quantization,
      path: pathName,
      paramsB,
      prefillTokensPerMs: rate.prefillTokensPerS / 1000,
      decodeTokensPerMs: rate.decodeTokensPerS / 1000,
      requestOverheadMs: rate.requestOverheadMs ?? 0,
      maxBatch,
      decodeSpeedup: pathProfile.decodeSpeedup ?? [1],
      prefillSpeedup: pathProfile.prefillSpeedup ?? [1],
      independentStreams,
      queueCapacity: settings.queueCapacity ?? Infinity,
      // A cloud endpoint's window is the provider's, not reserved here: only a node's stated context limits it.
      contextTokens: pathProfile.usableMemoryMiB === undefined && settings.explicitContext !== true ? Infinity : settings.contextTokens,
      inputUsdPerToken: (rate.inputUsdPerMTok ?? 0) / 1e6,
      outputUsdPerToken: (rate.outputUsdPerMTok ?? 0) / 1e6,
      memoryMiB,
      usableMemoryMiB: pathProfile.usableMemoryMiB,
      ramMiB: profile.memoryMiB,
      power: profile.power === undefined ? undefined : { idleW: profile.power.idleW, busyW: profile.power.busyW },
    };
  }

  private compile(spec: DistributionSpec, path: string): CompiledDistribution | undefined {
    return compileCollecting(spec, path, this.issues);
  }

  /**
   * A token count: a constant must be a positive whole number (a distribution's draws are rounded,
   * at least 1, as documented). Silently turning -5 tokens into 1 would hide a mistake.
   */
  private tokens(spec: DistributionSpec, path: string): CompiledDistribution | undefined {
    const compiled = this.compile(spec, path);
    if (compiled?.isConstant !== true) return compiled;
    const value = compiled.exactMean ?? Number.NaN;
    if (Number.isInteger(value) && value >= 1) return compiled;
    this.fail(path, spec, "a positive whole number of tokens (or a distribution of them)");
    return undefined;
  }

  /** A complexity score: a constant must lie in [0, 1] (a distribution's draws are clamped to it, as documented). */
  private complexity(spec: DistributionSpec, path: string): CompiledDistribution | undefined {
    const compiled = this.compile(spec, path);
    if (compiled?.isConstant !== true) return compiled;
    const value = compiled.exactMean ?? Number.NaN;
    if (value >= 0 && value <= 1) return compiled;
    this.fail(path, spec, "a complexity score in [0, 1] (or a distribution of them)");
    return undefined;
  }

  private workloads(workload: LlmScenarioDocument["devices"][number]["workload"], path: string, count: number, nodeIds: Map<string, number>): LlmWorkload[] | undefined {
    const uniformComplexity = compileDistribution({ dist: "uniform", low: 0, high: 1 }, "");
    if (workload.type === "queries") {
      let interarrival: CompiledDistribution | undefined;
      let hourlyAcceptance: number[] | undefined;
      const weights = workload.hourlyWeights;
      if (weights !== undefined) {
        if (workload.dailyActiveUsers === undefined) this.fail(`${path}.hourlyWeights`, weights, "hourly weights only with dailyActiveUsers (a day's arrivals to shape)");
        else if (!weights.some((w) => w > 0)) this.fail(`${path}.hourlyWeights`, weights, "at least one positive weight");
      }
      if (workload.interarrival !== undefined && workload.dailyActiveUsers !== undefined) {
        this.fail(`${path}.dailyActiveUsers`, workload.dailyActiveUsers, "either interarrival or dailyActiveUsers, not both");
      } else if (workload.interarrival !== undefined) interarrival = this.compile(workload.interarrival, `${path}.interarrival`);
      else if (workload.dailyActiveUsers !== undefined) {
        // The users are behind the whole entry: with count > 1 each device carries its share.
        const perDevicePerDay = (workload.dailyActiveUsers * (workload.requestsPerUserPerDay ?? DEFAULT_REQUESTS_PER_USER_PER_DAY)) / count;
        // A diurnal profile is a non-homogeneous Poisson process, drawn by thinning a process at the peak hour's rate.
        let peak = 1;
        if (weights?.some((w) => w > 0)) {
          const mean = weights.reduce((a, b) => a + b, 0) / 24;
          peak = Math.max(...weights) / mean;
          hourlyAcceptance = weights.map((w) => w / mean / peak);
        }
        interarrival = compileDistribution({ dist: "exponential", mean: DAY_MS / (perDevicePerDay * peak) }, `${path}.dailyActiveUsers`);
      } else this.fail(`${path}.interarrival`, undefined, "a distribution of the time between queries (or dailyActiveUsers)");
      const promptTokens = this.tokens(workload.promptTokens, `${path}.promptTokens`);
      const outputTokens = this.tokens(workload.outputTokens, `${path}.outputTokens`);
      const complexity = workload.complexity === undefined ? uniformComplexity : this.complexity(workload.complexity, `${path}.complexity`);
      if (interarrival === undefined || promptTokens === undefined || outputTokens === undefined || complexity === undefined) return undefined;
      const resolved: LlmWorkload = { type: "queries", interarrival, hourlyAcceptance, promptTokens, outputTokens, complexity };
      return Array.from({ length: count }, () => resolved);
    }
    if (workload.type === "query-trace") {
      const complexity = workload.complexity === undefined ? uniformComplexity : this.complexity(workload.complexity, `${path}.complexity`);
      let trace: QueryTrace;
      try {
        trace = readQueryTrace(
          workload.file,
          this.baseDir,
          { time: workload.timeColumn ?? "TIMESTAMP", prompt: workload.promptColumn ?? "ContextTokens", output: workload.outputColumn ?? "GeneratedTokens" },
          workload.timeUnit ?? "s",
          path,
        );
      } catch (error) {
        if (error instanceof InputError) this.issues.push(...error.issues.map((issue) => ({ ...issue, expected: `${issue.expected} (${error.source})` })));
        else throw error;
        return undefined;
      }
      if (complexity === undefined) return undefined;
      const scale = workload.timeScale ?? 1;
      // Row i goes to device i mod count, keeping each device's rows in time order. A row of 0
      // tokens (the reader refuses negative and fractional counts) is served as 1: a prompt is at
      // least one token and a model emits at least its end-of-sequence token (docs/llm.md).
      return Array.from({ length: count }, (_, k) => {
        const rows: number[] = [];
        for (let i = k; i < trace.times.length; i += count) rows.push(i);
        return {
          type: "query-trace" as const,
          times: Float64Array.from(rows, (i) => trace.times[i] * scale),
          promptTokens: Float64Array.from(rows, (i) => Math.max(1, trace.promptTokens[i])),
          outputTokens: Float64Array.from(rows, (i) => Math.max(1, trace.outputTokens[i])),
          complexity,
        };
      });
    }
    const interarrival = this.compile(workload.interarrival, `${path}.interarrival`);
    const referenceNode = nodeIds.get(workload.referenceNode);
    if (referenceNode === undefined) this.fail(`${path}.referenceNode`, workload.referenceNode, `a node id: ${suggestName(workload.referenceNode, [...nodeIds.keys()])}`);
    const stages: PipelineStageSpec[] = workload.stages.map((stage) => ({
      name: stage.name,
      successProbability: stage.successProbability,
      passed: { timeMs: stage.passed.time, tokens: stage.passed.tokens },
      failed: { timeMs: stage.failed.time, tokens: stage.failed.tokens },
      outputShare: stage.outputShare ?? DEFAULT_OUTPUT_SHARE,
      complexity: stage.complexity ?? DEFAULT_STAGE_COMPLEXITY,
      maxAttempts: stage.maxAttempts ?? 1,
    }));
    if (interarrival === undefined || referenceNode === undefined) return undefined;
    const resolved: LlmWorkload = { type: "pipeline", interarrival, referenceNode, stages };
    return Array.from({ length: count }, () => resolved);
  }

  /** Each attempt's tool time is its measured time minus the LLM exchange on the reference node; that must not be negative. */
  private checkPipelineReference(device: LlmDevice, d: number, nodes: readonly LlmNode[], links: readonly (readonly ResolvedLink[])[]): void {
    if (device.workload.type !== "pipeline") return;
    const reference = nodes[device.workload.referenceNode];
    const latencyMs = links[device.index][reference.index].nominalLatencyMs;
    device.workload.stages.forEach((stage, s) => {
      for (const outcome of ["passed", "failed"] as const) {
        const toolMs = attemptToolMs(reference.serving, stage[outcome], stage.outputShare, latencyMs);
        if (toolMs < 0) {
          this.fail(
            `devices[${d}].workload.stages[${s}].${outcome}.time`,
            `${stage[outcome].timeMs} ms`,
            `at least the LLM exchange on the reference node ${reference.id} (${Math.round(stage[outcome].timeMs - toolMs)} ms for ${stage[outcome].tokens} tokens): the measured time includes it`,
          );
        }
      }
    });
  }

  private routers(): LlmRouterEntry[] {
    const entries: LlmRouterEntry[] = [];
    const labels = new Set<string>();
    this.doc.routers.forEach((entry, index) => {
      if (typeof entry !== "string" && "policy" in entry && entry.policy === "external") {
        const { policy: _policy, label: given, pipelineMaxAttempts, ...options } = entry;
        const label = given ?? "external";
        if (labels.has(label)) this.fail(`routers[${index}]`, label, "a label not used by another entry (give each entry of the same router a label)");
        labels.add(label);
        const parsed = ROUTER_OPTIONS.external.safeParse(options);
        if (!parsed.success)
          for (const issue of toInputIssues(parsed.error, options, ROUTER_OPTIONS.external))
            this.issues.push({ ...issue, path: issue.path === "" ? `routers[${index}]` : `routers[${index}].${issue.path}` });
        entries.push({ name: "external", label, options, pipelineMaxAttempts });
        return;
      }
      if (typeof entry !== "string" && "policy" in entry) {
        const label =
          entry.label ??
          entry.path
            .split("/")
            .pop()
            ?.replace(/\.[cm]?[jt]s$/, "") ??
          "module";
        if (labels.has(label)) this.fail(`routers[${index}]`, label, "a label not used by another entry (give each entry of the same router a label)");
        labels.add(label);
        entries.push({ name: "module", label, options: { path: entry.path, options: entry.options ?? {} }, pipelineMaxAttempts: entry.pipelineMaxAttempts });
        return;
      }
      const name = typeof entry === "string" ? entry : entry.name;
      const label = typeof entry === "string" ? entry : (entry.label ?? entry.name);
      const raw = typeof entry === "string" ? {} : (entry.options ?? {});
      const path = typeof entry === "string" ? `routers[${index}]` : `routers[${index}].name`;
      if (ROUTERS[name] === undefined) {
        this.fail(path, name, `a router: ${suggestName(name, Object.keys(ROUTERS).sort())}`);
        return;
      }
      if (labels.has(label)) this.fail(`routers[${index}]`, label, "a label not used by another entry (give each entry of the same router a label)");
      labels.add(label);
      const schema = ROUTER_OPTIONS[name];
      const optionsPath = `routers[${index}].options`;
      if (schema === undefined) {
        for (const key of Object.keys(raw)) this.fail(`${optionsPath}.${key}`, raw[key], `no such option: ${name} takes no options`);
      } else {
        const parsed = schema.safeParse(raw);
        if (!parsed.success) for (const issue of toInputIssues(parsed.error, raw, schema)) this.issues.push({ ...issue, path: issue.path === "" ? optionsPath : `${optionsPath}.${issue.path}` });
      }
      // Factories parse the options themselves, from the form written (durations as strings).
      entries.push({ name, label, options: raw, pipelineMaxAttempts: typeof entry === "string" ? undefined : entry.pipelineMaxAttempts });
    });
    return entries;
  }

  private links(devices: readonly LlmDevice[], nodeIds: readonly string[]): ResolvedLink[][] {
    const network = this.doc.network ?? {};
    const defaults = network.default ?? {};
    // Every group the file names, even one whose own entry has a problem: a link to it is no second mistake.
    const groups = new Set(this.doc.devices.map((d) => d.id));
    const perLink = new Map<string, NonNullable<typeof network.links>[number]>();
    (network.links ?? []).forEach((link, index) => {
      const [group, node] = link.between;
      if (!groups.has(group)) this.fail(`network.links[${index}].between[0]`, group, `a device id: ${suggestName(group, [...groups])}`);
      if (!nodeIds.includes(node)) this.fail(`network.links[${index}].between[1]`, node, `a node id: ${suggestName(node, nodeIds)}`);
      perLink.set(`${group}|${node}`, link);
    });
    const estimate = new RandomStreams("nominal-latency");
    const cache = new Map<string, ResolvedLink>();
    return devices.map((device) =>
      nodeIds.map((nodeId) => {
        const specific = perLink.get(`${device.group}|${nodeId}`);
        const where = (key: string): string =>
          specific !== undefined && specific[key as keyof typeof specific] !== undefined ? `network.links[${(network.links ?? []).indexOf(specific)}].${key}` : `network.default.${key}`;
        const latencySpec: DistributionSpec = specific?.latency ?? defaults.latency ?? 0;
        const jitterSpec = specific?.jitter ?? defaults.jitter;
        const bandwidthSpec = specific?.bandwidth !== undefined ? specific.bandwidth : defaults.bandwidth;
        const key = JSON.stringify([latencySpec, jitterSpec ?? null, bandwidthSpec ?? null]);
        const cached = cache.get(key);
        if (cached !== undefined) return cached;
        const latency = this.compile(latencySpec, where("latency")) ?? compileDistribution(0, "");
        const jitter = jitterSpec === undefined ? undefined : this.compile(jitterSpec, where("jitter"));
        let bytesPerMs = Infinity;
        if (bandwidthSpec !== undefined && bandwidthSpec !== null) {
          const bits = parseBandwidth(bandwidthSpec);
          if (bits === undefined) this.fail(where("bandwidth"), bandwidthSpec, 'a bandwidth: bits per second, or a string such as "100 Mbit/s"');
          else bytesPerMs = bits / 8 / 1000;
        }
        const nominalLatencyMs = meanOf(latency, estimate.stream(`latency/${key}`)) + (jitter === undefined ? 0 : meanOf(jitter, estimate.stream(`jitter/${key}`)));
        const link: ResolvedLink = { latency, jitter, bytesPerMs, nominalLatencyMs, description: `${latency.description}${jitter ? ` + ${jitter.description}` : ""}` };
        cache.set(key, link);
        return link;
      }),
    );
  }
}

/**
 * The non-LLM part of a pipeline attempt (tool runs, compiling, flashing): its measured time on
 * the reference node minus the exchange there (service alone + a one-way latency each way).
 * Negative when the measured time cannot hold the exchange (refused at validation).
 */
export function attemptToolMs(reference: ServingSpec, outcome: { timeMs: number; tokens: number }, outputShare: number, nominalLatencyMs: number): number {
  return outcome.timeMs - exchangeMs(reference, outcome.tokens, outputShare) - 2 * nominalLatencyMs;
}

/** Mean service time of one exchange alone on a server: overhead + prefill + decode. */
function exchangeMs(serving: ServingSpec, totalTokens: number, outputShare: number): number {
  const output = Math.max(1, Math.round(totalTokens * outputShare));
  const prompt = Math.max(1, Math.round(totalTokens - output));
  return serving.requestOverheadMs + prompt / serving.prefillTokensPerMs + output / serving.decodeTokensPerMs;
}
