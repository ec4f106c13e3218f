import type { RandomStreams, StreamTable } from "../../engine/rng.js";
import type { CompiledDistribution, Sampler } from "../../random/distributions.js";
import type { FrameWorkload, ResolvedScenario } from "../../scenario/resolved-scenario.js";

/** One frame workload of one device: a source of frames with its own arrival streams. */
export interface FrameSource {
  readonly device: number;
  readonly workload: FrameWorkload;
  readonly streamPrefix: string;
}

/**
 * Where frames come from and when: one source per frame workload of a device, in device order,
 * with what every arrival and delivery reads held as flat arrays per source (not the resolved
 * workload objects: their property loads were a third of an arrival's time on the edge-offload
 * benchmark), and each source's own streams `<streamPrefix>/arrivals`, `/jitter`, `/start`.
 */
export class FrameSources {
  readonly list: FrameSource[] = [];
  readonly serviceClass: Int32Array;
  readonly device: Int32Array;
  readonly model: string[];
  readonly frameSizePx: Float64Array;
  readonly requestBytes: Float64Array;
  readonly resultBytes: Float64Array;
  readonly periodMs: Float64Array;
  /** Per source, its capture-jitter sampler (undefined without jitter). */
  readonly jitter: (Sampler | undefined)[];
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
    for (const device of scenario.devices) {
      for (const workload of device.workloads) if (workload.family === "frames") this.list.push({ device: device.index, workload, streamPrefix: workload.streamPrefix });
    }
    const sources = this.list;
    this.serviceClass = Int32Array.from(sources.map((source) => source.workload.serviceClass));
    this.device = Int32Array.from(sources.map((source) => source.device));
    this.model = sources.map((source) => source.workload.model);
    this.frameSizePx = Float64Array.from(sources.map((source) => source.workload.frameSizePx));
    this.requestBytes = Float64Array.from(sources.map((source) => source.workload.requestBytes));
    this.resultBytes = Float64Array.from(sources.map((source) => source.workload.resultBytes));
    this.periodMs = Float64Array.from(sources.map((source) => source.workload.periodMs ?? 0));
    this.arrivalStreams = streams.table();
    this.arrivalStream = new Int32Array(sources.length).fill(-1);
    const shared = new Map<CompiledDistribution, Sampler>();
    this.arrivalSamplers = sources.map((source, index) => {
      const interarrival = source.workload.interarrival;
      if (interarrival?.stateless === true && source.workload.arrivalTimes === undefined) {
        // The same stream `<streamPrefix>/arrivals`, held in the table: it is never also asked of `streams` by name.
        this.arrivalStream[index] = this.arrivalStreams.add(`${source.streamPrefix}/arrivals`);
        let sampler = shared.get(interarrival);
        if (sampler === undefined) {
          sampler = interarrival.bind(this.arrivalStreams.uniform);
          shared.set(interarrival, sampler);
        }
        return sampler;
      }
      const times = source.workload.arrivalTimes;
      if (times !== undefined) {
        // Replay: the first call gives the first arrival time, each later one the gap to the next.
        let next = 0;
        return () => {
          const at = next < times.length ? times[next] - (next > 0 ? times[next - 1] : 0) : Infinity;
          next++;
          return at;
        };
      }
      const stream = streams.stream(`${source.streamPrefix}/arrivals`);
      if (source.workload.interarrival !== undefined) return source.workload.interarrival.bind(stream);
      const period = source.workload.periodMs as number;
      return () => period;
    });
    this.jitter = sources.map((source) => (source.workload.jitter === undefined ? undefined : source.workload.jitter.bind(streams.stream(`${source.streamPrefix}/jitter`))));
  }

  get count(): number {
    return this.list.length;
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
    const { workload, streamPrefix } = this.list[source];
    if (workload.startOffset === undefined) return this.drawGap(source);
    startStreams.select(startStreams.add(`${streamPrefix}/start`));
    return workload.startOffset.bind(startStreams.uniform)();
  }
}
