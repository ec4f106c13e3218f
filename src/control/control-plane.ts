import type { RandomStreams } from "../engine/rng.js";
import type { Simulator } from "../engine/simulator.js";
import type { Network } from "../network/network.js";
import type { ResolvedScenario } from "../scenario/resolved-scenario.js";
import type { ControlRunResults, ResolvedControl, ServiceFamily, ServiceHost } from "./types.js";

/**
 * The control plane of one run (issue 17, docs/control-plane.md): the catalog (catalog.ts), the
 * orchestrator that places replicas on nodes by their resource requests (orchestrator.ts,
 * pod-scoring.ts), provisioning (image layers pulled over the network, model load:
 * provisioning.ts), the autoscalers (autoscaler.ts) and the node timeline (join, leave). The
 * world builds it only for a scenario with `control`, and gives it a ServiceHost to act on.
 *
 * What the traffics read on every job is flat: `accepting` (is the node's service taking jobs
 * now) and `listedFor` (does the requesting device see it in the catalog).
 */
export class ControlPlane {
  /** Per node index: 1 while the node's slot service (frames) / language model (llm) takes new jobs. Services no deployment manages are 1 from time 0. */
  readonly accepting: { readonly frames: Uint8Array; readonly llm: Uint8Array };

  constructor(
    readonly sim: Simulator,
    readonly streams: RandomStreams,
    readonly scenario: ResolvedScenario,
    readonly control: ResolvedControl,
    readonly network: Network,
    readonly host: ServiceHost,
  ) {
    this.accepting = { frames: new Uint8Array(scenario.nodes.length), llm: new Uint8Array(scenario.nodes.length) };
    throw new Error("ControlPlane: not implemented yet (issue 17, helper CP2)");
  }

  /** Schedules time 0: replicas ready at start (or provisioned from 0), the timeline, the autoscalers' syncs. Called before the traffics start. */
  start(): void {}

  /** Whether the view of `device` (-1: a policy's cluster-wide view) lists the node's service of `family` as registered and passing. */
  listedFor(_device: number, _node: number, _family: ServiceFamily): boolean {
    return true;
  }

  /** The device is about to place a job of `family`: the discovery wait it pays first, ms (0: its cached answer is fresh). */
  discover(_device: number, _family: ServiceFamily): number {
    return 0;
  }

  /** A job reached a node whose service of `family` takes no jobs (gone, a stale view): counted; the traffic counts the job lost. */
  rejected(_node: number, _family: ServiceFamily): void {}

  /**
   * Scale to zero: when the deployments managing `family` for this device have no ready replica
   * and one is being (or can be) provisioned, the job waits: `release` is called (once) when a
   * replica is ready, and true is returned. False: place the job now (a replica is ready, or none
   * can ever come: the job goes wherever the policy sends it).
   */
  hold(_device: number, _family: ServiceFamily, _release: () => void): boolean {
    return false;
  }

  /** The world's health view changed (a health check): forwarded to the catalog. */
  setPassing(_node: number, _passing: boolean): void {}

  /** A node crashed (fault) or recovered: the orchestrator restarts its replicas elsewhere / may place again. */
  nodeDown(_node: number): void {}
  nodeUp(_node: number): void {}

  /** The run ended at `endMs`: close the step functions and open records. */
  finish(_endMs: number): void {}

  results(): ControlRunResults {
    return { deployments: [], catalog: { registrations: 0, deregistrations: 0, staleRejected: 0, discoveryQueries: 0, discoveryWaitMs: 0 }, membership: [] };
  }
}
