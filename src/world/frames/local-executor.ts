import type { Sampler } from "../../random/distributions.js";
import type { TrafficContext } from "../traffic-context.js";
import type { FrameSources } from "./frame-sources.js";
import type { NodeMeter } from "./node-meter.js";
import { IntQueue, type TaskPool } from "./task-pool.js";

/**
 * Frames run on their own device (a policy's LOCAL_NODE): one at a time per device, FIFO, no
 * network, preprocessing and inference drawn from the device profile's CPU path. Each frame
 * source draws from its own stream `<streamPrefix>/local` (`device/<id>/local` for a device's
 * first workload, as before several workloads existed). Where no device can run its frames (no
 * profile with a CPU path), nothing is held per device or source.
 */
export class LocalExecutor {
  private readonly busy: Uint8Array;
  private busyCount = 0;
  private readonly queues: (IntQueue | undefined)[];
  /** Per frame source; undefined where the device cannot run its model. */
  private readonly samplers: ({ preprocessing: Sampler; inference: Sampler } | undefined)[];
  private readonly doneKind: number;

  constructor(
    private readonly ctx: TrafficContext,
    private readonly pool: TaskPool,
    private readonly meter: NodeMeter,
    sources: Pick<FrameSources, "count" | "device" | "streamPrefix">,
    private readonly done: (task: number) => void,
  ) {
    const devices = ctx.scenario.devices;
    const any = devices.some((device) => device.localService !== undefined);
    this.busy = new Uint8Array(any ? devices.length : 0);
    this.queues = any ? devices.map(() => undefined) : [];
    this.samplers = [];
    for (let source = 0; any && source < sources.count; source++) {
      const service = devices[sources.device[source]].localService;
      if (service === undefined) {
        this.samplers.push(undefined);
        continue;
      }
      const stream = ctx.streams.stream(`${sources.streamPrefix(source)}/local`);
      this.samplers.push({ preprocessing: service.preprocessing.bind(stream), inference: service.inference.bind(stream) });
    }
    this.doneKind = ctx.sim.registerKind((task) => this.onDone(task));
  }

  canRun(device: number): boolean {
    return this.ctx.scenario.devices[device].localService !== undefined;
  }

  /** Runs the frame (pool.device, pool.source set) on its device, after the frames it already has. */
  run(task: number, now: number): void {
    const pool = this.pool;
    const device = pool.device[task];
    // queueingMs holds the wait before placement (FrameTraffic); the device's own queue adds to it.
    pool.networkUpMs[task] = 0;
    if (this.busy[device] === 0) {
      this.start(task, device, now);
      return;
    }
    let queue = this.queues[device];
    if (queue === undefined) {
      queue = new IntQueue(4);
      this.queues[device] = queue;
    }
    pool.enqueuedAt[task] = now;
    queue.push(task);
  }

  private start(task: number, device: number, now: number): void {
    const samplers = this.samplers[this.pool.source[task]] as { preprocessing: Sampler; inference: Sampler };
    const preprocessing = samplers.preprocessing();
    const inference = samplers.inference();
    this.pool.preprocessingMs[task] = preprocessing;
    this.pool.inferenceMs[task] = inference;
    this.busy[device] = 1;
    this.meter.busyChanged(now, ++this.busyCount);
    this.ctx.sim.scheduleKind(preprocessing + inference, this.doneKind, task);
  }

  private onDone(task: number): void {
    const pool = this.pool;
    const device = pool.device[task];
    const now = this.ctx.sim.now;
    this.busy[device] = 0;
    this.meter.busyChanged(now, --this.busyCount);
    const queue = this.queues[device];
    if (queue !== undefined && queue.size > 0) {
      const next = queue.shift();
      pool.queueingMs[next] += now - pool.enqueuedAt[next];
      this.start(next, device, now);
    }
    this.done(task);
  }
}
