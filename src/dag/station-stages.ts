import type { RandomStreams } from "../engine/rng.js";
import type { Sampler } from "../random/distributions.js";
import type { DagJobInfo, StageClient, StageExecutor, StageExecutorFactory } from "./stage-executor.js";
import type { Stations } from "./stations.js";
import { type DagApplication, ON_DEVICE, placeName } from "./types.js";

/**
 * The executor of station stages over shared `Stations`. Service times are drawn from one stream
 * per (stage, node host), `dag/<app>/<stage>/<node>/service`, and on the device one per (stage,
 * device), `dag/<app>/<stage>/device/<device id>/service`: a device's draws do not move when
 * another device is added.
 */
export function stationStages(stations: Stations, streams: RandomStreams, deviceName: (device: number) => string): StageExecutorFactory {
  return (app, client) => new StationStages(app, stations, streams, deviceName, client);
}

class StationStages implements StageExecutor {
  /** Per stage and host: the sampler of a node host (undefined for the device host: per device, below). */
  private readonly samplers: (Sampler | undefined)[][];
  /** Per stage, per device index: the sampler of the stage's device host, bound at the device's first visit. */
  private readonly deviceSamplers: (Sampler | undefined)[][];
  private readonly client: number;

  constructor(
    private readonly app: DagApplication,
    private readonly stations: Stations,
    private readonly streams: RandomStreams,
    private readonly deviceName: (device: number) => string,
    client: StageClient,
  ) {
    this.samplers = app.stages.map((stage) =>
      stage.hosts.map((host) => (host.place === ON_DEVICE ? undefined : host.serviceTime.bind(streams.stream(`dag/${app.id}/${stage.id}/${placeName(app, host.place)}/service`)))),
    );
    this.deviceSamplers = app.stages.map(() => []);
    this.client = stations.addClient(client);
  }

  reserve(stage: number, host: number, device: number): number {
    const station = this.station(stage, host, device);
    this.stations.expect(station);
    return station;
  }

  enter(handle: number, stage: number, host: number, job: DagJobInfo, token: number): void {
    this.stations.enter(handle, this.sampler(stage, host, job.device), this.client, token);
  }

  expectedWaitMs(stage: number, host: number, device: number): number {
    return this.stations.expectedWaitMs(this.station(stage, host, device), this.app.stages[stage].hosts[host].meanServiceMs);
  }

  private station(stage: number, host: number, device: number): number {
    const s = this.app.stages[stage];
    const h = s.hosts[host];
    return this.stations.station(s.service, h.place, device, h.slots);
  }

  private sampler(stage: number, host: number, device: number): Sampler {
    const node = this.samplers[stage][host];
    if (node !== undefined) return node;
    const perDevice = this.deviceSamplers[stage];
    let sampler = perDevice[device];
    if (sampler === undefined) {
      const s = this.app.stages[stage];
      sampler = s.hosts[host].serviceTime.bind(this.streams.stream(`dag/${this.app.id}/${s.id}/device/${this.deviceName(device)}/service`));
      perDevice[device] = sampler;
    }
    return sampler;
  }
}
