import { InputError } from "../errors.js";
import { readTraceTable } from "../io/trace-file.js";
import { compileDistribution, type CompiledDistribution } from "../random/distributions.js";
import type { TimeUnit } from "../random/duration.js";
import { suggestName } from "../text/nearest-name.js";
import { DEFAULT_FRAME_SIZE_PX, DEFAULT_JPEG_RATIO, DEFAULT_TIME_UNIT, DEFAULT_VIDEO_RESULT_BYTES } from "./defaults.js";
import type { HardwareProfile, ServiceCurve } from "./profile-schema.js";
import { meanServiceMs } from "./profiles.js";
import type { ResolveContext } from "./resolve-context.js";
import type { NodeAt, NormalScenario } from "./resolve-shorthands.js";
import type { NodeService, ServiceClass } from "./resolved.js";
import type { FrameWorkload, SlotServiceSpec } from "./resolved-scenario.js";
import { isFrameWorkload, type FrameWorkloadDocument } from "./schema-workloads.js";
import { readTraceTimes } from "./trace.js";

/**
 * The frame family: camera, random-arrival and trace workloads, the service classes they make
 * (distinct model and frame size), and the slot services of nodes, from the hardware profiles'
 * `models` (or a node's own service-time distributions).
 */
export class FrameResolver {
  readonly serviceClasses: ServiceClass[] = [];
  /** Models no node's profile knows, reported once at the device's model (checkDeviceModels). */
  private readonly unknownModels = new Set<string>();

  constructor(
    private readonly ctx: ResolveContext,
    private readonly normal: NormalScenario,
  ) {}

  /** The workload of each of the `count` devices of a group: one object for all, except a trace's (its rows are dealt to them in turn). */
  workloads(workload: FrameWorkloadDocument, path: string, count: number): FrameWorkload[] {
    const base = this.workload(workload, path);
    if (workload.type !== "trace") return Array.from({ length: count }, () => base);
    const trace = this.traceTimes(workload, path);
    return Array.from({ length: count }, (_, i) => ({ ...base, arrivalTimes: trace?.filter((_, row) => row % count === i) }));
  }

  private workload(workload: FrameWorkloadDocument, path: string): FrameWorkload {
    const common = {
      family: "frames" as const,
      type: workload.type,
      model: workload.model,
      periodMs: undefined,
      jitter: undefined,
      interarrival: undefined,
      startOffset: undefined,
      arrivalTimes: undefined,
    };
    if (workload.type === "video") {
      const periodMs = 1000 / workload.fps;
      return {
        ...common,
        frameSizePx: workload.frameSizePx,
        serviceClass: this.serviceClass(workload.model, workload.frameSizePx),
        periodMs,
        jitter: workload.jitter === undefined ? undefined : this.ctx.compile(workload.jitter, `${path}.jitter`),
        startOffset: this.ctx.compile(workload.startOffset ?? { dist: "uniform", low: 0, high: periodMs }, `${path}.startOffset`),
        requestBytes: workload.frameBytes ?? Math.round((workload.frameSizePx * workload.frameSizePx * 3) / DEFAULT_JPEG_RATIO),
        resultBytes: workload.resultBytes ?? DEFAULT_VIDEO_RESULT_BYTES,
      };
    }
    const frameSizePx = workload.frameSizePx ?? DEFAULT_FRAME_SIZE_PX;
    return {
      ...common,
      frameSizePx,
      serviceClass: this.serviceClass(workload.model, frameSizePx),
      interarrival: workload.type === "arrivals" ? this.ctx.compile(workload.interarrival, `${path}.interarrival`) : undefined,
      startOffset: workload.type === "arrivals" && workload.startOffset !== undefined ? this.ctx.compile(workload.startOffset, `${path}.startOffset`) : undefined,
      requestBytes: workload.requestBytes ?? 0,
      resultBytes: workload.resultBytes ?? 0,
    };
  }

  private serviceClass(model: string, frameSizePx: number): number {
    let index = this.serviceClasses.findIndex((c) => c.model === model && c.frameSizePx === frameSizePx);
    if (index < 0) {
      this.serviceClasses.push({ model, frameSizePx });
      index = this.serviceClasses.length - 1;
    }
    return index;
  }

  private traceTimes(workload: { file: string; timeColumn: string; timeUnit?: TimeUnit }, path: string): Float64Array | undefined {
    try {
      const table = readTraceTable(workload.file, this.ctx.baseDir, `${path}.file`);
      return readTraceTimes(table, workload.timeColumn, workload.timeUnit ?? DEFAULT_TIME_UNIT, `${path}.timeColumn`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      for (const issue of error.issues) this.ctx.fail(issue.path, issue.value, `${issue.expected} (${error.source})`);
      return undefined;
    }
  }

  /**
   * A device's model that no slot-serving node's profile knows is a typo in the model, not a
   * fault of every node: it is reported once, at the model, with the nearest model the profiles
   * know, and the nodes are not blamed for it.
   */
  checkDeviceModels(): void {
    const known = new Set<string>();
    for (const node of this.normal.nodes) {
      if (node.slots === undefined || node.doc.profile === undefined || node.slots.settings.inferenceTime !== undefined) continue;
      const profile = this.ctx.quietProfile(node.doc.profile);
      for (const model of Object.keys(profile?.models ?? {})) known.add(model);
    }
    if (known.size === 0) return;
    for (const device of this.normal.devices) {
      for (const workload of device.workloads) {
        if (!isFrameWorkload(workload.doc) || known.has(workload.doc.model)) continue;
        this.unknownModels.add(workload.doc.model);
        this.ctx.fail(`${workload.path}.model`, workload.doc.model, `a model the nodes' hardware profiles serve: ${suggestName(workload.doc.model, [...known].sort())}`);
      }
    }
  }

  isUnknownModel(model: string): boolean {
    return this.unknownModels.has(model);
  }

  /** Frames on the device itself (local-only): its first frame workload's model on its profile's CPU path, if the profile has one. */
  localService(profile: HardwareProfile | undefined, workload: FrameWorkload | undefined, path: string): NodeService | undefined {
    const service = workload === undefined ? undefined : profile?.models[workload.model];
    if (workload === undefined || service?.cpu === undefined) return undefined;
    const inference = this.fromCurve(service.cpu, workload.frameSizePx, `${path}.profile`);
    const preprocessing = service.preprocessing === undefined ? compileDistribution(0, path) : this.fromCurve(service.preprocessing, workload.frameSizePx, `${path}.profile`);
    if (inference === undefined || preprocessing === undefined) return undefined;
    return { preprocessing, inference };
  }

  private fromCurve(curve: ServiceCurve, frameSizePx: number, path: string): CompiledDistribution | undefined {
    const mean = meanServiceMs(curve, frameSizePx);
    return this.ctx.compile(curve.cv === 0 ? mean : { dist: "lognormal", mean, cv: curve.cv }, path);
  }

  /** A node's slot service: slots, preprocessing CPU cores, queue and a service per service class. */
  slotService(node: NodeAt, profile: HardwareProfile | undefined): SlotServiceSpec | undefined {
    if (node.slots === undefined) return undefined;
    const { settings, path } = node.slots;
    const hasAccelerator = profile !== undefined && profile.accelerator.kind !== "none";
    const inferencePath = settings.path ?? (hasAccelerator ? "accelerator" : "cpu");
    if (settings.path === "accelerator" && profile !== undefined && !hasAccelerator) this.ctx.fail(`${path}.path`, settings.path, `"cpu": profile "${node.doc.profile}" has no accelerator`);
    if (settings.cpuSlots !== undefined && inferencePath !== "accelerator")
      this.ctx.fail(`${path}.cpuSlots`, settings.cpuSlots, "no cpuSlots on the CPU path (preprocessing and inference share the slot there)");
    return {
      type: "slots",
      path: inferencePath,
      slots: settings.slots ?? (inferencePath === "accelerator" ? (profile?.accelerator.slots ?? 1) : 1),
      cpuSlots: inferencePath === "accelerator" ? (settings.cpuSlots ?? profile?.cpu.cores ?? 1) : 0,
      queueCapacity: settings.queueCapacity ?? Infinity,
      service: this.serviceClasses.map((serviceClass) => this.nodeService(node, profile, inferencePath, serviceClass)),
    };
  }

  private nodeService(node: NodeAt, profile: HardwareProfile | undefined, inferencePath: "accelerator" | "cpu", serviceClass: ServiceClass): NodeService {
    const { settings, path } = node.slots as NonNullable<NodeAt["slots"]>;
    const zero = compileDistribution(0, path);
    const modelService = profile?.models[serviceClass.model];
    let inference: CompiledDistribution | undefined;
    if (settings.inferenceTime !== undefined) inference = this.ctx.compile(settings.inferenceTime, `${path}.inferenceTime`);
    else if (profile !== undefined) {
      const curve = modelService?.[inferencePath];
      if (curve === undefined && this.unknownModels.has(serviceClass.model)) {
        // Reported once, at the device's model (checkDeviceModels).
      } else if (curve === undefined) {
        const known = Object.entries(profile.models)
          .filter(([, service]) => service[inferencePath] !== undefined)
          .map(([model]) => model);
        this.ctx.fail(
          `${node.path}.profile`,
          node.doc.profile,
          `a profile with ${inferencePath === "accelerator" ? "an" : "a"} ${inferencePath} service time for model "${serviceClass.model}" (used by a device), or an inferenceTime of the slot service; this profile knows: ${known.join(", ") || "none"}`,
        );
      } else inference = this.fromCurve(curve, serviceClass.frameSizePx, path);
    }
    let preprocessing: CompiledDistribution | undefined = zero;
    if (settings.preprocessingTime !== undefined) preprocessing = this.ctx.compile(settings.preprocessingTime, `${path}.preprocessingTime`);
    else if (settings.inferenceTime === undefined && modelService?.preprocessing !== undefined) preprocessing = this.fromCurve(modelService.preprocessing, serviceClass.frameSizePx, path);
    return { preprocessing: preprocessing ?? zero, inference: inference ?? zero };
  }

  /**
   * The frame models a slot service loads on a node, with their footprints from the profile: every
   * model the devices use may be sent to it. Models without a figure are not counted.
   */
  modelFootprints(profile: HardwareProfile): { readonly listed: string; readonly totalMiB: number } {
    const models = [...new Set(this.serviceClasses.map((serviceClass) => serviceClass.model))];
    const sizes = models.flatMap((model) => {
      const size = profile.models[model]?.memoryMiB;
      return size === undefined ? [] : [[model, size] as const];
    });
    return { listed: sizes.map(([model, size]) => `${model} ${size} MiB`).join(" + "), totalMiB: sizes.reduce((sum, [, size]) => sum + size, 0) };
  }
}
