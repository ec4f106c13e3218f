import type { Direction, Network } from "./network.js";

/**
 * Transfers whose arrival runs a closure, for callers off the hot path (migration state, image
 * pulls): one delivery kind registered with the network, and a table of the closures waiting for
 * their transfer. The frame path and the queries' exchanges register kinds of their own and pass
 * an index instead (no closure per transfer there).
 */
export class DeliveryClosures {
  private readonly closures: (((delayMs: number) => void) | undefined)[] = [];
  private readonly startedAt: number[] = [];
  private readonly tags: number[] = [];
  private readonly free: number[] = [];
  private readonly kind: number;

  constructor(
    private readonly network: Network,
    private readonly now: () => number,
  ) {
    this.kind = network.registerDelivery((slot) => this.arrived(slot));
  }

  /**
   * Sends `bytes` between device and node (`tag`: what the caller finds it by in heldTags). Returns the one-way time when it is fixed now (the
   * caller schedules, as before shared links); else NaN, and `arrived(delayMs)` runs at the last
   * byte (synchronously, Network.lastDeliveryWaitMs readable).
   */
  send(device: number, node: number, direction: Direction, bytes: number, tag: number, arrived: (delayMs: number) => void): number {
    const slot = this.reserve(arrived, tag);
    const delay = this.network.transfer(device, node, direction, bytes, this.kind, slot);
    if (!Number.isNaN(delay)) this.release(slot);
    return delay;
  }

  /** Node to node (migration state of `device`): as `send`. */
  sendBetween(device: number, from: number, to: number, bytes: number, arrived: (delayMs: number) => void): number {
    const slot = this.reserve(arrived, device);
    const delay = this.network.transferBetween(device, from, to, bytes, this.kind, slot);
    if (!Number.isNaN(delay)) this.release(slot);
    return delay;
  }

  /** The tags of the transfers held now (their device out of range), in start order: jobs still waiting when the run ends. */
  heldTags(): number[] {
    return this.network.heldArgs(this.kind).map((slot) => this.tags[slot]);
  }

  private reserve(arrived: (delayMs: number) => void, tag: number): number {
    const slot = this.free.length > 0 ? (this.free.pop() as number) : this.closures.length;
    this.closures[slot] = arrived;
    this.tags[slot] = tag;
    this.startedAt[slot] = this.now();
    return slot;
  }

  private release(slot: number): void {
    this.closures[slot] = undefined;
    this.free.push(slot);
  }

  private arrived(slot: number): void {
    const arrived = this.closures[slot] as (delayMs: number) => void;
    const delay = this.now() - this.startedAt[slot];
    this.release(slot);
    arrived(delay);
  }
}
