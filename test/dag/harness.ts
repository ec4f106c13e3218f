import { RandomStreams } from "../../src/engine/rng.js";
import { Simulator } from "../../src/engine/simulator.js";
import { defineApplication } from "../../src/dag/application.js";
import { type DagJobRecord, type DagNetwork, DagRunner } from "../../src/dag/dag-runner.js";
import { DagResultsRecorder } from "../../src/dag/dag-results.js";
import type { PlacementPolicy } from "../../src/dag/placement.js";
import { stationStages } from "../../src/dag/station-stages.js";
import { Stations } from "../../src/dag/stations.js";
import { ON_DEVICE, type ApplicationSpec, type DagApplication, type Place, type StationStageSpec } from "../../src/dag/types.js";

/** An application of station stages only (the tests that reshape their hosts). */
export type StationApplication = Omit<ApplicationSpec, "stages"> & { stages: readonly StationStageSpec[] };

/**
 * A network of fixed one-way latencies between places plus bytes over one rate (bytes per ms;
 * Infinity: bytes cost nothing). `latency(from, to)` is symmetric: give each unordered pair once.
 * With `deliversItself` it returns NaN and delivers by calling the runner back, as the world's
 * Network does on a shared link.
 */
export class FakeNetwork implements DagNetwork {
  /** Set by `harness`: whom and on which clock a self-delivering network calls back. */
  runner: DagRunner | undefined;
  sim: Simulator | undefined;
  constructor(
    private readonly latencies: ReadonlyMap<string, number>,
    private readonly bytesPerMs = Infinity,
    private readonly deliversItself = false,
  ) {}

  static key(a: Place, b: Place): string {
    return a < b ? `${a}:${b}` : `${b}:${a}`;
  }

  /** Latencies given as [from, to, ms] with places as numbers (ON_DEVICE = -1). */
  static of(pairs: readonly [Place, Place, number][], bytesPerMs = Infinity, deliversItself = false): FakeNetwork {
    return new FakeNetwork(new Map(pairs.map(([a, b, ms]) => [FakeNetwork.key(a, b), ms])), bytesPerMs, deliversItself);
  }

  expectedTransferMs(_device: number, from: Place, to: Place, bytes: number): number {
    const latency = this.latencies.get(FakeNetwork.key(from, to));
    if (latency === undefined) throw new Error(`no latency between places ${from} and ${to}`);
    return latency + (this.bytesPerMs === Infinity ? 0 : bytes / this.bytesPerMs);
  }

  transfer(device: number, from: Place, to: Place, bytes: number, token: number): number {
    const ms = this.expectedTransferMs(device, from, to, bytes);
    if (!this.deliversItself) return ms;
    const runner = this.runner as DagRunner;
    (this.sim as Simulator).schedule(ms, () => runner.delivered(token));
    return Number.NaN;
  }
}

/** Every pair of places (the device and nodes 0..nodes-1) at the same latency. */
export function uniformNetwork(nodes: number, latencyMs: number): FakeNetwork {
  const pairs: [Place, Place, number][] = [];
  for (let a = ON_DEVICE; a < nodes; a++) for (let b = a + 1; b < nodes; b++) pairs.push([a, b, latencyMs]);
  return FakeNetwork.of(pairs);
}

/** A job record with plain arrays: the runner's record is reused at the next end (DagJobRecord), so a test keeps a copy. */
export interface KeptRecord extends DagJobRecord {
  readonly places: Place[];
  readonly waitMs: number[];
  readonly serviceMs: number[];
  readonly attempts: number[];
  readonly transferMs: number[];
}

export function keep(record: DagJobRecord): KeptRecord {
  return {
    ...record,
    places: Array.from(record.places),
    waitMs: Array.from(record.waitMs),
    serviceMs: Array.from(record.serviceMs),
    attempts: Array.from(record.attempts),
    transferMs: Array.from(record.transferMs),
  };
}

export interface Harness {
  sim: Simulator;
  app: DagApplication;
  runner: DagRunner;
  records: KeptRecord[];
  results: DagResultsRecorder;
}

/** Devices of the harness are named by their index (device-place streams read the name). */
export const deviceName = (device: number): string => `d${device}`;

/** One application on its own stations; every completed job kept in `records`, in order of completion. */
export function harness(spec: ApplicationSpec, nodes: readonly string[], network: DagNetwork, placement: PlacementPolicy, seed: number | string = 1, warmupMs = 0): Harness {
  const sim = new Simulator();
  const streams = new RandomStreams(seed);
  const app = defineApplication(spec, nodes, streams);
  const stations = new Stations(sim);
  const records: KeptRecord[] = [];
  const results = new DagResultsRecorder(app, warmupMs);
  const runner = new DagRunner(sim, app, { station: stationStages(stations, streams, deviceName) }, network, placement, {
    submitted: (device, arrivalMs) => results.submitted(device, arrivalMs),
    completed: (record) => {
      records.push(keep(record));
      results.completed(record);
    },
  });
  if (network instanceof FakeNetwork) {
    network.runner = runner;
    network.sim = sim;
  }
  return { sim, app, runner, records, results };
}
