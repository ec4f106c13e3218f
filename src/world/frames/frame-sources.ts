import type { RandomStreams, StreamTable } from "../../engine/rng.js";
import type { CompiledDistribution, Sampler } from "../../random/distributions.js";
import { type FrameWorkload, type ResolvedDevice, type ResolvedScenario, streamPrefix } from "../../scenario/resolved-scenario.js";

/**
 * Where frames come from and when: one source per frame workload of a device, in device order,
 * with what every arrival and delivery reads held as flat arrays per source (not the resolved
 * workload objects: their property loads were a third of an arrival's time on the edge-offload
 * benchmark), and each source's own streams `<streamPrefix>/arrivals`, `/jitter`, `/start`
 * (streamPrefix(device id, k) for the device's k-th workload). No object per source: at a million
 * devices an object and a prefix string each were about 60 bytes a device (issue 16).
 */
export class FrameSources {
  readonly count: number;
  readonly serviceClass: Int32Array;
  readonly device: Int32Array;
  readonly model: string[];
  readonly frameSizePx: Float64Array;
  readonly requestBytes: Float64Array;
  readonly resultBytes: Float64Array;
  readonly periodMs: Float64Array;
  /** Per source, its capture-jitter sampler (undefined without jitter). */
  readonly jitter: (Sampler | undefined)[];
  /** Per source, the index of its workload among its device's (which names its streams). */
  private readonly workloadIndex: Int32Array;
  private readonly devices: readonly ResolvedDevice[];
  /**
   * Per source, its gap sampler. Where the interarrival distribution is stateless, sources share
   * one sampler bound to `arrivalStreams.uniform` and `arrivalStream` selects the source's stream
   * first; otherwise (replay, a period, a stateful distribution) the sampler is the source's own
   * and `arrivalStream` is -1. A named stream and bound sampler per device cost about 250 bytes
   * (issue 16: a million devices).
   */
  private readonly arrivalSamplers: Sampler[];
  private readonly arrivalStream: Int32Array;
  private readonly arrivalStreams: StreamTable;

  constructor(scenario: ResolvedScenario, streams: RandomStreams) {
    this.devices = scenario.devices;
    let count = 0;
    for (const device of this.devices) for (const workload of device.workloads) if (workload.family === "frames") count++;
    this.count = count;
    this.device = new Int32Array(count);
    this.workloadIndex = new Int32Array(count);
    // Filled in one pass, not mapped from a list of sources: the lists were garbage of a few MB a column at a million devices.
    let source = 0;
    for (const device of this.devices) {
      device.workloads.forEach((workload, k) => {
        if (workload.family !== "frames") return;
        this.device[source] = device.index;
        this.workloadIndex[source] = k;
        source++;
      });
    }
    this.serviceClass = new Int32Array(count);
    this.frameSizePx = new Float64Array(count);
    this.requestBytes = new Float64Array(count);
    this.resultBytes = new Float64Array(count);
    this.periodMs = new Float64Array(count);
    this.arrivalStreams = streams.table();
    this.arrivalStream = new Int32Array(count).fill(-1);
    for (let index = 0; index < count; index++) {
      const workload = this.workload(index);
      this.serviceClass[index] = workload.serviceClass;
      this.frameSizePx[index] = workload.frameSizePx;
      this.requestBytes[index] = workload.requestBytes;
      this.resultBytes[index] = workload.resultBytes;
      this.periodMs[index] = workload.periodMs ?? 0;
    }
    // Array.from with a length: sized once and packed (the hot path reads them), no garbage of growing arrays.
    this.model = Array.from({ length: count }, (_, index) => this.workload(index).model);
    const shared = new Map<CompiledDistribution, Sampler>();
    this.arrivalSamplers = Array.from({ length: count }, (_, index) => this.arrivalSampler(index, this.workload(index), streams, shared));
    this.jitter = Array.from({ length: count }, (_, index) => {
      const jitter = this.workload(index).jitter;
      return jitter === undefined ? undefined : jitter.bind(streams.stream(`${this.streamPrefix(index)}/jitter`));
    });
  }

  /** The source's workload. */
  workload(source: number): FrameWorkload {
    return this.devices[this.device[source]].workloads[this.workloadIndex[source]] as FrameWorkload;
  }

  /** The first part of the names of the source's streams (`device/<id>` for a device's first workload). */
  streamPrefix(source: number): string {
    return streamPrefix(this.devices[this.device[source]].id, this.workloadIndex[source]);
  }

  private arrivalSampler(index: number, workload: FrameWorkload, streams: RandomStreams, shared: Map<CompiledDistribution, Sampler>): Sampler {
    const interarrival = workload.interarrival;
    if (interarrival?.stateless === true && workload.arrivalTimes === undefined) {
      // The same stream `<streamPrefix>/arrivals`, held in the table: it is never also asked of `streams` by name.
      this.arrivalStream[index] = this.arrivalStreams.add(`${this.streamPrefix(index)}/arrivals`);
      let sampler = shared.get(interarrival);
      if (sampler === undefined) {
        sampler = interarrival.bind(this.arrivalStreams.uniform);
        shared.set(interarrival, sampler);
      }
      return sampler;
    }
    const times = workload.arrivalTimes;
    if (times !== undefined) {
      // Replay: the first call gives the first arrival time, each later one the gap to the next.
      let next = 0;
      return () => {
        const at = next < times.length ? times[next] - (next > 0 ? times[next - 1] : 0) : Infinity;
        next++;
        return at;
      };
    }
    const stream = streams.stream(`${this.streamPrefix(index)}/arrivals`);
    if (interarrival !== undefined) return interarrival.bind(stream);
    const period = workload.periodMs as number;
    return () => period;
  }

  /** The source's next gap from its own arrivals stream. */
  drawGap(source: number): number {
    const stream = this.arrivalStream[source];
    if (stream >= 0) this.arrivalStreams.select(stream);
    return this.arrivalSamplers[source]();
  }

  /**
   * The source's first arrival: its start offset where it has one, drawn from `startStreams` (a
   * table dropped after the start, so a one-draw stream does not live for the whole run; creating
   * it shifts no other stream), else its first gap.
   */
  firstArrival(source: number, startStreams: StreamTable): number {
    const startOffset = this.workload(source).startOffset;
    if (startOffset === undefined) return this.drawGap(source);
    startStreams.select(startStreams.add(`${this.streamPrefix(source)}/start`));
    return startOffset.bind(startStreams.uniform)();
  }
}
